import type { ObjectId } from './ids';
import type { Models } from './models';
import type { FilingRecord } from './records';

/** Only what the yearly figures read: the history without actors and notes, the snapshot for its context. */
const FILING_PROJECTION = {
  leadDepartment: 1,
  createdAt: 1,
  snapshot: 1,
  'history.at': 1,
  'history.return': 1,
} as const;

/** A filing as the yearly figures read it. */
export type FilingForStatistics = Pick<FilingRecord, '_id' | 'leadDepartment' | 'createdAt' | 'snapshot'> & {
  history?: Array<Pick<FilingRecord['history'][number], 'at' | 'return'>>;
};

/** Comments of a filing with one outcome (none: not answered yet), counted by the database. */
export interface CommentCountRow {
  filingId: ObjectId;
  outcome: string | null;
  count: number;
}

/** R20: the reads behind the yearly statistics. */
export class StatisticsReads {
  constructor(private readonly models: Models) {}

  /**
   * Every filing with something in [from, to) — created before its end and changed since its
   * start — optionally of one lead department, streamed one at a time.
   */
  async *filingsActiveIn(from: Date, to: Date, department?: string): AsyncIterable<FilingForStatistics> {
    const byDepartment = department === undefined ? {} : { leadDepartment: department };
    const cursor = this.models.Filing.find({ ...byDepartment, createdAt: { $lt: to }, updatedAt: { $gte: from } }, FILING_PROJECTION)
      .lean<FilingForStatistics[]>()
      .cursor();
    for await (const doc of cursor) yield doc as FilingForStatistics;
  }

  /** The ids of every filing a department leads, whenever it last changed. */
  async filingIdsOf(department: string): Promise<ObjectId[]> {
    const ids = await this.models.Filing.find({ leadDepartment: department }, { _id: 1 }).lean<Array<{ _id: ObjectId }>>().exec();
    return ids.map((doc) => doc._id);
  }

  /** The lead departments of the given filings (those still stored). */
  async leadDepartments(filingIds: readonly string[]): Promise<Array<{ _id: ObjectId; leadDepartment: string }>> {
    return this.models.Filing.find({ _id: { $in: filingIds } }, { leadDepartment: 1 })
      .lean<Array<{ _id: ObjectId; leadDepartment: string }>>()
      .exec();
  }

  /**
   * R11: comments made in [from, to) (optionally only on the given filings) counted per filing
   * and outcome in the database, so that only the counts travel.
   */
  async commentCounts(from: Date, to: Date, filingIds?: readonly ObjectId[]): Promise<CommentCountRow[]> {
    const match: Record<string, unknown> = { createdAt: { $gte: from, $lt: to } };
    if (filingIds !== undefined) match.filingId = { $in: filingIds };
    const rows = await this.models.Comment.aggregate<{ _id: { filingId: ObjectId; outcome?: string | null }; count: number }>([
      { $match: match },
      { $group: { _id: { filingId: '$filingId', outcome: '$disposition.outcome' }, count: { $sum: 1 } } },
    ]).exec();
    return rows.map((row) => ({ filingId: row._id.filingId, outcome: row._id.outcome ?? null, count: row.count }));
  }
}
