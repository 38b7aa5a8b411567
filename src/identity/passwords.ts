/**
 * Local passwords: hashing and the password policy.
 *
 * scrypt rather than argon2: both are memory-hard, and scrypt ships inside Node's own crypto
 * (OpenSSL), while argon2 would need a native addon compiled or downloaded at install time for
 * each platform the offices run on. The parameters travel with each hash, so they can be raised
 * later and old hashes upgraded on the next successful sign-in (`needsRehash`).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError, type ErrorCode } from '../errors';
import common from './common-passwords.json';

export interface ScryptParams {
  /** CPU/memory cost, a power of two: 2^15 uses 32 MiB per hash. */
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };
/** Hashes are never made weaker than this, whatever a caller passes. */
const MINIMUM_N = 2 ** 15;
const SALT_BYTES = 16;
/** A password longer than this is refused: it would only make hashing a way to spend our CPU. */
export const PASSWORD_MAX_LENGTH = 256;

function scryptAsync(password: Buffer, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses above `maxmem` (32 MiB by default), so it is set
  // to the need with room to spare.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * The same password typed with a full-width keyboard layout or a different input method must
 * give the same bytes: NFKC folds those variants together.
 */
function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFKC'), 'utf8');
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (!Number.isInteger(Math.log2(params.N)) || params.N < MINIMUM_N) throw new Error(`scrypt N must be a power of two of at least ${MINIMUM_N}`);
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(passwordBytes(password), salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N < 2 || N > 2 ** 24 || r > 64 || p > 16) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || hash.length < 16) return null;
  return { params: { N, r, p, keyLength: hash.length }, salt, hash };
}

/** False for a wrong password and for a stored value that is no hash of ours. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await scryptAsync(passwordBytes(password), parsed.salt, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when the stored hash was made with weaker parameters than the current ones. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const p = parsed.params;
  return p.N < params.N || p.r < params.r || p.p < params.p || p.keyLength < params.keyLength;
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the time of one verification on nothing, for a sign-in with an unknown account name:
 * answering faster than for a known one would tell which names exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}

// ---------------------------------------------------------------------------------------------
// The password policy

export type PasswordRule = Extract<ErrorCode, 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_FEW_CLASSES' | 'PASSWORD_CONTAINS_IDENTITY' | 'PASSWORD_TOO_COMMON'>;

export interface PasswordViolation {
  code: PasswordRule;
  message: string;
}

export interface PasswordOwner {
  username?: string | null;
  email?: string | null;
}

const COMMON = new Set<string>(common.passwords);

/** Names shorter than this are not looked for: a two-letter name would forbid half of all passwords. */
const MIN_IDENTITY_PART = 3;

function characterClasses(password: string): number {
  return [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((re) => re.test(password)).length;
}

/** Common passwords as they are, and as the base of one with digits or symbols appended. */
function isCommon(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const candidates = [lower, lower.replace(/[^\p{L}\p{Nd}]+$/u, ''), lower.replace(/[^\p{L}]+$/u, '')];
  return candidates.some((c) => c.length > 0 && COMMON.has(c));
}

function identityParts(owner: PasswordOwner): string[] {
  const parts = [owner.username ?? '', (owner.email ?? '').split('@')[0] ?? ''];
  return parts.map((p) => p.normalize('NFKC').toLowerCase().trim()).filter((p) => p.length >= MIN_IDENTITY_PART);
}

/** Every rule the password breaks, in the order a form should show them; empty when it is fine. */
export function checkPasswordPolicy(password: string, owner: PasswordOwner, minLength: number): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  const length = [...password.normalize('NFKC')].length;
  if (length < minLength) {
    violations.push({ code: 'PASSWORD_TOO_SHORT', message: `密码长度不能少于${minLength}个字符` });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    violations.push({ code: 'PASSWORD_TOO_LONG', message: `密码长度不能超过${PASSWORD_MAX_LENGTH}个字符` });
  }
  if (characterClasses(password) < 3) {
    violations.push({ code: 'PASSWORD_TOO_FEW_CLASSES', message: '密码须至少包含大写字母、小写字母、数字、符号中的三类' });
  }
  const lower = password.normalize('NFKC').toLowerCase();
  if (identityParts(owner).some((part) => lower.includes(part))) {
    violations.push({ code: 'PASSWORD_CONTAINS_IDENTITY', message: '密码不能包含用户名或电子邮箱地址中“@”前的部分' });
  }
  if (isCommon(password)) {
    violations.push({ code: 'PASSWORD_TOO_COMMON', message: '该密码过于常见，容易被猜中，请换用其他密码' });
  }
  return violations;
}

/** Throws the first broken rule, with all of them in `details.violations` for the form. */
export function assertPasswordPolicy(password: string, owner: PasswordOwner, minLength: number): void {
  const violations = checkPasswordPolicy(password, owner, minLength);
  if (violations.length > 0) {
    const [first] = violations;
    throw new AppError(first.code, { violations }, first.message);
  }
}
