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

// Validation messages reach users, so they are in Chinese (DEVELOPERS.md).
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
const version = z.number().int().min(1);
const webUrl = z.url({ protocol: /^https?$/ }).max(2000);
/** A calendar day, `YYYY-MM-DD`, that exists. */
const day = z.iso.date();
const otherDocument = z.strictObject({
  title: text(LIMITS.title),
  documentNumber: z.string().trim().min(1).max(100).nullable().default(null),
  url: webUrl.nullable().default(null),
});

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((items) => new Set(items).size === items.length, { message: '列表中有重复项' });

const interpretationPatch = z.strictObject({
  plan: z.string().max(LIMITS.material).nullable().optional(),
  materials: z
    .partialRecord(z.enum(INTERPRETATION_ELEMENTS), z.string().max(LIMITS.material).nullable())
    .optional(),
  forms: uniqueList(z.enum(INTERPRETATION_FORMS), INTERPRETATION_FORMS.length).optional(),
  items: z
    .array(
      z.strictObject({
        form: z.enum(INTERPRETATION_FORMS),
        title: text(200),
        body: z.string().trim().max(LIMITS.material).nullable().default(null),
        url: z.url({ protocol: /^https?$/ }).max(2000).nullable().default(null),
      }),
    )
    .max(50)
    .optional(),
});

const particularsPatch = z.strictObject({
  issuer: z.enum(ISSUERS).optional(),
  documentKind: z.enum(DOCUMENT_KINDS).optional(),
  majorDecision: z.boolean().optional(),
  affectsEnterprises: z.boolean().optional(),
  livelihoodAreas: uniqueList(z.enum(LIVELIHOOD_AREAS), LIVELIHOOD_AREAS.length).optional(),
  touchesMarket: z.boolean().optional(),
  meetingPlan: z.boolean().optional(),
  opinionsSolicitedOffline: z.boolean().optional(),
  disclosure: z
    .strictObject({
      attribute: z.enum(DISCLOSURE_ATTRIBUTES).nullable(),
      reason: z.string().trim().max(LIMITS.note).nullable(),
    })
    .optional(),
  fairCompetition: z
    .strictObject({ conclusion: z.enum(FAIR_COMPETITION_CONCLUSIONS), summary: text(LIMITS.material) })
    .nullable()
    .optional(),
  opinionSurvey: z
    .strictObject({
      method: text(LIMITS.note),
      summary: text(LIMITS.material),
      conductedOn: z.iso.date(),
    })
    .nullable()
    .optional(),
  attendanceProposal: z
    .strictObject({
      invitees: uniqueList(z.enum(ATTENDEE_KINDS), ATTENDEE_KINDS.length),
      meetingPublic: z.boolean(),
      arrangement: text(LIMITS.note),
    })
    .nullable()
    .optional(),
  adoptionReport: z
    .strictObject({
      summary: text(LIMITS.material),
      commentCount: z.number().int().min(0),
      adoptedCount: z.number().int().min(0),
    })
    .refine((r) => r.adoptedCount <= r.commentCount, { message: '采纳数不能大于意见总数', path: ['adoptedCount'] })
    .nullable()
    .optional(),
});

const department = text(LIMITS.department);

export const newFilingSchema = z.strictObject({
  title: text(LIMITS.title),
  body: text(LIMITS.body),
  coDepartments: uniqueList(department, LIMITS.coDepartments).default([]),
  particulars: particularsPatch.default({}),
  interpretation: interpretationPatch.default({}),
}) satisfies z.ZodType<NewFiling, unknown>;

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), version, ...shape });

const nonEmpty = <T extends z.ZodObject>(schema: T) =>
  schema.refine((patch) => Object.keys(patch).length > 0, { message: '至少需要修改一项内容' });

