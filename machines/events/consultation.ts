import type { AdoptionReportSummary, ConsultationPlan } from '../filing/types';
import { ask, chartTakes, concerned, defineEvent, everyDepartment } from './define';
import { form, input } from './form';
import { instant, LIMITS, note, text } from './schema';

/** Public consultation on the draft (R8–R11, R15): clearance, the period, the adoption report. */

export const CONSULTATION = {
  START_CONSULTATION: defineEvent('START_CONSULTATION', {
    label: '提请公开征求意见',
    description: 'Asks for the draft to be published for comment; the period is checked against the R9 minimums (a shorter one needs a published reason).',
    rules: ['R8', 'R9'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {
      startsAt: instant.optional().describe('When the period opens; default: now. Not in the past; nothing is public before clearance (R15).'),
      endsAt: instant.describe('When the period ends; at least the minimum of R9 after `startsAt`, unless `shortenedReason` is given.'),
      basis: text(LIMITS.material).describe('The basis of the decision (决策依据), published with the draft.'),
      background: text(LIMITS.material).describe('The background, published with the draft.'),
      explanation: text(LIMITS.material).describe("An explanation of the draft's main content, published with it."),
      shortenedReason: text(LIMITS.note).nullable().optional().describe('Why the period is shorter than the minimum of R9; published with the call for comments.'),
    },
    // The server turns the request into the round's plan (minimum end, draft version).
    chart: chartTakes<{ plan: ConsultationPlan }>(),
    notify: { awaitingClearance: [ask('clearance-due', 'confidentialityReviewer')] },
    form: form(
      input.instant('endsAt', '征求意见截止时间'),
      input.area('basis', '决策依据', { required: true }),
      input.area('background', '背景', { required: true }),
      input.area('explanation', '起草说明', { required: true }),
      input.text('shortenedReason', '缩短征求意见期的理由（期限短于规定时必填）'),
    ),
  }),

  CLEAR_FOR_PUBLICATION: defineEvent('CLEAR_FOR_PUBLICATION', {
    label: '保密审查通过',
    description: 'Confidentiality clearance: the draft may be made public (先审查、后公开).',
    rules: ['R15'],
    who: { roles: ['confidentialityReviewer'], scope: 'office' },
    shape: { note: note.nullable().optional().describe("The confidentiality reviewer's remark (R15).") },
    notify: { consultation: [concerned(everyDepartment)] },
    form: form(input.note(false)),
  }),

  REFUSE_CLEARANCE: defineEvent('REFUSE_CLEARANCE', {
    label: '保密审查未通过',
    description: 'Clearance refused: back to drafting.',
    rules: ['R15'],
    who: { roles: ['confidentialityReviewer'], scope: 'office' },
    shape: { note: note.describe('What may not be published, and why (R15).') },
    notify: { drafting: [concerned(everyDepartment)] },
    form: form(input.note(true)),
  }),

  EXTEND_CONSULTATION: defineEvent('EXTEND_CONSULTATION', {
    label: '延长征求意见期',
    description: 'Extends the running period; recorded with its reason.',
    rules: ['R9'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {
      endsAt: instant.describe('The new end of the period, later than the current one.'),
      reason: note.describe('Why the period is extended; recorded and shown with the draft (R9).'),
    },
    notify: { consultation: [concerned(everyDepartment)] },
    form: form(input.instant('endsAt', '延长至'), input.area('reason', '延长理由', { required: true })),
  }),

  CLOSE_CONSULTATION: defineEvent('CLOSE_CONSULTATION', {
    label: '征求意见期结束',
    description: 'Sent by the product itself at the end instant (system actor); people are refused by role.',
    rules: ['R9'],
    // R9: the period ends at its end instant, never early by hand.
    who: { roles: ['system'], scope: 'office' },
    shape: {},
    notify: { disposition: [concerned(everyDepartment)] },
  }),

  FINALIZE_ADOPTION_REPORT: defineEvent('FINALIZE_ADOPTION_REPORT', {
    label: '提交意见采纳情况',
    description: 'Generates the adoption report from the dispositions; refused while comments lack an answer.',
    rules: ['R11'],
    who: { roles: ['drafter'], scope: 'lead' },
    shape: {},
    chart: chartTakes<{ report: AdoptionReportSummary }>(),
    notify: { adoptionReportReview: [ask('report-publication-due', 'publisher')] },
  }),

  RETURN_ADOPTION_REPORT: defineEvent('RETURN_ADOPTION_REPORT', {
    label: '退回意见采纳情况',
    description: 'The publisher sends the report back to the drafting department.',
    rules: ['R11', 'R15'],
    // 政务公开办 releases the adoption report, like the document itself.
    who: { roles: ['publisher'], scope: 'office' },
    shape: { note: note.describe('What the drafters must correct in the report.') },
    notify: { disposition: [concerned()] },
    form: form(input.note(true)),
  }),

  PUBLISH_ADOPTION_REPORT: defineEvent('PUBLISH_ADOPTION_REPORT', {
    label: '发布意见采纳情况',
    description: 'Publishes the adoption report; commenters are then told the answers to their comments.',
    rules: ['R11'],
    who: { roles: ['publisher'], scope: 'office' },
    shape: {},
    notify: { drafting: [concerned(everyDepartment)] },
  }),
};
