/**
 * The second factor: TOTP (RFC 6238 — SHA-1, six digits, 30-second steps, what every
 * authenticator app reads from a QR code) and one-time recovery codes for a lost phone.
 */
import { randomInt } from 'node:crypto';
import { sha256Hex } from '../ledger/chain';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { AppError } from '../errors';

export const TOTP_ISSUER = '政策解读与预公开系统';
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: a phone clock a little off, a code typed just as it changed. */
const WINDOW = 1;

/** Time for the checks; tests pass a fixed one. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

function totp(secret: string, account = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: account,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new shared secret, base32: 160 bits, the HMAC-SHA-1 key size RFC 4226 recommends. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app reads: issuer and account in its label. */
export function totpUri(secret: string, account: string): string {
  return totp(secret, account).toString();
}

/**
 * The URI as a QR code, an SVG string drawn on the server: the console's content security
 * policy allows no scripts, so nothing may be drawn in the browser.
 */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The 30-second step a moment falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / PERIOD_SECONDS);
}

/** A code for a moment: what the authenticator would show (tests, and nothing else). */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** Spaces and dashes some apps show inside the code are ignored; anything else is refused. */
export function normalizeTotpCode(code: string): string {
  const digits = code.normalize('NFKC').replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(digits)) throw new AppError('TOTP_CODE_MALFORMED');
  return digits;
}

/**
 * The step the code belongs to, or null when it matches none within the window. The caller
 * accepts it only if the step is later than the last one accepted for the account: a code seen
 * over a shoulder, or sent twice, is then worth nothing.
 */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  const token = normalizeTotpCode(code);
  const delta = totp(secret).validate({ token, timestamp: at.getTime(), window: WINDOW });
  return delta === null ? null : totpStep(at) + delta;
}

// ---------------------------------------------------------------------------------------------
// Recovery codes

export const RECOVERY_CODE_COUNT = 10;
/** No 0/O, 1/I/L: codes are read off paper and typed by hand. */
const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const RECOVERY_GROUPS = 3;
const RECOVERY_GROUP_LENGTH = 4;

/**
 * Ten codes of twelve characters from 31 (about 59 bits each): shown to their owner once, kept
 * only as hashes. With that much entropy a plain SHA-256 is enough; no one can guess a code from
 * its hash, and a code is worth one sign-in.
 */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: RECOVERY_GROUPS }, () =>
      Array.from({ length: RECOVERY_GROUP_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function hashRecoveryCode(code: string): string {
  const normalized = code.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
  return sha256Hex(normalized);
}
