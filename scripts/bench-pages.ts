/**
 * Public page render: GET /documents/:id and GET /consultations/:id of a realistic
 * filing — 30 articles, a full interpretation package, a consultation with comments, their
 * answers and a published adoption report, published with follow-up interpretations — against a
 * bare Express handler (same process, same machine) answering with the very same HTML as a
 * static string, both under autocannon with the same connections for the same time.
 * Run: npm run build && PREDISCLOSURE_DB_BACKEND=offline-bridge node dist/scripts/bench-pages.js
 *        [--duration 10] [--connections 10] [--rounds 2] [--comments 200] [--profile DIR]
 * Prints one JSON document.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
  bridgePid,
  consultedPublishedFiling,
  load,
  machine,
  openBench,
  peakRssMb,
  pairedRatio,
  peakRssOfPid,
  perRequest,
  startBenchServer,
  summarizeCpuProfile,
  timed,
  type BenchServer,
} from './bench-common';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    comments: { type: 'string', default: '200' },
    profile: { type: 'string' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);

async function main(): Promise<void> {
  const started = Date.now();
  const bench = await openBench();
  if (values.profile) fs.mkdirSync(values.profile, { recursive: true });
  let server: BenchServer | null = null;
  try {
    const [id] = await timed('a consulted, published filing', () => consultedPublishedFiling(bench, { articles: 30, comments: Number(values.comments) }));
    server = await startBenchServer(bench, { cpuProfileDir: values.profile });
    const pages = [
      { name: 'document', path: `/documents/${id}` },
      { name: 'consultation', path: `/consultations/${id}` },
    ];
    const results: Record<string, unknown> = { machine: machine(), database: bench.database.backend, connections: CONNECTIONS, durationSeconds: DURATION };
    for (const page of pages) {
      const res = await fetch(`${server.base}${page.path}`);
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${page.path}: ${res.status}`);
      const rates: number[] = [];
      const baseline: number[] = [];
      const latency = { page: { p50: 0, p99: 0 }, static: { p50: 0, p99: 0 } };
      await server.setStatic(html);
      // Warm-up of both, then alternating rounds; each round's ratio, and their median.
      await load(`${page.name} warm-up`, { url: `${server.base}${page.path}`, connections: CONNECTIONS, duration: 2 });
      await load(`static ${page.name} warm-up`, { url: `${server.staticBase}/static`, connections: CONNECTIONS, duration: 2 });
      await server.commands();
      let pageRequests = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const s = await load(`static copy of ${page.name} (${html.length} chars)`, { url: `${server.staticBase}/static`, connections: CONNECTIONS, duration: DURATION });
        const p = await load(`GET ${page.path}`, { url: `${server.base}${page.path}`, connections: CONNECTIONS, duration: DURATION });
        if (p.non2xx + p.errors > 0) throw new Error(`${page.path}: ${p.non2xx} non-2xx, ${p.errors} errors`);
        if (s.perSecond > Math.max(0, ...baseline)) latency.static = { p50: s.latencyP50, p99: s.latencyP99 };
        if (p.perSecond > Math.max(0, ...rates)) latency.page = { p50: p.latencyP50, p99: p.latencyP99 };
        pageRequests += p.requests;
        baseline.push(s.perSecond);
        rates.push(p.perSecond);
      }
      results[page.name] = {
        path: page.path.replace(id, ':id'),
        htmlBytes: Buffer.byteLength(html),
        staticPerSecond: baseline.map(Math.round),
        pagePerSecond: rates.map(Math.round),
        latencyMs: latency,
        ratioToStaticPerRound: pairedRatio(rates, baseline).perRound,
        ratioToStatic: pairedRatio(rates, baseline).median,
        databaseCommandsPerPage: perRequest(await server.commands(), pageRequests),
      };
    }
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
