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
} from '../dossier';

/**
 * The building blocks of every payload schema: what a field may hold and how long it may be. The
 * messages reach users, so zod speaks Chinese (set where the schemas are first loaded).
 */
z.config(z.locales.zhCN());

export const LIMITS = {
  title: 200,
  body: 300_000,
  material: 50_000,
  note: 5_000,
  department: 100,
  coDepartments: 20,
} as const;

/** Required free text: trimmed, not empty, bounded. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const note = text(LIMITS.note);
export const version = z
  .number()
  .int()
  .min(1)
  .describe("The filing's `version` as last read; an event against an older one is refused (409 `VERSION_CONFLICT`) and changes nothing.");
export const webUrl = z.url({ protocol: /^https?$/ }).max(2000);
/** A calendar day, `YYYY-MM-DD`, that exists. */
export const day = z.iso.date();
export const instant = z.iso.datetime({ offset: true });
export const department = text(LIMITS.department);

export const otherDocument = z.strictObject({
  title: text(LIMITS.title).describe('Its title.'),
  documentNumber: text(100).nullable().default(null).describe('Its document number (发文字号), if it has one.'),
  url: webUrl.nullable().default(null).describe('Where it is published, if online.'),
});

export const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((items) => new Set(items).size === items.length, { message: '列表中有重复项' });

export const interpretationPatch = z.strictObject({
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
        title: text(LIMITS.title).describe('Its title.'),
        body: z.string().trim().max(LIMITS.material).nullable().default(null).describe('Its text, e.g. the questions and answers.'),
        url: webUrl.nullable().default(null).describe('Where it is published (audio, video, an interview), if online.'),
      }),
    )
    .max(50)
    .optional()
    .describe('The pieces of the interpretation — article, Q&A, graphic, video… (R5); replaces the list.'),
});

export const particularsPatch = z.strictObject({
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
      conductedOn: day.describe('The day it was held.'),
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

export const nonEmpty = <T extends z.ZodObject>(schema: T) =>
  schema.refine((patch) => Object.keys(patch).length > 0, { message: '至少需要修改一项内容' });
