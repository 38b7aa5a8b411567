import { and, assertEvent, assign, setup, stateIn } from 'xstate';
import { checkCompleteness } from './completeness';
import {
  emptyInterpretation,
  isProactivelyPublic,
  requiresFairCompetitionReview,
  withParticularDefaults,
  type InterpretationElement,
  type InterpretationForm,
  type InterpretationPackage,
  type Particulars,
} from './dossier';
import { REASONS, type ReturnReason, type RuleId } from './reasons';
import type { Actor } from './roles';
import { cstDay, hasLapsed, recordValidityChange, validityChangeDue, type Day, type OtherDocument, type Validity } from './validity';

/**
 * Bumped whenever a change to this chart could make a stored snapshot mean something else
 * (renamed or removed states, reshaped context). `migrations.ts` lifts older snapshots.
 */
export const FILING_MACHINE_VERSION = 6;

export interface Stamp {
  at: string;
  by: Actor;
}

export interface TextRef {
  version: number;
  title: string;
  sha256: string;
  length: number;
}

export interface ReturnRecord extends Stamp {
  /** `intake`: refused by the completeness check; `clerk`: returned by the general office. */
  kind: 'intake' | 'clerk';
  reasons: Array<ReturnReason & { rule: RuleId }>;
  note: string | null;
}

export interface ReviewRecord extends Stamp {
  review: 'legality' | 'fairCompetition';
  outcome: 'passed' | 'failed';
  opinion: string;
}

export interface DecisionRecord extends Stamp {
  outcome: 'adopted' | 'sentBackForAmendment' | 'rejected' | 'deferred';
  meeting: string | null;
  note: string | null;
}

export interface FilingContext {
  text: TextRef;
  particulars: Particulars;
  interpretation: InterpretationPackage;
  /** R2: the principal head's approval of the interpretation package; cleared when reopened. */
  interpretationApproval: (Stamp & { note: string | null }) | null;
  interpretationRejection: (Stamp & { note: string }) | null;
  /** R8/R9: rounds of public consultation on the draft, the latest last. */
  consultations: ConsultationRound[];
  submissions: number;
  returns: ReturnRecord[];
  reviews: ReviewRecord[];
  decisions: DecisionRecord[];
  signing: (Stamp & { documentNumber: string }) | null;
  /** R6: the interpretation published is the one frozen at publication, alongside the text. */
  publication: (Stamp & { textVersion: number; interpretation: InterpretationPackage; url: string | null }) | null;
  withdrawal: (Stamp & { note: string }) | null;
  /** R7: interpretations added after publication, in answer to public concern. */
  followUps: FollowUpInterpretation[];
  /** R17: set at publication; see validity.ts. */
  validity: Validity | null;
}

/** R7: one further interpretation of a published document (分段、多次、持续解读). */
export interface FollowUpInterpretation extends Stamp {
  form: InterpretationForm;
  title: string;
  body: string | null;
  url: string | null;
  /** The public concern it answers, if any. */
  concern: string | null;
}

/** What a drafting department asks to publish for comment (R8, R9). */
export interface ConsultationPlan {
  /** The text version put out for comment: every comment belongs to it. */
  draftVersion: number;
  /** 决策依据 */
  basis: string;
  background: string;
  explanation: string;
  startsAt: string;
  endsAt: string;
  /** R9: the statutory minimum end; an earlier end needs `shortenedReason`, shown publicly. */
  minimumEndsAt: string;
  shortenedReason: string | null;
}

/** R11: the figures of a finalised adoption report; the report itself is stored beside. */
export interface AdoptionReportSummary {
  reportId: string;
  commentCount: number;
  adopted: number;
  partlyAdopted: number;
  notAdopted: number;
  notApplicable: number;
  finalizedAt: string;
  publishedAt: string | null;
}

export interface ConsultationRound extends ConsultationPlan {
  round: number;
  requested: Stamp;
  /** R15: confidentiality clearance before anything is public. */
  clearance: Stamp | null;
  refusal: (Stamp & { note: string }) | null;
  extensions: Array<Stamp & { from: string; to: string; reason: string }>;
  closedAt: string | null;
  report: AdoptionReportSummary | null;
}

export interface FilingInput {
  title: string;
  textSha256: string;
  textLength: number;
  particulars: Particulars;
  interpretation?: InterpretationPackage;
}

interface EventStamp {
  at: string;
  actor: Actor;
}

