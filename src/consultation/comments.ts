import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { restore } from '../../machines/engine';
import type { ConsultationRound, FilingContext } from '../../machines/filing.machine';
import type { Actor } from '../../machines/roles';
import { workingDaysLeft } from '../calendar';
import { AppError } from '../errors';
import { maskPersonalInformation } from '../privacy/mask';
import { parseFilingId, type FilingHead, type FilingStore } from '../store/filings';
import type { CommentRecord, DispositionOutcome, Models } from '../store/models';
import { clusterComments } from './cluster';

export interface Article {
  number: number;
  heading: string;
  text: string;
}

const ARTICLE_HEADING = /^\s*第([一二三四五六七八九十百零〇两\d]+)条/;

/**
 * The draft by article, so the public can comment on one (R8). Drafts written in 条 are split at
 * each 第…条; anything else is split into its paragraphs.
 */
export function splitArticles(text: string): Article[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const numbered = lines.some((line) => ARTICLE_HEADING.test(line));
  if (!numbered) return lines.map((line, index) => ({ number: index + 1, heading: `第${index + 1}段`, text: line }));
  const articles: Article[] = [];
  for (const line of lines) {
    const match = ARTICLE_HEADING.exec(line);
    if (match || articles.length === 0) {
      articles.push({ number: articles.length + 1, heading: match ? `第${match[1]}条` : '前言', text: line });
    } else {
      articles[articles.length - 1].text += `\n${line}`;
    }
  }
  return articles;
}

export interface NewComment {
  article: number | null;
  paragraph: number | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** What the public may see of a comment: masked (R16), no contact details, no staff fields. */
export interface PublicComment {
  receipt: string;
  article: number | null;
  body: string;
  author: string;
  submittedAt: string;
  disposition: { outcome: DispositionOutcome; reason: string | null } | null;
}

export interface Disposal {
  commentIds?: string[];
  clusterId?: string;
  outcome: DispositionOutcome;
  reason: string | null;
}

function receiptNumber(): string {
  // Crockford base32 without I, L, O, U: readable aloud over the phone.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(10);
  return `YJ${[...bytes].map((b) => alphabet[b % 32]).join('')}`;
}

function publicName(name: string | null): string {
  if (!name) return '匿名';
  // R16: a full name is personal information; the surname is enough to tell voices apart.
  return `${[...name][0]}**`;
}

function openRound(context: FilingContext, now: Date): ConsultationRound | null {
  const round = context.consultations[context.consultations.length - 1];
  if (!round || round.clearance === null || round.closedAt !== null) return null;
  return new Date(round.startsAt) <= now && now < new Date(round.endsAt) ? round : null;
}

/** The rounds the public may see: cleared (R15) and started. */
function publishedRounds(context: FilingContext, now: Date): ConsultationRound[] {
  return context.consultations.filter((r) => r.clearance !== null && new Date(r.startsAt) <= now);
}

/**
 * Public comments on drafts under consultation (R8–R11, R16): intake with masking and receipts,
 * look-up by receipt, and the staff side — listing, clustering campaigns, dispositions.
 */
export class CommentDesk {
  constructor(
    private readonly models: Models,
    private readonly store: FilingStore,
  ) {}

  /** The filing and its public rounds, or 404 when nothing of it is public yet (R15). */
  async published(filingId: string, now: Date): Promise<{ head: FilingHead; context: FilingContext; rounds: ConsultationRound[] }> {
    const id = parseFilingId(filingId);
    const head = id ? await this.store.head(id) : null;
    if (!head) throw new AppError('CONSULTATION_NOT_FOUND');
    const context = restore(head.snapshot).context;
    const rounds = publishedRounds(context, now);
    if (rounds.length === 0) throw new AppError('CONSULTATION_NOT_FOUND');
    return { head, context, rounds };
  }

  async draftOf(head: FilingHead, version: number): Promise<string> {
    const meta = head.textVersions.find((v) => v.version === version);
    return (meta && (await this.store.text(meta.sha256))) ?? '';
  }

