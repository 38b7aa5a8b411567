import type { Types } from 'mongoose';
import type { HistoryEntry, Models } from '../store/models';
import { verifyChain, type BrokenLink } from './chain';

export * from './chain';

export interface LedgerReport {
  checked: number;
  /** Every filing whose chain is broken, with its first broken link. */
  broken: Array<{ filingId: string; reference: string } & BrokenLink>;
}

/**
 * R15: verifies the chain of one filing, or of every filing in the database, reading one filing
 * at a time so that a large database does not have to fit in memory.
 */
export async function verifyLedgers(models: Models, filingId?: Types.ObjectId): Promise<LedgerReport> {
  const report: LedgerReport = { checked: 0, broken: [] };
  const cursor = models.Filing.find(filingId ? { _id: filingId } : {}, { reference: 1, history: 1, ledgerHead: 1 })
    .sort({ _id: 1 })
    .lean<{ _id: Types.ObjectId; reference: string; history: HistoryEntry[]; ledgerHead: string | null }>()
    .cursor();
  for await (const filing of cursor) {
    report.checked++;
    const broken = verifyChain(String(filing._id), filing.history ?? [], filing.ledgerHead ?? null);
    if (broken) report.broken.push({ filingId: String(filing._id), reference: filing.reference, ...broken });
  }
  return report;
}

/** One filing's ledger as exported: the entries with their hashes, and how to check them. */
export function ledgerExport(filing: { id: string; reference: string; title: string; ledgerHead: string }, history: HistoryEntry[]) {
  return {
    filing,
    algorithm: 'sha256(canonicalJson({seq, at, actor, event, from, to, return, note, digest, prevHash})); first prevHash = sha256("predisclosure-ledger:" + filingId)',
    entries: history,
    verification: verifyChain(filing.id, history, filing.ledgerHead) ?? { ok: true },
  };
}
