import { z } from 'zod';
import {
  ATTENDEE_KINDS,
  DISCLOSURE_ATTRIBUTES,
  DOCUMENT_KINDS,
  FAIR_COMPETITION_CONCLUSIONS,
  INTERPRETATION_ELEMENTS,
  INTERPRETATION_FORMS,
  ISSUERS,
  LIVELIHOOD_AREAS,
} from '../../machines/dossier';
import { STAGES } from '../../machines/filing.machine';
import { REASON_CODES } from '../../machines/reasons';
import { DISPOSITION_OUTCOMES } from '../store/models';
import type { FilingCommand, NewFiling } from '../workflow/filings';

// Validation messages reach users, so they are in Chinese.
z.config(z.locales.zhCN());

const LIMITS = {
  title: 200,
  body: 300_000,
  material: 50_000,
  note: 5_000,
  department: 100,
  coDepartments: 20,
} as const;

/** Required free text: trimmed, not empty, bounded. */
const text = (max: number) => z.string().trim().min(1).max(max);
const note = text(LIMITS.note);
const version = z
  .number()
  .int()
  .min(1)
  .describe('The filing\'s `version` as last read; an event against an older one is refused (409 `VERSION_CONFLICT`) and changes nothing.');
const webUrl = z.url({ protocol: /^https?$/ }).max(2000);
/** A calendar day, `YYYY-MM-DD`, that exists. */
const day = z.iso.date();
const otherDocument = z.strictObject({
  title: text(LIMITS.title).describe('Its title.'),
  documentNumber: z.string().trim().min(1).max(100).nullable().default(null).describe('Its document number (发文字号), if it has one.'),
  url: webUrl.nullable().default(null).describe('Where it is published, if online.'),
});

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((items) => new Set(items).size === items.length, { message: '列表中有重复项' });

const interpretationPatch = z.strictObject({
  plan: z.string().max(LIMITS.material).nullable().optional().describe('The interpretation plan (解读方案): who interprets, in which forms, when (R2).'),
  materials: z
    .partialRecord(z.enum(INTERPRETATION_ELEMENTS), z.string().max(LIMITS.material).nullable())
    .optional()
    .describe(
      'The interpretation materials (解读材料) by element (R4): `background`, `objectives`, `mainContent`, `scope` and `executionStandards` are required at intake; `pointsOfAttention`, `keyTerms`, `benefitMeasures` and `policyDifferences` where relevant. Only the elements given change; null clears one.',
    ),
  forms: uniqueList(z.enum(INTERPRETATION_FORMS), INTERPRETATION_FORMS.length).optional().describe('The forms the interpretation takes (R5), without duplicates.'),
  items: z
    .array(
      z.strictObject({
        form: z.enum(INTERPRETATION_FORMS).describe('Its form (R5).'),
        title: text(200).describe('Its title.'),
        body: z.string().trim().max(LIMITS.material).nullable().default(null).describe('Its text, e.g. the questions and answers.'),
        url: z.url({ protocol: /^https?$/ }).max(2000).nullable().default(null).describe('Where it is published (audio, video, an interview), if online.'),
      }),
    )
    .max(50)
    .optional()
    .describe('The pieces of the interpretation — article, Q&A, graphic, video… (R5); replaces the list.'),
});

