import { assertEvent } from 'xstate';
import { checkCompleteness } from '../completeness';
import type { FilingEvent } from '../events';
import type { EventStamp } from '../events';
import { REASONS } from '../reasons';
import { cstDay, recordValidityChange, type Validity } from '../validity';
import type { AdoptionReportSummary, ConsultationRound, DecisionRecord, FilingContext, InterpretationPatch, ReviewRecord, Stamp } from './types';
import { withParticularDefaults, type InterpretationElement, type InterpretationPackage } from '../dossier';

/**
 * What each step records: pure updates of the filing's context, named after the domain. The chart
 * applies them with `assign`; nothing here reads a clock or a database (`at` and `actor` come
 * stamped on the event).
 */
type Update = (args: { context: FilingContext; event: FilingEvent }) => Partial<FilingContext>;

function stamp(event: EventStamp): Stamp {
  return { at: event.at, by: event.actor };
}

export function applyInterpretationPatch(current: InterpretationPackage, patch: InterpretationPatch): InterpretationPackage {
  const materials = { ...current.materials };
  for (const [element, text] of Object.entries(patch.materials ?? {}) as Array<[InterpretationElement, string | null]>) {
    // An empty value removes the element, so a drafter can take back what they wrote.
    if (text === null || text.trim() === '') delete materials[element];
    else materials[element] = text;
  }
  return {
    plan: patch.plan === undefined ? current.plan : patch.plan,
    materials,
    forms: patch.forms ?? current.forms,
    items: patch.items ?? current.items,
  };
}

function updateLatestRound(
  context: FilingContext,
  change: (round: ConsultationRound) => Partial<ConsultationRound>,
): ConsultationRound[] {
  return context.consultations.map((round, index) =>
    index === context.consultations.length - 1 ? { ...round, ...change(round) } : round,
  );
}

