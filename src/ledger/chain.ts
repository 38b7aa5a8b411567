import { createHash } from 'node:crypto';
import type { HistoryEntry } from '../store/records';

/**
 * R15 台账痕迹管理: every action on a filing is a history entry carrying who (actor and role),
 * when, what (event, stages) and a digest of the content acted on, chained by hash to the entry
 * before it. Editing, removing, inserting or reordering a stored entry breaks the chain at that
 * entry; the filing keeps the newest hash (`ledgerHead`), so cutting entries off the end shows too.
 */

/** JSON with sorted keys and ISO dates: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    // ObjectIds and the like carry their own JSON form.
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function' && !(value.constructor === Object)) return canonicalJson(json.call(value));
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The digest of what an action carried (a text's hash, a patch, reasons, an opinion…). */
export function contentDigest(content: unknown): string {
  return sha256Hex(canonicalJson(content));
}

/** Where a filing's chain starts: bound to the filing, so entries cannot move between filings. */
export function genesisHash(filingId: string): string {
  return sha256Hex(`predisclosure-ledger:${filingId}`);
}

export type UnchainedEntry = Omit<HistoryEntry, 'hash' | 'prevHash'>;

/** The hash of an entry: everything it says, plus the hash of the entry before it. */
export function entryHash(entry: UnchainedEntry, prevHash: string): string {
  const { seq, at, actor, event, from, to, return: returned, note, digest } = entry;
  return sha256Hex(canonicalJson({ seq, at, actor, event, from, to, return: returned, note, digest, prevHash }));
}

export function chain(entry: UnchainedEntry, prevHash: string): HistoryEntry {
  return { ...entry, prevHash, hash: entryHash(entry, prevHash) };
}

export interface BrokenLink {
  /** The first entry whose link does not hold (null: the end of the chain was cut off). */
  seq: number | null;
  reason: 'sequence' | 'previous-hash' | 'hash' | 'head';
  message: string;
}

/**
 * The verdict on one chain, always with `ok`, so that a reader (a person, a script, another
 * system) tests one field whether the chain holds or not.
 */
export type LedgerVerdict = { ok: true } | ({ ok: false } & BrokenLink);

/** R15: the verdict on a filing's chain; when broken, its first broken link. */
export function ledgerVerdict(filingId: string, history: readonly HistoryEntry[], ledgerHead: string | null): LedgerVerdict {
  const broken = verifyChain(filingId, history, ledgerHead);
  return broken ? { ok: false, ...broken } : { ok: true };
}

/** Walks a filing's chain; the first broken link, or null when every link holds. */
export function verifyChain(filingId: string, history: readonly HistoryEntry[], ledgerHead: string | null): BrokenLink | null {
  let prev = genesisHash(filingId);
  for (let i = 0; i < history.length; i++) {
    const entry = history[i];
    if (entry.seq !== i + 1) {
      return { seq: entry.seq ?? null, reason: 'sequence', message: `第${i + 1}条记录的序号为${String(entry.seq)}，记录被删除、插入或调换` };
    }
    if (entry.prevHash !== prev) {
      return { seq: entry.seq, reason: 'previous-hash', message: `第${entry.seq}条记录未接续上一条记录` };
    }
    if (entry.hash !== entryHash(entry, prev)) {
      return { seq: entry.seq, reason: 'hash', message: `第${entry.seq}条记录的内容与其哈希值不符，已被改动` };
    }
    prev = entry.hash;
  }
  if (ledgerHead !== prev) {
    return { seq: null, reason: 'head', message: '记录链的末端与文件登记的末端哈希不符，末尾记录被删除或替换' };
  }
  return null;
}
