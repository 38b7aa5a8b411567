import type { ObjectId } from './ids';
import type { Models } from './models';
import type { ReportRecord } from './records';

/** R11: the adoption reports, stored once finalised and quoted by the filing's snapshot. */
export class ReportStore {
  constructor(private readonly models: Models) {}

  /** Stores a report under its id; storing it again (a retried finalisation) replaces it. */
  async save(report: ReportRecord): Promise<void> {
    await this.models.Report.replaceOne({ _id: report._id }, report, { upsert: true }).exec();
  }

  async byId(reportId: string): Promise<ReportRecord | null> {
    return this.models.Report.findById(reportId).lean<ReportRecord>().exec();
  }

  /**
   * R16: puts a comment's new public text into the stored reports of its filing that quote it.
   * A report quotes a comment as the sample of at most one of its concentrated opinions (its
   * answer group's earliest member; in reports from before samples had their own id, the
   * campaign's representative, whose id is the campaign's).
   */
  async refreshSamples(filingId: ObjectId, commentId: ObjectId, publicBody: string): Promise<void> {
    const id = String(commentId);
    const reports = this.models.Report.collection;
    await reports.updateMany({ filingId, 'concentrated.sampleId': id }, { $set: { 'concentrated.$.sample': publicBody } });
    await reports.updateMany(
      { filingId, concentrated: { $elemMatch: { clusterId: id, sampleId: { $exists: false } } } },
      { $set: { 'concentrated.$.sample': publicBody } },
    );
  }
}
