/**
 * Picks the MongoDB the app and the tests talk to, in this order:
 *
 * 1. `MONGODB_URI` — an external server (production, or a developer's own mongod);
 * 2. a real `mongod` started by mongodb-memory-server, when a binary is cached, given by
 *    `MONGOMS_SYSTEM_BINARY`, or downloadable;
 * 3. the offline bridge `scripts/mongo-bridge.py` (mongomock + mockupdb under Debian's
 *    Python), for machines without MongoDB and without internet.
 *
 * `PREDISCLOSURE_DB_BACKEND=mongod|offline-bridge` forces a backend (it wins over
 * `MONGODB_URI`); `offline-bridge` also skips the mongod attempt and its few seconds.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { MongoMemoryServer } from 'mongodb-memory-server-core';
import type { MongoMemoryServerOpts } from 'mongodb-memory-server-core/lib/MongoMemoryServer';

export type DatabaseBackend = 'external' | 'mongod' | 'offline-bridge';

export interface DatabaseServer {
  /** Connection string without a database name; callers pass `dbName`. */
  uri: string;
  backend: DatabaseBackend;
  /** One line for humans: what is running where, and whether data survives. */
  description: string;
  stop(): Promise<void>;
}

export interface StartDatabaseServerOptions {
  /** `service` keeps mongod data in `dataDir`; `test` uses throw-away storage. */
  purpose: 'test' | 'service';
  /** A service mongod keeps its files in `<dataDir>/mongodb` (default dataDir: `<project>/data`). */
  dataDir?: string;
  log?: (msg: string) => void;
}

/** The bridge needs Debian's interpreter: python3-mongomock/-mockupdb are installed for it only. */
const DEBIAN_PYTHON = '/usr/bin/python3';
const BRIDGE_SCRIPT = path.join('scripts', 'mongo-bridge.py');
const INSTALL_HINT = 'apt-get install python3-mongomock python3-mockupdb';

/** Binary lookup (or download) plus start-up; a cached binary needs about a second. */
const MONGOD_START_TIMEOUT_MS = 20_000;
const BRIDGE_START_TIMEOUT_MS = 15_000;
const BRIDGE_STOP_TIMEOUT_MS = 5_000;
/** The bridge exits 3 when it cannot import mongomock/mockupdb. */
const BRIDGE_EXIT_MISSING_MODULES = 3;

const FORCED_BACKENDS = ['mongod', 'offline-bridge'] as const;
type ForcedBackend = (typeof FORCED_BACKENDS)[number];

export async function startDatabaseServer(opts: StartDatabaseServerOptions): Promise<DatabaseServer> {
  const log = opts.log ?? (() => undefined);
  const forced = forcedBackend(process.env.PREDISCLOSURE_DB_BACKEND);
  const externalUri = process.env.MONGODB_URI;

  if (!forced && externalUri) return externalServer(externalUri);

  if (forced !== 'offline-bridge') {
    const startedAt = Date.now();
    try {
      return await startMongod(opts, log);
    } catch (error) {
      if (forced === 'mongod') throw error;
      log(
        `[db] no real mongod available after ${Date.now() - startedAt} ms (${oneLine(error)}); ` +
          'falling back to the offline bridge',
      );
    }
  }

  const bridge = await startBridge(log);
  if (opts.purpose === 'service') {
    log('[db] WARNING: the offline bridge keeps data in memory only; it is lost when the service stops');
  }
  return bridge;
}

function forcedBackend(value: string | undefined): ForcedBackend | null {
  if (value === undefined || value === '' || value === 'auto') return null;
  if ((FORCED_BACKENDS as readonly string[]).includes(value)) return value as ForcedBackend;
  throw new Error(
    `PREDISCLOSURE_DB_BACKEND must be one of ${FORCED_BACKENDS.join(', ')} (or unset), got "${value}"`,
  );
}

// ---------------------------------------------------------------------------------------
// External server
// ---------------------------------------------------------------------------------------

function externalServer(uri: string): DatabaseServer {
  return {
    uri: withoutDatabaseName(uri),
    backend: 'external',
    description: `external MongoDB from MONGODB_URI (${redactCredentials(uri)})`,
    // Somebody else runs it; we never stop it.
    stop: async () => undefined,
  };
}

