import { restore } from '../../../machines/engine';
import type { ConsultationRound, FilingContext } from '../../../machines/filing.machine';
import { AppError } from '../../errors';
import type { CommentStore, PublicCommentRow } from '../../store/comments';
import { parseFilingId, type FilingHead, type FilingStore } from '../../store/filings';
import type { ObjectId } from '../../store/ids';
import type { Campaigns } from './campaigns';
import { publicName, publishedRounds, toPublic } from './publication';
import type { PublicComment, StaffListQuery } from './types';

/**
 * Reading comments: the public consultation pages (only what is cleared and started, R15, and
 * masked, R16), the commenter's look-up by receipt, and the staff lists.
 */
export class CommentListing {
  constructor(
    private readonly comments: CommentStore,
    private readonly filings: FilingStore,
    private readonly campaigns: Campaigns,
  ) {}

  /** The filing and its public rounds, or 404 when nothing of it is public yet (R15). */
  async published(filingId: string, now: Date): Promise<{ head: FilingHead; context: FilingContext; rounds: ConsultationRound[] }> {
    const id = parseFilingId(filingId);
    const head = id ? await this.filings.head(id) : null;
    if (!head) throw new AppError('CONSULTATION_NOT_FOUND');
    const context = restore(head.snapshot).context;
    const rounds = publishedRounds(context, now);
    if (rounds.length === 0) throw new AppError('CONSULTATION_NOT_FOUND');
    return { head, context, rounds };
  }

  /** A commenter's own comment by receipt; the answer shows once the report is published. */
  async lookup(receipt: string): Promise<PublicComment & { filingId: string; round: number }> {
    const comment = await this.comments.byReceipt(receipt);
    if (!comment) throw new AppError('COMMENT_NOT_FOUND');
    const head = await this.filings.head(comment.filingId);
    const round = head ? restore(head.snapshot).context.consultations.find((r) => r.round === comment.round) : undefined;
    const published = round?.report?.publishedAt != null;
    return { ...toPublic(comment, published), filingId: String(comment.filingId), round: comment.round };
  }

  /** Comment counts per article of a round (null: the whole draft), from the intake's counters. */
  async countsByArticle(filingId: ObjectId, round: number): Promise<Map<number | null, number>> {
    return this.comments.countsByArticle(filingId, round);
  }

  /** A page of a public round's comments as the public site lists them (masked, R16). */
  async publicPage(head: Pick<FilingHead, '_id'>, round: number, article: number | undefined, page: number, pageSize: number): Promise<PublicCommentRow[]> {
    return this.comments.publicPage({ filingId: head._id, round, article }, page, pageSize);
  }

  /** Staff list. The lead department sees comments as written; everyone else, masked (R16). */
  async list(head: Pick<FilingHead, '_id'>, query: StaffListQuery, revealOriginal: boolean): Promise<{ items: Array<Record<string, unknown>>; total: number }> {
    const ids = query.clusterId ? await this.campaigns.members(head._id, query.round, query.clusterId) : undefined;
    const { items, total } = await this.comments.staffPage(
      { filingId: head._id, round: query.round, article: query.article, undisposed: query.undisposed, ids },
      query.page,
      query.pageSize,
    );
    return {
      items: items.map((c) => ({
        id: String(c._id),
        receipt: c.receipt,
        article: c.article,
        paragraph: c.paragraph,
        body: revealOriginal ? c.body : c.publicBody,
        // What the public reads, also for those who see the original: redactions are marked in it.
        publicBody: c.publicBody,
        maskings: c.maskings,
        author: revealOriginal ? c.author : { name: publicName(c.author.name), email: null, phone: null },
        createdAt: c.createdAt,
        disposition: c.disposition,
      })),
      total,
    };
  }
}
