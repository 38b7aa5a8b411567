/**
 * The API contract: the document served at /openapi.json is valid OpenAPI 3.1, names every route
 * of the API and no route the API does not have, and carries every error code with its status.
 */
import { createRepositories } from '../../src/store';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import express from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { FILING_EVENT_TYPES } from '../../machines/events';
import { ERROR_CODES, ERRORS } from '../../src/errors';
import { consoleRouter } from '../../src/console/router';
import { createApp } from '../../src/http/app';
import { openApiPath } from '../../src/http/openapi';
import { silentLogger } from '../../src/log';
import { portalRouter } from '../../src/portal/router';
import { buildServices } from '../../src/services';
import { createModels } from '../../src/store/models';
import { HTTP_STATUS } from '../../src/web/status';
import { registeredRoutes } from '../support/fuzz';
import { TEST_MAIL_SETTINGS } from '../support/harness';

/** The app without a database: registering routes and serving the document do no I/O. */
function offlineApp() {
  const services = buildServices(createRepositories(createModels(mongoose.createConnection())), TEST_MAIL_SETTINGS);
  const app = createApp({ services, public: { commentsPerMinute: 10 }, logger: silentLogger, bodyLimit: '1mb', describeDatabase: () => 'none' });
  return { app, services };
}

type Document = { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

/** @apidevtools/swagger-parser's verdict, from a process of its own (see test/support/validate-openapi.mjs). */
function validate(document: unknown): string {
  const script = path.join(__dirname, '..', 'support', 'validate-openapi.mjs');
  const result = spawnSync(process.execPath, [script], { input: JSON.stringify(document), encoding: 'utf8', timeout: 60_000 });
  return `${result.stdout}${result.stderr}`.trim();
}

async function served(): Promise<Document> {
  const response = await request(offlineApp().app).get('/openapi.json').expect(200).expect('Content-Type', /json/);
  return response.body as Document;
}

test('GET /openapi.json needs no token and validates as OpenAPI 3.1', async () => {
  const document = await served();
  expect(document.openapi).toBe('3.1.0');
  expect(validate(document)).toBe('valid 3.1.0');
  // The validator is not one that takes anything: a document that breaks the schema is refused.
  expect(validate({ ...document, paths: { '/filings': { get: { responses: { '200': {} } } } } })).toMatch(/^invalid/);
}, 60_000);

/**
 * The API's routes as the app registers them: all of them but the pages, which the public
 * site's and the console's routers register (they answer HTML, and are listed in the README).
 */
function apiRoutes(): string[] {
  const { app, services } = offlineApp();
  const pages = express();
  pages.use(portalRouter(services, { commentsPerMinute: 10 }));
  pages.use(consoleRouter(services, {}));
  const pageRoutes = new Set(registeredRoutes(pages).map((r) => `${r.method} ${r.path}`));
  return registeredRoutes(app)
    .map((r) => `${r.method} ${r.path}`)
    .filter((r) => !pageRoutes.has(r))
    .map((r) => {
      const [method, path] = r.split(' ');
      return `${method} ${openApiPath(path)}`;
    });
}

test('every route of the API has its entry in the document, and every entry its route', async () => {
  const document = await served();
  const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
  const registered = apiRoutes();
  expect(registered.length).toBeGreaterThan(25);
  expect({ withoutEntry: registered.filter((r) => !documented.includes(r)), withoutRoute: documented.filter((r) => !registered.includes(r)) }).toEqual({
    withoutEntry: [],
    withoutRoute: [],
  });
});

test('every error code is in the document with its status and message', async () => {
  const document = await served();
  const codes = (document.components.schemas.ErrorCode as { oneOf: Array<{ const: string; 'x-status': number; description: string }> }).oneOf;
  expect(codes.map((c) => c.const).sort()).toEqual([...ERROR_CODES].sort());
  for (const entry of codes) {
    const code = entry.const as keyof typeof ERRORS;
    expect(entry['x-status']).toBe(HTTP_STATUS[code]);
    expect(entry.description).toContain(ERRORS[code].message);
  }
});

test('every event is a schema of its own with its label, who may send it and described fields', async () => {
  const document = await served();
  for (const type of FILING_EVENT_TYPES) {
    const schema = document.components.schemas[`Event.${type}`] as { properties: Record<string, { description?: string }>; 'x-label': string; 'x-roles': string[] };
    expect(schema).toBeDefined();
    expect(schema['x-label']).toMatch(/\p{Script=Han}/u);
    expect(schema['x-roles'].length).toBeGreaterThan(0);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['type', 'version']));
  }
  const sign = document.components.schemas['Event.SIGN'] as { properties: Record<string, { description?: string }>; required: string[] };
  expect(sign.required).toEqual(expect.arrayContaining(['type', 'version', 'documentNumber']));
  expect(sign.properties.documentNumber.description).toBeTruthy();
  // The events route takes exactly these, told apart by their type.
  const body = JSON.stringify(document.paths['/filings/{id}/events'].post);
  for (const type of FILING_EVENT_TYPES) expect(body).toContain(`#/components/schemas/Event.${type}`);
});
