/**
 * Tools for the hostile-input fuzzer (test/http/fuzz.test.ts): a seeded PRNG, the routes the
 * Express app itself has registered, hostile values and raw bodies, a raw HTTP client that sends
 * exactly the bytes it is given, and a fingerprint of everything stored.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Models } from '../../src/store/models';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: the same seed gives the same requests in the same order.

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast, good enough to spread requests; reproducible from one 32-bit seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// The routes, read from the app itself (Express 5 / router 2: `app.router.stack`, nested
// routers' `handle.stack`, a layer's `rawPath`, a route's `path` and `methods`).

export interface RegisteredRoute {
  method: string;
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${path}`;
}

export function registeredRoutes(app: Express): RegisteredRoute[] {
  const found: RegisteredRoute[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') throw new Error(`the fuzzer cannot read a route path ${String(p)}: give it a string`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.push({ method: method.toUpperCase(), path: join(prefix, p) });
          }
        }
      } else if (layer.handle?.stack) {
        // A mounted router; `use()` without a path mounts at '/'.
        const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
        for (const m of mounts) {
          if (typeof m !== 'string') throw new Error(`the fuzzer cannot read a mount path ${String(m)}`);
          walk(layer.handle.stack, join(prefix, m));
        }
      }
    }
  };
  const root = (app as unknown as { router: { stack: LayerLike[] } }).router;
  walk(root.stack, '');
  const unique = new Map(found.map((r) => [`${r.method} ${r.path}`, r]));
  return [...unique.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** `:name` parameters of a route path. */
export function paramsOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------
// Hostile material.

/** Markup that must only ever be shown as text. */
export const MARKUP = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  '</textarea></title><script>alert(4)</script>',
  '<a href="javascript:alert(5)">点我</a>',
  '{{constructor.constructor("alert(6)")()}}',
  '<iframe srcdoc="<script>alert(7)</script>"></iframe>',
  "' autofocus onfocus='alert(8)",
];

export const ODD_UNICODE = [
  '\u202Eevil\u202C 反向文字',
  '\u200B\u200C\u200D\uFEFF零宽',
  '\uD800 lone high',
  'lone low \uDC00',
  '😀👨‍👩‍👧‍👦🇨🇳',
  'e\u0301\u0301\u0301\u0301\u0308\u0308',
  'NUL\u0000byte',
  '\r\n\r\nX-Injected: 1',
  '\u0007\u001b[31m控制字符',
  '\uFFFF\uFFFE',
];

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n ',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1.5',
  '1e999',
  'NaN',
  'Infinity',
  '9'.repeat(400),
  '$where',
  '$gt',
  '{"$gt":""}',
  "'; db.dropDatabase(); '",
  'this.constructor.constructor("return process")()',
  '__proto__',
  'constructor.prototype',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  '${7*7}',
  '<!--',
  ']]>',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  'FFFFFFFFFFFFFFFFFFFFFFFF',
  '0000000000000000000000zz',
  'aaaaaaaaaaaa',
  'YJ0000000000',
  'yjabcdefghij',
  'A'.repeat(10_000),
  '中'.repeat(3_000),
  ...MARKUP,
  ...ODD_UNICODE,
];

/** Objects whose own keys are what JSON.parse would make of them (`__proto__` included). */
const fromJson = (json: string): unknown => JSON.parse(json);

export function hostileObjects(): unknown[] {
  return [
    fromJson('{"$gt": ""}'),
    fromJson('{"$ne": null}'),
    fromJson('{"$where": "sleep(1000) || true"}'),
    fromJson('{"$regex": ".*", "$options": "i"}'),
    fromJson('{"$in": []}'),
    fromJson('{"$expr": {"$eq": [1, 1]}}'),
    fromJson('{"__proto__": {"polluted": "yes", "isAdmin": true}}'),
    fromJson('{"constructor": {"prototype": {"polluted": "yes"}}}'),
    fromJson('{"prototype": {"polluted": "yes"}}'),
    fromJson('{"toString": "x", "valueOf": 1, "hasOwnProperty": null}'),
    {},
    [],
    [null],
    [[[[[]]]]],
    { length: 1e9 },
  ];
}