  async submit(filingId: string, input: NewComment, client: string, now: Date): Promise<{ receipt: string; round: number }> {
    const { head, context } = await this.published(filingId, now);
    const round = openRound(context, now);
    if (!round) throw new AppError('CONSULTATION_NOT_OPEN', { filingId });
    if (input.article !== null) {
      const articles = splitArticles(await this.draftOf(head, round.draftVersion));
      if (input.article > articles.length) {
        throw new AppError('VALIDATION_FAILED', { field: 'article' }, `该草案共${articles.length}条，没有第${input.article}条`);
      }
    }
    const masked = maskPersonalInformation(input.body);
    for (let attempt = 0; ; attempt++) {
      const receipt = receiptNumber();
      try {
        await this.models.Comment.create({
          filingId: head._id,
          round: round.round,
          draftVersion: round.draftVersion,
          receipt,
          article: input.article,
          paragraph: input.paragraph,
          body: input.body,
          publicBody: masked.text,
          maskings: masked.maskings,
          author: { name: input.name, email: input.email, phone: input.phone },
          clientHash: createHash('sha256').update(client).digest('hex'),
          createdAt: now,
          clusterId: null,
          disposition: null,
          notice: {
            status: input.email ? 'awaitingReport' : 'none',
            attempts: 0,
            nextAttemptAt: now,
            leaseOwner: null,
            leaseUntil: new Date(0),
            lastError: null,
            response: null,
            sentAt: null,
          },
        });
        return { receipt, round: round.round };
      } catch (error) {
        // 80 random bits make a clash all but impossible; retry rather than fail if it happens.
        if ((error as { code?: number }).code !== 11000 || attempt >= 3) throw error;
      }
    }
  }

  /** A commenter's own comment by receipt; the answer shows once the report is published. */
  async lookup(receipt: string): Promise<PublicComment & { filingId: string; round: number }> {
    const comment = await this.models.Comment.findOne({ receipt }).lean<CommentRecord>().exec();
    if (!comment) throw new AppError('COMMENT_NOT_FOUND');
    const head = await this.store.head(comment.filingId);
    const round = head ? restore(head.snapshot).context.consultations.find((r) => r.round === comment.round) : undefined;
    const published = round?.report?.publishedAt != null;
    return { ...this.toPublic(comment, published), filingId: String(comment.filingId), round: comment.round };
  }

  toPublic(comment: CommentRecord, withDisposition: boolean): PublicComment {
    return {
      receipt: comment.receipt,
      article: comment.article,
      body: comment.publicBody,
      author: publicName(comment.author.name),
      submittedAt: comment.createdAt.toISOString(),
      disposition:
        withDisposition && comment.disposition ? { outcome: comment.disposition.outcome, reason: comment.disposition.reason } : null,
    };
  }

  async countsByArticle(filingId: Types.ObjectId, round: number): Promise<Map<number | null, number>> {
    const rows = await this.models.Comment.aggregate<{ _id: number | null; count: number }>([
      { $match: { filingId, round } },
      { $group: { _id: '$article', count: { $sum: 1 } } },
    ]).exec();
    return new Map(rows.map((r) => [r._id ?? null, r.count]));
  }

  /** Staff list. The lead department sees comments as written; everyone else, masked (R16). */
  async list(
    head: FilingHead,
    query: { round: number; page: number; pageSize: number; article?: number; undisposed?: boolean; clusterId?: string },
    revealOriginal: boolean,
  ): Promise<{ items: Array<Record<string, unknown>>; total: number }> {
    const filter: Record<string, unknown> = { filingId: head._id, round: query.round };
    if (query.article !== undefined) filter.article = query.article;
    if (query.undisposed) filter.disposition = null;
    if (query.clusterId) filter.clusterId = query.clusterId;
    const [items, total] = await Promise.all([
      this.models.Comment.find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean<CommentRecord[]>()
        .exec(),
      this.models.Comment.countDocuments(filter).exec(),
    ]);
    return {
      items: items.map((c) => ({
        id: String(c._id),
        receipt: c.receipt,
        article: c.article,
        paragraph: c.paragraph,
        body: revealOriginal ? c.body : c.publicBody,
        maskings: c.maskings,
        author: revealOriginal ? c.author : { name: publicName(c.author.name), email: null, phone: null },
        createdAt: c.createdAt,
        clusterId: c.clusterId,
        disposition: c.disposition,
      })),
      total,
    };
  }

