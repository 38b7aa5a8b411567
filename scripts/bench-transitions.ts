/**
 * Transitions per second over HTTP: POST /filings/:id/events with EDIT_PARTICULARS
 * ping-pong on many filings, each request carrying its filing's current version, from
 * `--concurrency` autocannon connections; against the database doing the same thing raw at the
 * same concurrency — read the filing (findOne without history), then the version-guarded
 * findOneAndUpdate({_id, version}, {$set, $inc, $push}) of the same snapshot and history entry —
 * on an equal number of filings of the same size in the same collection. No filing ever has two
 * requests in flight, so no request may lose its version race.
 * Run: npm run build && PREDISCLOSURE_DB_BACKEND=offline-bridge node dist/scripts/bench-transitions.js
 *        [--transitions 3000] [--concurrency 50] [--filings 100] [--rounds 2] [--profile DIR]
 * Prints one JSON document.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { BSON } from 'mongodb';
import { Types } from 'mongoose';
import type { FilingRecord, HistoryEntry } from '../src/store/models';
import {
  bridgePid,
  load,
  machine,
  note,
  openBench,
  peakRssMb,
  peakRssOfPid,
  perRequest,
  pairedRatio,
  pool,
  realisticFiling,
  startBenchServer,
  summarizeCpuProfile,
  timed,
  type Bench,
  type BenchServer,
} from './bench-common';

const { values } = parseArgs({
  options: {
    transitions: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '50' },
    filings: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '2' },
    profile: { type: 'string' },
  },
});
const TRANSITIONS = Number(values.transitions);
const CONCURRENCY = Number(values.concurrency);
const FILINGS = Number(values.filings);
const ROUNDS = Number(values.rounds);
if (FILINGS < CONCURRENCY) throw new Error('--filings must be at least --concurrency: no filing may have two requests in flight');

const WITHOUT_HISTORY = { history: 0, outbox: 0 } as const;

/** Filings nobody is working on, each with the version the next request must carry. */
class Desk {
  readonly version = new Map<string, number>();
  readonly affects = new Map<string, boolean>();
  private idle: string[] = [];

  constructor(ids: string[]) {
    for (const id of ids) {
      this.version.set(id, 1);
      this.affects.set(id, false);
    }
    this.reset();
  }

  /** Before each run: everything idle again (a request built after a connection's last is never sent). */
  reset(): void {
    this.idle = [...this.version.keys()];
  }

  take(): string {
    const id = this.idle.shift();
    if (id === undefined) throw new Error('no idle filing: more connections than filings?');
    return id;
  }

  done(id: string, version: number): void {
    this.version.set(id, version);
    this.affects.set(id, !this.affects.get(id));
    this.idle.push(id);
  }
}

async function createFilings(bench: Bench, count: number): Promise<string[]> {
  const ids: string[] = [];
  await pool(count, 10, async (i) => {
    ids.push((await bench.services.filings.create(bench.actors.drafter, realisticFiling(20, 1 + (i % 5)))).id);
  });
  return ids;
}

function httpRun(server: BenchServer, token: string, desk: Desk, amount: number, label: string) {
  desk.reset();
  return load(label, {
    url: server.base,
    connections: CONCURRENCY,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const id = desk.take();
          context.id = id;
          return {
            ...request,
            path: `/filings/${id}/events`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ type: 'EDIT_PARTICULARS', version: desk.version.get(id), patch: { affectsEnterprises: !desk.affects.get(id) } }),
          };
        },
        onResponse: (status, body, context) => {
          const id = String(context.id);
          if (status === 200) desk.done(id, (JSON.parse(body) as { version: number }).version);
          else {
            note(`transition refused: ${status} ${body.slice(0, 200)}`);
            desk.done(id, desk.version.get(id) as number);
          }
        },
      },
    ],
  });
}

/** The same work straight to the database: read the head, then the version-guarded update. */
async function rawRun(bench: Bench, desk: Desk, entry: HistoryEntry, amount: number): Promise<number> {
  desk.reset();
  const filings = bench.models.Filing.collection;
  let failures = 0;
  await pool(amount, CONCURRENCY, async () => {
    const id = desk.take();
    const _id = new Types.ObjectId(id);
    const head = (await filings.findOne({ _id }, { projection: WITHOUT_HISTORY })) as unknown as FilingRecord;
    const snapshot = head.snapshot as unknown as { context: { particulars: { affectsEnterprises: boolean } } };
    snapshot.context.particulars.affectsEnterprises = !snapshot.context.particulars.affectsEnterprises;
    const now = new Date();
    const updated = await filings.findOneAndUpdate(
      { _id, version: head.version },
      {
        $set: { snapshot: head.snapshot, ledgerHead: entry.hash, stage: head.stage, updatedAt: now },
        $inc: { version: 1 },
        $push: { history: { ...entry, seq: head.version + 1, at: now } as never },
      },
      { returnDocument: 'after', projection: WITHOUT_HISTORY },
    );
    if (!updated) failures++;
    desk.done(id, head.version + 1);
  });
  if (failures > 0) throw new Error(`${failures} raw updates lost their version race`);
  return failures;
}

