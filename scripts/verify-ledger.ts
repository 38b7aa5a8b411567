/**
 * R15: verifies the hash-chained ledger of one filing or of the whole database and names the first
 * broken link of each broken chain; exits 1 when any chain is broken.
 *   npm run ledger:verify                 every filing
 *   npm run ledger:verify -- --filing ID  one filing
 *   npm run ledger:verify -- --filing ID --export ledger.json   and write its ledger as JSON
 *   npm run ledger:verify -- --json       the report as JSON: {ok, checked, broken: [{filingId, reference, ok: false, seq, reason, message}]}
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ledgerExport, verifyLedgers } from '../src/ledger';
import { parseFilingId, type FilingStore } from '../src/store/filings';
import { openScriptDatabase } from './connect';

/** The command itself, apart from the process, so tests run it: returns the exit code. */
export async function verifyCommand(
  filings: FilingStore,
  args: { filing?: string; export?: string; json?: boolean },
  write: (line: string) => void,
): Promise<number> {
  const id = args.filing ? parseFilingId(args.filing) : undefined;
  if (id === null || (args.export && !id)) {
    write('用法：npm run ledger:verify -- [--json] [--filing 文件ID [--export 输出文件.json]]');
    return 2;
  }
  const report = await verifyLedgers(filings, id);
  if (id && report.checked === 0) {
    write(`未找到文件 ${args.filing}`);
    return 2;
  }
  // Machine-readable output is the report alone, in the shape of every other ledger verdict.
  if (args.json) write(JSON.stringify(report));
  else {
    for (const broken of report.broken) {
      write(`✗ ${broken.reference}（${broken.filingId}）${broken.seq === null ? '链尾' : `第${broken.seq}条`}：${broken.message}`);
    }
    write(`已核验 ${report.checked} 个文件的办理记录链，${report.ok ? '全部完整' : `${report.broken.length} 个已被改动`}。`);
  }
  if (args.export && id) {
    const filing = await filings.ledger(id);
    if (filing) {
      const exported = ledgerExport({ id: String(id), reference: filing.reference, title: filing.title, ledgerHead: filing.ledgerHead as string }, filing.history);
      fs.writeFileSync(args.export, `${JSON.stringify(exported, null, 2)}\n`);
      if (!args.json) write(`办理记录已导出到 ${args.export}`);
    }
  }
  return report.ok ? 0 : 1;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { filing: { type: 'string' }, export: { type: 'string' }, json: { type: 'boolean' } } });
  const { repositories, connection } = await openScriptDatabase();
  try {
    process.exitCode = await verifyCommand(repositories.filings, values, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await connection.close();
  }
}

if (require.main === module) void main();