export type InterpretationPatch = {
  plan?: string | null;
  materials?: Partial<Record<InterpretationElement, string | null>>;
  forms?: InterpretationPackage['forms'];
  /** Replaces the whole list: items are few and edited together. */
  items?: InterpretationPackage['items'];
};

/** Every event the chart understands; `at` and `actor` are stamped by the server. */
export type FilingEvent = EventStamp &
  (
    | { type: 'EDIT_TEXT'; title: string; textSha256: string; textLength: number }
    | { type: 'FINALIZE_TEXT' }
    | { type: 'REOPEN_TEXT' }
    | { type: 'EDIT_INTERPRETATION'; patch: InterpretationPatch }
    | { type: 'REQUEST_INTERPRETATION_APPROVAL' }
    | { type: 'APPROVE_INTERPRETATION'; note?: string | null }
    | { type: 'REJECT_INTERPRETATION'; note: string }
    | { type: 'REOPEN_INTERPRETATION' }
    | { type: 'EDIT_PARTICULARS'; patch: Partial<Particulars> }
    | { type: 'START_CONSULTATION'; plan: ConsultationPlan }
    | { type: 'CLEAR_FOR_PUBLICATION'; note?: string | null }
    | { type: 'REFUSE_CLEARANCE'; note: string }
    | { type: 'EXTEND_CONSULTATION'; endsAt: string; reason: string }
    | { type: 'CLOSE_CONSULTATION' }
    | { type: 'FINALIZE_ADOPTION_REPORT'; report: AdoptionReportSummary }
    | { type: 'RETURN_ADOPTION_REPORT'; note: string }
    | { type: 'PUBLISH_ADOPTION_REPORT' }
    | { type: 'SUBMIT' }
    | { type: 'ACCEPT' }
    | { type: 'RETURN'; reasons: ReturnReason[]; note?: string | null }
    | { type: 'REVISE' }
    | { type: 'PASS_LEGALITY_REVIEW'; opinion: string }
    | { type: 'FAIL_LEGALITY_REVIEW'; opinion: string }
    | { type: 'PASS_FAIR_COMPETITION_REVIEW'; opinion: string }
    | { type: 'FAIL_FAIR_COMPETITION_REVIEW'; opinion: string }
    | { type: 'ADOPT'; meeting: string; note?: string | null }
    | { type: 'SEND_BACK_FOR_AMENDMENT'; meeting: string; note: string }
    | { type: 'REJECT'; meeting: string; note: string }
    | { type: 'DEFER'; meeting: string; note: string }
    | { type: 'RESCHEDULE' }
    | { type: 'SIGN'; documentNumber: string }
    | { type: 'PUBLISH'; url?: string | null; effectiveFrom?: Day | null; expiresOn?: Day | null }
    | { type: 'WITHDRAW'; note: string }
    | { type: 'ADD_FOLLOW_UP'; form: InterpretationForm; title: string; body: string | null; url: string | null; concern: string | null }
    | { type: 'AMEND'; document: OtherDocument; effectiveOn: Day }
    | { type: 'REPEAL'; effectiveOn: Day; document: OtherDocument | null; note: string }
    | { type: 'SET_EXPIRY'; expiresOn: Day | null }
    | { type: 'VALIDITY_CHANGED'; note?: string | null }
  );

export type FilingEventType = FilingEvent['type'];

/** The stage a filing is in, for lists, inboxes and statistics; every state node names one. */
export const STAGES = [
  'drafting',
  'awaitingClearance',
  'consultation',
  'disposition',
  'adoptionReportReview',
  'returned',
  'amendmentRequested',
  'awaitingIntake',
  'review',
  'awaitingDecision',
  'deferred',
  'signing',
  'awaitingPublication',
  'published',
  'issued',
  'rejected',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  drafting: '起草中',
  awaitingClearance: '待保密审查',
  consultation: '公开征求意见中',
  disposition: '意见处理中',
  adoptionReportReview: '采纳情况待发布',
  returned: '已退文',
  amendmentRequested: '退回修改',
  awaitingIntake: '待办公室审核',
  review: '合法性审查和公平竞争审查中',
  awaitingDecision: '待集体讨论决定',
  deferred: '暂缓审议',
  signing: '待签发',
  awaitingPublication: '待公开发布',
  published: '已公开发布',
  issued: '已印发（不主动公开）',
  rejected: '未通过',
  withdrawn: '已撤回',
};