const URI_PATTERN = /^(mongodb(?:\+srv)?:\/\/)([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/;

/**
 * Drops a database name from the URI path, because callers choose the database.
 * The driver also uses that name as the default authSource, so it is kept as one.
 */
export function withoutDatabaseName(uri: string): string {
  const match = URI_PATTERN.exec(uri);
  if (!match) return uri;
  const [, scheme, authority, pathPart, query = ''] = match;
  const dbName = decodeURIComponent((pathPart ?? '').replace(/^\//, ''));
  if (!dbName) return uri;
  const needsAuthSource = authority.includes('@') && !/[?&]authSource=/.test(query);
  const authSource = needsAuthSource ? `${query ? '&' : '?'}authSource=${encodeURIComponent(dbName)}` : '';
  return `${scheme}${authority}/${query}${authSource}`;
}

function redactCredentials(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1***@');
}

// ---------------------------------------------------------------------------------------
// Real mongod through mongodb-memory-server
// ---------------------------------------------------------------------------------------

async function startMongod(opts: StartDatabaseServerOptions, log: (msg: string) => void): Promise<DatabaseServer> {
  const deadline = Date.now() + MONGOD_START_TIMEOUT_MS;
  await findMongodBinary(opts.purpose, MONGOD_START_TIMEOUT_MS);

  const { MongoMemoryServer: Server } = await import('mongodb-memory-server-core');
  // A subdirectory, because the service keeps other files (e.g. its address file) in dataDir.
  const dataDir =
    opts.purpose === 'service' ? path.join(path.resolve(opts.dataDir ?? path.join(projectRoot(), 'data')), 'mongodb') : null;
  const options: MongoMemoryServerOpts = { instance: { ip: '127.0.0.1' } };
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    options.instance = { ...options.instance, dbPath: dataDir, storageEngine: 'wiredTiger' };
  }
  const server = new Server(options);
  const started = server.start();
  try {
    const remaining = Math.max(deadline - Date.now(), 1_000);
    await withTimeout(started, remaining, `mongod did not start within ${MONGOD_START_TIMEOUT_MS / 1000} s`);
  } catch (error) {
    // A late start must not leave an orphan mongod behind.
    void started.then(() => stopMongod(server, opts.purpose), () => undefined);
    await stopMongod(server, opts.purpose).catch(() => undefined);
    throw error;
  }

  const uri = server.getUri();
  const address = uri.replace(/^mongodb:\/\//, '').replace(/\/.*$/, '');
  log(`[db] started mongod on ${address}`);
  return {
    uri: withoutDatabaseName(uri),
    backend: 'mongod',
    description: dataDir
      ? `real mongod (mongodb-memory-server) on ${address} — data kept in ${dataDir}`
      : `real mongod (mongodb-memory-server) on ${address} — temporary data, deleted on stop`,
    stop: once(() => stopMongod(server, opts.purpose)),
  };
}

async function stopMongod(server: MongoMemoryServer, purpose: StartDatabaseServerOptions['purpose']): Promise<void> {
  // A service's dbPath is the user's data: never let cleanup delete it.
  await server.stop({ doCleanup: purpose === 'test', force: false });
}

/**
 * Finds the mongod binary (cache, MONGOMS_SYSTEM_BINARY) or downloads it, in a child
 * process. A download cannot be cancelled in-process: after our timeout it would keep
 * this process (a jest run, say) alive for another minute. A child can simply be killed.
 * It also keeps mongodb-memory-server's console.warn of the failure out of test output.
 */
function findMongodBinary(purpose: StartDatabaseServerOptions['purpose'], timeoutMs: number): Promise<string> {
  const modulePath = require.resolve('mongodb-memory-server-core');
  const script =
    `require(${JSON.stringify(modulePath)}).MongoBinary.getPath().then(` +
    `(found) => { process.stdout.write(found); process.exit(0); }, ` +
    `(error) => { process.stderr.write(String((error && error.message) || error)); process.exit(1); });`;
  const env = { ...process.env };
  // Offline, every attempt fails on DNS at once, but three attempts with back-off take ~6 s.
  if (purpose === 'test' && env.MONGOMS_MAX_RETRIES === undefined) env.MONGOMS_MAX_RETRIES = '1';
  const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  return new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no mongod binary within ${timeoutMs / 1000} s (download too slow or hanging)`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && stdout.trim()) resolve(stdout.trim());
      else reject(new Error(stderr.trim() || `mongod binary lookup exited with code ${code}`));
    });
  });
}

// ---------------------------------------------------------------------------------------
// Offline bridge (scripts/mongo-bridge.py)
// ---------------------------------------------------------------------------------------

async function startBridge(log: (msg: string) => void): Promise<DatabaseServer> {
  const script = path.join(projectRoot(), BRIDGE_SCRIPT);
  // stdin stays an open pipe: the bridge exits when it closes, so it dies with this process.
  const child = spawn(DEBIAN_PYTHON, [script, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderrTail = collectTail(child);

  let port: number;
  try {
    port = await waitForListening(child, stderrTail);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  // After start-up the bridge only speaks on stderr for internal errors worth seeing.
  forwardLines(child.stderr, (line) => log(`[mongo-bridge] ${line}`));
  child.stdout.resume();
  // Neither the child nor its pipes may keep a finished test run alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void }).unref?.();
  }

  const address = `127.0.0.1:${port}`;
  log(`[db] started offline bridge on ${address}`);
  return {
    uri: `mongodb://${address}/`,
    backend: 'offline-bridge',
    description: `offline test server (mongomock + mockupdb bridge) on ${address} — data is NOT persisted`,
    stop: once(() => stopBridge(child)),
  };
}

function waitForListening(child: ChildProcessWithoutNullStreams, stderrTail: () => string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let stdout = '';
    const finish = (error: Error | null, port?: number): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(port as number);
    };
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      const match = /^LISTENING (\d+)\s*$/m.exec(stdout);
      if (match) finish(null, Number(match[1]));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      const stderr = stderrTail().trim();
      const missingModules = code === BRIDGE_EXIT_MISSING_MODULES || /No module named|cannot import/i.test(stderr);
      finish(
        new Error(
          missingModules
            ? `offline bridge cannot start: Python modules mongomock/mockupdb are missing for ${DEBIAN_PYTHON}; ` +
                `install them with: ${INSTALL_HINT}${stderr ? `\n${stderr}` : ''}`
            : `offline bridge exited before listening (code ${code}, signal ${signal})${stderr ? `:\n${stderr}` : ''}`,
        ),
      );
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      finish(
        new Error(
          error.code === 'ENOENT'
            ? `offline bridge cannot start: ${DEBIAN_PYTHON} not found; install it with: apt-get install python3 python3-mongomock python3-mockupdb`
            : `offline bridge cannot start: ${error.message}`,
        ),
      );
    };
    const timer = setTimeout(() => {
      finish(
        new Error(
          `offline bridge did not report LISTENING within ${BRIDGE_START_TIMEOUT_MS / 1000} s ` +
            `(is ${INSTALL_HINT} done?)${stderrTail() ? `:\n${stderrTail().trim()}` : ''}`,
        ),
      );
    }, BRIDGE_START_TIMEOUT_MS);
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function stopBridge(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), BRIDGE_STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last few KB of stderr so start-up failures can say why. */
function collectTail(child: ChildProcessWithoutNullStreams, limit = 4096): () => string {
  let tail = '';
  const onData = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-limit);
  };
  child.stderr.on('data', onData);
  return () => tail;
}

function forwardLines(stream: NodeJS.ReadableStream, emit: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) emit(line);
  });
}

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

/** The directory holding scripts/mongo-bridge.py, from `src/store` as well as `dist/src/store`. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, BRIDGE_SCRIPT)) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${BRIDGE_SCRIPT} in any parent of ${__dirname}`);
    dir = parent;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | null = null;
  return () => (result ??= fn());
}

/** An error as one short line: download errors put their cause on a second line. */
function oneLine(error: unknown, limit = 240): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return message.length > limit ? `${message.slice(0, limit - 1)}…` : message;
}
