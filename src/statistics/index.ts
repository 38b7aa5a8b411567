/** R20: yearly statistics per lead department, as figures and as a spreadsheet. */
export {
  aggregateYear,
  cstYear,
  cstYearRange,
  emptyDepartmentYear,
  filingFacts,
  type AggregateOptions,
  type CommentTally,
  type DepartmentYear,
  type FilingFacts,
  type FilingRow,
  type OutcomeCounts,
  type ReasonCount,
  type StatisticsContext,
  type YearlyStatistics,
} from './figures';
export { StatisticsService, type StatisticsFilter, type StatisticsOptions } from './service';
export { csvFileName, toCsv } from './csv';
export { returnsByDepartment, type DepartmentReturns } from './returns';
export { mayReadStatistics, STATISTICS_ROLES } from './access';
