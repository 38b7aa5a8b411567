/**
 * R18/R20: the returns per department in the shape `GET /statistics/returns` has always answered
 * with, derived from the yearly figures so that both can never disagree.
 */
import type { ReasonCount, YearlyStatistics } from './figures';

export interface DepartmentReturns {
  department: string;
  returns: number;
  intakeReturns: number;
  clerkReturns: number;
  /** Most frequent first. */
  reasons: ReasonCount[];
}

/** Departments with at least one return in the year, most returns first, then by name. */
export function returnsByDepartment(result: YearlyStatistics): DepartmentReturns[] {
  return result.departments
    .filter((row) => row.returns.total > 0)
    .map((row) => ({
      department: row.department as string,
      returns: row.returns.total,
      intakeReturns: row.returns.intake,
      clerkReturns: row.returns.clerk,
      reasons: row.returns.reasons.map((r) => ({ ...r })),
    }))
    .sort((a, b) => b.returns - a.returns || a.department.localeCompare(b.department));
}
