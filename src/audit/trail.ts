import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';
import { canonicalJson, contentDigest, sha256Hex, type BrokenLink } from '../ledger/chain';
import type { SecurityAuditFilter, SecurityAuditRecord, SecurityAuditStore } from '../store/security-audit';
import type { AuditKind } from './kinds';

/** Who acted: a member of staff as they were at the time (names and roles change later). */
export interface AuditActor {
  id: string;
  name: string;
  role: string;
}

/** What was acted on: a person, a token, a filing, a comment… */
export interface AuditTarget {
  type: string;
  id: string;
  label: string;
}

/**
 * One entry of the security audit trail: who (null: nobody signed in, e.g. a failed sign-in or a
 * command run on the server), what, when, from where, and whether it succeeded.
 */
export interface AuditEntry {
  kind: AuditKind;
  actor: AuditActor | null;
  target: AuditTarget | null;
  detail: Record<string, unknown>;
  at: Date;
  ip: string | null;
  outcome: 'success' | 'failure';
}

/** An entry as stored: numbered and chained. */
export type RecordedAuditEntry = SecurityAuditRecord;

/** Where the trail's chain starts; bound to the trail, so no filing's ledger entry fits into it. */
export const AUDIT_GENESIS_HASH = sha256Hex('predisclosure-security-audit');

/** The digest of what an entry says: everything but its place in the chain. */
export function auditDigest(entry: Pick<SecurityAuditRecord, 'kind' | 'actor' | 'target' | 'detail' | 'at' | 'ip' | 'outcome'>): string {
  const { kind, actor, target, detail, at, ip, outcome } = entry;
  return contentDigest({ kind, actor, target, detail, at, ip, outcome });
}

export function auditHash(seq: number, digest: string, prevHash: string): string {
  return sha256Hex(canonicalJson({ seq, digest, prevHash }));
}

/** The verdict on the trail, in the shape of every ledger verdict: always with `ok`. */
export type AuditTrailReport = { ok: true; checked: number } | ({ ok: false; checked: number } & BrokenLink);

/**
 * How often a writer that lost the race for the next number tries again. Each round lets at
 * least one racing writer through, so this bounds the writers racing at one instant, not the load.
 */
const APPEND_ATTEMPTS = 200;

/**
 * The security audit trail (安全审计日志). Everything the product records about sign-ins,
 * administration, credentials and access to personal information goes through `record`; the
 * security auditor reads it (`list`, `export`) and anyone with the database checks it (`verify`,
 * `npm run ledger:verify`).
 */
export class AuditTrail {
  constructor(private readonly store: SecurityAuditStore) {}

  /**
   * Appends an entry at the end of the chain. Callers record before they disclose (a read of
   * personal information is recorded before the answer goes out): when the record cannot be
   * written, the request fails instead of leaving no trace.
   */
  async record(entry: AuditEntry): Promise<RecordedAuditEntry> {
    // Stored as JSON says it, so that what is hashed is exactly what is read back.
    const detail = JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>;
    const content = {
      kind: entry.kind,
      actor: entry.actor ? { id: entry.actor.id, name: entry.actor.name, role: entry.actor.role } : null,
      target: entry.target ? { type: entry.target.type, id: entry.target.id, label: entry.target.label } : null,
      detail,
      at: entry.at,
      ip: entry.ip,
      outcome: entry.outcome,
    };
    const digest = auditDigest(content);
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
      const last = await this.store.last();
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
      const record: SecurityAuditRecord = { seq, ...content, digest, prevHash, hash: auditHash(seq, digest, prevHash) };
      if (await this.store.insert(record)) {
        await this.store.advanceHead(seq, record.hash);
        return record;
      }
      // Another writer took the number: let the crowd thin out a little before reading the end again.
      await sleep(Math.floor(Math.random() * Math.min(50, 2 + attempt * 2)));
    }
    throw new AppError('AUDIT_TRAIL_BUSY');
  }

  async list(filter: SecurityAuditFilter, page: number, pageSize: number): Promise<{ items: RecordedAuditEntry[]; total: number }> {
    return this.store.list(filter, page, pageSize);
  }

  /** The matching entries, newest first, one at a time. */
  entries(filter: SecurityAuditFilter): AsyncGenerator<RecordedAuditEntry> {
    return this.store.matching(filter);
  }

  /**
   * Walks the whole chain and names the first broken link: an edited entry (`hash`), a removed,
   * inserted or reordered one (`sequence` or `previous-hash`), entries cut off the end (`head`).
   */
  async verify(): Promise<AuditTrailReport> {
    let checked = 0;
    let prev = AUDIT_GENESIS_HASH;
    // The hash of the entry the head names, once the walk reaches it.
    let headHash: string | undefined;
    const head = await this.store.head();
    const broken = (link: BrokenLink): AuditTrailReport => ({ ok: false, checked, ...link });
    for await (const entry of this.store.inOrder()) {
      const expected = checked + 1;
      if (entry.seq !== expected) {
        return broken({ seq: entry.seq ?? null, reason: 'sequence', message: `第${expected}条记录的序号为${String(entry.seq)}，记录被删除、插入或调换` });
      }
      checked++;
      if (entry.prevHash !== prev) return broken({ seq: entry.seq, reason: 'previous-hash', message: `第${entry.seq}条记录未接续上一条记录` });
      if (entry.digest !== auditDigest(entry) || entry.hash !== auditHash(entry.seq, entry.digest, prev)) {
        return broken({ seq: entry.seq, reason: 'hash', message: `第${entry.seq}条记录的内容与其哈希值不符，已被改动` });
      }
      if (head && entry.seq === head.seq) headHash = entry.hash;
      prev = entry.hash;
    }
    // The head may trail the last entry (a writer stopped between its two writes), never pass it.
    if (head && headHash !== head.hash) {
      return broken({ seq: null, reason: 'head', message: `安全审计日志应至少有${head.seq}条记录，末尾记录被删除或替换` });
    }
    // Without a head only a trail of one entry is plausible: its writer stopped before the head's first write.
    if (!head && checked > 1) {
      return broken({ seq: null, reason: 'head', message: '安全审计日志的末端记录缺失' });
    }
    return { ok: true, checked };
  }
}
