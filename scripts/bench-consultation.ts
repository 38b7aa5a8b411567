/**
 * Consultation benchmark, every figure next to a baseline measured in the
 * same run on the same database, because these machines are noisy:
 *   intake    comment intake over HTTP (POST /public/consultations/:id/comments, autocannon,
 *             `--concurrency` connections) against the database's own raw insertOne of the same
 *             documents into the same collection, with the same indexes, at the same concurrency;
 *   page      the public comment page of a draft with `--comments` comments, against the page's
 *             own query straight to the database;
 *   adoption  clustering and the adoption report for `--comments` comments, against the bulk
 *             insert and a plain read of the same comments.
 * Run: npm run build && PREDISCLOSURE_DB_BACKEND=offline-bridge node dist/scripts/bench-consultation.js
 *        [--parts intake,page,adoption] [--intake 3000] [--concurrency 50] [--comments 100000]
 *        [--rounds 4] [--profile DIR]
 * The service runs in a child process (bench-server.ts); `--profile DIR` runs it under
 * --cpu-prof and prints where its CPU time went during intake. Prints one JSON document.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Types } from 'mongoose';
import { buildReport } from '../src/consultation/report';
import type { CommentRecord } from '../src/store/models';
import {
  consultationRequest,
  drive,
  load,
  machine,
  note,
  openBench,
  peakRssMb,
  peakRssOfPid,
  perRequest,
  bridgePid,
  pairedRatio,
  ratio,
  realisticFiling,
  pool,
  startBenchServer,
  summarizeCpuProfile,
  timed,
  type Bench,
  type BenchServer,
} from './bench-common';
import { generateComments, type SyntheticComment } from './synthetic-comments';

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: 'intake,page,adoption' },
    intake: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '50' },
    comments: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '4' },
    profile: { type: 'string' },
  },
});
const PARTS = new Set(values.parts.split(','));
const INTAKE = Number(values.intake);
const CONCURRENCY = Number(values.concurrency);
const TOTAL = Number(values.comments);
const ROUNDS = Number(values.rounds);
const ARTICLES = 20;

function commentDoc(filingId: Types.ObjectId, i: number, text: string, answered: CommentRecord['disposition'] = null): Omit<CommentRecord, '_id'> {
  const now = new Date();
  return {
    filingId,
    round: 1,
    draftVersion: 1,
    receipt: `YJB${String(i).padStart(10, '0')}`,
    article: (i % ARTICLES) + 1,
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

/** A draft of ARTICLES articles, out for comment and cleared: the period is open. */
async function openConsultation(bench: Bench): Promise<string> {
  const { id } = await bench.services.filings.create(bench.actors.drafter, realisticFiling(ARTICLES));
  await drive(bench, id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest(40) }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
  ]);
  return id;
}

async function intake(bench: Bench, server: BenchServer, synthetic: SyntheticComment[]): Promise<Record<string, unknown>> {
  const filingId = await openConsultation(bench);
  const objectId = new Types.ObjectId(filingId);
  const otherId = new Types.ObjectId();
  const comments = bench.models.Comment;
  const reset = async () => {
    await comments.deleteMany({}).exec();
    await bench.models.Counter.deleteMany({ _id: { $regex: '^comments-' } }).exec();
  };

  // Raw: the documents intake would write, inserted straight into the comments collection.
  let sequence = 0;
  const raw = async (count: number) =>
    pool(count, CONCURRENCY, async (i) => {
      await comments.collection.insertOne(commentDoc(otherId, sequence++, synthetic[i].text));
    });
  const http = (count: number, label: string) => {
    let i = 0;
    return load(label, {
      url: `${server.base}/public/consultations/${filingId}/comments`,
      connections: CONCURRENCY,
      amount: count,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            const k = i++ % synthetic.length;
            return { ...request, body: JSON.stringify({ article: (k % ARTICLES) + 1, body: synthetic[k].text }) };
          },
        },
      ],
    });
  };

  // Warm-up of both paths (JIT, connection pools, the server's first requests), not measured.
  await raw(200);
  await http(200, 'intake warm-up');
  await reset();
  await server.commands();

  // Alternating rounds, each from an empty collection; each round's ratio, and their median.
  const rawRates: number[] = [];
  const httpRates: number[] = [];
  let failures = 0;
  let latency = { p50: 0, p99: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const [, rawMs] = await timed(`raw insertOne × ${INTAKE}, ${CONCURRENCY} concurrent`, () => raw(INTAKE));
    rawRates.push((INTAKE / rawMs) * 1000);
    await reset();
    const result = await http(INTAKE, `HTTP intake × ${INTAKE}, ${CONCURRENCY} connections`);
    const stored = await comments.countDocuments({ filingId: objectId }).exec();
    if (stored !== result.requests - result.non2xx) throw new Error(`intake stored ${stored} comments for ${result.requests - result.non2xx} receipts`);
    failures += result.non2xx + result.errors;
    if (result.perSecond > Math.max(0, ...httpRates)) latency = { p50: result.latencyP50, p99: result.latencyP99 };
    httpRates.push(result.perSecond);
    await reset();
  }
  const paired = pairedRatio(httpRates, rawRates);
  const commands = perRequest(await server.commands(), ROUNDS * INTAKE);
  return {
    requests: INTAKE,
    connections: CONCURRENCY,
    rawInsertsPerSecond: rawRates.map((x) => Math.round(x)),
    httpCommentsPerSecond: httpRates.map((x) => Math.round(x)),
    httpLatencyMs: latency,
    ratioToRawInsertPerRound: paired.perRound,
    ratioToRawInsert: paired.median,
    failures,
    databaseCommandsPerComment: commands,
  };
}