async function main(): Promise<void> {
  const started = Date.now();
  const bench = await openBench();
  if (values.profile) fs.mkdirSync(values.profile, { recursive: true });
  let server: BenchServer | null = null;
  try {
    const [ids] = await timed(`creating ${2 * FILINGS} filings`, () => createFilings(bench, 2 * FILINGS));
    // Half for HTTP, half for the raw baseline, in the same collection: both pay the same scans.
    const httpDesk = new Desk(ids.slice(0, FILINGS));
    const rawDesk = new Desk(ids.slice(FILINGS));
    server = await startBenchServer(bench, { cpuProfileDir: values.profile });

    // Warm-up, two transitions per filing on both sides, so both start from the same history.
    await httpRun(server, bench.tokens.drafter, httpDesk, 2 * FILINGS, 'warm-up HTTP');
    const sample = ((await bench.services.store.history(new Types.ObjectId(ids[0]))) ?? []).at(-1) as HistoryEntry;
    if (sample.event !== 'EDIT_PARTICULARS') throw new Error(`warm-up did not transition: ${sample.event}`);
    await rawRun(bench, rawDesk, sample, 2 * FILINGS);

    await server.commands();
    const rawRates: number[] = [];
    const httpRates: number[] = [];
    let refused = 0;
    let latency = { p50: 0, p99: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const [, rawMs] = await timed(`raw read + guarded update × ${TRANSITIONS}, ${CONCURRENCY} concurrent`, () => rawRun(bench, rawDesk, sample, TRANSITIONS));
      rawRates.push((TRANSITIONS / rawMs) * 1000);
      const result = await httpRun(server, bench.tokens.drafter, httpDesk, TRANSITIONS, `HTTP EDIT_PARTICULARS × ${TRANSITIONS}, ${CONCURRENCY} connections`);
      refused += result.non2xx + result.errors;
      if (result.perSecond > Math.max(0, ...httpRates)) latency = { p50: result.latencyP50, p99: result.latencyP99 };
      httpRates.push(result.perSecond);
    }
    // Same size: the documents of both halves, history included.
    const sizes = async (list: string[]) => {
      const docs = await bench.models.Filing.collection.find({ _id: { $in: list.map((id) => new Types.ObjectId(id)) } }).toArray();
      const mean = (f: (d: (typeof docs)[number]) => number) => Math.round(docs.reduce((a, d) => a + f(d), 0) / docs.length);
      return { meanBytes: mean((d) => BSON.calculateObjectSize(d)), meanHistoryEntries: mean((d) => (d.history as unknown[]).length) };
    };
    // The documents grow by a history entry per transition, and both halves grow alike: each
    // round's pair is compared, and the median of those ratios reported.
    const paired = pairedRatio(httpRates, rawRates);
    const results: Record<string, unknown> = {
      machine: machine(),
      database: bench.database.backend,
      transitions: {
        perRound: TRANSITIONS,
        connections: CONCURRENCY,
        filingsEachSide: FILINGS,
        rawPerSecond: rawRates.map((x) => Math.round(x)),
        httpPerSecond: httpRates.map((x) => Math.round(x)),
        httpLatencyMs: latency,
        ratioToRawPerRound: paired.perRound,
        ratioToRaw: paired.median,
        refused,
        databaseCommandsPerTransition: perRequest(await server.commands(), ROUNDS * TRANSITIONS),
        documents: { http: await sizes(ids.slice(0, FILINGS)), raw: await sizes(ids.slice(FILINGS)) },
      },
    };
    const bridge = bridgePid();
    results.peakRssMb = { bench: peakRssMb(), server: await server.peakRssMb(), database: bridge ? peakRssOfPid(bridge) : null };
    await server.stop();
    server = null;
    if (values.profile) results.serverProfile = summarizeCpuProfile(values.profile);
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