const particularsPatch = z.strictObject({
  issuer: z.enum(ISSUERS).optional().describe('In whose name the document is issued: the government, its general office or a department (R2).'),
  documentKind: z.enum(DOCUMENT_KINDS).optional().describe('A rule (规章), a normative document (规范性文件) or other: decides whether consultation is required (R8) and its minimum period (R9).'),
  majorDecision: z.boolean().optional().describe('A major administrative decision (重大行政决策): consulted on before filing (R8, R9, R13).'),
  affectsEnterprises: z.boolean().optional().describe('Closely affects enterprises: a normative document then needs a 30-day comment period (R9).'),
  livelihoodAreas: uniqueList(z.enum(LIVELIHOOD_AREAS), LIVELIHOOD_AREAS.length)
    .optional()
    .describe('The major livelihood areas touched, without duplicates: any one requires an opinion survey (R10) and, with a meeting plan, an attendance proposal (R14).'),
  touchesMarket: z.boolean().optional().describe('Touches market entities\' economic activity: a fair competition conclusion is required and reviewed (R12).'),
  meetingPlan: z.boolean().optional().describe('The filing carries a plan for the meeting that decides (R14).'),
  opinionsSolicitedOffline: z
    .boolean()
    .optional()
    .describe('Opinions were solicited outside the product (hearing, forum, letters): this counts as consultation (R8) and requires `adoptionReport` (R11).'),
  disclosure: z
    .strictObject({
      attribute: z
        .enum(DISCLOSURE_ATTRIBUTES)
        .nullable()
        .describe('`proactive` (主动公开), `onApplication` (依申请公开) or `notPublic` (不予公开); null, not decided, is returned at intake (R1).'),
      reason: z.string().trim().max(LIMITS.note).nullable().describe('Why the document is not proactively public: required for `onApplication` and `notPublic` (R1).'),
    })
    .optional()
    .describe('The disclosure attribute (公开属性, R1).'),
  // R12: an exception states its ground, its necessity and its time limit (the last day it applies).
  fairCompetition: z
    .strictObject({
      conclusion: z.enum(FAIR_COMPETITION_CONCLUSIONS).describe("The drafting unit's conclusion."),
      summary: text(LIMITS.material).describe('Its reasoning.'),
      exceptionGround: text(LIMITS.material).nullable().default(null).describe('With compliantWithException: the ground of the exception (适用例外的情形).'),
      exceptionNecessity: text(LIMITS.material).nullable().default(null).describe('With compliantWithException: why it is necessary (必要性说明).'),
      exceptionEndsOn: day.nullable().default(null).describe('With compliantWithException: the last day the exception applies (实施期限).'),
    })
    .refine(
      (c) => c.conclusion === 'compliantWithException' || (c.exceptionGround === null && c.exceptionNecessity === null && c.exceptionEndsOn === null),
      { message: '仅在适用例外规定时填写例外情形、必要性说明和实施期限', path: ['conclusion'] },
    )
    .nullable()
    .optional()
    .describe('The drafting unit\'s own fair competition review conclusion (R12); null: none yet.'),
  opinionSurvey: z
    .strictObject({
      method: text(LIMITS.note).describe('How the survey was held.'),
      summary: text(LIMITS.material).describe('What it found.'),
      conductedOn: z.iso.date().describe('The day it was held.'),
    })
    .nullable()
    .optional()
    .describe('The opinion survey (民意调查) held on a livelihood matter (R10); null: none yet.'),
  attendanceProposal: z
    .strictObject({
      invitees: uniqueList(z.enum(ATTENDEE_KINDS), ATTENDEE_KINDS.length).describe('Who is proposed to attend (列席), without duplicates.'),
      meetingPublic: z.boolean().describe('Whether the meeting is made public (open, broadcast live).'),
      arrangement: text(LIMITS.note).describe('How attendance and openness are arranged.'),
    })
    .nullable()
    .optional()
    .describe('Who attends the deciding meeting and whether it is public (R14); null: none yet.'),
  adoptionReport: z
    .strictObject({
      summary: text(LIMITS.material).describe('The opinions received and how they were handled.'),
      commentCount: z.number().int().min(0).describe('How many opinions were received.'),
      adoptedCount: z.number().int().min(0).describe('How many were adopted; at most `commentCount`.'),
    })
    .refine((r) => r.adoptedCount <= r.commentCount, { message: '采纳数不能大于意见总数', path: ['adoptedCount'] })
    .nullable()
    .optional()
    .describe('The adoption report (R11) for opinions solicited outside the product; a consultation held in the product produces its own. null: none yet.'),
});

const department = text(LIMITS.department);

export const newFilingSchema = z.strictObject({
  title: text(LIMITS.title).describe('The document\'s title.'),
  body: text(LIMITS.body).describe('The draft\'s full text (正文), one paragraph or article per line; it becomes text version 1.'),
  coDepartments: uniqueList(department, LIMITS.coDepartments)
    .default([])
    .describe('Co-departments of a joint filing (配合部门), by name, without duplicates; the lead department is the drafter\'s own (R3).'),
  particulars: particularsPatch.default({}).describe('What the completeness check looks at (R1, R8–R14); the fields as in `EDIT_PARTICULARS`.'),
  interpretation: interpretationPatch.default({}).describe('The interpretation package (R2, R4, R5); the fields as in `EDIT_INTERPRETATION`.'),
}) satisfies z.ZodType<NewFiling, unknown>;

const reviewOpinion = note.describe('The review opinion (审查意见); a failed review sends the filing back for amendment.');
const meeting = text(200).describe('The meeting that decided, e.g. 第12次常务会议 (R13).');

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), version, ...shape });

const nonEmpty = <T extends z.ZodObject>(schema: T) =>
  schema.refine((patch) => Object.keys(patch).length > 0, { message: '至少需要修改一项内容' });

