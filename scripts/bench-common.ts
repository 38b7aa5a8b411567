/**
 * What the benchmarks share: the database (chosen as for the tests: MONGODB_URI, a real mongod,
 * else the offline test server), the staff, realistic filings, the service in a child process
 * of its own (bench-server.ts, so the load generator does not share its event loop), autocannon,
 * timing, memory and CPU-profile summaries. Not a benchmark itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose, { type Connection } from 'mongoose';
import { SYSTEM_ACTOR, type Actor, type StaffRole } from '../machines/roles';
import { emptyParticulars } from '../machines/dossier';
import { silentLogger } from '../src/log';
import { ConsultationCloser } from '../src/schedule/consultations';
import { buildServices, mailSettings, type Services } from '../src/services';
import { startDatabaseServer, type DatabaseServer } from '../src/store/database-server';
import { createRepositories } from '../src/store';
import { createModels, ensureIndexes, type Models } from '../src/store/models';
import type { FilingCommand, NewFiling } from '../src/workflow/filings';
import { generateComments, syntheticParagraph, syntheticPolicyText } from './synthetic-comments';

// ---------------------------------------------------------------------------------------
// Timing and memory
// ---------------------------------------------------------------------------------------

/** Commands per request: each count divided by `requests`, the commands named by collection. */
export function perRequest(commands: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, count] of Object.entries(commands)) {
    if (/^(hello|ismaster|isMaster|ping|endSessions|getMore|killCursors)\b/.test(name)) continue;
    out[name] = Math.round((count / requests) * 1000) / 1000;
    total += count;
  }
  out.total = Math.round((total / requests) * 1000) / 1000;
  return out;
}