export const HOSTILE_NUMBERS = [0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, 0.1 + 0.2, 1e-320];

export function hostileValue(r: Rng, depth = 0): unknown {
  const kind = r.int(0, depth > 2 ? 4 : 7);
  switch (kind) {
    case 0:
    case 1:
      return r.pick(HOSTILE_STRINGS);
    case 2:
      return r.pick(HOSTILE_NUMBERS);
    case 3:
      return r.pick([null, true, false]);
    case 4:
      return r.pick(hostileObjects());
    case 5:
      return Array.from({ length: r.int(0, 5) }, () => hostileValue(r, depth + 1));
    case 6:
      return Object.fromEntries(Array.from({ length: r.int(1, 4) }, () => [r.pick(HOSTILE_KEYS), hostileValue(r, depth + 1)]));
    default:
      return r.chance(0.5) ? Array.from({ length: 5_000 }, () => 'x') : r.pick(HOSTILE_STRINGS).repeat(20);
  }
}

export const HOSTILE_KEYS = ['$where', '$gt', '$ne', '$set', '__proto__', 'constructor', 'prototype', 'polluted', '', ' ', 'a.b', '$', '0', '<script>', '\u202E', 'type', 'version'];

/** `depth` levels of nesting, as raw JSON (built as text: JSON.stringify would recurse). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * Raw bodies that are not JSON, or not valid text, or not what they claim. Those that parse carry
 * a key no (strict) schema allows, so every route refuses them whatever else they hold.
 */
