/**
 * The database is reached through the repositories of src/store alone: nothing else in the
 * product imports the mongoose models, mongoose or the MongoDB driver. Scripts that only connect
 * use src/store/connection and src/store (openRepositories).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The benchmarks measure the database itself — raw inserts and reads as baselines beside the
 * product's own path, documents' BSON sizes, the driver's command log — so they may. Each entry
 * must still need its allowance: one no longer used fails the test, so the list only shrinks.
 */
const ALLOWED: Record<string, string> = {
  'scripts/bench-common.ts': 'opens the benchmark database with the driver settings it needs and hands the models to the baselines',
  'scripts/bench-server.ts': 'counts database commands per request from the driver',
  'scripts/bench-consultation.ts': 'bulk-loads comments raw and reads them raw as the baseline',
  'scripts/bench-transitions.ts': 'applies transitions raw as the baseline and weighs the stored documents',
  'scripts/bench-cluster.ts': 'weighs a stored clustering in BSON',
};

/** Module specifiers a TypeScript file imports, re-exports or requires. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** Whether a specifier imported by `file` (relative to `root`) reaches the database directly. */
export function reachesDatabase(root: string, file: string, specifier: string): boolean {
  if (/^(mongoose|mongodb)(\/|$)/.test(specifier)) return true;
  if (!specifier.startsWith('.')) return false;
  const target = path.relative(root, path.resolve(root, path.dirname(file), specifier)).split(path.sep).join('/');
  return target === 'src/store/models' || target === 'src/store/models.ts';
}

function sourceFiles(root: string, dir: string): string[] {
  const base = path.join(root, dir);
  if (!fs.existsSync(base)) return [];
  return (fs.readdirSync(base, { recursive: true }) as string[])
    .map((name) => path.join(dir, name).split(path.sep).join('/'))
    .filter((name) => name.endsWith('.ts'))
    .sort();
}

/** Every file outside src/store that reaches the database directly, with what it imports. */
export function offenders(root: string): Array<{ file: string; imports: string[] }> {
  const result: Array<{ file: string; imports: string[] }> = [];
  for (const file of [...sourceFiles(root, 'src'), ...sourceFiles(root, 'scripts')]) {
    if (file.startsWith('src/store/')) continue;
    const imports = importsOf(fs.readFileSync(path.join(root, file), 'utf8')).filter((s) => reachesDatabase(root, file, s));
    if (imports.length > 0) result.push({ file, imports: [...new Set(imports)] });
  }
  return result;
}

test('only src/store imports the mongoose models, mongoose or the MongoDB driver', () => {
  const found = offenders(ROOT);
  const unexpected = found.filter((o) => !(o.file in ALLOWED)).map((o) => `${o.file}: ${o.imports.join(', ')}`);
  expect(unexpected).toEqual([]);
  const unused = Object.keys(ALLOWED).filter((file) => !found.some((o) => o.file === file));
  expect(unused).toEqual([]);
});

test('the scan finds each way of reaching the database, and nothing else', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('src/store/filings.ts', "import { Types } from 'mongoose';\nimport type { Models } from './models';\n");
    write('src/mail/a.ts', "import type { Types } from 'mongoose';\n");
    write('src/mail/b.ts', "import {\n  createModels,\n  type Models,\n} from '../store/models';\n");
    write('src/c.ts', "export { DISPOSITION_OUTCOMES } from './store/models';\n");
    write('scripts/d.ts', "const m = require('mongodb');\n");
    write('scripts/e.ts', "import('../src/store/models.ts');\n");
    write('src/clean.ts', "import { FilingStore } from './store/filings';\nimport type { CommentRecord } from './store/records';\nimport { connect } from './store/connection';\n// mongoose is not imported here\n");
    expect(offenders(root)).toEqual([
      { file: 'src/c.ts', imports: ['./store/models'] },
      { file: 'src/mail/a.ts', imports: ['mongoose'] },
      { file: 'src/mail/b.ts', imports: ['../store/models'] },
      { file: 'scripts/d.ts', imports: ['mongodb'] },
      { file: 'scripts/e.ts', imports: ['../src/store/models.ts'] },
    ]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
