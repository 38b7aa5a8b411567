/**
 * The service started as in production (`node dist/src/main.js`), several instances on one
 * database, killed in the middle of work, with the mail server and the database going away.
 * Each check asks what users were promised: every acknowledged request is kept, every step has its
 * history entry and its e-mails, each dated step and each e-mail happens once.
 */
import { Types } from 'mongoose';
import { StaffDirectory } from '../../src/auth';
import { verifyLedgers } from '../../src/ledger';
import { createModels, ensureIndexes, type Models, type OutboxRecord } from '../../src/store/models';
import { connectTestDatabase, type TestDatabase } from '../support/db';
import { completeFiling, STAFF, type StaffKey } from '../support/harness';
import { buildService, DatabaseProxy, eventually, freePort, ServiceProcess, sleep } from '../support/service-process';
import { TestSmtpServer } from '../support/smtp';
import { FilingStore } from '../../src/store/filings';
import { StaffStore } from '../../src/store/staff';

jest.setTimeout(180_000);

let db: TestDatabase;
let models: Models;
const tokens = {} as Record<StaffKey, string>;
const smtp = new TestSmtpServer();
let proxy: DatabaseProxy | null = null;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  const compiled = buildService();
  compiled.catch(() => undefined); // awaited below; meanwhile a failure must not go unhandled
  db = await connectTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  const staff = new StaffDirectory(new StaffStore(models));
  for (const [key, spec] of Object.entries(STAFF) as Array<[StaffKey, (typeof STAFF)[StaffKey]]>) {
    tokens[key] = (await staff.register({ name: `测试${key}`, email: `${key}@example.gov.cn`, role: spec.role, department: spec.department })).token;
  }
  await smtp.start();
  const uri = process.env.MONGODB_TEST_URI as string;
  // The fault test needs to come between the service and its database: possible for one host.
  if (!uri.includes(',')) {
    proxy = DatabaseProxy.forUri(uri);
    await proxy.restore();
  }
  await compiled;
}, 300_000);

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await proxy?.cut();
  await smtp.stop();
  await db?.close();
});

async function service(extra: Record<string, string> = {}): Promise<ServiceProcess> {
  const instance = new ServiceProcess(await freePort(), {
    MONGODB_URI: proxy ? proxy.uri() : (process.env.MONGODB_TEST_URI as string),
    MONGODB_DB: db.dbName,
    SMTP_URL: smtp.url,
    MAIL_POLL_MS: '200',
    MAIL_LEASE_MS: '3000',
    MAIL_RETRY_MS: '300',
    SCHEDULE_POLL_MS: '200',
    MONGODB_TIMEOUT_MS: '1500',
    REQUEST_TIMEOUT_MS: '4000',
    COMMENTS_PER_MINUTE: '100000',
    CSRF_SECRET: 'shared-by-every-instance',
    ...extra,
  });
  await instance.start();
  running.push(instance);
  return instance;
}

