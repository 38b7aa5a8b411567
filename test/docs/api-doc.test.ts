import fs from 'node:fs';
import { EVENT_LABELS, FILING_EVENT_TYPES } from '../../machines/events';
import { API_DOC, renderApiDoc } from '../../src/docs/api';
import { ERROR_CODES, ERRORS } from '../../src/errors';
import { API_ROUTES, openApiPath } from '../../src/http/openapi';
import { HTTP_STATUS } from '../../src/web/status';

test('docs/api.md is what `npm run docs` generates from the API contract today', () => {
  expect(fs.readFileSync(API_DOC, 'utf8')).toBe(renderApiDoc());
});

test('every route, every event with its fields, and every error code with its status and message are in it', () => {
  const doc = renderApiDoc();
  for (const route of API_ROUTES) expect(doc).toContain(`### \`${route.method.toUpperCase()} ${openApiPath(route.path)}\``);
  for (const type of FILING_EVENT_TYPES) expect(doc).toContain(`### \`${type}\` — ${EVENT_LABELS[type]}`);
  for (const code of ERROR_CODES) expect(doc).toContain(`| \`${code}\` | ${HTTP_STATUS[code]} | ${ERRORS[code].message} |`);
  // Fields come with their meaning, parameters with theirs.
  expect(doc).toMatch(/\| `documentNumber` \| string \| yes \| 1–100 characters \| \S/);
  expect(doc).toMatch(/\| `tasks` \| query \| string \| no \| one of `true`, `false` \| `true`: only what awaits the caller\. \|/);
  expect(doc).toMatch(/\| `Idempotency-Key` \| header \|/);
  expect(doc).toContain('| `FILING_INCOMPLETE` | 422 | 报送材料不齐全，已按规定退文 | R18 |');
});
