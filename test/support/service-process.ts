/**
 * The service as production runs it — `node dist/src/main.js`, configured by the environment —
 * started, killed and restarted by tests of several instances, crashes and faults.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
let built = false;

/**
 * Compiles the service once per test file, as `npm start` does — but without the type check:
 * `npm test` has run it already, and with isolated modules it cannot change the JavaScript
 * emitted; it was two thirds of the compile. Asynchronous, so a test file can set up meanwhile.
 */
export async function buildService(): Promise<void> {
  if (built) return;
  // From scratch, like `npm run build`: a module moved or removed must not linger in dist/ and be
  // loaded in place of its successor (dist/x.js shadows dist/x/index.js).
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT });
  built = true;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Everything the process printed, for a failing test's message. */
  output = '';
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'predisclosure-service-'));

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    // The test run's own database choice must not override the MONGODB_URI given here.
    const { PREDISCLOSURE_DB_BACKEND: _backend, ...inherited } = process.env;
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...inherited, PORT: String(this.port), HOST: '127.0.0.1', PREDISCLOSURE_DATA_DIR: this.dataDir, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`service exited during start-up:\n${this.output}`);
      try {
        const res = await fetch(`${this.base}/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`service did not start within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGKILL: no shutdown handler runs, as in a power cut. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  /** SIGTERM, the orderly way. */
  async stop(): Promise<void> {
    if (!this.child) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `check` holds, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | false | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * A TCP proxy in front of the test database: `cut()` drops every connection and refuses new ones,
 * as when the database host goes away; `restore()` listens again on the same port.
 */
export class DatabaseProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUri(uri: string): DatabaseProxy {
    const match = /^mongodb:\/\/(?:[^@/]*@)?([^:/,]+):(\d+)/.exec(uri);
    if (!match) throw new Error(`cannot proxy ${uri}`);
    return new DatabaseProxy(match[1], Number(match[2]));
  }

  uri(): string {
    return `mongodb://127.0.0.1:${this.port}/?directConnection=true`;
  }

  async restore(): Promise<void> {
    // While cut, the driver keeps dialling this port. A port from the ephemeral range could be
    // handed to one of those very dials as its own source port, and Linux then connects the socket
    // to itself (TCP self-connect): the driver talks to its own echo and hangs. So the proxy
    // listens below the ephemeral range (32768+ on Linux), on a port picked at random once.
    if (this.port === 0) {
      for (let attempt = 0; ; attempt++) {
        const candidate = 20_000 + Math.floor(Math.random() * 10_000);
        try {
          await this.listen(candidate);
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 50) throw error;
        }
      }
    }
    await this.listen(this.port);
  }

  private async listen(port: number): Promise<void> {
    const server = net.createServer((client) => {
      if (this.server !== server) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    // Stop accepting first, then drop what is open: close() waits for every connection to end.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
