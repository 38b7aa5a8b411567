/**
 * R15 台账痕迹管理: every action lands on a hash-chained ledger; editing, removing or reordering a
 * stored entry is found, and the verifier names the first broken link.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { verifyCommand } from '../../scripts/verify-ledger';
import { canonicalJson, entryHash, genesisHash, verifyChain, verifyLedgers } from '../../src/ledger';
import type { HistoryEntry } from '../../src/store/models';
import { drive, filingAt, ROUTES, startHarness, type Harness } from '../support/harness';

describe('canonical JSON', () => {
  test('key order and dates do not change the bytes', () => {
    const at = new Date('2026-11-22T01:02:03.004Z');
    expect(canonicalJson({ b: 1, a: [at, null, { d: undefined, c: '甲' }] })).toBe('{"a":["2026-11-22T01:02:03.004Z",null,{"c":"甲"}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('the ledger of a filing', () => {
  let h: Harness;
  let id: string;
  let other: string;

  beforeAll(async () => {
    h = await startHarness();
    id = await filingAt(h, ['consultationRequested', 'consultation']);
    await request(h.app).post(`/public/consultations/${id}/comments`).send({ body: '建议延长过渡期。', article: 1 }).expect(201);
    await drive(h, id, ROUTES.disposition);
    const comments = await h.as('drafter').get(`/filings/${id}/comments?round=1`).expect(200);
    await h
      .as('drafter')
      .post(`/filings/${id}/consultations/1/dispositions`, { commentIds: [comments.body.items[0].id], outcome: 'adopted', reason: null })
      .expect(200);
    await drive(h, id, ROUTES.adoptionReportReview);
    other = await filingAt(h, ['awaitingIntake']);
  }, 120_000);
  afterAll(() => h.close());

  const stored = async (filing: string) =>
    (await h.models.Filing.findById(filing, { history: 1, ledgerHead: 1 }).lean<{ history: HistoryEntry[]; ledgerHead: string }>().exec())!;

  test('every action is an entry with actor, role, time and content digest, chained to the one before', async () => {
    const { history, ledgerHead } = await stored(id);
    expect(history.map((e) => e.event)).toEqual([
      'CREATE',
      'START_CONSULTATION',
      'CLEAR_FOR_PUBLICATION',
      'CLOSE_CONSULTATION',
      'DISPOSE_COMMENTS',
      'FINALIZE_ADOPTION_REPORT',
    ]);
    expect(history[0].prevHash).toBe(genesisHash(id));
    for (let i = 1; i < history.length; i++) expect(history[i].prevHash).toBe(history[i - 1].hash);
    expect(ledgerHead).toBe(history.at(-1)!.hash);
    const disposal = history[4];
    expect(disposal).toMatchObject({ seq: 5, actor: { role: 'drafter', name: '测试drafter' }, note: expect.stringContaining('采纳') });
    expect(disposal.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(id, history, ledgerHead)).toBeNull();
    expect(await verifyLedgers(h.services.store)).toEqual({ ok: true, checked: 2, broken: [] });
  });

  test('one filing\'s ledger exports as JSON, with its check', async () => {
    const res = await h.as('assessor').get(`/filings/${id}/ledger`).expect(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.entries).toHaveLength(6);
    expect(res.body.verification).toEqual({ ok: true });
    await h.as('otherDrafter').get(`/filings/${id}/ledger`).expect(403);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'ledger.json');
    const lines: string[] = [];
    expect(await verifyCommand(h.services.repositories, { filing: id, export: file }, (l) => lines.push(l))).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).entries).toHaveLength(6);
    expect(lines.join('\n')).toContain('全部完整');
  });

  test('an edited entry is named by the verifier', async () => {
    const original = await stored(id);
    try {
      await h.models.Filing.updateOne({ _id: id }, { $set: { 'history.2.note': '已改动的意见' } }).exec();
      const report = await verifyLedgers(h.services.store);
      expect(report.broken).toEqual([expect.objectContaining({ filingId: id, seq: 3, reason: 'hash' })]);
      const lines: string[] = [];
      expect(await verifyCommand(h.services.repositories, {}, (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toContain('第3条');
      // Re-hashing the edited entry does not help: the next one no longer links to it.
      const entries = (await stored(id)).history;
      await h.models.Filing.updateOne({ _id: id }, { $set: { 'history.2.hash': entryHash(entries[2], entries[2].prevHash) } }).exec();
      expect((await verifyLedgers(h.services.store, new Types.ObjectId(id))).broken[0]).toMatchObject({ seq: 4, reason: 'previous-hash' });
    } finally {
      await h.models.Filing.updateOne({ _id: id }, { $set: { history: original.history } }).exec();
    }
    expect((await verifyLedgers(h.services.store)).broken).toEqual([]);
  });

  test('removed, reordered or cut-off entries are found', async () => {
    const original = await stored(other);
    try {
      const [a, b, ...rest] = original.history;
      await h.models.Filing.updateOne({ _id: other }, { $set: { history: [b, a, ...rest] } }).exec();
      expect((await verifyLedgers(h.services.store)).broken[0]).toMatchObject({ filingId: other, seq: 2, reason: 'sequence' });
      // One entry taken out of the middle.
      await h.models.Filing.updateOne({ _id: other }, { $set: { history: [a, ...rest] } }).exec();
      expect((await verifyLedgers(h.services.store)).broken[0]).toMatchObject({ filingId: other, reason: 'sequence' });
      await h.models.Filing.updateOne({ _id: other }, { $set: { history: original.history.slice(0, -1) } }).exec();
      expect((await verifyLedgers(h.services.store)).broken[0]).toMatchObject({ filingId: other, seq: null, reason: 'head' });
    } finally {
      await h.models.Filing.updateOne({ _id: other }, { $set: { history: original.history } }).exec();
    }
    expect((await verifyLedgers(h.services.store)).broken).toEqual([]);
  });
});
