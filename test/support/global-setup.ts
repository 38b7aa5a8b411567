/**
 * jest globalSetup: starts one database for the whole run (see src/store/database-server.ts
 * for how it is chosen) and hands its address to the test workers through the environment.
 */
import { startDatabaseServer, type DatabaseServer } from '../../src/store/database-server';

/** Shared with global-teardown.ts: jest runs both in the same process. */
export const TEST_DATABASE_HANDLE = Symbol.for('predisclosure.testDatabaseServer');

type HandleHolder = { [TEST_DATABASE_HANDLE]?: DatabaseServer };

export function takeTestDatabaseServer(): DatabaseServer | undefined {
  const holder = globalThis as HandleHolder;
  const server = holder[TEST_DATABASE_HANDLE];
  delete holder[TEST_DATABASE_HANDLE];
  return server;
}

export default async function globalSetup(): Promise<void> {
  const server = await startDatabaseServer({
    purpose: 'test',
    // Start-up chatter stays quiet; the bridge's own error reports must not.
    log: (msg) => {
      if (msg.startsWith('[mongo-bridge]') || process.env.PREDISCLOSURE_DB_VERBOSE) process.stderr.write(`${msg}\n`);
    },
  });
  (globalThis as HandleHolder)[TEST_DATABASE_HANDLE] = server;
  // Workers start after globalSetup and inherit this environment.
  process.env.MONGODB_TEST_URI = server.uri;
  process.env.MONGODB_TEST_BACKEND = server.backend;
  process.stdout.write(`\n[db] tests use: ${server.description}\n`);
}
