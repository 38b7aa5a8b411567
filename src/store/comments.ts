import { randomBytes } from 'node:crypto';
import { isObjectIdText, toObjectId, type ObjectId } from './ids';
import type { Models } from './models';
import type { ActorRecord, ClusteringRecord, CommentRecord, DispositionOutcome, MaskingRecord } from './records';
import { isDuplicateKey } from './driver-errors';

/** A comment as the public pages list it: no contact details, no staff fields. */
export type PublicCommentRow = Pick<CommentRecord, '_id' | 'receipt' | 'article' | 'publicBody' | 'createdAt' | 'disposition'> & {
  author: Pick<CommentRecord['author'], 'name'>;
};

/** The staff list of a round's comments, narrowed down. */
export interface StaffCommentQuery {
  filingId: ObjectId;
  round: number;
  article?: number;
  /** Only comments without an answer yet. */
  undisposed?: boolean;
  /** Only these comments (the members of a campaign). */
  ids?: readonly string[];
}

/** A comment's texts: the original, what the public reads, and how the one became the other (R16). */
export type CommentTexts = Pick<CommentRecord, '_id' | 'body' | 'publicBody' | 'maskings'>;

/** The answer given to comments (R11). */
export interface Disposition {
  outcome: DispositionOutcome;
  reason: string | null;
  at: Date;
  by: ActorRecord;
}

/** What the adoption report reads of each comment of a round. */
export interface CommentOutcome {
  _id: ObjectId;
  article: number | null;
  disposition: { outcome?: DispositionOutcome; reason?: string | null } | null;
}