async function adoption(bench: Bench, server: BenchServer | null, synthetic: SyntheticComment[]): Promise<Record<string, unknown>> {
  const filingId = await openConsultation(bench);
  const id = new Types.ObjectId(filingId);
  const { models, services, actors } = bench;
  const by = { id: actors.drafter.id, name: actors.drafter.name, role: actors.drafter.role, department: actors.drafter.department };
  // Comments arrive already answered — campaigns not adopted, with the reason — because bulk
  // answering is a separate concern; this measures clustering and the report on top of them.
  const answered = (c: SyntheticComment): CommentRecord['disposition'] => ({
    outcome: c.campaign >= 0 ? 'notAdopted' : 'adopted',
    reason: c.campaign >= 0 ? '已在起草说明中回应' : null,
    at: new Date(),
    by,
  });
  // The offline test server checks a unique index by scanning the collection on every insert,
  // which makes bulk inserts quadratic; the receipts here are unique by construction, so the
  // index is dropped for this part on that backend. Intake ran with it in place.
  if (bench.database.backend === 'offline-bridge') await models.Comment.collection.dropIndex('receipt_1').catch(() => undefined);
  const [, insertMs] = await timed(`bulk insert of ${TOTAL} comments`, async () => {
    for (let i = 0; i < TOTAL; i += 1000) {
      const docs = [];
      for (let k = i; k < Math.min(TOTAL, i + 1000); k++) docs.push(commentDoc(id, k, synthetic[k].text, answered(synthetic[k])));
      await models.Comment.collection.insertMany(docs);
      if ((i / 1000) % 100 === 99) note(`  … ${i + 1000} inserted`);
    }
  });
  // What intake does per comment, done once for the bulk load: the per-article counters.
  for (let article = 1; article <= ARTICLES; article++) {
    const count = Math.floor(TOTAL / ARTICLES) + (article <= TOTAL % ARTICLES ? 1 : 0);
    await services.repositories.comments.count(id, 1, article, count);
  }
  const [plain, readMs] = await timed(`plain read of ${TOTAL} comments (_id, body)`, () => models.Comment.find({ filingId: id }, { _id: 1, body: 1 }).lean().exec());
  if (plain.length !== TOTAL) throw new Error(`read ${plain.length} of ${TOTAL}`);
  plain.length = 0;
  const results: Record<string, unknown> = { comments: TOTAL, bulkInsertMs: Math.round(insertMs), plainReadMs: Math.round(readMs) };

  if (PARTS.has('page') && server) {
    // The public comment page: first and a deep page, against the same query straight
    // to the database. Alternating, twice each, best of two: the first query after a bulk load
    // pays a one-off warm-up on the offline server that would otherwise be charged to whichever
    // runs first.
    const page = async (n: number) => {
      const res = await fetch(`${server.base}/consultations/${filingId}/comments?page=${n}`);
      if (res.status !== 200) throw new Error(`comment page ${n}: ${res.status}`);
      await res.text();
    };
    const rawPage = (n: number) =>
      models.Comment.find({ filingId: id, round: 1 }, { receipt: 1, article: 1, publicBody: 1, 'author.name': 1, createdAt: 1, disposition: 1 })
        .sort({ createdAt: 1, _id: 1 })
        .skip((n - 1) * 20)
        .limit(20)
        .lean()
        .exec();
    const best = async (label: string, fn: () => Promise<unknown>, other: () => Promise<unknown>): Promise<[number, number]> => {
      const a1 = (await timed(`${label} query`, fn))[1];
      const b1 = (await timed(`${label} page`, other))[1];
      const a2 = (await timed(`${label} query`, fn))[1];
      const b2 = (await timed(`${label} page`, other))[1];
      return [Math.min(a1, a2), Math.min(b1, b2)];
    };
    const deep = Math.max(1, Math.floor(TOTAL / 40));
    const [rawFirstMs, pageFirstMs] = await best('comment page 1', () => rawPage(1), () => page(1));
    const [rawDeepMs, pageDeepMs] = await best(`comment page ${deep}`, () => rawPage(deep), () => page(deep));
    results.commentPage = {
      deepPage: deep,
      rawFirstMs: Math.round(rawFirstMs),
      pageFirstMs: Math.round(pageFirstMs),
      firstToRaw: ratio(pageFirstMs / rawFirstMs),
      rawDeepMs: Math.round(rawDeepMs),
      pageDeepMs: Math.round(pageDeepMs),
      deepToRaw: ratio(pageDeepMs / rawDeepMs),
    };
  }

  if (PARTS.has('adoption')) {
    const [clustering, clusterMs] = await timed(`clustering of ${TOTAL} comments`, () => services.comments.clustering(id, 1));
    const sizes = clustering.clusters.map((c) => c.memberIds.length).sort((a, b) => b - a);
    const view = await services.filings.get(actors.drafter, filingId);
    const round = view.context.consultations[0];
    const draft = realisticFiling(ARTICLES).body;
    const [report, reportMs] = await timed(`adoption report of ${TOTAL} comments`, () =>
      buildReport(services.repositories.comments, id, round, { draft, filed: `${draft}\n第二十一条 新增条款。`, filedVersion: 2 }, clustering, 'bench', new Date()),
    );
    if (report.totals.commentCount !== TOTAL) throw new Error(`report counted ${report.totals.commentCount} of ${TOTAL}`);
    Object.assign(results, {
      clusterMs: Math.round(clusterMs),
      reportMs: Math.round(reportMs),
      clusterToBulkInsert: ratio(clusterMs / insertMs),
      clusterToPlainRead: ratio(clusterMs / readMs),
      reportToBulkInsert: ratio(reportMs / insertMs),
      reportToPlainRead: ratio(reportMs / readMs),
      clusters: sizes.length,
      largestCluster: sizes[0] ?? 0,
      concentratedOpinions: report.concentrated.length,
    });
  }
  return results;
}