export const commandSchema = z.discriminatedUnion('type', [
  command('EDIT_TEXT', {
    title: text(LIMITS.title).optional().describe('A new title, if it changes.'),
    body: text(LIMITS.body).describe('The new full text; stored as a new text version.'),
  }),
  command('FINALIZE_TEXT', {}),
  command('REOPEN_TEXT', {}),
  command('EDIT_INTERPRETATION', { patch: nonEmpty(interpretationPatch).describe('Only the parts that change, at least one.') }),
  command('REQUEST_INTERPRETATION_APPROVAL', {}),
  command('APPROVE_INTERPRETATION', { note: note.nullable().optional().describe('The head\'s remark on approving (审定意见).') }),
  command('REJECT_INTERPRETATION', { note: note.describe('What the drafters must change.') }),
  command('REOPEN_INTERPRETATION', {}),
  command('EDIT_PARTICULARS', { patch: nonEmpty(particularsPatch).describe('Only the particulars that change, at least one.') }),
  // R8/R9: what is published for comment, and when.
  command('START_CONSULTATION', {
    startsAt: z.iso.datetime({ offset: true }).optional().describe('When the period opens; default: now. Not in the past; nothing is public before clearance (R15).'),
    endsAt: z.iso.datetime({ offset: true }).describe('When the period ends; at least the minimum of R9 after `startsAt`, unless `shortenedReason` is given.'),
    basis: text(LIMITS.material).describe('The basis of the decision (决策依据), published with the draft.'),
    background: text(LIMITS.material).describe('The background, published with the draft.'),
    explanation: text(LIMITS.material).describe('An explanation of the draft\'s main content, published with it.'),
    shortenedReason: text(LIMITS.note).nullable().optional().describe('Why the period is shorter than the minimum of R9; published with the call for comments.'),
  }),
  command('CLEAR_FOR_PUBLICATION', { note: note.nullable().optional().describe('The confidentiality reviewer\'s remark (R15).') }),
  command('REFUSE_CLEARANCE', { note: note.describe('What may not be published, and why (R15).') }),
  command('EXTEND_CONSULTATION', {
    endsAt: z.iso.datetime({ offset: true }).describe('The new end of the period, later than the current one.'),
    reason: note.describe('Why the period is extended; recorded and shown with the draft (R9).'),
  }),
  command('CLOSE_CONSULTATION', {}),
  command('FINALIZE_ADOPTION_REPORT', {}),
  command('RETURN_ADOPTION_REPORT', { note: note.describe('What the drafters must correct in the report.') }),
  command('PUBLISH_ADOPTION_REPORT', {}),
  command('SUBMIT', {}),
  command('ACCEPT', {}),
  // R18: a return gives coded reasons; free text is for what the codes do not say.
  command('RETURN', {
    reasons: z
      .array(
        z.strictObject({
          code: z.enum(REASON_CODES).describe('A return code; each names the rule it serves (see docs/statechart.md).'),
          field: z.string().max(200).optional().describe('The part of the dossier concerned, e.g. `interpretation.materials.scope`.'),
        }),
      )
      .min(1)
      .max(REASON_CODES.length * 4)
      .describe('Why the filing is returned (退文), as coded reasons (R18).'),
    note: note.nullable().optional().describe('What the codes do not say; required with `R18_OTHER`.'),
  }).refine((r) => !r.reasons.some((reason) => reason.code === 'R18_OTHER') || Boolean(r.note), {
    message: '选择“其他原因”时须填写退文说明',
    path: ['note'],
  }),
  command('REVISE', {}),
  command('PASS_LEGALITY_REVIEW', { opinion: reviewOpinion }),
  command('FAIL_LEGALITY_REVIEW', { opinion: reviewOpinion }),
  command('PASS_FAIR_COMPETITION_REVIEW', { opinion: reviewOpinion }),
  command('FAIL_FAIR_COMPETITION_REVIEW', { opinion: reviewOpinion }),
  command('ADOPT', { meeting, note: note.nullable().optional().describe('The meeting\'s remarks.') }),
  command('SEND_BACK_FOR_AMENDMENT', { meeting, note: note.describe('What must be amended.') }),
  command('REJECT', { meeting, note: note.describe('Why the draft is rejected.') }),
  command('DEFER', { meeting, note: note.describe('Why the decision is deferred.') }),
  command('RESCHEDULE', {}),
  command('SIGN', { documentNumber: text(100).describe('The document number (发文字号) it is issued under, e.g. 某政发〔2026〕12号.') }),
  command('PUBLISH', {
    url: webUrl.nullable().optional().describe('Where the document is also published, e.g. on the government website.'),
    effectiveFrom: day.nullable().optional().describe('The day it takes effect (施行日期); default: the day of publication (R17).'),
    expiresOn: day.nullable().optional().describe('The last day it is in force, for a document with a term (R17).'),
  }),
  command('WITHDRAW', { note: note.describe('Why the filing is withdrawn.') }),
  // R7: a further interpretation, by form (R5), with its text or where it was published.
  command('ADD_FOLLOW_UP', {
    form: z.enum(INTERPRETATION_FORMS).describe('Its form (R5).'),
    title: text(LIMITS.title).describe('Its title.'),
    body: z.string().trim().min(1).max(LIMITS.material).nullable().default(null).describe('Its text; `body` or `url` is required.'),
    url: webUrl.nullable().default(null).describe('Where it is published; `body` or `url` is required.'),
    concern: z.string().trim().min(1).max(LIMITS.note).nullable().default(null).describe('The public concern it answers.'),
  }).refine((f) => f.body !== null || f.url !== null, { message: '须填写解读内容或链接', path: ['body'] }),
  // R17: validity marks, each with the day it takes effect.
  command('AMEND', {
    document: otherDocument.describe('The amending document.'),
    effectiveOn: day.describe('The day the amendment takes effect.'),
  }),
  command('REPEAL', {
    effectiveOn: day.describe('The day the repeal takes effect.'),
    document: otherDocument.nullable().default(null).describe('The repealing document, if there is one.'),
    note: note.describe('Why the document is repealed.'),
  }),
  command('SET_EXPIRY', { expiresOn: day.nullable().describe('The last day the document is in force; null: no term.') }),
  // The scheduler's, on the day a dated mark takes effect; people are refused by role.
  command('VALIDITY_CHANGED', {}),
]) satisfies z.ZodType<FilingCommand, unknown>;