/** What each event means, in the words users read in the history and in e-mails. */
export const EVENT_LABELS: Record<FilingEventType, string> = {
  EDIT_TEXT: '修改文件正文',
  FINALIZE_TEXT: '正文定稿',
  REOPEN_TEXT: '重新修改正文',
  EDIT_INTERPRETATION: '修改解读方案和材料',
  REQUEST_INTERPRETATION_APPROVAL: '提请审定解读方案和材料',
  APPROVE_INTERPRETATION: '审定同意解读方案和材料',
  REJECT_INTERPRETATION: '退回解读方案和材料',
  REOPEN_INTERPRETATION: '重新修改解读方案和材料',
  EDIT_PARTICULARS: '修改报送事项',
  START_CONSULTATION: '提请公开征求意见',
  CLEAR_FOR_PUBLICATION: '保密审查通过',
  REFUSE_CLEARANCE: '保密审查未通过',
  EXTEND_CONSULTATION: '延长征求意见期',
  CLOSE_CONSULTATION: '征求意见期结束',
  FINALIZE_ADOPTION_REPORT: '提交意见采纳情况',
  RETURN_ADOPTION_REPORT: '退回意见采纳情况',
  PUBLISH_ADOPTION_REPORT: '发布意见采纳情况',
  SUBMIT: '签发报送政府办公室',
  ACCEPT: '审核通过并受理',
  RETURN: '退文',
  REVISE: '按意见修改',
  PASS_LEGALITY_REVIEW: '合法性审查通过',
  FAIL_LEGALITY_REVIEW: '合法性审查未通过',
  PASS_FAIR_COMPETITION_REVIEW: '公平竞争审查通过',
  FAIL_FAIR_COMPETITION_REVIEW: '公平竞争审查未通过',
  ADOPT: '集体讨论通过',
  SEND_BACK_FOR_AMENDMENT: '集体讨论退回修改',
  REJECT: '集体讨论未通过',
  DEFER: '暂缓审议',
  RESCHEDULE: '重新提交审议',
  SIGN: '签发',
  PUBLISH: '公开发布（含解读）',
  WITHDRAW: '撤回',
  ADD_FOLLOW_UP: '发布后续解读',
  AMEND: '标注已修改',
  REPEAL: '标注废止',
  SET_EXPIRY: '设定有效期',
  VALIDITY_CHANGED: '效力状态变更',
};

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

/**
 * Back to drafting after a consultation or a return. An approved interpretation stays approved:
 * a return about, say, the disclosure attribute must not make the head approve an unchanged
 * package again.
 */
function backToDrafting(action?: 'recordClearanceRefusal' | 'publishAdoptionReport') {
  const actions = action ? [action] : [];
  return [
    { guard: { type: 'interpretationApproved' as const }, target: '#filing.open.drafting.interpretation.approved', actions },
    { target: '#filing.open.drafting', actions },
  ];
}

function updateLatestRound(
  context: FilingContext,
  change: (round: ConsultationRound) => Partial<ConsultationRound>,
): ConsultationRound[] {
  return context.consultations.map((round, index) =>
    index === context.consultations.length - 1 ? { ...round, ...change(round) } : round,
  );
}

