import type { z } from 'zod';
import { AppError } from '../errors';

/** Validates input; a failure is a 400 naming the first offending field and listing all. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.join('.'),
    code: issue.code,
    message: issue.message,
  }));
  throw new AppError('VALIDATION_FAILED', { field: issues[0]?.field ?? '', issues });
}