export const listQuerySchema = z.strictObject({
  stage: z.enum(STAGES).optional(),
  department: z.string().trim().min(1).max(LIMITS.department).optional(),
  deadline: z.enum(['overdue', 'soon', 'any']).optional(),
  tasks: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const textVersionParamSchema = z.coerce.number().int().min(1).max(1_000_000);

/** R20: a calendar year in China Standard Time. */
const statisticsYear = z.coerce.number().int().min(2000).max(2100);

export const statisticsQuerySchema = z.strictObject({
  year: statisticsYear,
});

/** R20: the yearly figures, for every lead department or for one. */
export const yearlyStatisticsQuerySchema = z.strictObject({
  year: statisticsYear,
  department: department.optional(),
});

export const mailQuerySchema = z.strictObject({
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const roundParamSchema = z.coerce.number().int().min(1).max(1000);

export const commentQuerySchema = z.strictObject({
  round: z.coerce.number().int().min(1).max(1000),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  article: z.coerce.number().int().min(1).max(10_000).optional(),
  undisposed: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  clusterId: z.string().regex(/^[0-9a-f]{24}$/).optional(),
});

/**
 * R16: a reviewer's redaction of a comment's public text — `start`/`end` in code points of the
 * public text, or the exact `text` — and why.
 */
export const redactionSchema = z
  .strictObject({
    start: z.number().int().min(0).max(10_000).optional(),
    end: z.number().int().min(1).max(10_000).optional(),
    text: z.string().min(1).max(2_000).refine((t) => t.trim() !== '', { message: '要隐去的文字不能只有空白' }).optional(),
    reason: z.string().trim().min(1, '须说明隐去的理由').max(500),
  })
  .refine((d) => (d.text === undefined) !== (d.start === undefined && d.end === undefined), {
    message: '须指定要隐去的文字，或其在公开文本中的起止位置，二者择一',
    path: ['text'],
  })
  .refine((d) => d.text !== undefined || (d.start !== undefined && d.end !== undefined), {
    message: '起止位置须同时给出',
    path: ['end'],
  })
  .refine((d) => d.start === undefined || d.end === undefined || d.start < d.end, {
    message: '结束位置须在开始位置之后',
    path: ['end'],
  });

/** R11: one answer for some comments or a whole campaign; "not adopted" must say why. */
export const disposalSchema = z
  .strictObject({
    commentIds: z.array(z.string().regex(/^[0-9a-f]{24}$/)).min(1).max(1000).optional().describe('The comments answered; either these or `clusterId`.'),
    clusterId: z.string().regex(/^[0-9a-f]{24}$/).optional().describe('A whole campaign of identical comments (see `…/clusters`); either this or `commentIds`.'),
    outcome: z.enum(DISPOSITION_OUTCOMES).describe('Adopted (采纳), partly adopted (部分采纳), not adopted (未采纳) or not applicable (不适用).'),
    reason: z.string().trim().min(1).max(LIMITS.material).nullable().default(null).describe('The answer, published in the adoption report; required for `notAdopted` (R11).'),
  })
  .refine((d) => (d.commentIds === undefined) !== (d.clusterId === undefined), {
    message: '须指定意见编号或意见组，二者择一',
    path: ['commentIds'],
  })
  .refine((d) => d.outcome !== 'notAdopted' || d.reason !== null, {
    message: '未采纳的意见须说明理由',
    path: ['reason'],
  });