export const filingMachine = setup({
  types: {
    context: {} as FilingContext,
    events: {} as FilingEvent,
    input: {} as FilingInput & EventStamp,
  },
  guards: {
    /** The text must be finalised (定稿) before the head signs the filing off. */
    textFinalized: stateIn('#filing.open.drafting.text.finalized'),
    /** R1/R2/R4/R8/R10/R11/R12/R14: the completeness check, run at intake. */
    filingComplete: ({ context }) => checkCompleteness(completenessInputOf(context)).length === 0,
    /** R2: the principal head has approved the interpretation package. */
    interpretationApproved: ({ context }) => context.interpretationApproval !== null,
    /** R1: only a proactively public document goes on to publication; the others are issued. */
    proactivelyPublic: ({ context }) => isProactivelyPublic(context.particulars),
    /** R12: the filing touches market entities and needs a fair competition review. */
    fairCompetitionReviewRequired: ({ context }) => requiresFairCompetitionReview(context.particulars),
    /** R17: a repealed or expired document is marked no further and interpreted no further. */
    stillValid: ({ context, event }) => context.validity !== null && !hasLapsed(context.validity, cstDay(event.at)),
    /** R17: the status on this day differs from the last one recorded. */
    validityChangeDue: ({ context, event }) => validityChangeDue(context.validity, cstDay(event.at)),
  },
  actions: {
    recordTextVersion: assign(({ context, event }) => {
      assertEvent(event, 'EDIT_TEXT');
      return {
        text: {
          version: context.text.version + 1,
          title: event.title,
          sha256: event.textSha256,
          length: event.textLength,
        },
      };
    }),
    amendInterpretation: assign(({ context, event }) => {
      assertEvent(event, 'EDIT_INTERPRETATION');
      return { interpretation: applyInterpretationPatch(context.interpretation, event.patch) };
    }),
    amendParticulars: assign(({ context, event }) => {
      assertEvent(event, 'EDIT_PARTICULARS');
      return { particulars: withParticularDefaults({ ...context.particulars, ...event.patch }) };
    }),
    recordInterpretationApproval: assign(({ event }) => {
      assertEvent(event, 'APPROVE_INTERPRETATION');
      return { interpretationApproval: { ...stamp(event), note: event.note ?? null }, interpretationRejection: null };
    }),
    recordInterpretationRejection: assign(({ event }) => {
      assertEvent(event, 'REJECT_INTERPRETATION');
      return { interpretationRejection: { ...stamp(event), note: event.note } };
    }),
    /** Reopening withdraws the approval: an edited package needs the head's eyes again (R2). */
    clearInterpretationApproval: assign({ interpretationApproval: null }),
    requestConsultation: assign(({ context, event }) => {
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
    }),
    recordClearance: assign(({ context, event }) => ({
      consultations: updateLatestRound(context, () => ({ clearance: stamp(event) })),
    })),
    recordClearanceRefusal: assign(({ context, event }) => {
      assertEvent(event, 'REFUSE_CLEARANCE');
      return { consultations: updateLatestRound(context, () => ({ refusal: { ...stamp(event), note: event.note } })) };
    }),
    /** R9: extensions are allowed and recorded with their reasons. */
    extendConsultation: assign(({ context, event }) => {
      assertEvent(event, 'EXTEND_CONSULTATION');
      return {
        consultations: updateLatestRound(context, (round) => ({
          endsAt: event.endsAt,
          extensions: [...round.extensions, { ...stamp(event), from: round.endsAt, to: event.endsAt, reason: event.reason }],
        })),
      };
    }),
    closeConsultation: assign(({ context, event }) => ({
      consultations: updateLatestRound(context, () => ({ closedAt: event.at })),
    })),
    recordAdoptionReport: assign(({ context, event }) => {
      assertEvent(event, 'FINALIZE_ADOPTION_REPORT');
      return { consultations: updateLatestRound(context, () => ({ report: event.report })) };
    }),
    discardAdoptionReport: assign(({ context }) => ({
      consultations: updateLatestRound(context, () => ({ report: null })),
    })),
    /** R11: the published report is what the completeness check asks for. */
    publishAdoptionReport: assign(({ context, event }) => {
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
    }),
    countSubmission: assign(({ context }) => ({ submissions: context.submissions + 1 })),
    /** R18: an incomplete filing is refused at intake; the refusal is a return and is counted. */
    recordIntakeReturn: assign(({ context, event }) => ({
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
    })),
    /** R18: the clerk's return, with coded reasons and free text. */
    recordClerkReturn: assign(({ context, event }) => {
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
    }),
    recordReview: assign(({ context, event }) => {
      const review = reviewOf(event);
      if (review === null) return {};
      return { reviews: [...context.reviews, { ...stamp(event), ...review }] };
    }),
    recordDecision: assign(({ context, event }) => {
      const decision = decisionOf(event);
      if (decision === null) return {};
      return { decisions: [...context.decisions, { ...stamp(event), ...decision }] };
    }),
    recordSigning: assign(({ event }) => {
      assertEvent(event, 'SIGN');
      return { signing: { ...stamp(event), documentNumber: event.documentNumber } };
    }),
    /** R6: the document and its interpretation go out together, in one act. */
    publishWithInterpretation: assign(({ context, event }) => {
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
    }),
    recordFollowUp: assign(({ context, event }) => {
      assertEvent(event, 'ADD_FOLLOW_UP');
      const { type: _type, at: _at, actor: _actor, ...followUp } = event;
      return { followUps: [...context.followUps, { ...stamp(event), ...followUp }] };
    }),
    markValidity: assign(({ context, event }) => {
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
    }),
    recordValidityChange: assign(({ context, event }) => ({ validity: recordValidityChange(context.validity as Validity, stamp(event)) })),
    recordWithdrawal: assign(({ event }) => {
      assertEvent(event, 'WITHDRAW');
      return { withdrawal: { ...stamp(event), note: event.note } };
    }),
  },
}).createMachine({
  id: 'filing',
  context: ({ input }) => ({
    text: { version: 1, title: input.title, sha256: input.textSha256, length: input.textLength },
    particulars: withParticularDefaults(input.particulars),
    interpretation: input.interpretation ?? emptyInterpretation(),
    interpretationApproval: null,
    interpretationRejection: null,
    consultations: [],
    submissions: 0,
    returns: [],
    reviews: [],
    decisions: [],
    signing: null,
    publication: null,
    withdrawal: null,
    followUps: [],
    validity: null,
  }),
  initial: 'open',
  states: {
    /** Everything before signing: the drafting department may still withdraw. */
    open: {
      initial: 'drafting',
      on: {
        WITHDRAW: { target: '#filing.withdrawn', actions: 'recordWithdrawal' },
      },
      states: {
        /** R2 三同步: the text and its interpretation are drafted side by side. */
        drafting: {
          type: 'parallel',
          meta: { stage: 'drafting' },
          on: {
            EDIT_PARTICULARS: { actions: 'amendParticulars' },
            START_CONSULTATION: { target: 'consultation', actions: 'requestConsultation' },
            /** Sign-off by the head files it; the completeness check decides at once (R18). */
            SUBMIT: [
              {
                guard: and(['textFinalized', 'filingComplete']),
                target: 'awaitingIntake',
                actions: 'countSubmission',
              },
              {
                guard: 'textFinalized',
                target: 'sentBack.returned',
                actions: ['countSubmission', 'recordIntakeReturn'],
              },
            ],
          },
          states: {
            text: {
              initial: 'drafting',
              states: {
                drafting: {
                  on: {
                    EDIT_TEXT: { actions: 'recordTextVersion' },
                    FINALIZE_TEXT: { target: 'finalized' },
                  },
                },
                finalized: {
                  on: { REOPEN_TEXT: { target: 'drafting' } },
                },
              },
            },
            interpretation: {
              initial: 'drafting',
              states: {
                drafting: {
                  on: {
                    EDIT_INTERPRETATION: { actions: 'amendInterpretation' },
                    REQUEST_INTERPRETATION_APPROVAL: { target: 'awaitingApproval' },
                  },
                },
                /** R2/R3: the lead department's principal head is the first interpreter. */
                awaitingApproval: {
                  on: {
                    APPROVE_INTERPRETATION: { target: 'approved', actions: 'recordInterpretationApproval' },
                    REJECT_INTERPRETATION: { target: 'drafting', actions: 'recordInterpretationRejection' },
                  },
                },
                approved: {
                  on: {
                    REOPEN_INTERPRETATION: { target: 'drafting', actions: 'clearInterpretationApproval' },
                  },
                },
              },
            },
          },
        },
        /** R8–R11: public consultation on the draft, from clearance to the published report. */
        consultation: {
          initial: 'awaitingClearance',
          states: {
            /** R15: 先审查、后公开. */
            awaitingClearance: {
              meta: { stage: 'awaitingClearance' },
              on: {
                CLEAR_FOR_PUBLICATION: { target: 'open', actions: 'recordClearance' },
                REFUSE_CLEARANCE: backToDrafting('recordClearanceRefusal'),
              },
            },
            open: {
              meta: { stage: 'consultation' },
              on: {
                EXTEND_CONSULTATION: { actions: 'extendConsultation' },
                // Sent by the scheduler at the end instant, never by a person (R9).
                CLOSE_CONSULTATION: { target: 'disposition', actions: 'closeConsultation' },
              },
            },
            /** R11: every comment gets a disposition; the report is generated from them. */
            disposition: {
              meta: { stage: 'disposition' },
              on: {
                // The text is revised in the light of the comments while they are answered; the
                // report shows the changes from the consulted draft.
                EDIT_TEXT: { actions: 'recordTextVersion' },
                FINALIZE_ADOPTION_REPORT: { target: 'reportReview', actions: 'recordAdoptionReport' },
              },
            },
            reportReview: {
              meta: { stage: 'adoptionReportReview' },
              on: {
                RETURN_ADOPTION_REPORT: { target: 'disposition', actions: 'discardAdoptionReport' },
                PUBLISH_ADOPTION_REPORT: backToDrafting('publishAdoptionReport'),
              },
            },
          },
        },
        /** Back with the drafting department: returned at intake, or sent back after review. */
        sentBack: {
          initial: 'returned',
          on: {
            // An approved interpretation stays approved: a return about, say, the disclosure
            // attribute must not make the head approve an unchanged package again.
            REVISE: backToDrafting(),
          },
          states: {
            /** 退文 (R18). */
            returned: { meta: { stage: 'returned' } },
            /** Legality or fair competition review failed, or the meeting asked for changes. */
            amendmentRequested: { meta: { stage: 'amendmentRequested' } },
          },
        },
        /** The general office's inbox. */
        awaitingIntake: {
          meta: { stage: 'awaitingIntake' },
          on: {
            ACCEPT: [
              { guard: { type: 'fairCompetitionReviewRequired' }, target: 'review' },
              {
                target: ['review.legality.pending', 'review.fairCompetition.notRequired'],
              },
            ],
            RETURN: { target: 'sentBack.returned', actions: 'recordClerkReturn' },
          },
        },
        /** R13: legality review comes before the collective decision; R12 runs beside it. */
        review: {
          type: 'parallel',
          meta: { stage: 'review' },
          onDone: { target: 'decision' },
          states: {
            legality: {
              initial: 'pending',
              states: {
                pending: {
                  on: {
                    PASS_LEGALITY_REVIEW: { target: 'passed', actions: 'recordReview' },
                    FAIL_LEGALITY_REVIEW: {
                      target: '#filing.open.sentBack.amendmentRequested',
                      actions: 'recordReview',
                    },
                  },
                },
                passed: { type: 'final' },
              },
            },
            fairCompetition: {
              initial: 'pending',
              states: {
                pending: {
                  on: {
                    PASS_FAIR_COMPETITION_REVIEW: { target: 'passed', actions: 'recordReview' },
                    FAIL_FAIR_COMPETITION_REVIEW: {
                      target: '#filing.open.sentBack.amendmentRequested',
                      actions: 'recordReview',
                    },
                  },
                },
                passed: { type: 'final' },
                notRequired: { type: 'final' },
              },
            },
          },
        },
        /** 集体讨论决定 (R13). */
        decision: {
          initial: 'awaiting',
          states: {
            awaiting: {
              meta: { stage: 'awaitingDecision' },
              on: {
                ADOPT: { target: '#filing.open.signing', actions: 'recordDecision' },
                SEND_BACK_FOR_AMENDMENT: {
                  target: '#filing.open.sentBack.amendmentRequested',
                  actions: 'recordDecision',
                },
                REJECT: { target: '#filing.rejected', actions: 'recordDecision' },
                DEFER: { target: 'deferred', actions: 'recordDecision' },
              },
            },
            deferred: {
              meta: { stage: 'deferred' },
              on: { RESCHEDULE: { target: 'awaiting' } },
            },
          },
        },
        signing: {
          meta: { stage: 'signing' },
          on: {
            // R1: the disclosure attribute decides how a signed document ends.
            SIGN: [
              { guard: 'proactivelyPublic', target: '#filing.awaitingPublication', actions: 'recordSigning' },
              { target: '#filing.issued', actions: 'recordSigning' },
            ],
          },
        },
      },
    },
    awaitingPublication: {
      meta: { stage: 'awaitingPublication' },
      on: { PUBLISH: { target: 'published', actions: 'publishWithInterpretation' } },
    },
    /** Published, and still looked after: follow-up interpretation (R7) and validity (R17). */
    published: {
      meta: { stage: 'published' },
      on: {
        ADD_FOLLOW_UP: { guard: 'stillValid', actions: 'recordFollowUp' },
        AMEND: { guard: 'stillValid', actions: 'markValidity' },
        REPEAL: { guard: 'stillValid', actions: 'markValidity' },
        SET_EXPIRY: { guard: 'stillValid', actions: 'markValidity' },
        VALIDITY_CHANGED: { guard: 'validityChangeDue', actions: 'recordValidityChange' },
      },
    },
    /**
     * R1: public on application (依申请公开) or not public (不予公开): issued (印发) and recorded —
     * who signed, the document number and the day, in `signing` — and never published, so neither
     * the document nor its interpretation reaches the public site. Nothing follows in the product.
     */
    issued: { type: 'final', meta: { stage: 'issued' } },
    rejected: { type: 'final', meta: { stage: 'rejected' } },
    withdrawn: { type: 'final', meta: { stage: 'withdrawn' } },
  },
});

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

export type FilingMachine = typeof filingMachine;