async function main(): Promise<void> {
  const started = Date.now();
  const bench = await openBench();
  const results: Record<string, unknown> = { machine: machine(), database: bench.database.backend };
  let server: BenchServer | null = null;
  try {
    if (values.profile) fs.mkdirSync(values.profile, { recursive: true });
    const needed = Math.max(PARTS.has('intake') ? INTAKE : 0, PARTS.has('page') || PARTS.has('adoption') ? TOTAL : 0);
    const synthetic = generateComments({ total: needed, campaigns: 20, campaignShare: 0.6, seed: 7 });
    if (PARTS.has('intake') || PARTS.has('page')) server = await startBenchServer(bench, { cpuProfileDir: values.profile });
    if (PARTS.has('intake') && server) {
      results.intake = await intake(bench, server, synthetic);
      if (values.profile) {
        await server.stop();
        results.intakeProfile = summarizeCpuProfile(values.profile);
        server = PARTS.has('page') ? await startBenchServer(bench) : null;
      }
    }
    if (PARTS.has('page') || PARTS.has('adoption')) results.atScale = await adoption(bench, server, synthetic);
    const bridge = bridgePid();
    results.peakRssMb = {
      bench: peakRssMb(),
      server: server ? await server.peakRssMb() : null,
      database: bridge ? peakRssOfPid(bridge) : null,
    };
    results.runtimeSeconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await server?.stop();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
