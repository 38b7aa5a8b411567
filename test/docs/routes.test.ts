/**
 * The README's table of routes is the map a newcomer reads: every route the app registers must
 * be in it, and nothing that is not. Routes are read from the app itself, as the fuzzer does.
 */
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/log';
import { buildServices } from '../../src/services';
import { createModels } from '../../src/store/models';
import { TEST_MAIL_SETTINGS } from '../support/harness';
import { registeredRoutes } from '../support/fuzz';
import { createRepositories } from '../../src/store';

const README = path.join(__dirname, '..', '..', 'README.md');

/** `METHOD /path` of the app, without a database: registering routes does no I/O. */
function appRoutes(): string[] {
  const connection = mongoose.createConnection();
  const app = createApp({
    services: buildServices(createRepositories(createModels(connection)), TEST_MAIL_SETTINGS),
    public: { commentsPerMinute: 10 },
    logger: silentLogger,
    bodyLimit: '1mb',
    describeDatabase: () => 'none',
  });
  return registeredRoutes(app).map((r) => `${r.method} ${r.path}`);
}

/** The first cell of every row of the tables under the README's "## Routes", e.g. `GET /filings/:id`. */
function readmeRoutes(): string[] {
  const readme = fs.readFileSync(README, 'utf8');
  const section = /^## Routes\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Routes" section');
  const routes: string[] = [];
  for (const line of section.split('\n')) {
    const cell = /^\| `((?:GET|POST|PUT|PATCH|DELETE) [^`]+)` \|/.exec(line)?.[1];
    if (cell) routes.push(cell);
  }
  return routes;
}

test('the README lists every route of the app, and only those', () => {
  const listed = readmeRoutes();
  const registered = appRoutes();
  expect({ missingFromReadme: registered.filter((r) => !listed.includes(r)), notInTheApp: listed.filter((r) => !registered.includes(r)) }).toEqual({
    missingFromReadme: [],
    notInTheApp: [],
  });
  // Each once: a route listed twice is a table that grew by copying.
  expect(listed.filter((r, i) => listed.indexOf(r) !== i)).toEqual([]);
});
