/**
 * The security audit trail's chain: one chain under concurrent writers on several connections
 * (no fork, no gap), and a verifier that names the first broken link — an edited, removed or
 * reordered entry, or entries cut off the end — in the command's `{ok, …}` shape.
 */
import { createRepositories } from '../../src/store';
import mongoose from 'mongoose';
import { verifyCommand } from '../../scripts/verify-ledger';
import { AUDIT_GENESIS_HASH, AuditTrail, type AuditEntry } from '../../src/audit';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { SecurityAuditStore, type SecurityAuditRecord } from '../../src/store/security-audit';
import { connectTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let models: Models;
let trail: AuditTrail;

beforeAll(async () => {
  db = await connectTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  trail = new AuditTrail(new SecurityAuditStore(models));
});
afterAll(() => db.close());

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    kind: 'signIn',
    actor: { id: `staff-${n % 5}`, name: `人员${n % 5}`, role: 'drafter' },
    target: null,
    detail: { channel: 'console', n },
    at: new Date(Date.UTC(2026, 10, 22, 1, 0, n)),
    ip: '10.0.0.7',
    outcome: 'success',
    ...overrides,
  };
}

const stored = () => models.SecurityAudit.find({}, { _id: 0 }).sort({ seq: 1 }).lean<SecurityAuditRecord[]>().exec();

async function securityVerdict() {
  const lines: string[] = [];
  const code = await verifyCommand(createRepositories(models), { security: true, json: true }, (l) => lines.push(l));
  expect(lines).toHaveLength(1);
  return { code, verdict: JSON.parse(lines[0]) };
}

