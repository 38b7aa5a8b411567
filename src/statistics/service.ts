import type { DocumentKind } from '../../machines/dossier';
import { migrateSnapshot, UnsupportedMachineVersionError, type StoredSnapshot } from '../../machines/migrations';
import { AppError } from '../errors';
import { DISPOSITION_OUTCOMES, type DispositionOutcome } from '../store/records';
import type { FilingForStatistics, StatisticsReads } from '../store/statistics';
import {
  aggregateYear,
  cstYearRange,
  filingFacts,
  type CommentTally,
  type FilingFacts,
  type StatisticsContext,
  type YearlyStatistics,
} from './figures';

export interface StatisticsOptions {
  /** R6: the latest permitted publication instant for a document of `kind` signed at `signedAt`. */
  publicationDue: (signedAt: Date, kind: DocumentKind) => Date;
}

export interface StatisticsFilter {
  /** A lead department: only its row, and the totals over it alone. */
  department?: string;
}

type FilingDocument = FilingForStatistics;

const OUTCOMES: ReadonlySet<string> = new Set(DISPOSITION_OUTCOMES);

/** R20: the yearly statistics per lead department, read from the filings and comments. */
export class StatisticsService {
  constructor(
    private readonly reads: StatisticsReads,
    private readonly options: StatisticsOptions,
  ) {}

  async yearly(year: number, filter: StatisticsFilter = {}): Promise<YearlyStatistics> {
    if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`not a calendar year: ${year}`);
    const { from, to } = cstYearRange(year);
    const department = filter.department;

    // Every event of a filing lies between its creation and its last change, so this finds
    // each filing with something in the year; the year of each event is then decided in
    // aggregateYear, which is what keeps the figures exact.
    const facts: FilingFacts[] = [];
    const departmentOf = new Map<string, string>();
    for await (const doc of this.reads.filingsActiveIn(from, to, department)) {
      departmentOf.set(String(doc._id), doc.leadDepartment);
      facts.push(filingFacts(doc, contextOf(doc)));
    }

    const comments = await this.commentTallies(from, to, department, departmentOf);
    return aggregateYear(year, facts, comments, {
      publicationDue: this.options.publicationDue,
      departments: department === undefined ? [] : [department],
    });
  }

  /**
   * R11: comments can number 100,000 and more per filing, so they are counted in the database,
   * per filing and outcome, and only the counts travel.
   */
  private async commentTallies(
    from: Date,
    to: Date,
    department: string | undefined,
    departmentOf: Map<string, string>,
  ): Promise<CommentTally[]> {
    let filingIds: Awaited<ReturnType<StatisticsReads['filingIdsOf']>> | undefined;
    if (department !== undefined) {
      // A comment period can run into a year in which its filing did not otherwise change, so
      // the department's filings are looked up in full rather than taken from the year's list.
      filingIds = await this.reads.filingIdsOf(department);
      for (const id of filingIds) departmentOf.set(String(id), department);
    }
    const rows = await this.reads.commentCounts(from, to, filingIds);

    // For the same reason, filings with comments in the year may be missing from the year's list.
    const missing = [...new Set(rows.map((row) => String(row.filingId)))].filter((id) => !departmentOf.has(id));
    if (missing.length > 0) {
      const heads = await this.reads.leadDepartments(missing);
      for (const head of heads) departmentOf.set(String(head._id), head.leadDepartment);
    }

    const tallies: CommentTally[] = [];
    for (const row of rows) {
      const owner = departmentOf.get(String(row.filingId));
      // Comments of a filing that no longer exists belong to no department.
      if (owner === undefined) continue;
      const outcome = row.outcome;
      tallies.push({
        department: owner,
        // An outcome outside the R11 set cannot be placed; it counts as not yet disposed of.
        outcome: outcome !== null && OUTCOMES.has(outcome) ? (outcome as DispositionOutcome) : null,
        count: row.count,
      });
    }
    return tallies;
  }
}

/** The context as the current chart shapes it: older snapshots are migrated first. */
function contextOf(doc: FilingDocument): StatisticsContext {
  try {
    return migrateSnapshot(doc.snapshot as StoredSnapshot).context as StatisticsContext;
  } catch (error) {
    // Guessing at a newer chart's context could miscount; refuse like the workflow does.
    if (error instanceof UnsupportedMachineVersionError) {
      throw new AppError('MACHINE_VERSION_UNSUPPORTED', { machineVersion: error.found, filingId: String(doc._id) });
    }
    throw error;
  }
}