export const commandSchema = z.discriminatedUnion('type', [
  command('EDIT_TEXT', { title: text(LIMITS.title).optional(), body: text(LIMITS.body) }),
  command('FINALIZE_TEXT', {}),
  command('REOPEN_TEXT', {}),
  command('EDIT_INTERPRETATION', { patch: nonEmpty(interpretationPatch) }),
  command('REQUEST_INTERPRETATION_APPROVAL', {}),
  command('APPROVE_INTERPRETATION', { note: note.nullable().optional() }),
  command('REJECT_INTERPRETATION', { note }),
  command('REOPEN_INTERPRETATION', {}),
  command('EDIT_PARTICULARS', { patch: nonEmpty(particularsPatch) }),
  // R8/R9: what is published for comment, and when.
  command('START_CONSULTATION', {
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    basis: text(LIMITS.material),
    background: text(LIMITS.material),
    explanation: text(LIMITS.material),
    shortenedReason: text(LIMITS.note).nullable().optional(),
  }),
  command('CLEAR_FOR_PUBLICATION', { note: note.nullable().optional() }),
  command('REFUSE_CLEARANCE', { note }),
  command('EXTEND_CONSULTATION', { endsAt: z.iso.datetime({ offset: true }), reason: note }),
  command('CLOSE_CONSULTATION', {}),
  command('FINALIZE_ADOPTION_REPORT', {}),
  command('RETURN_ADOPTION_REPORT', { note }),
  command('PUBLISH_ADOPTION_REPORT', {}),
  command('SUBMIT', {}),
  command('ACCEPT', {}),
  // R18: a return gives coded reasons; free text is for what the codes do not say.
  command('RETURN', {
    reasons: z
      .array(z.strictObject({ code: z.enum(REASON_CODES), field: z.string().max(200).optional() }))
      .min(1)
      .max(REASON_CODES.length * 4),
    note: note.nullable().optional(),
  }).refine((r) => !r.reasons.some((reason) => reason.code === 'R18_OTHER') || Boolean(r.note), {
    message: '选择“其他原因”时须填写退文说明',
    path: ['note'],
  }),
  command('REVISE', {}),
  command('PASS_LEGALITY_REVIEW', { opinion: note }),
  command('FAIL_LEGALITY_REVIEW', { opinion: note }),
  command('PASS_FAIR_COMPETITION_REVIEW', { opinion: note }),
  command('FAIL_FAIR_COMPETITION_REVIEW', { opinion: note }),
  command('ADOPT', { meeting: text(200), note: note.nullable().optional() }),
  command('SEND_BACK_FOR_AMENDMENT', { meeting: text(200), note }),
  command('REJECT', { meeting: text(200), note }),
  command('DEFER', { meeting: text(200), note }),
  command('RESCHEDULE', {}),
  command('SIGN', { documentNumber: text(100) }),
  command('PUBLISH', { url: webUrl.nullable().optional(), effectiveFrom: day.nullable().optional(), expiresOn: day.nullable().optional() }),
  command('WITHDRAW', { note }),
  // R7: a further interpretation, by form (R5), with its text or where it was published.
  command('ADD_FOLLOW_UP', {
    form: z.enum(INTERPRETATION_FORMS),
    title: text(LIMITS.title),
    body: z.string().trim().min(1).max(LIMITS.material).nullable().default(null),
    url: webUrl.nullable().default(null),
    concern: z.string().trim().min(1).max(LIMITS.note).nullable().default(null),
  }).refine((f) => f.body !== null || f.url !== null, { message: '须填写解读内容或链接', path: ['body'] }),
  // R17: validity marks, each with the day it takes effect.
  command('AMEND', { document: otherDocument, effectiveOn: day }),
  command('REPEAL', { effectiveOn: day, document: otherDocument.nullable().default(null), note }),
  command('SET_EXPIRY', { expiresOn: day.nullable() }),
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
    commentIds: z.array(z.string().regex(/^[0-9a-f]{24}$/)).min(1).max(1000).optional(),
    clusterId: z.string().regex(/^[0-9a-f]{24}$/).optional(),
    outcome: z.enum(DISPOSITION_OUTCOMES),
    reason: z.string().trim().min(1).max(LIMITS.material).nullable().default(null),
  })
  .refine((d) => (d.commentIds === undefined) !== (d.clusterId === undefined), {
    message: '须指定意见编号或意见组，二者择一',
    path: ['commentIds'],
  })
  .refine((d) => d.outcome !== 'notAdopted' || d.reason !== null, {
    message: '未采纳的意见须说明理由',
    path: ['reason'],
  });
