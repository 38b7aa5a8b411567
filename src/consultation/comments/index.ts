import type { ConsultationRound, FilingContext } from '../../../machines/filing.machine';
import type { Actor } from '../../../machines/roles';
import type { CommentStore, PublicCommentRow } from '../../store/comments';
import type { FilingHead, FilingStore } from '../../store/filings';
import type { ObjectId } from '../../store/ids';
import type { ActorRecord, ClusteringRecord, MaskingRecord } from '../../store/records';
import type { ReportStore } from '../../store/reports';
import { draftText } from './articles';
import { Campaigns } from './campaigns';
import { Dispositions } from './dispositions';
import { CommentIntake } from './intake';
import { CommentListing } from './listing';
import { toPublic } from './publication';
import { Redactions } from './redactions';
import type { CampaignView, Disposal, NewComment, Progress, PublicComment, RedactionPlan, RedactionRequest, StaffListQuery, Submitted } from './types';

export { splitArticles } from './articles';
export type * from './types';

/**
 * Public comments on drafts under consultation (R8–R11, R16), one desk for the web layer and the
 * workbench over its parts: intake (./intake), reading (./listing), campaigns (./campaigns),
 * answers (./dispositions) and redactions (./redactions). The rules about who may do what are
 * the ConsultationWorkbench's; these parts do what they are asked.
 */
export class CommentDesk {
  readonly intake: CommentIntake;
  readonly listing: CommentListing;
  readonly campaigns: Campaigns;
  readonly dispositions: Dispositions;
  readonly redactions: Redactions;

  constructor(
    comments: CommentStore,
    private readonly filings: FilingStore,
    reports: ReportStore,
  ) {
    this.campaigns = new Campaigns(comments);
    this.intake = new CommentIntake(comments, filings);
    this.listing = new CommentListing(comments, filings, this.campaigns);
    this.dispositions = new Dispositions(comments, this.campaigns);
    this.redactions = new Redactions(comments, reports);
  }

  submit(filingId: string, input: NewComment, client: string, now: Date, submissionKey?: string): Promise<Submitted> {
    return this.intake.submit(filingId, input, client, now, submissionKey);
  }

  published(filingId: string, now: Date): Promise<{ head: FilingHead; context: FilingContext; rounds: ConsultationRound[] }> {
    return this.listing.published(filingId, now);
  }

  draftOf(head: Pick<FilingHead, 'textVersions'>, version: number): Promise<string> {
    return draftText(this.filings, head, version);
  }

  lookup(receipt: string): Promise<PublicComment & { filingId: string; round: number }> {
    return this.listing.lookup(receipt);
  }

  toPublic(comment: Parameters<typeof toPublic>[0], withDisposition: boolean): PublicComment {
    return toPublic(comment, withDisposition);
  }

  countsByArticle(filingId: ObjectId, round: number): Promise<Map<number | null, number>> {
    return this.listing.countsByArticle(filingId, round);
  }

  publicPage(head: Pick<FilingHead, '_id'>, round: number, article: number | undefined, page: number, pageSize: number): Promise<PublicCommentRow[]> {
    return this.listing.publicPage(head, round, article, page, pageSize);
  }

  list(head: Pick<FilingHead, '_id'>, query: StaffListQuery, revealOriginal: boolean): Promise<{ items: Array<Record<string, unknown>>; total: number }> {
    return this.listing.list(head, query, revealOriginal);
  }

  clustering(filingId: ObjectId, round: number): Promise<ClusteringRecord> {
    return this.campaigns.clustering(filingId, round);
  }

  clusters(head: Pick<FilingHead, '_id'>, round: number, concentratedMinComments: number): Promise<CampaignView[]> {
    return this.campaigns.campaigns(head._id, round, concentratedMinComments);
  }

  dispose(head: Pick<FilingHead, '_id'>, round: number, disposal: Disposal, actor: Actor, now: Date): Promise<number> {
    return this.dispositions.dispose(head, round, disposal, actor, now);
  }

  progress(head: Pick<FilingHead, '_id'>, round: number): Promise<Progress> {
    return this.dispositions.progress(head, round);
  }

  planRedaction(head: Pick<FilingHead, '_id'>, commentId: string, request: RedactionRequest): Promise<RedactionPlan> {
    return this.redactions.plan(head, commentId, request);
  }

  applyRedaction(plan: RedactionPlan, by: ActorRecord, reason: string, now: Date): Promise<{ publicBody: string; maskings: MaskingRecord[] }> {
    return this.redactions.apply(plan, by, reason, now);
  }

  remaskAll(): Promise<{ scanned: number; updated: number; skipped: number }> {
    return this.redactions.remaskAll();
  }
}
