import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

/**
 * Every text the service takes in is valid Unicode, or the request is refused whole (400
 * MALFORMED_TEXT) before any handler runs: the decoders the framework uses would otherwise turn
 * an invalid byte into U+FFFD, or keep a lone UTF-16 surrogate, and a comment or a filing would
 * be stored saying something other than what was sent — and a lone surrogate cannot even be
 * written out again as UTF-8 (mail, CSV, the ledger's digests).
 */

/** `source`: where the bad text was; `field`: which JSON member, where it is known. */
function malformed(source: 'body' | 'query', field?: string): AppError {
  return new AppError('MALFORMED_TEXT', field === undefined ? { source } : { source, field });
}

/** `String.prototype.isWellFormed`: Node 20 has it; the ES2022 lib the project compiles against does not declare it. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * Whether the bytes a percent-encoded text stands for are valid UTF-8: each `%XX` is the byte it
 * names, everything else stands for itself (a `%` not followed by two hex digits too, as the
 * parsers keep it). The separators `&`, `=` and `+` are ASCII, which never occurs inside a
 * multi-byte sequence, so checking the whole text at once is checking every name and value.
 * Valid UTF-8 cannot encode a surrogate, so what passes decodes to well-formed strings.
 */
export function percentDecodedIsUtf8(raw: Uint8Array): boolean {
  const bytes = Buffer.allocUnsafe(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (byte === 0x25 && i + 2 < raw.length) {
      const high = hexValue(raw[i + 1]);
      const low = hexValue(raw[i + 2]);
      if (high >= 0 && low >= 0) {
        bytes[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    bytes[length++] = byte;
  }
  return isUtf8(bytes.subarray(0, length));
}

/** Set on a request whose JSON body may hold a lone surrogate, so that only those are walked. */
const MAY_HOLD_SURROGATES = Symbol('json body with \\u escapes');

/** JSON charsets the service decodes strictly; RFC 8259 §8.1 asks for UTF-8 between systems. */
const STRICT_JSON_DECODERS: Record<string, TextDecoder> = {
  'utf-16le': new TextDecoder('utf-16le', { fatal: true }),
  'utf-16be': new TextDecoder('utf-16be', { fatal: true }),
};

/**
 * body-parser's `verify` for JSON bodies: the raw bytes, before they are decoded. Raw UTF-8
 * cannot carry a surrogate; only a `\u` escape can make one, so bodies with one are marked for
 * `wellFormedJson` to walk after parsing, and the rest — almost every body — are not walked.
 */
export function verifyJsonText(req: Request, _res: Response, body: Buffer, encoding: string | null): void {
  const charset = (encoding ?? 'utf-8').toLowerCase();
  if (charset === 'utf-8') {
    if (!isUtf8(body)) throw malformed('body');
    if (body.includes('\\u')) (req as Request & { [MAY_HOLD_SURROGATES]?: true })[MAY_HOLD_SURROGATES] = true;
    return;
  }
  const decoder = STRICT_JSON_DECODERS[charset];
  // UTF-7, UTF-32, or UTF-16 without its byte order: the parser's decoders are lenient there and
  // no client of a Chinese government service needs them.
  if (!decoder) throw new AppError('UNSUPPORTED_MEDIA_TYPE', {}, 'JSON 请求体须使用 UTF-8 编码');
  try {
    decoder.decode(body);
  } catch {
    throw malformed('body');
  }
  (req as Request & { [MAY_HOLD_SURROGATES]?: true })[MAY_HOLD_SURROGATES] = true;
}

/**
 * The first string (value or key) in a parsed JSON value that is not well-formed UTF-16, as the
 * path to it (`items.0.text`), or null. Iterative: bodies nest as deep as JSON.parse allows.
 */
export function illFormedPath(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (!isWellFormed(current)) return path;
    } else if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push([current[i], path ? `${path}.${i}` : String(i)]);
    } else if (current !== null && typeof current === 'object') {
      for (const key of Object.keys(current)) {
        const at = path ? `${path}.${key}` : key;
        if (!isWellFormed(key)) return at;
        stack.push([(current as Record<string, unknown>)[key], at]);
      }
    }
  }
  return null;
}

/** After `express.json({ verify: verifyJsonText })`: refuses a body with a lone surrogate (`"\ud800"`). */
export function wellFormedJson(req: Request, _res: Response, next: NextFunction): void {
  if (!(req as Request & { [MAY_HOLD_SURROGATES]?: true })[MAY_HOLD_SURROGATES]) return next();
  const path = illFormedPath(req.body);
  next(path === null ? undefined : malformed('body', path));
}

/** body-parser's `verify` for url-encoded forms: `%FF`, a percent-encoded surrogate, raw bad bytes. */
export function verifyFormText(_req: Request, _res: Response, body: Buffer, encoding: string | null): void {
  // ISO-8859-1, the only other charset the form parser takes, has a character for every byte.
  if ((encoding ?? 'utf-8').toLowerCase() !== 'utf-8') return;
  if (!percentDecodedIsUtf8(body)) throw malformed('body');
}

/**
 * Refuses a query string whose percent-escapes are not UTF-8: the query parser would make `%FF`
 * a U+FFFD and search for it, or store it (a filter, a receipt code). Raw non-ASCII bytes never
 * get this far: Node's HTTP parser refuses them in the request line.
 */
export function wellFormedQuery(req: Request, _res: Response, next: NextFunction): void {
  const url = req.originalUrl;
  const start = url.indexOf('?');
  if (start === -1 || url.indexOf('%', start) === -1) return next();
  next(percentDecodedIsUtf8(Buffer.from(url.slice(start + 1), 'latin1')) ? undefined : malformed('query'));
}