export function rawBodies(): Array<{ name: string; body: Buffer }> {
  const b = (name: string, body: string | Buffer) => ({ name, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body });
  return [
    b('truncated', '{"type": "EDIT_TEXT", '),
    b('trailing comma', '{"a": 1,}'),
    b('single quotes', "{'type': 'SUBMIT'}"),
    b('comment', '{"a": 1 /* x */}'),
    b('bare word', 'undefined'),
    b('NaN', '{"version": NaN}'),
    b('huge exponent', '{"version": 1e999, "type": "SUBMIT"}'),
    b('duplicate keys', '{"type": "SUBMIT", "type": "ACCEPT", "version": 1, "version": 0}'),
    b('proto key', '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'),
    b('scalar string', '"SUBMIT"'),
    b('scalar null', 'null'),
    b('empty', ''),
    b('whitespace', ' \n\t '),
    b('BOM', '\uFEFF{"type": "SUBMIT", "version": 0}'),
    b('NUL bytes', Buffer.from([0x7b, 0x00, 0x00, 0x7d])),
    b('overlong slash', Buffer.concat([Buffer.from('{"$where": 1, "body": "'), Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]), Buffer.from('"}')])),
    b('invalid bytes', Buffer.concat([Buffer.from('{"$where": 1, "title": "'), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from('"}')])),
    b('lone surrogate escape', '{"$where": 1, "title": "\\ud800", "body": "\\udc00"}'),
    b('latin1 as utf8', Buffer.from('{"$where": 1, "title": "caf\xe9", "body": "caf\xe9"}', 'latin1')),
    b('utf16', Buffer.from('{"$where": 1, "title": "x", "body": "x"}', 'utf16le')),
    b('deep array', deepJson(10_000, 'array')),
    b('deep object', deepJson(10_000, 'object')),
    b('many keys', `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}": ${i}`).join(',')}}`),
    b('long array', `[${Array.from({ length: 200_000 }, () => '0').join(',')}]`),
  ];
}

/** Every byte of a string as %XX, so lone surrogates (→ U+FFFD) and raw bytes go through untouched. */
export function percentEncode(value: string | Buffer): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (const byte of bytes) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function formBody(fields: Array<[string, string]>): string {
  return fields.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

/** Path segments for a parameter: traversal, broken escapes, operators, overlong. */
export const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..%5c..%5c',
  '%',
  '%zz',
  '%ff',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '%0d%0aSet-Cookie:%20x=1',
  '%24gt',
  '%7B%22%24gt%22%3A%22%22%7D',
  '[$ne]',
  '__proto__',
  'constructor',
  'prototype',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  'FFFFFFFFFFFFFFFFFFFFFFFF',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  'aaaaaaaaaaaa',
  '-1',
  '0',
  '1.5',
  '1e3',
  '0x10',
  '99999999999999999999999',
  'NaN',
  'YJ0000000000',
  'YJABCDEFGHIJ',
  'yj00000000000',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%E2%80%AE',
  '%ED%A0%80',
  '%F0%9F%98%80',
  'a'.repeat(3000),
];

// ---------------------------------------------------------------------------------------------
// A raw HTTP client: the path and body go out byte for byte (supertest would re-encode them).

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export class RawClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  private constructor(
    private readonly server: http.Server,
    private readonly port: number,
  ) {}

  static async start(app: Express): Promise<RawClient> {
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RawClient(server, (server.address() as AddressInfo).port);
  }

  send(req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
        headers['content-length'] = req.body.length;
      }
      let settled = false;
      const outgoing = http.request(
        { host: '127.0.0.1', port: this.port, method: req.method, path: req.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            settled = true;
            const body = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
          });
          res.on('error', (e) => {
            if (!settled) reject(e);
          });
        },
      );
      // The server may answer (413, 415…) before a large body is written and close the socket:
      // an EPIPE after the answer is expected; before it, the request really failed.
      outgoing.on('error', (e) => {
        if (!settled) {
          settled = true;
          reject(e);
        }
      });
      outgoing.end(req.body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Runs `tasks` with at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---------------------------------------------------------------------------------------------
// What is stored: a digest of every document of every collection, sorted by _id.

export type DatabaseFingerprint = Record<string, Record<string, string>>;

export async function fingerprint(models: Models): Promise<DatabaseFingerprint> {
  const result: DatabaseFingerprint = {};
  for (const model of Object.values(models)) {
    const docs = await model.collection.find({}).sort({ _id: 1 }).toArray();
    const digests: Record<string, string> = {};
    for (const doc of docs) digests[String(doc._id)] = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
    result[model.collection.collectionName] = digests;
  }
  return result;
}

/** Names every document added, removed or changed between two fingerprints. */
export function fingerprintChanges(before: DatabaseFingerprint, after: DatabaseFingerprint): string[] {
  const changes: string[] = [];
  for (const collection of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[collection] ?? {};
    const b = after[collection] ?? {};
    for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(id in a)) changes.push(`${collection}/${id} added`);
      else if (!(id in b)) changes.push(`${collection}/${id} removed`);
      else if (a[id] !== b[id]) changes.push(`${collection}/${id} changed`);
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Escaping: what a page must never contain, whatever was submitted.

/** Live markup a payload could have turned into; a server-rendered page here has none of its own. */
export function liveMarkup(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<\s*(script|iframe|svg|object|embed)\b/gi)) found.push(m[0]);
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    // Attribute values may hold the escaped payload as text; only what lies outside them counts.
    const bare = tag[0].replace(/"[^"]*"|'[^']*'/g, '""');
    if (/[\s"'/]on[a-z]+\s*=/i.test(bare)) found.push(tag[0]);
    if (/(?:href|src|action|formaction|srcdoc)\s*=\s*["']?\s*javascript:/i.test(tag[0])) found.push(tag[0]);
  }
  for (const m of html.matchAll(/<img\b[^>]*\bsrc\s*=\s*x\b/gi)) found.push(m[0]);
  return found;
}