function counterPrefix(filingId: ObjectId, round: number): string {
  return `comments-${String(filingId)}-${round}-`;
}

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
 * Public comments and what is kept per round of them (R8–R11, R16): the comments, their
 * counters per article, and the campaigns found among them. Build one per process (the
 * counters' group commit lives here).
 */
export class CommentStore {
  constructor(private readonly models: Models) {}

  /**
   * Stores a new comment. `duplicate`: its receipt, or its submission key, is taken already —
   * the caller tells which; nothing was written.
   */
  async insert(comment: Omit<CommentRecord, '_id'>): Promise<'inserted' | 'duplicate'> {
    try {
      await this.models.Comment.create(comment);
      return 'inserted';
    } catch (error) {
      if (isDuplicateKey(error)) return 'duplicate';
      throw error;
    }
  }

  /** The comment stored under a submission key's hash, as much as a repeat needs of it. */
  async bySubmissionKey(key: string): Promise<Pick<CommentRecord, 'receipt' | 'round' | 'submissionDigest'> | null> {
    return this.models.Comment.findOne({ submissionKey: key }, { receipt: 1, round: 1, submissionDigest: 1 })
      .lean<Pick<CommentRecord, 'receipt' | 'round' | 'submissionDigest'>>()
      .exec();
  }

  async byReceipt(receipt: string): Promise<CommentRecord | null> {
    return this.models.Comment.findOne({ receipt }).lean<CommentRecord>().exec();
  }

  /**
   * Comment counts per article (null: the whole draft), kept as counters at intake so that a
   * draft with 100,000 comments shows its counts and pages without counting them each time.
   */
  async countsByArticle(filingId: ObjectId, round: number): Promise<Map<number | null, number>> {
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
  async count(filingId: ObjectId, round: number, article: number | null, by = 1): Promise<void> {
    await this.counters.add(`${counterPrefix(filingId, round)}${article ?? 'whole'}`, by);
  }

  private readonly counters = new CounterBatch(async (increments) => {
    await this.models.Counter.bulkWrite(
      [...increments].map(([id, by]) => ({ updateOne: { filter: { _id: id }, update: { $inc: { seq: by } }, upsert: true } })),
      { ordered: false },
    );
  });

  /** A page of a round's comments for staff, in the order they came, and how many match. */
  async staffPage(query: StaffCommentQuery, page: number, pageSize: number): Promise<{ items: CommentRecord[]; total: number }> {
    const filter: Record<string, unknown> = { filingId: query.filingId, round: query.round };
    if (query.article !== undefined) filter.article = query.article;
    if (query.undisposed) filter.disposition = null;
    if (query.ids) filter._id = { $in: query.ids.map((id) => toObjectId(id)) };
    const [items, total] = await Promise.all([
      this.models.Comment.find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<CommentRecord[]>()
        .exec(),
      this.models.Comment.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /**
   * A page of a round's comments as the public site lists them. No count: the public pages
   * take their totals from the counters (countsByArticle).
   */
  async publicPage(query: { filingId: ObjectId; round: number; article?: number }, page: number, pageSize: number): Promise<PublicCommentRow[]> {
    const filter: Record<string, unknown> = { filingId: query.filingId, round: query.round };
    if (query.article !== undefined) filter.article = query.article;
    return this.models.Comment.find(filter, { receipt: 1, article: 1, publicBody: 1, 'author.name': 1, createdAt: 1, disposition: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<PublicCommentRow[]>()
      .exec();
  }

  /** How many comments a round has, counted (not the counters): a stored clustering's check. */
  async countInRound(filingId: ObjectId, round: number): Promise<number> {
    return this.models.Comment.countDocuments({ filingId, round }).exec();
  }

  /** Every comment of a round with its original text and time: what campaigns are found in. */
  async bodiesOfRound(filingId: ObjectId, round: number): Promise<Array<Pick<CommentRecord, '_id' | 'body' | 'createdAt'>>> {
    return this.models.Comment.find({ filingId, round }, { _id: 1, body: 1, createdAt: 1 })
      .lean<Array<Pick<CommentRecord, '_id' | 'body' | 'createdAt'>>>()
      .exec();
  }

  /** Every comment of a round with its outcome only: the campaigns' progress. */
  async answersOfRound(filingId: ObjectId, round: number): Promise<Array<Pick<CommentRecord, '_id' | 'disposition'>>> {
    return this.models.Comment.find({ filingId, round }, { _id: 1, 'disposition.outcome': 1 })
      .lean<Array<Pick<CommentRecord, '_id' | 'disposition'>>>()
      .exec();
  }

  /**
   * The article and answer of every comment of a round, streamed (a million comments are never
   * held at once): what the adoption report counts.
   */
  async *outcomesOfRound(filingId: ObjectId, round: number): AsyncIterable<CommentOutcome> {
    const cursor = this.models.Comment.collection
      .find({ filingId, round }, { projection: { article: 1, 'disposition.outcome': 1, 'disposition.reason': 1 } })
      .batchSize(5_000);
    for await (const comment of cursor) {
      yield {
        _id: comment._id as unknown as ObjectId,
        article: (comment.article as number | null | undefined) ?? null,
        disposition: (comment.disposition as CommentOutcome['disposition'] | undefined) ?? null,
      };
    }
  }

  /** Comments of a round per outcome (null: not answered yet). */
  async outcomeCounts(filingId: ObjectId, round: number): Promise<Array<{ _id: DispositionOutcome | null; count: number }>> {
    return this.models.Comment.aggregate<{ _id: DispositionOutcome | null; count: number }>([
      { $match: { filingId, round } },
      { $group: { _id: '$disposition.outcome', count: { $sum: 1 } } },
    ]).exec();
  }

  /** The public (masked, redacted) texts of the given comments of a filing, by id. */
  async publicTexts(filingId: ObjectId, ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)].filter((id) => isObjectIdText(id));
    if (unique.length === 0) return new Map();
    const found = await this.models.Comment.find({ filingId, _id: { $in: unique.map(toObjectId) } }, { publicBody: 1 })
      .lean<Array<Pick<CommentRecord, '_id' | 'publicBody'>>>()
      .exec();
    return new Map(found.map((c) => [String(c._id), c.publicBody]));
  }

  /** A comment of a filing with its texts, receipt and round: what a redaction is checked against. */
  async forRedaction(filingId: ObjectId, commentId: ObjectId): Promise<(CommentTexts & Pick<CommentRecord, 'receipt' | 'round'>) | null> {
    return this.models.Comment.findOne({ _id: commentId, filingId }, { body: 1, publicBody: 1, maskings: 1, receipt: 1, round: 1 })
      .lean<CommentTexts & Pick<CommentRecord, 'receipt' | 'round'>>()
      .exec();
  }

  async texts(commentId: ObjectId): Promise<CommentTexts | null> {
    return this.models.Comment.findById(commentId, { body: 1, publicBody: 1, maskings: 1 }).lean<CommentTexts>().exec();
  }

  /** Every comment's texts and filing, streamed: for masking them all again (R16). */
  async *everyCommentTexts(): AsyncIterable<CommentTexts & Pick<CommentRecord, 'filingId'>> {
    const cursor = this.models.Comment.collection.find({}, { projection: { filingId: 1, body: 1, publicBody: 1, maskings: 1 } }).batchSize(1_000);
    for await (const comment of cursor) {
      yield {
        _id: comment._id as unknown as ObjectId,
        filingId: comment.filingId as ObjectId,
        body: comment.body as string,
        publicBody: comment.publicBody as string,
        maskings: (comment.maskings ?? []) as MaskingRecord[],
      };
    }
  }

  /**
   * R16: replaces a comment's public text and its maskings, if its public text is still
   * `expected`: a redaction or remasking made meanwhile is never undone. false: it was not.
   */
  async replacePublicText(commentId: ObjectId, expected: string, publicBody: string, maskings: MaskingRecord[]): Promise<boolean> {
    const written = await this.models.Comment.collection.updateOne({ _id: commentId, publicBody: expected }, { $set: { publicBody, maskings } });
    return written.matchedCount > 0;
  }

  /** R11: answers the given comments of a round at once; how many there were. */
  async dispose(filingId: ObjectId, round: number, ids: readonly string[], disposition: Disposition): Promise<number> {
    const filter = { filingId, round, _id: { $in: ids.map(toObjectId) } };
    const result = await this.models.Comment.updateMany(filter, { $set: { disposition } }).exec();
    return result.matchedCount;
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
  async saveClustering(record: ClusteringRecord): Promise<void> {
    const parts: ClusteringRecord['clusters'][] = [[]];
    let room = CommentStore.clusteringPartMembers;
    for (const cluster of record.clusters) {
      for (let from = 0; from < cluster.memberIds.length; ) {
        if (room === 0) {
          parts.push([]);
          room = CommentStore.clusteringPartMembers;
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
  async clustering(id: string): Promise<ClusteringRecord | null> {
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
}
