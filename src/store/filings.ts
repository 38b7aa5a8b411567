import { createHash } from 'node:crypto';
import type { Stage } from '../../machines/filing.machine';
import type { Visibility } from '../../machines/permissions';
import { parseObjectId, type ObjectId } from './ids';
import type { Models } from './models';
import { reconcileFilings } from './reconcile';
import type { FilingRecord, HistoryEntry, OutboxRecord, TextVersionRecord } from './records';
import { escapeRegex, isDuplicateKey } from './driver-errors';

/** Everything of a filing but its history and outbox, which have readers of their own. */
const WITHOUT_HISTORY = { history: 0, outbox: 0 } as const;
/** What lists and the scheduler read: the head without its text versions either. */
const LIST_FIELDS = { ...WITHOUT_HISTORY, textVersions: 0 } as const;

/** R1: where a filing's disclosure attribute lies in its stored snapshot. */
const DISCLOSURE_ATTRIBUTE = 'snapshot.context.particulars.disclosure.attribute';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function parseFilingId(id: string): ObjectId | null {
  return parseObjectId(id);
}

export type FilingHead = Omit<FilingRecord, 'history' | 'outbox'>;

export interface GuardedChange {
  set: Pick<FilingRecord, 'ledgerHead' | 'snapshot' | 'stage' | 'stageEnteredAt' | 'deadlineAt' | 'reminderAt' | 'alertAt' | 'title' | 'sharedWithOffice' | 'returnCount' | 'consultationStartsAt' | 'consultationEndsAt' | 'consultedAt' | 'validityChangesAt' | 'updatedAt'>;
  history: HistoryEntry;
  textVersion: TextVersionRecord | null;
  /** R19: the e-mails this transition causes, committed with it (transactional outbox). */
  outbox: OutboxRecord[];
}

/** The staff lists of filings: who asks (what they may see) and how they narrow it down. */
export interface FilingListQuery {
  /** What the caller may see (machines/permissions.ts visibilityOf). */
  visibility: Visibility;
  /** Filings of this department, lead or co-department. */
  department?: string;
  /** One stage, or any of several (none: nothing). */
  stage?: Stage | readonly Stage[];
  /** Only filings with a time limit: any, one already past (`before`), or one up to `by`. */
  deadline?: { any: true } | { before: Date } | { by: Date };
  /** Newest change first (the default), nearest time limit first, or longest waiting first. */
  order?: 'recent' | 'deadline' | 'waiting';
}

/** The public site's lists narrowed by a search in the title. */
export interface TitleSearch {
  title?: string;
}

/** A filing whose dated step or notice has come: enough to send the step under its version. */
export interface DueFiling {
  _id: ObjectId;
  version: number;
}

/** R6: the two deadline notices, each with the date on the filing that says when it is due. */
export type DeadlineNoticeKind = 'reminder' | 'overdue';
const NOTICE_FIELD = { reminder: 'reminderAt', overdue: 'alertAt' } as const satisfies Record<DeadlineNoticeKind, keyof FilingRecord>;

/** A filing as the ledger check reads it: its chain and where the chain should end. */
export interface LedgerOfFiling {
  _id: ObjectId;
  reference: string;
  title: string;
  history: HistoryEntry[];
  ledgerHead: string | null;
}

const ORDERS = {
  recent: { updatedAt: -1, _id: -1 },
  deadline: { deadlineAt: 1, _id: 1 },
  waiting: { updatedAt: 1, _id: 1 },
} as const satisfies Record<NonNullable<FilingListQuery['order']>, Record<string, 1 | -1>>;

/**
 * The query form of canView(): null when the actor sees everything. Each branch walks an index
 * of its own ({leadDepartment}, {coDepartments}, {sharedWithOffice}, {stage}, each with updatedAt).
 */
function visibleFilter(visibility: Visibility): Record<string, unknown> | null {
  switch (visibility.kind) {
    case 'nothing':
      return { _id: { $in: [] } };
    case 'everything':
      return null;
    case 'department':
      return { $or: [{ leadDepartment: visibility.department }, { coDepartments: visibility.department }] };
    case 'shared':
      return { $or: [{ sharedWithOffice: true }, { stage: { $in: visibility.actsIn } }] };
  }
}

