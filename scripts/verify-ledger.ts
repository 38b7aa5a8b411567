/**
 * R15: verifies the hash-chained ledger of one filing or of the whole database, and the security
 * audit trail, and names the first broken link of each broken chain; exits 1 when any is broken.
 *   npm run ledger:verify                 every filing and the security audit trail
 *   npm run ledger:verify -- --filing ID  one filing
 *   npm run ledger:verify -- --filing ID --export ledger.json   and write its ledger as JSON
 *   npm run ledger:verify -- --security   the security audit trail alone
 *   npm run ledger:verify -- --json       the report as JSON: {ok, checked, broken: [{filingId, reference, ok: false, seq, reason, message}],
 *                                         security: {ok, checked} or {ok: false, checked, seq, reason, message}}
 *                                         (with --security: the trail's verdict alone)
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditTrail, type AuditTrailReport } from '../src/audit/trail';
import { ledgerExport, verifyLedgers } from '../src/ledger';
import type { Repositories } from '../src/store';
import { parseFilingId } from '../src/store/filings';
import { openScriptDatabase } from './connect';

function securityLine(report: AuditTrailReport): string {
  if (report.ok) return `已核验安全审计日志 ${report.checked} 条记录，全部完整。`;
  return `✗ 安全审计日志${report.seq === null ? '链尾' : `第${report.seq}条`}：${report.message}（已核验 ${report.checked} 条）`;
}

/** The command itself, apart from the process, so tests run it: returns the exit code. */
export async function verifyCommand(
  repositories: Pick<Repositories, 'filings' | 'securityAudit'>,
  args: { filing?: string; export?: string; json?: boolean; security?: boolean },
  write: (line: string) => void,
): Promise<number> {
  const id = args.filing ? parseFilingId(args.filing) : undefined;
  if (id === null || (args.export && !id) || (args.security && args.filing)) {
    write('用法：npm run ledger:verify -- [--json] [--security | --filing 文件ID [--export 输出文件.json]]');
    return 2;
  }
  const trail = () => new AuditTrail(repositories.securityAudit).verify();
  if (args.security) {
    const security = await trail();
    write(args.json ? JSON.stringify(security) : securityLine(security));
    return security.ok ? 0 : 1;
  }
  const ledgers = await verifyLedgers(repositories.filings, id);
  // One filing's check is about that filing; the whole database's includes the trail.
  const security = id ? null : await trail();
  const report = security ? { ...ledgers, ok: ledgers.ok && security.ok, security } : ledgers;
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
    write(`已核验 ${report.checked} 个文件的办理记录链，${report.broken.length === 0 ? '全部完整' : `${report.broken.length} 个已被改动`}。`);
    if (security) write(securityLine(security));
  }
  if (args.export && id) {
    const filing = await repositories.filings.ledger(id);
    if (filing) {
      const exported = ledgerExport({ id: String(id), reference: filing.reference, title: filing.title, ledgerHead: filing.ledgerHead as string }, filing.history);
      fs.writeFileSync(args.export, `${JSON.stringify(exported, null, 2)}\n`);
      if (!args.json) write(`办理记录已导出到 ${args.export}`);
    }
  }
  return report.ok ? 0 : 1;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { filing: { type: 'string' }, export: { type: 'string' }, json: { type: 'boolean' }, security: { type: 'boolean' } } });
  const { repositories, connection } = await openScriptDatabase();
  try {
    process.exitCode = await verifyCommand(repositories, values, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await connection.close();
  }
}

if (require.main === module) void main();
