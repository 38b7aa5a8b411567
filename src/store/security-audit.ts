import { Schema } from 'mongoose';
import type { Models } from './models';
import { isDuplicateKey } from './driver-errors';

/**
 * The security audit trail (安全审计日志): one document per entry in `security_audit`, chained by
 * hash like a filing's ledger (src/ledger/chain.ts), and a head document in
 * `security_audit_head` holding the newest hash the trail has reached.
 *
 * Why a unique `seq` rather than a version-guarded head alone: an entry is appended by inserting
 * the document with the next sequence number and the previous entry's hash; the unique index lets
 * exactly one of several racing writers (threads, service instances, the scripts) take a number,
 * and the losers read the new end and try again. So the chain never forks (one entry per number)
 * and never has a gap (a number is only taken by an entry that exists). The head is advanced
 * after the insert and only ever forward; it is what shows that entries were cut off the end.
 * A crash between the insert and the head's update leaves the head short of the last entry,
 * which the verifier accepts (entries beyond the head must still chain); the next append moves
 * the head past it.
 */
export interface SecurityAuditRecord {
  seq: number;
  kind: string;
  actor: { id: string; name: string; role: string } | null;
  target: { type: string; id: string; label: string } | null;
  detail: Record<string, unknown>;
  at: Date;
  ip: string | null;
  outcome: 'success' | 'failure';
  /** sha256 of the entry's content (kind, actor, target, detail, at, ip, outcome). */
  digest: string;
  /** The hash of the entry before (the trail's genesis hash for the first). */
  prevHash: string;
  hash: string;
}

export interface SecurityAuditHeadRecord {
  _id: string;
  seq: number;
  hash: string;
}

export const securityAuditSchema = new Schema<SecurityAuditRecord>(
  {
    seq: { type: Number, required: true },
    kind: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, default: null },
    target: { type: Schema.Types.Mixed, default: null },
    detail: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
    ip: { type: String, default: null },
    outcome: { type: String, required: true },
    digest: { type: String, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  // No TTL index, ever: entries are kept at least six months (网络安全法 art. 21) and the product
  // deletes none (see the README).
  { versionKey: false, minimize: false, collection: 'security_audit' },
);
// One entry per number: the writers' race is decided here (see above). Also the verifier's walk.
securityAuditSchema.index({ seq: 1 }, { unique: true });
// The auditor's filters, each newest first.
securityAuditSchema.index({ kind: 1, seq: -1 });
securityAuditSchema.index({ 'actor.id': 1, seq: -1 });
securityAuditSchema.index({ 'actor.name': 1, seq: -1 });
securityAuditSchema.index({ outcome: 1, seq: -1 });
securityAuditSchema.index({ at: 1 });

export const securityAuditHeadSchema = new Schema<SecurityAuditHeadRecord>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } },
  { versionKey: false, collection: 'security_audit_head' },
);

const HEAD_ID = 'security-audit';

export interface SecurityAuditFilter {
  kinds?: readonly string[];
  /** A person's id or exact name. */
  person?: string;
  from?: Date;
  /** Exclusive. */
  until?: Date;
  outcome?: 'success' | 'failure';
}

/** The repository of the trail; the chaining itself is the caller's (src/audit). */
export class SecurityAuditStore {
  constructor(private readonly models: Pick<Models, 'SecurityAudit' | 'SecurityAuditHead'>) {}

  /** The newest entry's number and hash, or null on an empty trail. */
  async last(): Promise<{ seq: number; hash: string } | null> {
    return this.models.SecurityAudit.findOne({}, { _id: 0, seq: 1, hash: 1 }).sort({ seq: -1 }).lean<{ seq: number; hash: string }>().exec();
  }

  /** Inserts an entry; false when its number was taken by another writer meanwhile. */
  async insert(record: SecurityAuditRecord): Promise<boolean> {
    try {
      await this.models.SecurityAudit.collection.insertOne({ ...record });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Moves the head forward to this entry, never back (writers finish in any order). */
  async advanceHead(seq: number, hash: string): Promise<void> {
    try {
      await this.models.SecurityAuditHead.updateOne({ _id: HEAD_ID, seq: { $lt: seq } }, { $set: { seq, hash } }, { upsert: true }).exec();
    } catch (error) {
      // The head is already at or past this entry: the upsert found no match and its insert collided.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async head(): Promise<{ seq: number; hash: string } | null> {
    return this.models.SecurityAuditHead.findById(HEAD_ID, { _id: 0, seq: 1, hash: 1 }).lean<{ seq: number; hash: string }>().exec();
  }

  /** Every entry in order of its number, one at a time, for the verifier. */
  async *inOrder(): AsyncGenerator<SecurityAuditRecord> {
    const cursor = this.models.SecurityAudit.find({}, { _id: 0 }).sort({ seq: 1 }).lean<SecurityAuditRecord>().cursor();
    for await (const record of cursor) yield record as SecurityAuditRecord;
  }

  private query(filter: SecurityAuditFilter): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    if (filter.kinds) query.kind = { $in: filter.kinds };
    if (filter.person !== undefined) query.$or = [{ 'actor.id': filter.person }, { 'actor.name': filter.person }];
    if (filter.outcome) query.outcome = filter.outcome;
    if (filter.from || filter.until) {
      const at: Record<string, Date> = {};
      if (filter.from) at.$gte = filter.from;
      if (filter.until) at.$lt = filter.until;
      query.at = at;
    }
    return query;
  }

  /** Newest first. */
  async list(filter: SecurityAuditFilter, page: number, pageSize: number): Promise<{ items: SecurityAuditRecord[]; total: number }> {
    const query = this.query(filter);
    const [items, total] = await Promise.all([
      this.models.SecurityAudit.find(query, { _id: 0 })
        .sort({ seq: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<SecurityAuditRecord[]>()
        .exec(),
      this.models.SecurityAudit.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  /** Newest first, one at a time, for the CSV export. */
  async *matching(filter: SecurityAuditFilter): AsyncGenerator<SecurityAuditRecord> {
    const cursor = this.models.SecurityAudit.find(this.query(filter), { _id: 0 }).sort({ seq: -1 }).lean<SecurityAuditRecord>().cursor();
    for await (const record of cursor) yield record as SecurityAuditRecord;
  }
}
