/**
 * The web layer's boundaries, read from the source: the public site and the console share only
 * the web kernel (src/web) — never each other's modules nor the JSON API's (src/http) — and the
 * domain knows nothing of HTTP: the status of a refusal is chosen at the edge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError, ERROR_CODES } from '../../src/errors';
import { HTTP_STATUS, statusOf } from '../../src/web/status';

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file imports (static, dynamic, require, re-export), as a path relative to the project. */
function importsOf(file: string, source = fs.readFileSync(file, 'utf8')): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.relative(ROOT, path.resolve(path.dirname(file), s)).split(path.sep).join('/'));
}

/** `file imports target` for every import of a file under `from` that lands under one of `forbidden`. */
function offenders(from: string, forbidden: string[]): string[] {
  return filesUnder(path.join(ROOT, from)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((dir) => target === dir || target.startsWith(`${dir}/`)))
      .map((target) => `${path.relative(ROOT, file)} imports ${target}`),
  );
}

test('the public site imports nothing of the console or of the JSON API', () => {
  expect(offenders('src/portal', ['src/console', 'src/http'])).toEqual([]);
});

test('the console imports nothing of the public site or of the JSON API', () => {
  expect(offenders('src/console', ['src/portal', 'src/http'])).toEqual([]);
});

test('the web kernel imports none of the front ends nor the API it serves', () => {
  expect(offenders('src/web', ['src/portal', 'src/console', 'src/http'])).toEqual([]);
});

test('domain code and the chart import nothing of the web layer', () => {
  const edge = new Set(['web', 'http', 'portal', 'console', 'docs']);
  const domain = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory() && !edge.has(d.name)).map((d) => `src/${d.name}`);
  const web = ['src/web', 'src/http', 'src/portal', 'src/console'];
  expect([...domain, 'machines'].flatMap((dir) => offenders(dir, web))).toEqual([]);
});

test('the scan sees imports in every form it must catch', () => {
  const imports = (text: string) => importsOf(path.join(ROOT, 'src', 'portal', 'probe.ts'), text);
  expect(imports("import { x } from '../http/public';\nexport * from '../console/page';\nimport '../web/text';\nconst y = require('../http/app');\nvoid import('./router');"))
    .toEqual(['src/http/public', 'src/console/page', 'src/web/text', 'src/http/app', 'src/portal/router']);
});

test('a refusal carries its code, not an HTTP status; the edge has a status for every code', () => {
  const error = new AppError('FILING_NOT_FOUND');
  expect('status' in error).toBe(false);
  expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  expect(statusOf(error)).toBe(404);
  expect(statusOf('FILING_INCOMPLETE')).toBe(422);
});