interface Reply {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

async function call(base: string, method: string, url: string, who: StaffKey | null, body?: unknown): Promise<Reply> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(who ? { Authorization: `Bearer ${tokens[who]}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    // A hanging request is a failure of its own, not a test timeout.
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let parsed: Record<string, any> = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

async function newFiling(base: string): Promise<{ id: string; version: number }> {
  const res = await call(base, 'POST', '/filings', 'drafter', completeFiling());
  expect(res.status).toBe(201);
  return { id: res.body.id, version: res.body.version };
}

async function outboxOf(id: string): Promise<OutboxRecord[]> {
  const doc = await models.Filing.findById(id, { outbox: 1 }).lean<{ outbox: OutboxRecord[] }>().exec();
  return doc?.outbox ?? [];
}

async function allOutbox(): Promise<OutboxRecord[]> {
  const docs = await models.Filing.find({}, { outbox: 1 }).lean<Array<{ outbox: OutboxRecord[] }>>().exec();
  return docs.flatMap((d) => d.outbox);
}

/**
 * Messages a killed instance was in the middle of sending (at-least-once: they may arrive twice,
 * under one Message-ID). Kept for the whole file: later checks look at every outbox again.
 */
const allowedTwice = new Set<string>();

/** Every message of every outbox sent, and each received exactly once by the mail server. */
async function everyMailSentOnce(): Promise<void> {
  const outbox = await eventually('every e-mail sent', async () => {
    const all = await allOutbox();
    return all.every((m) => m.status === 'sent') && all;
  }, 60_000);
  const received = smtp.received.map((m) => m.messageId);
  const counts = new Map<string, number>();
  for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
  const missing = outbox.filter((m) => !counts.has(m.messageId)).map((m) => m.messageId);
  expect(missing).toEqual([]);
  const doubled = [...counts].filter(([id, n]) => n > 1 && !allowedTwice.has(id)).map(([id]) => id);
  expect(doubled).toEqual([]);
}

describe('two instances on one database', () => {
  test('conflicting events resolve by version, the comment period closes once, every e-mail goes once', async () => {
    const [a, b] = [await service(), await service()];

    // The same event with the same version through both instances at once: one wins, one 409.
    const { id } = await newFiling(a.base);
    for (let round = 0; round < 6; round++) {
      const { version } = (await call(a.base, 'GET', `/filings/${id}`, 'drafter')).body;
      const type = round % 2 === 0 ? 'REQUEST_INTERPRETATION_APPROVAL' : 'REJECT_INTERPRETATION';
      const who: StaffKey = round % 2 === 0 ? 'drafter' : 'head';
      const body = { type, version, ...(type === 'REJECT_INTERPRETATION' ? { note: '请补充' } : {}) };
      const replies = await Promise.all([call(a.base, 'POST', `/filings/${id}/events`, who, body), call(b.base, 'POST', `/filings/${id}/events`, who, body)]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(replies.find((r) => r.status === 409)!.body.error.code).toBe('VERSION_CONFLICT');
    }
    const history = (await call(b.base, 'GET', `/filings/${id}/history`, 'drafter')).body.history;
    expect(history).toHaveLength(7);

    // A comment period ending in two seconds: both schedulers see it end, one closes it.
    const consulted = await newFiling(a.base);
    const start = await call(a.base, 'POST', `/filings/${consulted.id}/events`, 'drafter', {
      type: 'START_CONSULTATION',
      version: consulted.version,
      endsAt: new Date(Date.now() + 2_500).toISOString(),
      shortenedReason: '测试用的短征求意见期',
      basis: '依据',
      background: '背景',
      explanation: '说明',
    });
    expect(start.status).toBe(200);
    expect((await call(b.base, 'POST', `/filings/${consulted.id}/events`, 'confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION', version: start.body.version })).status).toBe(200);
    await eventually('the period to close', async () => (await call(a.base, 'GET', `/filings/${consulted.id}`, 'drafter')).body.stage === 'disposition');
    await sleep(1_000); // both schedulers have passed again since
    const closes = (await call(a.base, 'GET', `/filings/${consulted.id}/history`, 'drafter')).body.history.filter((e: { event: string }) => e.event === 'CLOSE_CONSULTATION');
    expect(closes).toHaveLength(1);

    // Both dispatchers ran over the same outboxes the whole time.
    expect((await outboxOf(id)).length).toBeGreaterThan(0);
    await everyMailSentOnce();
    expect(await verifyLedgers(new FilingStore(models))).toMatchObject({ broken: [] });
    await Promise.all([a.stop(), b.stop()]);
  });
});

describe('a crash in the middle of work', () => {
  test('after SIGKILL and a restart: every acknowledged request is stored, every step has its history and its e-mails', async () => {
    const a = await service();
    const drafts = await Promise.all([1, 2, 3].map(() => newFiling(a.base)));
    // An open consultation for the comments.
    const consulted = await newFiling(a.base);
    const started = await call(a.base, 'POST', `/filings/${consulted.id}/events`, 'drafter', {
      type: 'START_CONSULTATION',
      version: consulted.version,
      endsAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
      basis: '依据',
      background: '背景',
      explanation: '说明',
    });
    await call(a.base, 'POST', `/filings/${consulted.id}/events`, 'confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION', version: started.body.version });

    const acknowledged = { steps: [] as Array<{ id: string; version: number; event: string }>, receipts: [] as string[] };
    let stop = false;
    const stepper = async (filing: { id: string; version: number }) => {
      let version = filing.version;
      while (!stop) {
        const request = version % 2 === 1 ? { type: 'REQUEST_INTERPRETATION_APPROVAL' } : { type: 'REJECT_INTERPRETATION', note: '请补充执行口径' };
        const who: StaffKey = request.type === 'REQUEST_INTERPRETATION_APPROVAL' ? 'drafter' : 'head';
        try {
          const res = await call(a.base, 'POST', `/filings/${filing.id}/events`, who, { ...request, version });
          if (res.status !== 200) throw new Error(`step refused: ${res.status}`);
          version = res.body.version;
          acknowledged.steps.push({ id: filing.id, version, event: request.type });
        } catch {
          return; // the service is gone
        }
      }
    };
    const commenter = async () => {
      while (!stop) {
        try {
          const res = await call(a.base, 'POST', `/public/consultations/${consulted.id}/comments`, null, { body: '建议进一步明确适用范围。', article: 1, email: 'citizen@example.com' });
          if (res.status !== 201) throw new Error(`comment refused: ${res.status}`);
          acknowledged.receipts.push(res.body.receipt);
        } catch {
          return;
        }
      }
    };
    const workers = [...drafts.map(stepper), commenter(), commenter()];
    // Killed once work is well under way — however long that takes on a loaded machine.
    await eventually('steps and comments acknowledged', async () => acknowledged.steps.length > 5 && acknowledged.receipts.length > 5, 60_000);
    await a.kill();
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.steps.length).toBeGreaterThan(5);
    expect(acknowledged.receipts.length).toBeGreaterThan(5);
    // Messages the dead instance was in the middle of sending may arrive twice, under one Message-ID.
    for (const m of await allOutbox()) if (m.status === 'pending' && m.leaseOwner !== null) allowedTwice.add(m.messageId);

    const restarted = await service();
    for (const step of acknowledged.steps) {
      const doc = await models.Filing.findById(step.id, { history: 1 }).lean().exec();
      expect(doc!.history.find((e) => e.seq === step.version)?.event).toBe(step.event);
    }
    const found = await models.Comment.find({ receipt: { $in: acknowledged.receipts } }, { receipt: 1 }).lean().exec();
    expect(found).toHaveLength(acknowledged.receipts.length);
    // No step without its history entry or its e-mails, whether acknowledged or not.
    for (const filing of [...drafts, consulted]) {
      const doc = await models.Filing.findById(new Types.ObjectId(filing.id), { history: 1, version: 1, outbox: 1 }).lean().exec();
      expect(doc!.history).toHaveLength(doc!.version);
      for (const entry of doc!.history.filter((e) => e.event === 'REQUEST_INTERPRETATION_APPROVAL' || e.event === 'REJECT_INTERPRETATION')) {
        expect({ seq: entry.seq, event: entry.event, mailed: doc!.outbox.some((m) => m.seq === entry.seq) }).toEqual({ seq: entry.seq, event: entry.event, mailed: true });
      }
    }
    expect(await verifyLedgers(new FilingStore(models))).toMatchObject({ broken: [] });
    await everyMailSentOnce();
    await restarted.stop();
  });
});

describe('faults', () => {
  test('the mail server away for a while: messages wait and retry, then go once', async () => {
    const a = await service();
    await smtp.stop();
    const { id, version } = await newFiling(a.base);
    expect((await call(a.base, 'POST', `/filings/${id}/events`, 'drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL', version })).status).toBe(200);
    await eventually('a failed attempt', async () => (await outboxOf(id)).some((m) => m.attempts > 0 && m.lastError !== null));
    expect((await outboxOf(id)).every((m) => m.status === 'pending')).toBe(true);
    await smtp.start();
    await everyMailSentOnce();
    await a.stop();
  });

  test('the database away and back: 503 with a retry hint, fast; nothing half-written; recovery without a restart', async () => {
    if (!proxy) return; // an external replica set cannot be cut from here
    const a = await service();
    const { id, version } = await newFiling(a.base);
    await proxy.cut();
    const started = Date.now();
    const labelled = (label: string, reply: Promise<Reply>) =>
      reply.catch((error: Error) => {
        throw new Error(`${label}: ${error.message}\n--- service output ---\n${a.output}`);
      });
    const [list, step, page] = await Promise.all([
      labelled('GET /filings', call(a.base, 'GET', '/filings', 'drafter')),
      labelled('POST event', call(a.base, 'POST', `/filings/${id}/events`, 'drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL', version })),
      labelled('GET /documents', call(a.base, 'GET', '/documents', null)),
    ]);
    // MONGODB_TIMEOUT_MS is 1.5 s and REQUEST_TIMEOUT_MS 4 s here, not the driver's 30 s defaults:
    // the bound sits between the two, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(15_000);
    for (const reply of [list, step, page]) {
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('5');
    }
    // Usually the driver's own answer; now and then the first request after the cut outlives the
    // driver's selection timeout, and the request deadline answers instead.
    expect(['DATABASE_UNAVAILABLE', 'REQUEST_TIMEOUT']).toContain(list.body.error.code);
    expect((await fetch(`${a.base}/health`)).status).toBe(200);

    await proxy.restore();
    const back = await eventually('the service to reach its database again', async () => {
      const res = await call(a.base, 'GET', `/filings/${id}`, 'drafter');
      return res.status === 200 && res.body;
    });
    // The refused step left nothing behind: the same version, one history entry.
    expect(back.version).toBe(version);
    expect((await call(a.base, 'GET', `/filings/${id}/history`, 'drafter')).body.history).toHaveLength(version);
    expect((await call(a.base, 'POST', `/filings/${id}/events`, 'drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL', version })).status).toBe(200);
    await a.stop();
  });
});
