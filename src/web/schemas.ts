import { z } from 'zod';
import { COMMAND_SCHEMAS, FILING_EVENT_TYPES, type FilingCommand } from '../../machines/events';
import { department, interpretationPatch, LIMITS, particularsPatch, uniqueList, text } from '../../machines/events/schema';
import { STAGES } from '../../machines/filing.machine';
import { DISPOSITION_OUTCOMES } from '../store/records';
import type { NewFiling } from '../workflow/filings';

/**
 * The request schemas of the routes. Events' payload schemas are declared with each event in the
 * registry (machines/events/); this file only unites them and adds the routes' own.
 */


export const newFilingSchema = z.strictObject({
  title: text(LIMITS.title).describe('The document\'s title.'),
  body: text(LIMITS.body).describe('The draft\'s full text (正文), one paragraph or article per line; it becomes text version 1.'),
  coDepartments: uniqueList(department, LIMITS.coDepartments)
    .default([])
    .describe('Co-departments of a joint filing (配合部门), by name, without duplicates; the lead department is the drafter\'s own (R3).'),
  particulars: particularsPatch.default({}).describe('What the completeness check looks at (R1, R8–R14); the fields as in `EDIT_PARTICULARS`.'),
  interpretation: interpretationPatch.default({}).describe('The interpretation package (R2, R4, R5); the fields as in `EDIT_INTERPRETATION`.'),
}) satisfies z.ZodType<NewFiling, unknown>;

/** Every event's command, told apart by its type (R-coded refusals come from the chart and the services). */
export const commandSchema = z.discriminatedUnion(
  'type',
  FILING_EVENT_TYPES.map((type) => COMMAND_SCHEMAS[type]) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<FilingCommand, unknown>;

export const listQuerySchema = z.strictObject({
  stage: z.enum(STAGES).optional().describe('Only filings in this stage.'),
  department: z.string().trim().min(1).max(LIMITS.department).optional().describe('Only filings of this lead department.'),
  deadline: z.enum(['overdue', 'soon', 'any']).optional().describe('Only filings whose time limit is past (`overdue`), ends within 3 working days (`soon`), or that have one (`any`).'),
  tasks: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('`true`: only what awaits the caller.'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('The page, from 1.'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page.'),
});

export const textVersionParamSchema = z.coerce.number().int().min(1).max(1_000_000);

/** R20: a calendar year in China Standard Time. */
const statisticsYear = z.coerce.number().int().min(2000).max(2100);

export const statisticsQuerySchema = z.strictObject({
  year: statisticsYear.describe('The calendar year (China Standard Time).'),
});

/** R20: the yearly figures, for every lead department or for one. */
export const yearlyStatisticsQuerySchema = z.strictObject({
  year: statisticsYear.describe('The calendar year (China Standard Time).'),
  department: department.optional().describe('Only this lead department.'),
});

export const mailQuerySchema = z.strictObject({
  status: z.enum(['pending', 'sent', 'failed']).optional().describe('Only messages with this delivery status.'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('The page, from 1.'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page.'),
});

export const roundParamSchema = z.coerce.number().int().min(1).max(1000);

export const commentQuerySchema = z.strictObject({
  round: z.coerce.number().int().min(1).max(1000).describe('The consultation round, from 1.'),
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('The page, from 1.'),
  pageSize: z.coerce.number().int().min(1).max(200).default(50).describe('Items per page.'),
  article: z.coerce.number().int().min(1).max(10_000).optional().describe('Only comments on this article.'),
  undisposed: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('`true`: only comments not yet answered (R11).'),
  clusterId: z.string().regex(/^[0-9a-f]{24}$/).optional().describe('Only the comments of this campaign (see `…/clusters`).'),
});

/**
 * R16: a reviewer's redaction of a comment's public text — `start`/`end` in code points of the
 * public text, or the exact `text` — and why.
 */
export const redactionSchema = z
  .strictObject({
    start: z.number().int().min(0).max(10_000).optional().describe('Where the span begins, in code points of the public text; with `end`, instead of `text`.'),
    end: z.number().int().min(1).max(10_000).optional().describe('Where it ends (exclusive).'),
    text: z.string().min(1).max(2_000).refine((t) => t.trim() !== '', { message: '要隐去的文字不能只有空白' }).optional().describe('The exact text to hide, every occurrence; instead of `start` and `end`.'),
    reason: z.string().trim().min(1, '须说明隐去的理由').max(500).describe('Why it is hidden; recorded on the ledger (R16).'),
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
