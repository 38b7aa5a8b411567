/**
 * Consultation benchmark (issue 4), every figure next to a baseline measured in the same run on
 * the same database, because these machines are noisy:
 *   1. comment intake over HTTP with many concurrent clients, against the database's own raw
 *      single-document insert rate at the same concurrency;
 *   2. clustering and report generation for 100,000 comments, against the raw bulk insert and a
 *      plain read of the same comments.
 * Run: npm run build && node dist/scripts/bench-consultation.js [--comments 100000] [--http 3000] [--concurrency 50]
 * The database is chosen as for the tests (MONGODB_URI, a real mongod, else the offline server).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import mongoose, { Types } from 'mongoose';
import type { Actor } from '../machines/roles';
import { buildReport } from '../src/consultation/report';
import { createApp } from '../src/http/app';
import { silentLogger } from '../src/log';
import { buildServices, mailSettings } from '../src/services';
import { startDatabaseServer } from '../src/store/database-server';
import { createModels, ensureIndexes } from '../src/store/models';
import type { CommentRecord } from '../src/store/models';
import { generateComments } from './synthetic-comments';

const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '100000' },
    http: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '50' },
  },
});
const TOTAL = Number(values.comments);
const HTTP_REQUESTS = Number(values.http);
const CONCURRENCY = Number(values.concurrency);

let stepNo = 0;
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const step = ++stepNo;
  const result = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stderr.write(`step ${step}: ${Math.round(ms)} ms\n`);
  return [result, ms];
}

/** Runs `count` tasks with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function commentDoc(filingId: Types.ObjectId, i: number, text: string, answered: CommentRecord['disposition'] = null): Omit<CommentRecord, '_id'> {
  const now = new Date();
  return {
    filingId,
    round: 1,
    draftVersion: 1,
    receipt: `YJB${String(i).padStart(9, '0')}`,
    article: (i % 5) + 1,
    paragraph: null,
    body: text,
    publicBody: text,
    maskings: [],
    author: { name: null, email: null, phone: null },
    clientHash: 'bench',
    createdAt: new Date(now.getTime() + i),
    disposition: answered,
    notice: { status: 'none', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: new Date(0), lastError: null, response: null, sentAt: null },
  };
}

async function main(): Promise<void> {
  const database = await startDatabaseServer({ purpose: 'test' });
  const connection = await mongoose.createConnection(database.uri, { dbName: `bench_${Date.now()}` }).asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const services = buildServices(
    models,
    mailSettings({ from: 'noreply@predisclosure.local', publicBaseUrl: 'http://127.0.0.1' }),
  );
  const results: Record<string, unknown> = { database: database.backend, comments: TOTAL, httpRequests: HTTP_REQUESTS, concurrency: CONCURRENCY };
  try {
    // --- a consultation open for comment
    const register = (role: 'drafter' | 'confidentialityReviewer', department: string | null) =>
      services.staff.register({ name: role, email: `${role}@example.gov.cn`, role, department });
    const drafterRecord = (await register('drafter', '市交通运输局')).record;
    const reviewerRecord = (await register('confidentialityReviewer', null)).record;
    const actor = (r: typeof drafterRecord): Actor => ({ id: String(r._id), name: r.name, role: r.role, department: r.department });
    const drafter = actor(drafterRecord);
    const body = Array.from({ length: 5 }, (_, i) => `第${i + 1}条 条款内容${i + 1}。`).join('\n');
    const filing = await services.filings.create(drafter, {
      title: '基准测试草案',
      body,
      coDepartments: [],
      particulars: { disclosure: { attribute: 'proactive', reason: null } },
      interpretation: {},
    });
    const endsAt = new Date(Date.now() + 40 * 86_400_000).toISOString();
    await services.filings.send(drafter, filing.id, { type: 'START_CONSULTATION', version: 1, endsAt, basis: '依据', background: '背景', explanation: '说明' });
    await services.filings.send(actor(reviewerRecord), filing.id, { type: 'CLEAR_FOR_PUBLICATION', version: 2 });

    // --- 1. HTTP intake vs raw inserts at the same concurrency
    const synthetic = generateComments({ total: Math.max(TOTAL, HTTP_REQUESTS), campaigns: 20, campaignShare: 0.6, seed: 7 });
    const raw = connection.collection('raw_inserts');
    const [, rawMs] = await timed(() =>
      pool(HTTP_REQUESTS, CONCURRENCY, async (i) => {
        await raw.insertOne({ ...commentDoc(new Types.ObjectId(filing.id), i, synthetic[i].text), receipt: `R${i}` });
      }),
    );
    const app = createApp({ services, public: { commentsPerMinute: 1_000_000 }, logger: silentLogger, bodyLimit: '1mb', describeDatabase: () => database.backend });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/public/consultations/${filing.id}/comments`;
    let failures = 0;
    const [, httpMs] = await timed(() =>
      pool(HTTP_REQUESTS, CONCURRENCY, async (i) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ article: (i % 5) + 1, body: synthetic[i].text }),
        });
        if (res.status !== 201) failures++;
        await res.arrayBuffer();
      }),
    );
    results.intake = {
      rawInsertsPerSecond: Math.round((HTTP_REQUESTS / rawMs) * 1000),
      httpCommentsPerSecond: Math.round((HTTP_REQUESTS / httpMs) * 1000),
      ratioToRawInsert: Number((rawMs / httpMs).toFixed(3)),
      failures,
    };
    await models.Comment.deleteMany({ filingId: new Types.ObjectId(filing.id) });

    // --- 2. 100,000 comments: cluster and report, against bulk insert and a plain read
    const filingId = new Types.ObjectId(filing.id);
    // Comments arrive already answered — campaigns not adopted, with the reason — because bulk
    // answering is a separate concern; this measures clustering and the report on top of them.
    const by = { id: drafter.id, name: drafter.name, role: drafter.role, department: drafter.department };
    const docs = synthetic.slice(0, TOTAL).map((c, i) =>
      commentDoc(filingId, i, c.text, {
        outcome: c.campaign >= 0 ? 'notAdopted' : 'adopted',
        reason: c.campaign >= 0 ? '已在起草说明中回应' : null,
        at: new Date(),
        by,
      }),
    );
    // The offline test server checks a unique index by scanning the collection on every insert,
    // which makes 100,000 inserts quadratic; the receipts here are unique by construction, so the
    // index is dropped for this part on that backend. Intake above ran with it in place.
    if (database.backend === 'offline-bridge') await models.Comment.collection.dropIndex('receipt_1');
    const [, insertMs] = await timed(async () => {
      for (let i = 0; i < docs.length; i += 1000) await models.Comment.collection.insertMany(docs.slice(i, i + 1000));
    });
    // What intake does per comment, done once for the bulk load: the per-article counters.
    for (let article = 1; article <= 5; article++) await services.comments.count(filingId, 1, article, docs.filter((d) => d.article === article).length);
    const [, readMs] = await timed(() => models.Comment.find({ filingId }, { _id: 1, body: 1 }).lean().exec());
    // The public comment page of a draft with 100,000 comments (issue 5): first and a deep page,
    // against the same query straight to the database.
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = async (n: number) => {
      const res = await fetch(`${origin}/consultations/${filing.id}/comments?page=${n}`);
      if (res.status !== 200) throw new Error(`comment page ${n}: ${res.status}`);
      await res.text();
    };
    // The very query the page makes (same filter, projection, sort and window).
    const rawPage = (n: number) =>
      models.Comment.find({ filingId, round: 1 }, { receipt: 1, article: 1, publicBody: 1, 'author.name': 1, createdAt: 1, disposition: 1 })
        .sort({ createdAt: 1, _id: 1 })
        .skip((n - 1) * 20)
        .limit(20)
        .lean()
        .exec();
    const deep = Math.max(1, Math.floor(TOTAL / 40));
    // Alternating, twice each, best of two: the first query after a bulk load pays a one-off
    // warm-up on the offline server that would otherwise be charged to whichever runs first.
    const best = async (fn: () => Promise<unknown>, other: () => Promise<unknown>): Promise<[number, number]> => {
      const a1 = (await timed(fn))[1];
      const b1 = (await timed(other))[1];
      const a2 = (await timed(fn))[1];
      const b2 = (await timed(other))[1];
      return [Math.min(a1, a2), Math.min(b1, b2)];
    };
    const [rawFirstMs, pageFirstMs] = await best(() => rawPage(1), () => page(1));
    const [rawDeepMs, pageDeepMs] = await best(() => rawPage(deep), () => page(deep));
    results.commentPage = {
      deepPage: deep,
      rawFirstMs: Math.round(rawFirstMs),
      pageFirstMs: Math.round(pageFirstMs),
      firstToRaw: Number((pageFirstMs / rawFirstMs).toFixed(3)),
      rawDeepMs: Math.round(rawDeepMs),
      pageDeepMs: Math.round(pageDeepMs),
      deepToRaw: Number((pageDeepMs / rawDeepMs).toFixed(3)),
    };
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const [clustering, clusterMs] = await timed(() => services.comments.clustering(filingId, 1));
    const clusters = clustering.clusters.map((c) => ({ size: c.memberIds.length })).sort((a, b) => b.size - a.size);
    const view = await services.filings.get(drafter, filing.id);
    const round = view.context.consultations[0];
    const [report, reportMs] = await timed(() =>
      buildReport(models, filingId, round, { draft: body, filed: `${body}\n第6条 新增条款。`, filedVersion: 2 }, clustering, 'bench', new Date()),
    );
    results.hundredThousand = {
      bulkInsertMs: Math.round(insertMs),
      plainReadMs: Math.round(readMs),
      clusterMs: Math.round(clusterMs),
      reportMs: Math.round(reportMs),
      clusterToBulkInsert: Number((clusterMs / insertMs).toFixed(3)),
      clusterToPlainRead: Number((clusterMs / readMs).toFixed(3)),
      reportToBulkInsert: Number((reportMs / insertMs).toFixed(3)),
      reportToPlainRead: Number((reportMs / readMs).toFixed(3)),
      clusters: clusters.length,
      largestCluster: clusters[0]?.size ?? 0,
      reportedComments: report.totals.commentCount,
      concentratedOpinions: report.concentrated.length,
    };
    results.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
