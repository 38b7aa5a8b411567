import { z } from 'zod';
import { startOfCstDay } from '../../machines/validity';
import type { SecurityAuditFilter } from '../store/security-audit';
import { AUDIT_KINDS } from './kinds';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => !Number.isNaN(startOfCstDay(d).getTime()), '日期无效');

/** The auditor's filters: kind, person (id or exact name), days in China Standard Time, outcome. */
const filterShape = {
  kind: z.enum(AUDIT_KINDS).optional(),
  person: z.string().trim().min(1).max(100).optional(),
  from: day.optional(),
  to: day.optional(),
  outcome: z.enum(['success', 'failure']).optional(),
};

export const auditQuerySchema = z.strictObject({
  ...filterShape,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditCsvQuerySchema = z.strictObject(filterShape);

/** The console's form: a value the form would never send is dropped, like the other console lists. */
export const auditPageQuerySchema = z.object({
  kind: z.enum(AUDIT_KINDS).optional().catch(undefined),
  person: z.string().trim().min(1).max(100).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  outcome: z.enum(['success', 'failure']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export interface AuditFilterInput {
  kind?: (typeof AUDIT_KINDS)[number];
  person?: string;
  from?: string;
  to?: string;
  outcome?: 'success' | 'failure';
}

const DAY_MS = 86_400_000;

/** From the first instant of `from` to the last of `to`, China Standard Time. */
export function auditFilter(input: AuditFilterInput): SecurityAuditFilter {
  return {
    kinds: input.kind ? [input.kind] : undefined,
    person: input.person,
    from: input.from ? startOfCstDay(input.from) : undefined,
    until: input.to ? new Date(startOfCstDay(input.to).getTime() + DAY_MS) : undefined,
    outcome: input.outcome,
  };
}

/** The filters as they were asked for, for the trail's own record of being read. */
export function filtersOf(input: AuditFilterInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['kind', 'person', 'from', 'to', 'outcome'] as const) if (input[key] !== undefined) out[key] = input[key] as string;
  return out;
}