/** Progress on stderr, so stdout stays one JSON document. */
export function note(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export async function timed<T>(label: string, fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  note(`${label}: ${Math.round(ms)} ms`);
  return [result, ms];
}

export function timedSync<T>(label: string, fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  note(`${label}: ${Math.round(ms)} ms`);
  return [result, ms];
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export const ratio = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * Rounds alternate measurement and baseline, so each round's pair ran under the same conditions
 * (machine load, collection sizes); the ratio reported is the median of the rounds' ratios.
 */
export function pairedRatio(results: readonly number[], baselines: readonly number[]): { perRound: number[]; median: number } {
  const perRound = results.map((r, i) => r / baselines[i]);
  const sorted = [...perRound].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { perRound: perRound.map((x) => ratio(x)), median: ratio(median) };
}

/** This process's peak resident set, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Peak resident set (VmHWM) of another process on this machine, in MB; null where unknown. */
export function peakRssOfPid(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** The offline test server this process started (a python3 child running mongo-bridge.py). */
export function bridgePid(): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('mongo-bridge.py')) return Number(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  return null;
}

export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

// ---------------------------------------------------------------------------------------
// Database, services and staff
// ---------------------------------------------------------------------------------------

export const STAFF = {
  drafter: { role: 'drafter', department: '市交通运输局' },
  head: { role: 'departmentHead', department: '市交通运输局' },
  clerk: { role: 'clerk', department: null },
  confidentialityReviewer: { role: 'confidentialityReviewer', department: null },
  legalReviewer: { role: 'legalReviewer', department: null },
  meetingSecretary: { role: 'meetingSecretary', department: null },
  signer: { role: 'signer', department: null },
  publisher: { role: 'publisher', department: null },
} as const satisfies Record<string, { role: StaffRole; department: string | null }>;
export type StaffKey = keyof typeof STAFF;
export type Who = StaffKey | 'system';

export interface Bench {
  database: DatabaseServer;
  dbName: string;
  connection: Connection;
  models: Models;
  services: Services;
  actors: Record<Who, Actor>;
  tokens: Record<StaffKey, string>;
  close(): Promise<void>;
}

/** Driver timeouts long enough for the offline server's minutes-long scans at a million comments. */
export const PATIENT = { connectTimeoutMS: 3_600_000, serverSelectionTimeoutMS: 3_600_000, socketTimeoutMS: 0 } as const;

export const BENCH_MAIL = mailSettings({ from: 'noreply@predisclosure.local', publicBaseUrl: 'http://127.0.0.1' });

export async function openBench(): Promise<Bench> {
  const database = await startDatabaseServer({ purpose: 'test' });
  const dbName = `bench_${Date.now()}`;
  // The offline test server runs one command at a time: a scan of a million comments keeps it
  // silent for minutes, and the driver must not declare it gone meanwhile.
  const connection = await mongoose.createConnection(database.uri, { dbName, ...PATIENT }).asPromise();
  const models = createModels(connection);
  await ensureIndexes(models);
  const services = buildServices(createRepositories(models), BENCH_MAIL);
  const actors = { system: SYSTEM_ACTOR } as Record<Who, Actor>;
  const tokens = {} as Record<StaffKey, string>;
  for (const [key, spec] of Object.entries(STAFF) as Array<[StaffKey, (typeof STAFF)[StaffKey]]>) {
    const { token, record } = await services.staff.register({ name: `基准${key}`, email: `${key}@example.gov.cn`, role: spec.role, department: spec.department });
    tokens[key] = token;
    actors[key] = { id: String(record._id), name: record.name, role: record.role, department: record.department };
  }
  return {
    database,
    dbName,
    connection,
    models,
    services,
    actors,
    tokens,
    close: async () => {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
      await database.stop();
    },
  };
}

type CommandBody = FilingCommand extends infer C ? (C extends unknown ? Omit<C, 'version'> : never) : never;
export type Step = [Who, CommandBody];

export async function drive(bench: Bench, id: string, steps: Step[]): Promise<void> {
  for (const [who, command] of steps) {
    const { version } = await bench.services.filings.get(bench.actors[who], id);
    await bench.services.filings.send(bench.actors[who], id, { ...command, version } as FilingCommand);
  }
}

/** A complete filing of `articles` articles with a full interpretation package (R2, R4, R5). */
export function realisticFiling(articles: number, seed = 1): NewFiling {
  return {
    title: '关于优化城市公共交通票价和服务的实施方案',
    body: syntheticPolicyText({ articles, seed }),
    coDepartments: ['市财政局', '市发展和改革委员会'],
    particulars: { ...emptyParticulars('government'), disclosure: { attribute: 'proactive', reason: null } },
    interpretation: {
      plan: syntheticParagraph(120, seed + 1),
      materials: {
        background: syntheticParagraph(300, seed + 2),
        objectives: syntheticParagraph(200, seed + 3),
        mainContent: syntheticParagraph(400, seed + 4),
        scope: syntheticParagraph(100, seed + 5),
        executionStandards: syntheticParagraph(150, seed + 6),
        benefitMeasures: syntheticParagraph(200, seed + 7),
      },
      forms: ['officialArticle', 'policyQa', 'graphic', 'video'],
      items: [
        { form: 'policyQa', title: '政策问答：票价如何调整？', body: syntheticParagraph(500, seed + 8), url: null },
        { form: 'policyQa', title: '政策问答：哪些人群继续免费乘车？', body: syntheticParagraph(300, seed + 9), url: null },
        { form: 'officialArticle', title: '主要负责人解读文章', body: syntheticParagraph(800, seed + 10), url: null },
        { form: 'graphic', title: '一图读懂票价调整方案', body: null, url: 'https://www.example.gov.cn/tu/2026/12.png' },
        { form: 'video', title: '主要负责人视频解读', body: null, url: 'https://www.example.gov.cn/video/12.mp4' },
      ],
    },
  };
}

export function consultationRequest(days = 31) {
  return {
    endsAt: new Date(Date.now() + days * 86_400_000).toISOString(),
    basis: '《中华人民共和国价格法》第二十三条；《政府制定价格听证办法》',
    background: syntheticParagraph(200, 11),
    explanation: syntheticParagraph(300, 12),
  };
}

export const TO_PUBLISHED: Step[] = [
  ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
  ['head', { type: 'APPROVE_INTERPRETATION', note: '同意' }],
  ['drafter', { type: 'FINALIZE_TEXT' }],
  ['head', { type: 'SUBMIT' }],
  ['clerk', { type: 'ACCEPT' }],
  ['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '经审查，符合法律法规规定。' }],
  ['meetingSecretary', { type: 'ADOPT', meeting: '市政府第21次常务会议' }],
  ['signer', { type: 'SIGN', documentNumber: '某政发〔2026〕21号' }],
  ['publisher', { type: 'PUBLISH', url: 'https://www.example.gov.cn/zwgk/2026/21.html' }],
];

/**
 * A published document that went through a public consultation first: `comments` public
 * comments (campaigns included) with their answers, a published adoption report, the document
 * with its interpretation, and follow-up interpretations (R7). What the public site shows most.
 */
export async function consultedPublishedFiling(bench: Bench, options: { articles: number; comments: number }): Promise<string> {
  const { services } = bench;
  const { id } = await services.filings.create(bench.actors.drafter, realisticFiling(options.articles));
  await drive(bench, id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION', note: '经审查，不涉及国家秘密和工作秘密' }],
  ]);
  const texts = generateComments({ total: options.comments, campaigns: 3, campaignShare: 0.5, seed: 3 });
  await pool(texts.length, 10, async (i) => {
    const article = i % 4 === 0 ? null : (i % options.articles) + 1;
    const contact = i % 3 === 0;
    await services.comments.submit(
      id,
      { article, paragraph: null, body: texts[i].text, name: contact ? '王小明' : null, email: contact ? `c${i}@example.com` : null, phone: null },
      `10.0.0.${i % 250}`,
      new Date(),
    );
  });
  await new ConsultationCloser(services, silentLogger, () => new Date(Date.now() + 40 * 86_400_000)).runOnce();
  const head = await services.filings.visible(bench.actors.drafter, id);
  const clusters = await services.comments.clusters(head, 1, services.workbench.concentratedMinComments);
  const outcomes = ['adopted', 'partlyAdopted', 'notAdopted', 'notApplicable'] as const;
  for (const [k, cluster] of clusters.filter((c) => c.size > 1).entries()) {
    await services.workbench.dispose(bench.actors.drafter, id, 1, { clusterId: cluster.clusterId, outcome: 'notAdopted', reason: `集中意见${k + 1}：${syntheticParagraph(60, 40 + k)}` });
  }
  for (;;) {
    const { items } = await services.workbench.commentsOf(bench.actors.drafter, id, { round: 1, page: 1, pageSize: 100, undisposed: true });
    if (items.length === 0) break;
    for (const [k, outcome] of outcomes.entries()) {
      const commentIds = items.filter((_, i) => i % outcomes.length === k).map((item) => String(item.id));
      if (commentIds.length === 0) continue;
      await services.workbench.dispose(bench.actors.drafter, id, 1, { commentIds, outcome, reason: outcome === 'adopted' ? null : syntheticParagraph(40, 100 + k) });
    }
  }
  await drive(bench, id, [
    ['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }],
    ['publisher', { type: 'PUBLISH_ADOPTION_REPORT' }],
    ...TO_PUBLISHED,
    ['drafter', { type: 'ADD_FOLLOW_UP', form: 'policyQa', title: '政策问答（二）：换乘优惠如何计算？', body: syntheticParagraph(400, 60), url: null, concern: '换乘优惠' }],
    ['drafter', { type: 'ADD_FOLLOW_UP', form: 'mediaInterview', title: '答记者问', body: null, url: 'https://www.example.gov.cn/news/2026/3.html', concern: '票价调整的依据' }],
  ]);
  return id;
}

// ---------------------------------------------------------------------------------------
// The service in a child process
// ---------------------------------------------------------------------------------------

export interface BenchServer {
  /** The service: createApp with the bench's database. */
  base: string;
  /** A bare Express app answering GET /static with the string set by `setStatic`. */
  staticBase: string;
  pid: number;
  setStatic(html: string): Promise<void>;
  peakRssMb(): Promise<number>;
  /** Database commands the service sent since the last call, by command and collection. */
  commands(): Promise<Record<string, number>>;
  /** Stops it; with a CPU profile requested, waits until the profile is written. */
  stop(): Promise<void>;
}

/**
 * Forks bench-server.js on the same database. `cpuProfileDir`: run it under --cpu-prof, the
 * profile written there when it stops.
 */
export async function startBenchServer(bench: Bench, options: { cpuProfileDir?: string } = {}): Promise<BenchServer> {
  const execArgv = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child: ChildProcess = fork(path.join(__dirname, 'bench-server.js'), [], {
    execArgv,
    env: { ...process.env, BENCH_DB_URI: bench.database.uri, BENCH_DB_NAME: bench.dbName },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, (message: Record<string, unknown>) => void>();
  child.on('message', (message: Record<string, unknown>) => {
    const resolve = waiting.get(String(message.type));
    waiting.delete(String(message.type));
    resolve?.(message);
  });
  const reply = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      waiting.set(type, resolve);
      child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before "${type}"`)));
    });
  const ready = await reply('ready');
  return {
    base: `http://127.0.0.1:${ready.port}`,
    staticBase: `http://127.0.0.1:${ready.staticPort}`,
    pid: child.pid as number,
    setStatic: async (html) => {
      const done = reply('static');
      child.send({ type: 'static', html });
      await done;
    },
    peakRssMb: async () => {
      const done = reply('stats');
      child.send({ type: 'stats' });
      return Number((await done).peakRssMb);
    },
    commands: async () => {
      const done = reply('stats');
      child.send({ type: 'stats' });
      const counts = (await done).commands as Record<string, number>;
      const reset = reply('reset-commands');
      child.send({ type: 'reset-commands' });
      await reset;
      return counts;
    },
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------
// autocannon (no type package: the few fields used here)
// ---------------------------------------------------------------------------------------

export interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: LoadRequest, context: Record<string, unknown>) => LoadRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Exactly this many requests, or else run for `duration` seconds. */
  amount?: number;
  duration?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: LoadRequest[];
  timeout?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  durationMs: number;
  latencyP50: number;
  latencyP99: number;
  errors: number;
  non2xx: number;
  bytesPerResponse: number;
}

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  throughput: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  start: Date | string;
  finish: Date | string;
}

/**
 * Runs autocannon. Rates are counted here, from the call to the last response: autocannon's own
 * finish time is rounded up to its one-second ticks, which skews short fixed-count runs.
 */
export async function load(label: string, options: LoadOptions): Promise<LoadResult> {
  const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  let lastResponseAt = 0;
  const requests = (options.requests ?? [{}]).map((request) => ({
    ...request,
    onResponse: (status: number, body: string, context: Record<string, unknown>) => {
      lastResponseAt = performance.now();
      request.onResponse?.(status, body, context);
    },
  }));
  const startedAt = performance.now();
  const result = await autocannon({ timeout: 120, ...options, requests });
  const durationMs = Math.round(lastResponseAt - startedAt);
  const answered = result['2xx'] + result.non2xx;
  const out: LoadResult = {
    requests: answered,
    perSecond: Math.round((answered / durationMs) * 1000 * 10) / 10,
    durationMs,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytesPerResponse: answered ? Math.round(result.throughput.total / answered) : 0,
  };
  note(`${label}: ${out.requests} requests in ${out.durationMs} ms = ${out.perSecond}/s (p50 ${out.latencyP50} ms, p99 ${out.latencyP99} ms, non-2xx ${out.non2xx}, errors ${out.errors})`);
  return out;
}

// ---------------------------------------------------------------------------------------
// CPU profiles
// ---------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/**
 * Self time by function (top `limit`) and by package or source directory, from the newest
 * .cpuprofile in `dir`: enough to see where a request's CPU time goes.
 */
export function summarizeCpuProfile(dir: string, limit = 25): { totalMs: number; byFunction: Array<[string, number]>; byArea: Array<[string, number]> } {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  const profile = JSON.parse(fs.readFileSync(files[0], 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id) as ProfileNode;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\//, '');
    const short = where.includes('node_modules/') ? where.slice(where.lastIndexOf('node_modules/') + 13) : where.replace(/^.*\/dist\//, '');
    const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const pkg = where.includes('node_modules/')
      ? where.slice(where.lastIndexOf('node_modules/') + 13).split('/').slice(0, where.includes('node_modules/@') ? 2 : 1).join('/')
      : where.startsWith('node:') || where === ''
        ? functionName.startsWith('(') ? functionName : `node internals`
        : path.dirname(short);
    area.set(pkg, (area.get(pkg) ?? 0) + us);
    total += us;
  }
  const top = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, us]) => [k, Math.round(us / 100) / 10] as [string, number]);
  return { totalMs: Math.round(total / 1000), byFunction: top(fn), byArea: top(area) };
}