describe('appending', () => {
  test('concurrent writers on two connections (two instances) keep one chain: numbers 1…n, each once, each linked to the one before', async () => {
    const second = await mongoose.createConnection(process.env.MONGODB_TEST_URI!, { dbName: db.dbName }).asPromise();
    try {
      const other = new AuditTrail(new SecurityAuditStore(createModels(second)));
      const writers = Array.from({ length: 60 }, (_, n) => (n % 2 === 0 ? trail : other).record(entry(n)));
      const results = await Promise.all(writers);
      expect(new Set(results.map((r) => r.seq)).size).toBe(60);
      const all = await stored();
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(all[0].prevHash).toBe(AUDIT_GENESIS_HASH);
      for (let i = 1; i < all.length; i++) expect(all[i].prevHash).toBe(all[i - 1].hash);
      // Every write landed exactly once.
      expect(all.map((e) => (e.detail as { n: number }).n).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect(await models.SecurityAuditHead.findById('security-audit').lean().exec()).toMatchObject({ seq: 60, hash: all[59].hash });
      expect(await trail.verify()).toEqual({ ok: true, checked: 60 });
    } finally {
      await second.close();
    }
  }, 120_000);

  test('a writer stopped between its entry and the head leaves a trail that still verifies, and the next entry moves the head on', async () => {
    const before = await stored();
    const last = before.at(-1)!;
    const { auditDigest, auditHash } = await import('../../src/audit/trail');
    const content = { kind: 'signOut', actor: null, target: null, detail: {}, at: new Date(), ip: null, outcome: 'success' as const };
    const digest = auditDigest(content);
    const orphan = { seq: last.seq + 1, ...content, digest, prevHash: last.hash, hash: auditHash(last.seq + 1, digest, last.hash) };
    await models.SecurityAudit.collection.insertOne({ ...orphan });
    expect(await trail.verify()).toEqual({ ok: true, checked: before.length + 1 });
    const next = await trail.record(entry(100));
    expect(next.seq).toBe(last.seq + 2);
    expect(await models.SecurityAuditHead.findById('security-audit').lean().exec()).toMatchObject({ seq: next.seq });
    expect(await trail.verify()).toEqual({ ok: true, checked: before.length + 2 });
  });

  test('entries are kept: the collection has no index that expires documents', async () => {
    const indexes = await models.SecurityAudit.collection.indexes();
    expect(indexes.some((i) => i.expireAfterSeconds !== undefined)).toBe(false);
    expect(indexes.some((i) => i.unique && JSON.stringify(i.key) === JSON.stringify({ seq: 1 }))).toBe(true);
  });
});

describe('the verifier names the first broken link', () => {
  let original: SecurityAuditRecord[];
  let head: unknown;
  beforeAll(async () => {
    original = await stored();
    head = await models.SecurityAuditHead.findById('security-audit').lean().exec();
  });
  afterEach(async () => {
    await models.SecurityAudit.deleteMany({}).exec();
    await models.SecurityAudit.collection.insertMany(original.map((e) => ({ ...e })));
    await models.SecurityAuditHead.replaceOne({ _id: 'security-audit' }, head as object).exec();
  });

  test('an intact trail reads {ok: true, checked} and exits 0', async () => {
    expect(await securityVerdict()).toEqual({ code: 0, verdict: { ok: true, checked: original.length } });
  });

  test('an edited entry is named, reason "hash"', async () => {
    await models.SecurityAudit.updateOne({ seq: 7 }, { $set: { 'actor.name': '他人' } }).exec();
    const { code, verdict } = await securityVerdict();
    expect(code).toBe(1);
    expect(verdict).toEqual({ ok: false, checked: 7, seq: 7, reason: 'hash', message: expect.stringContaining('第7条') });
  });

  test('an edited outcome (a failure made a success) is named too', async () => {
    await models.SecurityAudit.updateOne({ seq: 3 }, { $set: { outcome: 'failure' } }).exec();
    expect((await securityVerdict()).verdict).toMatchObject({ ok: false, seq: 3, reason: 'hash' });
  });

  test('an entry edited with its hashes recomputed breaks the link of the next one', async () => {
    const { auditDigest, auditHash } = await import('../../src/audit/trail');
    const e = original[9];
    const forged = { ...e, ip: '192.0.2.1' };
    forged.digest = auditDigest(forged);
    forged.hash = auditHash(forged.seq, forged.digest, forged.prevHash);
    await models.SecurityAudit.replaceOne({ seq: 10 }, forged).exec();
    expect((await securityVerdict()).verdict).toMatchObject({ ok: false, seq: 11, reason: 'previous-hash' });
  });

  test('a removed entry is named, reason "sequence"', async () => {
    await models.SecurityAudit.deleteOne({ seq: 12 }).exec();
    expect((await securityVerdict()).verdict).toMatchObject({ ok: false, seq: 13, reason: 'sequence', message: expect.stringContaining('第12条') });
  });

  test('two entries swapped are named', async () => {
    await models.SecurityAudit.updateOne({ seq: 20 }, { $set: { seq: -20 } }).exec();
    await models.SecurityAudit.updateOne({ seq: 21 }, { $set: { seq: 20 } }).exec();
    await models.SecurityAudit.updateOne({ seq: -20 }, { $set: { seq: 21 } }).exec();
    expect((await securityVerdict()).verdict).toMatchObject({ ok: false, seq: 20, reason: 'previous-hash' });
  });

  test('entries cut off the end are named, reason "head"', async () => {
    await models.SecurityAudit.deleteMany({ seq: { $gte: original.length - 2 } }).exec();
    expect((await securityVerdict()).verdict).toMatchObject({ ok: false, seq: null, reason: 'head' });
  });

  test('the whole database\'s check includes the trail: {ok, checked, broken, security}', async () => {
    await models.SecurityAudit.updateOne({ seq: 5 }, { $set: { detail: { channel: 'api' } } }).exec();
    const lines: string[] = [];
    expect(await verifyCommand(createRepositories(models), { json: true }, (l) => lines.push(l))).toBe(1);
    expect(JSON.parse(lines[0])).toEqual({ ok: false, checked: 0, broken: [], security: { ok: false, checked: 5, seq: 5, reason: 'hash', message: expect.any(String) } });
    const text: string[] = [];
    expect(await verifyCommand(createRepositories(models), {}, (l) => text.push(l))).toBe(1);
    expect(text.at(-1)).toMatch(/^✗ 安全审计日志第5条：/);
  });
});
