import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { restore } from '../../machines/engine';
import type { ConsultationRound, FilingContext } from '../../machines/filing.machine';
import type { Actor } from '../../machines/roles';
import { AppError } from '../errors';
import { maskPersonalInformation, originalSpan, type Redaction } from '../privacy/mask';
import { parseFilingId, type FilingHead, type FilingStore } from '../store/filings';
import type { ActorRecord, ClusteringRecord, CommentRecord, DispositionOutcome, MaskingRecord, Models } from '../store/models';
import { CLUSTERING_ALGORITHM, clusterComments } from './cluster';

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

/**
 * R16: a reviewer's redaction of a comment's public text: a span in code points (what a reader
 * counts as characters), or the exact words — every occurrence of them is redacted.
 */
export type RedactionRequest = { reason: string } & ({ start: number; end: number; text?: undefined } | { text: string; start?: undefined; end?: undefined });

/** A redaction checked against the comment: the spans of its original text it masks. */
export interface RedactionPlan {
  commentId: Types.ObjectId;
  filingId: Types.ObjectId;
  receipt: string;
  round: number;
  /** In the comment's `body`, UTF-16 units: the original never changes, so these stay true. */
  spans: Redaction[];
}

const isManual = (m: MaskingRecord) => m.kind === 'manual';

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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What tells a repeated submission from a different one: everything the sender chose, and where. */
function submissionDigest(filingId: Types.ObjectId, input: NewComment): string {
  return sha256(JSON.stringify([String(filingId), input.article, input.paragraph, input.body, input.name, input.email, input.phone]));
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

function counterPrefix(filingId: Types.ObjectId, round: number): string {
  return `comments-${String(filingId)}-${round}-`;
}

/** The rounds the public may see: cleared (R15) and started. */
function publishedRounds(context: FilingContext, now: Date): ConsultationRound[] {
  return context.consultations.filter((r) => r.clearance !== null && new Date(r.startsAt) <= now);
}

/** A filing as intake last read it, valid while its version is unchanged. */
interface IntakeState {
  version: number;
  head: FilingHead;
  context: FilingContext;
}

/** Filings whose intake state is kept: those with comment periods open at once, and more. */
const INTAKE_STATES = 1_000;

/**
 * Counter increments written in batches: while one batch is being written, further increments
 * are summed per counter id and go out as the next batch. Each caller waits for the batch that
 * holds its increment, and learns of its failure.
 */
class CounterBatch {
  private pending = new Map<string, number>();
  private waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly write: (increments: Map<string, number>) => Promise<void>) {}

  add(id: string, by: number): Promise<void> {
    this.pending.set(id, (this.pending.get(id) ?? 0) + by);
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.writing) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.size > 0) {
      const batch = this.pending;
      const waiting = this.waiting;
      this.pending = new Map();
      this.waiting = [];
      try {
        await this.write(batch);
        for (const w of waiting) w.resolve();
      } catch (error) {
        for (const w of waiting) w.reject(error);
      }
    }
    this.writing = false;
  }
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

  /**
   * The filing as intake needs it: its head and restored context. A filing's snapshot, text
   * versions and title change only in the version-guarded update that increments `version`
   * (FilingStore.applyIfVersion), so what an earlier comment read is exact for as long as the
   * version has not moved: intake then reads the version alone — a few bytes instead of the
   * whole filing (about 14 kB of BSON with its snapshot) — and the filing again once it moves.
   * Only intake uses it; it is the public endpoint that campaigns hit thousands of times.
   */
  private async intakeState(filingId: string): Promise<IntakeState> {
    const id = parseFilingId(filingId);
    if (!id) throw new AppError('CONSULTATION_NOT_FOUND');
    const key = String(id);
    const kept = this.intakeStates.get(key);
    if (kept) {
      const current = await this.models.Filing.findById(id, { version: 1 }).lean<{ version: number }>().exec();
      if (!current) {
        this.intakeStates.delete(key);
        throw new AppError('CONSULTATION_NOT_FOUND');
      }
      if (current.version === kept.version) return kept;
    }
    const head = await this.store.head(id);
    if (!head) throw new AppError('CONSULTATION_NOT_FOUND');
    const state: IntakeState = { version: head.version, head, context: restore(head.snapshot).context };
    this.intakeStates.delete(key);
    this.intakeStates.set(key, state);
    // The filings least recently commented on go first (a Map iterates in insertion order).
    if (this.intakeStates.size > INTAKE_STATES) this.intakeStates.delete(this.intakeStates.keys().next().value as string);
    return state;
  }

  private readonly intakeStates = new Map<string, IntakeState>();

  /**
   * Stores a public comment and returns its receipt. `submissionKey` names the submission when
   * the sender can say which it is — the rendered form it came from, an `Idempotency-Key` — so
   * that sending it again (a reload, a retry after a lost answer, two racing posts) returns the
   * first receipt instead of storing the comment twice, which would count it twice in the
   * adoption report (R11) and the statistics (R20). Only its hash is stored, under a unique
   * index: the first insert wins and the others read the winner back, so a keyed submission costs
   * a read only when it is a repeat, and an unkeyed one costs nothing more than before.
   */
  async submit(
    filingId: string,
    input: NewComment,
    client: string,
    now: Date,
    submissionKey?: string,
  ): Promise<{ receipt: string; round: number; replayed: boolean }> {
    const { head, context } = await this.intakeState(filingId);
    // As published(): nothing of a filing is public before a round is cleared and started (R15).
    if (publishedRounds(context, now).length === 0) throw new AppError('CONSULTATION_NOT_FOUND');
    const keyed = submissionKey === undefined ? null : { key: sha256(submissionKey), digest: submissionDigest(head._id, input) };
    const round = openRound(context, now);
    if (!round) {
      // A repeat of a comment accepted just before the period ended still gets its receipt.
      const earlier = keyed ? await this.earlierSubmission(keyed) : null;
      if (earlier) return earlier;
      throw new AppError('CONSULTATION_NOT_OPEN', { filingId });
    }
    if (input.article !== null) {
      const articles = splitArticles(await this.draftOf(head, round.draftVersion));
      if (input.article > articles.length) {
        throw new AppError('VALIDATION_FAILED', { field: 'article' }, `该草案共${articles.length}条，没有第${input.article}条`);
      }
    }
    const masked = maskPersonalInformation(input.body);
    let receipt = '';
    for (let attempt = 0; ; attempt++) {
      receipt = receiptNumber();
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
          ...(keyed ? { submissionKey: keyed.key, submissionDigest: keyed.digest } : {}),
        });
        break;
      } catch (error) {
        const duplicate = (error as { code?: number }).code === 11000;
        // The same submission stored by an earlier or a racing request: its receipt, once.
        const earlier = duplicate && keyed ? await this.earlierSubmission(keyed) : null;
        if (earlier) return earlier;
        // Else the receipt clashed: 80 random bits make that all but impossible; retry rather than fail.
        if (!duplicate || attempt >= 3) throw error;
      }
    }
    // After the insert, and outside the retry: a crash in between leaves the count one short,
    // never a comment lost, and a failed counter write never stores the comment twice.
    await this.count(head._id, round.round, input.article);
    return { receipt, round: round.round, replayed: false };
  }

  /**
   * The comment stored under a submission key, if any. A key sent again with a different comment
   * is refused rather than answered: returning the first receipt would tell the sender their new
   * text was filed when it was not (and hand whoever reuses a key another person's receipt), and
   * storing it as new would make the key mean nothing for a client that retries with an altered
   * body. The sender has to take a new form or key; nothing is stored meanwhile.
   */
  private async earlierSubmission(keyed: { key: string; digest: string }): Promise<{ receipt: string; round: number; replayed: true } | null> {
    const earlier = await this.models.Comment.findOne({ submissionKey: keyed.key }, { receipt: 1, round: 1, submissionDigest: 1 })
      .lean<Pick<CommentRecord, 'receipt' | 'round' | 'submissionDigest'>>()
      .exec();
    if (!earlier) return null;
    if (earlier.submissionDigest !== keyed.digest) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return { receipt: earlier.receipt, round: earlier.round, replayed: true };
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

  /**
   * Comment counts per article (null: the whole draft), kept as counters at intake so that a
   * draft with 100,000 comments shows its counts and pages without counting them each time.
   */
  async countsByArticle(filingId: Types.ObjectId, round: number): Promise<Map<number | null, number>> {
    const prefix = counterPrefix(filingId, round);
    const rows = await this.models.Counter.find({ _id: { $regex: `^${prefix}` } }).lean().exec();
    return new Map(rows.map((r) => [r._id === `${prefix}whole` ? null : Number(r._id.slice(prefix.length)), r.seq]));
  }

  /**
   * Adds comments to the counters; intake calls it, and so does anything loading comments in bulk.
   * Resolves once the increment is written. Increments arriving while a write is under way are
   * summed per counter and written together in one command when it returns (group commit), so
   * under load intake costs the database less than one counter write per comment, and a lone
   * comment waits for no one.
   */
  async count(filingId: Types.ObjectId, round: number, article: number | null, by = 1): Promise<void> {
    await this.counters.add(`${counterPrefix(filingId, round)}${article ?? 'whole'}`, by);
  }

  private readonly counters = new CounterBatch(async (increments) => {
    await this.models.Counter.bulkWrite(
      [...increments].map(([id, by]) => ({ updateOne: { filter: { _id: id }, update: { $inc: { seq: by } }, upsert: true } })),
      { ordered: false },
    );
  });

  /** Staff list. The lead department sees comments as written; everyone else, masked (R16). */
  async list(
    head: FilingHead,
    query: { round: number; page: number; pageSize: number; article?: number; undisposed?: boolean; clusterId?: string },
    revealOriginal: boolean,
  ): Promise<{ items: Array<Record<string, unknown>>; total: number }> {
    const filter: Record<string, unknown> = { filingId: head._id, round: query.round };
    if (query.article !== undefined) filter.article = query.article;
    if (query.undisposed) filter.disposition = null;
    if (query.clusterId) filter._id = { $in: (await this.members(head, query.round, query.clusterId)).map((id) => new Types.ObjectId(id)) };
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

  /**
   * Groups identical and near-identical comments (campaigns) so they can be answered at once.
   * Stored per round; recomputed when comments were added since, or when it was computed by
   * another version of the clustering (CLUSTERING_ALGORITHM).
   */
  async clustering(filingId: Types.ObjectId, round: number): Promise<ClusteringRecord> {
    const scope = { filingId, round };
    const id = `${String(filingId)}-${round}`;
    const stored = await this.storedClustering(id);
    if (
      stored &&
      stored.algorithm === CLUSTERING_ALGORITHM &&
      stored.commentCount === (await this.models.Comment.countDocuments(scope).exec())
    ) {
      return stored;
    }
    // Ordered here rather than by the database: the order only decides each cluster's
    // representative (its earliest comment), and sorting 10⁵–10⁶ small records in memory is
    // cheaper than a database sort that no index of {createdAt, _id} serves in full.
    const comments = await this.models.Comment.find(scope, { _id: 1, body: 1, createdAt: 1 })
      .lean<Array<Pick<CommentRecord, '_id' | 'body' | 'createdAt'>>>()
      .exec();
    const ids = comments.map((c) => String(c._id));
    const times = comments.map((c) => c.createdAt.getTime());
    const order = Array.from(comments.keys()).sort((a, b) => times[a] - times[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const clusters = clusterComments(order.map((i) => ({ id: ids[i], text: comments[i].body })))
      .filter((c) => c.memberIds.length > 1)
      .map((c) => ({ id: c.id, memberIds: c.memberIds }));
    // The count of what was clustered, not a second count that comments arriving meanwhile
    // would make disagree with it.
    const record: ClusteringRecord = {
      _id: id,
      filingId,
      round,
      algorithm: CLUSTERING_ALGORITHM,
      commentCount: comments.length,
      computedAt: new Date(),
      clusters,
    };
    await this.storeClustering(record);
    return record;
  }

  /**
   * Most member ids one stored clustering document holds. A round's clustering is one document
   * while it fits — 100,000 ids are about 4 MB of BSON — and is split into parts beyond that,
   * because a million comments with most of them in campaigns would exceed MongoDB's 16 MiB
   * document limit. Tests lower it to exercise the parts.
   */
  static clusteringPartMembers = 100_000;

  /**
   * Writes a clustering as its head document (`_id` = the round's id, the first part's clusters,
   * and `parts`/`generation` when there are more) and further parts `<id>:<generation>:<k>`.
   * The parts go first and the head last, so a head only ever names parts that exist; parts of
   * older generations are removed afterwards. A cluster larger than a part is split across
   * consecutive parts under its id and joined again on reading.
   */
  private async storeClustering(record: ClusteringRecord): Promise<void> {
    const parts: ClusteringRecord['clusters'][] = [[]];
    let room = CommentDesk.clusteringPartMembers;
    for (const cluster of record.clusters) {
      for (let from = 0; from < cluster.memberIds.length; ) {
        if (room === 0) {
          parts.push([]);
          room = CommentDesk.clusteringPartMembers;
        }
        const take = Math.min(room, cluster.memberIds.length - from);
        parts[parts.length - 1].push({ id: cluster.id, memberIds: from === 0 && take === cluster.memberIds.length ? cluster.memberIds : cluster.memberIds.slice(from, from + take) });
        from += take;
        room -= take;
      }
    }
    const collection = this.models.Clustering.collection;
    const generation = randomBytes(6).toString('hex');
    const partId = (k: number) => `${record._id}:${generation}:${k}`;
    const { clusters: _all, ...fields } = record;
    for (let k = 1; k < parts.length; k++) {
      await collection.replaceOne({ _id: partId(k) as never }, { ...fields, _id: partId(k), clusters: parts[k] }, { upsert: true });
    }
    const head = parts.length > 1 ? { ...fields, clusters: parts[0], parts: parts.length, generation } : { ...fields, clusters: parts[0] };
    await collection.replaceOne({ _id: record._id as never }, head, { upsert: true });
    const current = Array.from({ length: parts.length - 1 }, (_, k) => partId(k + 1));
    await collection.deleteMany({ _id: { $regex: `^${record._id}:`, $nin: current } as never });
  }

  /** The stored clustering of a round with its parts joined, or null (also when a part is gone). */
  private async storedClustering(id: string): Promise<ClusteringRecord | null> {
    const head = await this.models.Clustering.findById(id).lean<ClusteringRecord & { parts?: number; generation?: string }>().exec();
    if (!head || !head.parts || head.parts <= 1) return head;
    const partIds = Array.from({ length: head.parts - 1 }, (_, k) => `${id}:${head.generation}:${k + 1}`);
    const found = await this.models.Clustering.find({ _id: { $in: partIds } }).lean<ClusteringRecord[]>().exec();
    if (found.length !== partIds.length) return null;
    const byId = new Map(found.map((p) => [p._id, p.clusters]));
    const clusters: ClusteringRecord['clusters'] = [];
    for (const part of [head.clusters, ...partIds.map((p) => byId.get(p) ?? [])]) {
      for (const cluster of part) {
        const last = clusters[clusters.length - 1];
        if (last && last.id === cluster.id) last.memberIds = last.memberIds.concat(cluster.memberIds);
        else clusters.push({ id: cluster.id, memberIds: cluster.memberIds });
      }
    }
    const { parts: _parts, generation: _generation, ...record } = head;
    return { ...record, clusters };
  }

  private async members(head: FilingHead, round: number, clusterId: string): Promise<string[]> {
    const cluster = (await this.clustering(head._id, round)).clusters.find((c) => c.id === clusterId);
    if (!cluster) throw new AppError('CLUSTER_NOT_FOUND', { clusterId });
    return cluster.memberIds;
  }

  /**
   * The campaigns of a round, largest first, with how far their answers have got, and whether
   * each is a concentrated opinion (R11) — at least `concentratedMinComments` comments, the
   * same test as the adoption report's.
   */
  async clusters(
    head: FilingHead,
    round: number,
    concentratedMinComments: number,
  ): Promise<Array<{ clusterId: string; size: number; concentrated: boolean; sample: string; outcomes: Partial<Record<DispositionOutcome | 'undisposed', number>> }>> {
    const { clusters } = await this.clustering(head._id, round);
    const comments = await this.models.Comment.find({ filingId: head._id, round }, { _id: 1, publicBody: 1, 'disposition.outcome': 1 })
      .lean<Array<Pick<CommentRecord, '_id' | 'publicBody' | 'disposition'>>>()
      .exec();
    const byId = new Map(comments.map((c) => [String(c._id), c]));
    return clusters
      .map((cluster) => {
        const outcomes: Partial<Record<DispositionOutcome | 'undisposed', number>> = {};
        for (const id of cluster.memberIds) {
          const key = byId.get(id)?.disposition?.outcome ?? 'undisposed';
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
        return {
          clusterId: cluster.id,
          size: cluster.memberIds.length,
          concentrated: cluster.memberIds.length >= concentratedMinComments,
          sample: byId.get(cluster.id)?.publicBody ?? '',
          outcomes,
        };
      })
      .sort((a, b) => b.size - a.size || a.clusterId.localeCompare(b.clusterId));
  }

  /** How far the answers of a round have got: comments per outcome, and those still unanswered. */
  async progress(head: FilingHead, round: number): Promise<Record<DispositionOutcome | 'undisposed', number> & { total: number }> {
    const rows = await this.models.Comment.aggregate<{ _id: DispositionOutcome | null; count: number }>([
      { $match: { filingId: head._id, round } },
      { $group: { _id: '$disposition.outcome', count: { $sum: 1 } } },
    ]).exec();
    const progress = { total: 0, undisposed: 0, adopted: 0, partlyAdopted: 0, notAdopted: 0, notApplicable: 0 };
    for (const row of rows) {
      progress[row._id ?? 'undisposed'] += row.count;
      progress.total += row.count;
    }
    return progress;
  }

  /**
   * R16: checks a redaction against the comment's public text and finds the spans of its
   * original that it masks; nothing is written. The public text is recomputed from the original
   * with the current rules and the earlier redactions — the text the offsets of a request refer
   * to; when the stored one was masked by older rules it differs, and offsets given against it
   * are refused (409, with the text they should refer to), while words are looked up afresh.
   */
  async planRedaction(head: FilingHead, commentId: string, request: RedactionRequest): Promise<RedactionPlan> {
    const id = parseFilingId(commentId);
    const comment = id
      ? await this.models.Comment.findOne({ _id: id, filingId: head._id }, { body: 1, publicBody: 1, maskings: 1, receipt: 1, round: 1 })
          .lean<Pick<CommentRecord, '_id' | 'body' | 'publicBody' | 'maskings' | 'receipt' | 'round'>>()
          .exec()
      : null;
    if (!comment) throw new AppError('COMMENT_NOT_FOUND', { commentId }, '该文件没有这条意见');
    const current = maskPersonalInformation(comment.body, comment.maskings.filter(isManual));
    const spans: Redaction[] = [];
    if (request.text !== undefined) {
      for (let at = current.text.indexOf(request.text); at !== -1; at = current.text.indexOf(request.text, at + request.text.length)) {
        spans.push(originalSpan(current.regions, at, at + request.text.length));
      }
      if (spans.length === 0) throw new AppError('REDACTION_TEXT_NOT_FOUND', { field: 'text' });
    } else {
      if (current.text !== comment.publicBody) throw new AppError('COMMENT_TEXT_CHANGED', { publicBody: current.text });
      const characters = Array.from(current.text);
      if (request.end > characters.length) {
        throw new AppError('VALIDATION_FAILED', { field: 'end' }, `超出公开文本范围：该意见的公开文本共${characters.length}个字符`);
      }
      const from = characters.slice(0, request.start).join('').length;
      const to = from + characters.slice(request.start, request.end).join('').length;
      spans.push(originalSpan(current.regions, from, to));
    }
    return { commentId: comment._id, filingId: head._id, receipt: comment.receipt, round: comment.round, spans };
  }

  /**
   * R16: applies a planned redaction, with who, when and why, to the comment's public text, and
   * to the samples of stored adoption reports that quote it. The write is guarded by the public
   * text it replaces; when another redaction came first, the plan's spans — of the unchanging
   * original — are applied on top of it.
   */
  async applyRedaction(plan: RedactionPlan, by: ActorRecord, reason: string, now: Date): Promise<{ publicBody: string; maskings: MaskingRecord[] }> {
    const added: MaskingRecord[] = plan.spans.map((s) => ({ kind: 'manual', start: s.start, end: s.end, by, at: now, reason }));
    for (let attempt = 0; attempt < 5; attempt++) {
      const comment = await this.models.Comment.findById(plan.commentId, { body: 1, publicBody: 1, maskings: 1 })
        .lean<Pick<CommentRecord, '_id' | 'body' | 'publicBody' | 'maskings'>>()
        .exec();
      if (!comment) throw new AppError('COMMENT_NOT_FOUND', { commentId: String(plan.commentId) }, '该文件没有这条意见');
      const manual = [...comment.maskings.filter(isManual), ...added];
      const masked = maskPersonalInformation(comment.body, manual);
      const maskings: MaskingRecord[] = [...masked.maskings, ...manual];
      const written = await this.models.Comment.updateOne(
        { _id: plan.commentId, publicBody: comment.publicBody },
        { $set: { publicBody: masked.text, maskings } },
      ).exec();
      if (written.matchedCount === 0) continue;
      await this.refreshReportSamples(plan.filingId, plan.commentId, masked.text);
      return { publicBody: masked.text, maskings };
    }
    throw new AppError('VERSION_CONFLICT', { commentId: String(plan.commentId) });
  }

  /**
   * Stored reports quote a comment as the sample of at most one of their concentrated opinions
   * (its answer group's earliest member; in reports from before samples had their own id, the
   * campaign's representative, whose id is the campaign's). Reading a report refreshes its
   * samples anyway (withCurrentSamples); this keeps the stored copy from holding the old text.
   */
  private async refreshReportSamples(filingId: Types.ObjectId, commentId: Types.ObjectId, publicBody: string): Promise<void> {
    const id = String(commentId);
    const reports = this.models.Report.collection;
    await reports.updateMany({ filingId, 'concentrated.sampleId': id }, { $set: { 'concentrated.$.sample': publicBody } });
    await reports.updateMany(
      { filingId, concentrated: { $elemMatch: { clusterId: id, sampleId: { $exists: false } } } },
      { $set: { 'concentrated.$.sample': publicBody } },
    );
  }

  /**
   * R16: masks every stored comment again with the current rules, keeping reviewers'
   * redactions — for comments stored before a rule was added (a mistyped ID number, a birth
   * date), whose public text still shows what the rules now mask. Each write is guarded by the
   * public text it replaces, so a redaction made meanwhile is never undone (that comment is
   * skipped and counted); running it again changes nothing more.
   */
  async remaskAll(): Promise<{ scanned: number; updated: number; skipped: number }> {
    const counts = { scanned: 0, updated: 0, skipped: 0 };
    const cursor = this.models.Comment.collection.find({}, { projection: { filingId: 1, body: 1, publicBody: 1, maskings: 1 } }).batchSize(1_000);
    for await (const comment of cursor) {
      counts.scanned++;
      const manual = ((comment.maskings ?? []) as MaskingRecord[]).filter(isManual);
      const masked = maskPersonalInformation(comment.body as string, manual);
      if (masked.text === comment.publicBody) continue;
      const written = await this.models.Comment.collection.updateOne(
        { _id: comment._id, publicBody: comment.publicBody },
        { $set: { publicBody: masked.text, maskings: [...masked.maskings, ...manual] } },
      );
      if (written.matchedCount === 0) {
        counts.skipped++;
        continue;
      }
      counts.updated++;
      await this.refreshReportSamples(comment.filingId as Types.ObjectId, comment._id as Types.ObjectId, masked.text);
    }
    return counts;
  }

  /** R11: answers comments one by one or a whole campaign at once. */
  async dispose(head: FilingHead, round: number, disposal: Disposal, actor: Actor, now: Date): Promise<number> {
    const ids = disposal.clusterId ? await this.members(head, round, disposal.clusterId) : (disposal.commentIds ?? []);
    const filter = { filingId: head._id, round, _id: { $in: ids.map((id) => new Types.ObjectId(id)) } };
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
