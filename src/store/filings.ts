import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { FilingRecord, HistoryEntry, Models, OutboxRecord, TextVersionRecord } from './models';

/** Everything of a filing but its history and outbox, which have readers of their own. */
const WITHOUT_HISTORY = { history: 0, outbox: 0 } as const;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function parseFilingId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}

export type FilingHead = Omit<FilingRecord, 'history' | 'outbox'>;

export interface GuardedChange {
  set: Pick<FilingRecord, 'ledgerHead' | 'snapshot' | 'stage' | 'stageEnteredAt' | 'deadlineAt' | 'reminderAt' | 'alertAt' | 'title' | 'sharedWithOffice' | 'returnCount' | 'consultationStartsAt' | 'consultationEndsAt' | 'consultedAt' | 'validityChangesAt' | 'updatedAt'>;
  history: HistoryEntry;
  textVersion: TextVersionRecord | null;
  /** R19: the e-mails this transition causes, committed with it (transactional outbox). */
  outbox: OutboxRecord[];
}

/** How many characters of text bodies a FilingStore keeps in memory (UTF-16: twice the bytes). */
const TEXT_CACHE_CHARS = 4_000_000;

export class FilingStore {
  private readonly texts = new Map<string, string>();
  private textChars = 0;

  constructor(private readonly models: Models) {}

  /** The next 办件编号 of a year; a number lost to a failed insert is simply skipped. */
  async nextReference(year: number): Promise<string> {
    const counter = await this.models.Counter.findOneAndUpdate(
      { _id: `filing-${year}` },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    )
      .lean()
      .exec();
    return `${year}-${String(counter?.seq ?? 1).padStart(4, '0')}`;
  }

  async insert(record: FilingRecord): Promise<FilingHead> {
    const created = await this.models.Filing.create(record);
    const { history: _history, outbox: _outbox, ...head } = created.toObject() as FilingRecord;
    return head;
  }

  async head(id: Types.ObjectId): Promise<FilingHead | null> {
    return this.models.Filing.findById(id, WITHOUT_HISTORY).lean<FilingHead>().exec();
  }

  async history(id: Types.ObjectId): Promise<HistoryEntry[] | null> {
    const doc = await this.models.Filing.findById(id, { history: 1 }).lean<Pick<FilingRecord, 'history'>>().exec();
    return doc ? doc.history : null;
  }

  /**
   * Applies one transition if and only if nobody else has since the caller read `version`:
   * snapshot, history entry and text version land in one single-document update, so a filing
   * is never half-written and two racing events cannot both apply. null when the race was lost.
   */
  async applyIfVersion(id: Types.ObjectId, version: number, change: GuardedChange): Promise<FilingHead | null> {
    const push: Record<string, unknown> = { history: change.history };
    if (change.textVersion) push.textVersions = change.textVersion;
    if (change.outbox.length > 0) push.outbox = { $each: change.outbox };
    return this.models.Filing.findOneAndUpdate(
      { _id: id, version },
      { $set: change.set, $inc: { version: 1 }, $push: push },
      { returnDocument: 'after', projection: WITHOUT_HISTORY },
    )
      .lean<FilingHead>()
      .exec();
  }

  /**
   * Appends a ledger entry for an action that does not move the filing (e.g. answering comments),
   * under the same version guard as a transition so the chain never forks. null when the race was lost.
   */
  async appendIfVersion(id: Types.ObjectId, version: number, entry: HistoryEntry, at: Date): Promise<FilingHead | null> {
    return this.models.Filing.findOneAndUpdate(
      { _id: id, version },
      { $set: { ledgerHead: entry.hash, updatedAt: at }, $inc: { version: 1 }, $push: { history: entry } },
      { returnDocument: 'after', projection: WITHOUT_HISTORY },
    )
      .lean<FilingHead>()
      .exec();
  }

  async list(
    filter: Record<string, unknown>,
    page: number,
    pageSize: number,
    sort: Record<string, 1 | -1> = { updatedAt: -1, _id: -1 },
  ): Promise<{ items: FilingHead[]; total: number }> {
    const [items, total] = await Promise.all([
      this.models.Filing.find(filter, { ...WITHOUT_HISTORY, textVersions: 0 })
        .sort(sort)
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<FilingHead[]>()
        .exec(),
      this.models.Filing.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /** R9: comment periods under way whose end instant has passed, soonest ended first. */
  async endedConsultations(now: Date, limit: number): Promise<FilingHead[]> {
    return this.models.Filing.find({ stage: 'consultation', consultationEndsAt: { $lte: now } }, { ...WITHOUT_HISTORY, textVersions: 0 })
      .sort({ consultationEndsAt: 1, _id: 1 })
      .limit(limit)
      .lean<FilingHead[]>()
      .exec();
  }

  async departments(filter: Record<string, unknown>): Promise<string[]> {
    const [lead, co] = await Promise.all([
      this.models.Filing.distinct('leadDepartment', filter).exec(),
      this.models.Filing.distinct('coDepartments', filter).exec(),
    ]);
    return [...new Set([...lead, ...co].map(String))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  }

  /** Stores a text body under its hash; idempotent, so it may safely precede the transition. */
  async saveText(body: string): Promise<string> {
    const id = sha256(body);
    try {
      await this.models.Text.updateOne(
        { _id: id },
        { $setOnInsert: { body, length: body.length, createdAt: new Date() } },
        { upsert: true },
      ).exec();
    } catch (error) {
      // Two concurrent upserts of the same body: the other one stored it.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    return id;
  }

  /**
   * A text body by its hash. Texts are content-addressed and never change, so bodies once read
   * are kept (the most recently used, up to TEXT_CACHE_CHARS): every comment and every view of
   * a draft or a document needs its text, and the database need not be asked each time.
   */
  async text(sha: string): Promise<string | null> {
    const cached = this.texts.get(sha);
    if (cached !== undefined) {
      // Most recently used last: a Map iterates in insertion order.
      this.texts.delete(sha);
      this.texts.set(sha, cached);
      return cached;
    }
    const doc = await this.models.Text.findById(sha).lean().exec();
    if (!doc) return null;
    if (doc.body.length <= TEXT_CACHE_CHARS / 8 && sha256(doc.body) === sha) {
      this.texts.set(sha, doc.body);
      this.textChars += doc.body.length;
      for (const [oldest, body] of this.texts) {
        if (this.textChars <= TEXT_CACHE_CHARS) break;
        this.texts.delete(oldest);
        this.textChars -= body.length;
      }
    }
    return doc.body;
  }
}
