/**
 * The service for the HTTP benchmarks, in a process of its own (forked by bench-common.ts), so
 * that autocannon in the parent does not share its event loop. Also serves a bare Express app
 * answering GET /static with a string the parent sets: the baseline of the page benchmarks.
 * Talks to the parent over IPC: `ready` {port, staticPort}; `static` {html}; `stats` (peak RSS and
 * the database commands sent since `reset-commands`); `stop`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { createApp } from '../src/http/app';
import { silentLogger } from '../src/log';
import { buildServices } from '../src/services';
import { createRepositories } from '../src/store';
import { createModels } from '../src/store/models';
import { BENCH_MAIL, PATIENT } from './bench-common';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function main(): Promise<void> {
  const connection = await mongoose
    .createConnection(process.env.BENCH_DB_URI as string, { dbName: process.env.BENCH_DB_NAME, monitorCommands: true, ...PATIENT })
    .asPromise();
  // Database commands by name and collection, so the benchmarks can say what a request costs it.
  let commands = new Map<string, number>();
  connection.getClient().on('commandStarted', (event) => {
    const target = (event.command as Record<string, unknown>)[event.commandName];
    const key = typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
    commands.set(key, (commands.get(key) ?? 0) + 1);
  });
  const services = buildServices(createRepositories(createModels(connection)), BENCH_MAIL);
  const app = createApp({ services, public: { commentsPerMinute: 100_000_000 }, logger: silentLogger, bodyLimit: '2mb', describeDatabase: () => 'bench' });
  const server = createServer(app);

  let html = '';
  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/static', (_req, res) => {
    res.type('html').send(html);
  });
  const staticServer = createServer(bare);

  const [port, staticPort] = await Promise.all([listen(server), listen(staticServer)]);
  process.on('message', (message: { type: string; html?: string }) => {
    if (message.type === 'static') {
      html = message.html ?? '';
      process.send?.({ type: 'static' });
    } else if (message.type === 'stats') {
      process.send?.({ type: 'stats', peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), commands: Object.fromEntries(commands) });
    } else if (message.type === 'reset-commands') {
      commands = new Map();
      process.send?.({ type: 'reset-commands' });
    } else if (message.type === 'stop') {
      server.closeAllConnections();
      staticServer.closeAllConnections();
      void Promise.all([new Promise((r) => server.close(r)), new Promise((r) => staticServer.close(r))])
        .then(() => connection.close())
        // A normal exit, so that --cpu-prof writes its profile.
        .then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', port, staticPort });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