  /**
   * Groups identical and near-identical comments (campaigns) so they can be answered at once.
   * Stored on the comments; recomputed only when comments were added since.
   */
  async clusters(head: FilingHead, round: number): Promise<Array<{ clusterId: string; size: number; sample: string; outcomes: Partial<Record<DispositionOutcome | 'undisposed', number>> }>> {
    const scope = { filingId: head._id, round };
    const marker = `clusters-${String(head._id)}-${round}`;
    const count = await this.models.Comment.countDocuments(scope).exec();
    const done = await this.models.Counter.findById(marker).lean().exec();
    if (done?.seq !== count) {
      const comments = await this.models.Comment.find(scope, { _id: 1, body: 1 }).sort({ createdAt: 1, _id: 1 }).lean().exec();
      const clusters = clusterComments(comments.map((c) => ({ id: String(c._id), text: c.body })));
      const writes = clusters
        .filter((c) => c.memberIds.length > 1)
        .map((c) => ({
          updateMany: {
            filter: { _id: { $in: c.memberIds.map((id) => new Types.ObjectId(id)) } },
            update: { $set: { clusterId: c.id } },
          },
        }));
      await this.models.Comment.updateMany(scope, { $set: { clusterId: null } }).exec();
      for (let i = 0; i < writes.length; i += 500) await this.models.Comment.bulkWrite(writes.slice(i, i + 500), { ordered: false });
      await this.models.Counter.replaceOne({ _id: marker }, { _id: marker, seq: count }, { upsert: true }).exec();
    }
    const rows = await this.models.Comment.aggregate<{ _id: { cluster: string; outcome: DispositionOutcome | null }; size: number; sample: string }>([
      { $match: { ...scope, clusterId: { $ne: null } } },
      { $sort: { createdAt: 1 } },
      { $group: { _id: { cluster: '$clusterId', outcome: '$disposition.outcome' }, size: { $sum: 1 }, sample: { $first: '$publicBody' } } },
    ]).exec();
    const byCluster = new Map<string, { clusterId: string; size: number; sample: string; outcomes: Partial<Record<DispositionOutcome | 'undisposed', number>> }>();
    for (const row of rows) {
      const entry = byCluster.get(row._id.cluster) ?? { clusterId: row._id.cluster, size: 0, sample: row.sample, outcomes: {} };
      entry.size += row.size;
      const key = row._id.outcome ?? 'undisposed';
      entry.outcomes[key] = (entry.outcomes[key] ?? 0) + row.size;
      byCluster.set(row._id.cluster, entry);
    }
    return [...byCluster.values()].sort((a, b) => b.size - a.size || a.clusterId.localeCompare(b.clusterId));
  }

  /** R11: answers comments one by one or a whole campaign at once. */
  async dispose(head: FilingHead, round: number, disposal: Disposal, actor: Actor, now: Date): Promise<number> {
    const filter: Record<string, unknown> = { filingId: head._id, round };
    if (disposal.clusterId) filter.clusterId = disposal.clusterId;
    if (disposal.commentIds) filter._id = { $in: disposal.commentIds.map((id) => parseFilingId(id) ?? new Types.ObjectId()) };
    const disposition = {
      outcome: disposal.outcome,
      reason: disposal.reason,
      at: now,
      by: { id: actor.id, name: actor.name, role: actor.role, department: actor.department },
    };
    const result = await this.models.Comment.updateMany(filter, { $set: { disposition } }).exec();
    return result.matchedCount;
  }
}