export const UPDATES = {
  recordTextVersion: ({ context, event }) => {
    assertEvent(event, 'EDIT_TEXT');
    return {
      text: {
        version: context.text.version + 1,
        title: event.title,
        sha256: event.textSha256,
        length: event.textLength,
      },
    };
  },
  amendInterpretation: ({ context, event }) => {
    assertEvent(event, 'EDIT_INTERPRETATION');
    return { interpretation: applyInterpretationPatch(context.interpretation, event.patch) };
  },
  amendParticulars: ({ context, event }) => {
    assertEvent(event, 'EDIT_PARTICULARS');
    return { particulars: withParticularDefaults({ ...context.particulars, ...event.patch }) };
  },
  recordInterpretationApproval: ({ event }) => {
    assertEvent(event, 'APPROVE_INTERPRETATION');
    return { interpretationApproval: { ...stamp(event), note: event.note ?? null }, interpretationRejection: null };
  },
  recordInterpretationRejection: ({ event }) => {
    assertEvent(event, 'REJECT_INTERPRETATION');
    return { interpretationRejection: { ...stamp(event), note: event.note } };
  },
  /** Reopening withdraws the approval: an edited package needs the head's eyes again (R2). */
  clearInterpretationApproval: () => ({ interpretationApproval: null }),
  requestConsultation: ({ context, event }) => {
    assertEvent(event, 'START_CONSULTATION');
    const round: ConsultationRound = {
      ...event.plan,
      round: context.consultations.length + 1,
      requested: stamp(event),
      clearance: null,
      refusal: null,
      extensions: [],
      closedAt: null,
      report: null,
    };
    return { consultations: [...context.consultations, round] };
  },
  recordClearance: ({ context, event }) => ({
    consultations: updateLatestRound(context, () => ({ clearance: stamp(event) })),
  }),
  recordClearanceRefusal: ({ context, event }) => {
    assertEvent(event, 'REFUSE_CLEARANCE');
    return { consultations: updateLatestRound(context, () => ({ refusal: { ...stamp(event), note: event.note } })) };
  },
  /** R9: extensions are allowed and recorded with their reasons. */
  extendConsultation: ({ context, event }) => {
    assertEvent(event, 'EXTEND_CONSULTATION');
    return {
      consultations: updateLatestRound(context, (round) => ({
        endsAt: event.endsAt,
        extensions: [...round.extensions, { ...stamp(event), from: round.endsAt, to: event.endsAt, reason: event.reason }],
      })),
    };
  },
  closeConsultation: ({ context, event }) => ({
    consultations: updateLatestRound(context, () => ({ closedAt: event.at })),
  }),
  recordAdoptionReport: ({ context, event }) => {
    assertEvent(event, 'FINALIZE_ADOPTION_REPORT');
    return { consultations: updateLatestRound(context, () => ({ report: event.report })) };
  },
  discardAdoptionReport: ({ context }) => ({
    consultations: updateLatestRound(context, () => ({ report: null })),
  }),
  /** R11: the published report is what the completeness check asks for. */
  publishAdoptionReport: ({ context, event }) => {
    const latest = context.consultations[context.consultations.length - 1];
    const report = { ...(latest.report as AdoptionReportSummary), publishedAt: event.at };
    return {
      consultations: updateLatestRound(context, () => ({ report })),
      particulars: {
        ...context.particulars,
        adoptionReport: {
          summary: `第${latest.round}轮公开征求意见共收到意见${report.commentCount}条，采纳${report.adopted}条，部分采纳${report.partlyAdopted}条，未采纳${report.notAdopted}条，不适用${report.notApplicable}条。`,
          commentCount: report.commentCount,
          adoptedCount: report.adopted + report.partlyAdopted,
        },
      },
    };
  },
  countSubmission: ({ context }) => ({ submissions: context.submissions + 1 }),
  /** R18: an incomplete filing is refused at intake; the refusal is a return and is counted. */
  recordIntakeReturn: ({ context, event }) => ({
    returns: [
      ...context.returns,
      {
        kind: 'intake' as const,
        ...stamp(event),
        reasons: checkCompleteness(completenessInputOf(context)).map((d) => ({
          code: d.code,
          field: d.field,
          rule: d.rule,
        })),
        note: null,
      },
    ],
  }),
  /** R18: the clerk's return, with coded reasons and free text. */
  recordClerkReturn: ({ context, event }) => {
    assertEvent(event, 'RETURN');
    return {
      returns: [
        ...context.returns,
        {
          kind: 'clerk' as const,
          ...stamp(event),
          reasons: event.reasons.map((r) => ({ ...r, rule: REASONS[r.code].rule })),
          note: event.note ?? null,
        },
      ],
    };
  },
  recordReview: ({ context, event }) => {
    const review = reviewOf(event);
    if (review === null) return {};
    return { reviews: [...context.reviews, { ...stamp(event), ...review }] };
  },
  recordDecision: ({ context, event }) => {
    const decision = decisionOf(event);
    if (decision === null) return {};
    return { decisions: [...context.decisions, { ...stamp(event), ...decision }] };
  },
  recordSigning: ({ event }) => {
    assertEvent(event, 'SIGN');
    return { signing: { ...stamp(event), documentNumber: event.documentNumber } };
  },
  /** R6: the document and its interpretation go out together, in one act. */
  publishWithInterpretation: ({ context, event }) => {
    assertEvent(event, 'PUBLISH');
    const validity: Validity = {
      effectiveFrom: event.effectiveFrom ?? cstDay(event.at),
      expiresOn: event.expiresOn ?? null,
      amendments: [],
      repeal: null,
      changes: [],
    };
    return {
      publication: {
        ...stamp(event),
        textVersion: context.text.version,
        interpretation: context.interpretation,
        url: event.url ?? null,
      },
      // R17: published with its validity mark, the status of the day recorded.
      validity: recordValidityChange(validity, stamp(event)),
    };
  },
  recordFollowUp: ({ context, event }) => {
    assertEvent(event, 'ADD_FOLLOW_UP');
    const { type: _type, at: _at, actor: _actor, ...followUp } = event;
    return { followUps: [...context.followUps, { ...stamp(event), ...followUp }] };
  },
  markValidity: ({ context, event }) => {
    assertEvent(event, ['AMEND', 'REPEAL', 'SET_EXPIRY']);
    const current = context.validity as Validity;
    const next: Validity =
      event.type === 'AMEND'
        ? { ...current, amendments: [...current.amendments, { ...stamp(event), document: event.document, effectiveOn: event.effectiveOn }] }
        : event.type === 'REPEAL'
          ? { ...current, repeal: { ...stamp(event), effectiveOn: event.effectiveOn, document: event.document, note: event.note } }
          : { ...current, expiresOn: event.expiresOn };
    // A mark that takes effect today changes the status now; later ones on their day.
    return { validity: recordValidityChange(next, stamp(event)) };
  },
  recordValidityChange: ({ context, event }) => ({ validity: recordValidityChange(context.validity as Validity, stamp(event)) }),
  recordWithdrawal: ({ event }) => {
    assertEvent(event, 'WITHDRAW');
    return { withdrawal: { ...stamp(event), note: event.note } };
  },
} satisfies Record<string, Update>;

export function completenessInputOf(context: FilingContext) {
  return {
    particulars: context.particulars,
    interpretation: context.interpretation,
    interpretationApproved: context.interpretationApproval !== null,
    consultationHeld: context.consultations.some((round) => round.closedAt !== null),
    adoptionReportPublished: context.consultations.some((round) => round.report?.publishedAt != null),
  };
}

function reviewOf(event: FilingEvent): Pick<ReviewRecord, 'review' | 'outcome' | 'opinion'> | null {
  switch (event.type) {
    case 'PASS_LEGALITY_REVIEW':
      return { review: 'legality', outcome: 'passed', opinion: event.opinion };
    case 'FAIL_LEGALITY_REVIEW':
      return { review: 'legality', outcome: 'failed', opinion: event.opinion };
    case 'PASS_FAIR_COMPETITION_REVIEW':
      return { review: 'fairCompetition', outcome: 'passed', opinion: event.opinion };
    case 'FAIL_FAIR_COMPETITION_REVIEW':
      return { review: 'fairCompetition', outcome: 'failed', opinion: event.opinion };
    default:
      return null;
  }
}

function decisionOf(event: FilingEvent): Pick<DecisionRecord, 'outcome' | 'meeting' | 'note'> | null {
  switch (event.type) {
    case 'ADOPT':
      return { outcome: 'adopted', meeting: event.meeting, note: event.note ?? null };
    case 'SEND_BACK_FOR_AMENDMENT':
      return { outcome: 'sentBackForAmendment', meeting: event.meeting, note: event.note };
    case 'REJECT':
      return { outcome: 'rejected', meeting: event.meeting, note: event.note };
    case 'DEFER':
      return { outcome: 'deferred', meeting: event.meeting, note: event.note };
    default:
      return null;
  }
}