function listFilter(query: FilingListQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const and: Array<Record<string, unknown>> = [];
  const visible = visibleFilter(query.visibility);
  if (visible) and.push(visible);
  if (query.department) and.push({ $or: [{ leadDepartment: query.department }, { coDepartments: query.department }] });
  if (and.length > 0) filter.$and = and;
  if (typeof query.stage === 'string') filter.stage = query.stage;
  else if (query.stage) filter.stage = { $in: [...query.stage] };
  const deadline = query.deadline;
  if (deadline && 'before' in deadline) filter.deadlineAt = { $ne: null, $lt: deadline.before };
  else if (deadline && 'by' in deadline) filter.deadlineAt = { $ne: null, $lte: deadline.by };
  else if (deadline) filter.deadlineAt = { $ne: null };
  return filter;
}

function withTitle(filter: Record<string, unknown>, search: TitleSearch): Record<string, unknown> {
  return search.title ? { ...filter, title: { $regex: escapeRegex(search.title) } } : filter;
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

  async head(id: ObjectId): Promise<FilingHead | null> {
    return this.models.Filing.findById(id, WITHOUT_HISTORY).lean<FilingHead>().exec();
  }

  async history(id: ObjectId): Promise<HistoryEntry[] | null> {
    const doc = await this.models.Filing.findById(id, { history: 1 }).lean<Pick<FilingRecord, 'history'>>().exec();
    return doc ? doc.history : null;
  }

  /**
   * Applies one transition if and only if nobody else has since the caller read `version`:
   * snapshot, history entry and text version land in one single-document update, so a filing
   * is never half-written and two racing events cannot both apply. null when the race was lost.
   */
  async applyIfVersion(id: ObjectId, version: number, change: GuardedChange): Promise<FilingHead | null> {
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
  async appendIfVersion(id: ObjectId, version: number, entry: HistoryEntry, at: Date): Promise<FilingHead | null> {
    return this.models.Filing.findOneAndUpdate(
      { _id: id, version },
      { $set: { ledgerHead: entry.hash, updatedAt: at }, $inc: { version: 1 }, $push: { history: entry } },
      { returnDocument: 'after', projection: WITHOUT_HISTORY },
    )
      .lean<FilingHead>()
      .exec();
  }

  /** The staff lists (R15 visibility), a page at a time. */
  async list(query: FilingListQuery, page: number, pageSize: number): Promise<{ items: FilingHead[]; total: number }> {
    return this.page(listFilter(query), page, pageSize, ORDERS[query.order ?? 'recent']);
  }

  /** R8/R15: comment periods the public may see now: cleared, started and not yet closed. */
  async openConsultations(now: Date, search: TitleSearch, page: number, pageSize: number): Promise<{ items: FilingHead[]; total: number }> {
    return this.page(withTitle({ stage: 'consultation', consultationStartsAt: { $lte: now } }, search), page, pageSize, ORDERS.recent);
  }

  /** Filings once consulted on in public (R15 clearance) whose comment period is over. */
  async closedConsultations(search: TitleSearch, page: number, pageSize: number): Promise<{ items: FilingHead[]; total: number }> {
    return this.page(withTitle({ consultedAt: { $ne: null }, stage: { $ne: 'consultation' } }, search), page, pageSize, ORDERS.recent);
  }

  /**
   * R1: published documents that are proactively public. Walks the {stage, updatedAt} index; the
   * attribute only drops the rare mistaken publication.
   */
  async publishedDocuments(search: TitleSearch, page: number, pageSize: number): Promise<{ items: FilingHead[]; total: number }> {
    return this.page(withTitle({ stage: 'published', [DISCLOSURE_ATTRIBUTE]: 'proactive' }, search), page, pageSize, ORDERS.recent);
  }

  private async page(filter: Record<string, unknown>, page: number, pageSize: number, sort: Record<string, 1 | -1>): Promise<{ items: FilingHead[]; total: number }> {
    const [items, total] = await Promise.all([
      this.models.Filing.find(filter, LIST_FIELDS)
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
    return this.models.Filing.find({ stage: 'consultation', consultationEndsAt: { $lte: now } }, LIST_FIELDS)
      .sort({ consultationEndsAt: 1, _id: 1 })
      .limit(limit)
      .lean<FilingHead[]>()
      .exec();
  }

  /** Departments, lead or co-department, of the filings the caller may see. */
  async departments(visibility: Visibility): Promise<string[]> {
    const filter = visibleFilter(visibility) ?? {};
    const [lead, co] = await Promise.all([
      this.models.Filing.distinct('leadDepartment', filter).exec(),
      this.models.Filing.distinct('coDepartments', filter).exec(),
    ]);
    return [...new Set([...lead, ...co].map(String))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  }

  /**
   * A filing's version alone: a few bytes, against the whole head's 14 kB or so. Comment intake
   * asks it to learn whether what it read of the filing before still holds. null: no such filing.
   */
  async version(id: ObjectId): Promise<number | null> {
    const current = await this.models.Filing.findById(id, { version: 1 }).lean<{ version: number }>().exec();
    return current ? current.version : null;
  }

  /** The title and 办件编号 of a filing, for e-mails about it; null when it is gone. */
  async titleAndReference(id: ObjectId): Promise<{ title: string; reference: string } | null> {
    return this.models.Filing.findById(id, { title: 1, reference: 1 }).lean<{ title: string; reference: string }>().exec();
  }

  /** A filing's stored snapshot alone, or null. */
  async snapshot(id: ObjectId): Promise<FilingRecord['snapshot'] | null> {
    const doc = await this.models.Filing.findById(id, { snapshot: 1 }).lean<Pick<FilingRecord, 'snapshot'>>().exec();
    return doc ? doc.snapshot : null;
  }

  /** R9: comment periods whose end instant has come, for the scheduler that closes them. */
  async dueConsultationEnds(now: Date, limit: number): Promise<DueFiling[]> {
    return this.due({ stage: 'consultation', consultationEndsAt: { $lte: now } }, limit);
  }

  /** R17: published documents whose dated validity mark takes effect by now. */
  async dueValidityChanges(now: Date, limit: number): Promise<DueFiling[]> {
    return this.due({ stage: 'published', validityChangesAt: { $ne: null, $lte: now } }, limit);
  }

  private async due(filter: Record<string, unknown>, limit: number): Promise<DueFiling[]> {
    return this.models.Filing.find(filter, { _id: 1, version: 1 }).limit(limit).lean<DueFiling[]>().exec();
  }

  /** R6: filings whose reminder (or overdue alert) is due by now. */
  async dueDeadlineNotices(kind: DeadlineNoticeKind, now: Date, limit: number): Promise<FilingHead[]> {
    return this.models.Filing.find({ [NOTICE_FIELD[kind]]: { $ne: null, $lte: now } }, LIST_FIELDS)
      .limit(limit)
      .lean<FilingHead[]>()
      .exec();
  }

  /**
   * R6: marks a deadline notice as given and queues its e-mails in one update, guarded by the
   * notice's due date and the filing's version as `head` read them: of several instances exactly
   * one wins, and a step taken meanwhile leaves the filing to be looked at again. false: lost.
   */
  async clearDeadlineNotice(head: Pick<FilingHead, '_id' | 'version' | 'reminderAt' | 'alertAt'>, kind: DeadlineNoticeKind, messages: OutboxRecord[]): Promise<boolean> {
    const field = NOTICE_FIELD[kind];
    const result = await this.models.Filing.updateOne(
      { _id: head._id, version: head.version, [field]: head[field] },
      { $set: { [field]: null }, ...(messages.length > 0 ? { $push: { outbox: { $each: messages } } } : {}) },
    ).exec();
    return result.modifiedCount > 0;
  }

  /**
   * R15: the ledgers of every filing (or of one), one filing at a time in id order, so that a
   * large database need not fit in memory.
   */
  async *ledgers(filingId?: ObjectId): AsyncIterable<LedgerOfFiling> {
    const cursor = this.models.Filing.find(filingId ? { _id: filingId } : {}, { reference: 1, history: 1, ledgerHead: 1 })
      .sort({ _id: 1 })
      .lean<LedgerOfFiling>()
      .cursor();
    for await (const filing of cursor) yield filing as LedgerOfFiling;
  }

  /** One filing's ledger with its title, for an export; null when there is no such filing. */
  async ledger(id: ObjectId): Promise<LedgerOfFiling | null> {
    return this.models.Filing.findById(id, { reference: 1, title: 1, history: 1, ledgerHead: 1 }).lean<LedgerOfFiling>().exec();
  }

  /** Whether no filing is stored yet (the seed adds its samples only then). */
  async isEmpty(): Promise<boolean> {
    return (await this.models.Filing.estimatedDocumentCount()) === 0;
  }

  /** Brings query fields written under older rules in line with the snapshots (see ./reconcile). */
  async reconcile(): Promise<{ issued: number; unshared: number; shared: number }> {
    return reconcileFilings(this.models);
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
      if (!isDuplicateKey(error)) throw error;
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
