/**
 * R15: the ledger's verdict has one shape wherever it is read — the per-filing export
 * (`GET /filings/:id/ledger`, `--export`), the whole-database report and the script's JSON output:
 * `{ok: true}` when the chain holds, `{ok: false, seq, reason, message}` at its first broken link.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyCommand } from '../../scripts/verify-ledger';
import { verifyLedgers } from '../../src/ledger';
import type { HistoryEntry } from '../../src/store/models';
import { filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
let id: string;
let original: HistoryEntry[];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-verdict-'));

beforeAll(async () => {
  h = await startHarness();
  id = await filingAt(h, ['awaitingIntake', 'review']);
  original = (await h.models.Filing.findById(id, { history: 1 }).lean<{ history: HistoryEntry[] }>().exec())!.history;
}, 60_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await h.close();
});
afterEach(async () => {
  await h.models.Filing.updateOne({ _id: id }, { $set: { history: original } }).exec();
});

/** Every place the verdict is read, for the one filing of this test. */
async function verdicts() {
  const exported = (await h.as('assessor').get(`/filings/${id}/ledger`).expect(200)).body.verification;
  const report = await verifyLedgers(h.services.store);
  const lines: string[] = [];
  const file = path.join(dir, 'ledger.json');
  const exitCode = await verifyCommand(h.services.repositories, { filing: id, export: file, json: true }, (l) => lines.push(l));
  expect(lines).toHaveLength(1);
  return { exported, report, script: JSON.parse(lines[0]), file: JSON.parse(fs.readFileSync(file, 'utf8')).verification, exitCode };
}

test('an intact chain reads {ok: true} everywhere', async () => {
  const { exported, report, script, file, exitCode } = await verdicts();
  expect(exported).toEqual({ ok: true });
  expect(file).toEqual({ ok: true });
  expect(report).toEqual({ ok: true, checked: 1, broken: [] });
  expect(script).toEqual({ ok: true, checked: 1, broken: [] });
  expect(exitCode).toBe(0);
});

test('an edited entry reads {ok: false, seq, reason, message} everywhere', async () => {
  await h.models.Filing.updateOne({ _id: id }, { $set: { 'history.1.note': '事后改动的意见' } }).exec();
  const { exported, report, script, file, exitCode } = await verdicts();
  const verdict = { ok: false, seq: 2, reason: 'hash', message: expect.stringContaining('第2条') };
  expect(exported).toEqual(verdict);
  expect(file).toEqual(verdict);
  const broken = { filingId: id, reference: expect.stringMatching(/^\d{4}-\d{4}$/), ...verdict };
  expect(report).toEqual({ ok: false, checked: 1, broken: [broken] });
  expect(script).toEqual({ ok: false, checked: 1, broken: [broken] });
  expect(exitCode).toBe(1);
});

test('a chain cut off at its end reads {ok: false, seq: null, reason: "head"}', async () => {
  await h.models.Filing.updateOne({ _id: id }, { $set: { history: original.slice(0, -1) } }).exec();
  const { exported, report, script } = await verdicts();
  expect(exported).toMatchObject({ ok: false, seq: null, reason: 'head' });
  expect(report.broken).toEqual([expect.objectContaining({ ok: false, seq: null, reason: 'head' })]);
  expect(script.ok).toBe(false);
});

test('the human-readable output is unchanged by the JSON option', async () => {
  const lines: string[] = [];
  expect(await verifyCommand(h.services.repositories, {}, (l) => lines.push(l))).toBe(0);
  // The whole database's check covers the security audit trail too.
  expect(lines).toEqual(['已核验 1 个文件的办理记录链，全部完整。', expect.stringMatching(/^已核验安全审计日志 \d+ 条记录，全部完整。$/)]);
});
