import type { FilingStore } from '../store/filings';
import type { ObjectId } from '../store/ids';
import type { HistoryEntry } from '../store/records';
import { ledgerVerdict, type BrokenLink, type LedgerVerdict } from './chain';

export * from './chain';

/** A broken chain in the whole-database report: which filing, and its verdict. */
export type BrokenLedger = { filingId: string; reference: string; ok: false } & BrokenLink;

export interface LedgerReport {
  /** Every chain checked holds. */
  ok: boolean;
  checked: number;
  /** Every filing whose chain is broken, with its first broken link. */
  broken: BrokenLedger[];
}

/**
 * R15: verifies the chain of one filing, or of every filing in the database, reading one filing
 * at a time so that a large database does not have to fit in memory.
 */
export async function verifyLedgers(filings: FilingStore, filingId?: ObjectId): Promise<LedgerReport> {
  let checked = 0;
  const broken: BrokenLedger[] = [];
  for await (const filing of filings.ledgers(filingId)) {
    checked++;
    const verdict = ledgerVerdict(String(filing._id), filing.history ?? [], filing.ledgerHead ?? null);
    if (!verdict.ok) broken.push({ filingId: String(filing._id), reference: filing.reference, ...verdict });
  }
  return { ok: broken.length === 0, checked, broken };
}

/** One filing's ledger as exported: the entries with their hashes, how to check them, and the verdict. */
export function ledgerExport(filing: { id: string; reference: string; title: string; ledgerHead: string }, history: HistoryEntry[]): {
  filing: typeof filing;
  algorithm: string;
  entries: HistoryEntry[];
  verification: LedgerVerdict;
} {
  return {
    filing,
    algorithm: 'sha256(canonicalJson({seq, at, actor, event, from, to, return, note, digest, prevHash})); first prevHash = sha256("predisclosure-ledger:" + filingId)',
    entries: history,
    verification: ledgerVerdict(filing.id, history, filing.ledgerHead),
  };
}
