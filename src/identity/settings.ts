import { hkdfSync } from 'node:crypto';
import { atLeast, integer } from '../config';

/**
 * The sign-in settings, read from the environment given (like `loadConfig`), so a test or a
 * script can pass its own. Kept beside the identity code until the console wires sign-in in.
 */
export interface IdentitySettings {
  /** The shortest password the policy accepts. */
  passwordMinLength: number;
  /** Consecutive failed attempts (password, second factor) that lock an account… */
  lockoutThreshold: number;
  /** …for this long. */
  lockoutMs: number;
  /** AES-256-GCM key for the TOTP secrets at rest. */
  secretKey: Buffer;
  /** Set when no `IDENTITY_SECRET_KEY` was given: the key was derived, which only suits development. */
  secretKeyWarning: string | null;
  /** Unset when the office has no unified identity platform (统一身份认证). */
  oidc: OidcSettings | null;
}

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  redirectUri: URL;
  /** The claim that finds a member of staff before their `sub` is linked. */
  matchClaim: string;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number): number {
  return atLeast(minimum, name, integer(name, fallback, env));
}

/** 32 bytes, given as 64 hex digits or as base64/base64url. */
export function parseSecretKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64url');
  if (key.length !== 32) throw new Error('IDENTITY_SECRET_KEY must be 32 bytes (64 hex digits or 43 base64url characters)');
  return key;
}

/**
 * Without a configured key, one is derived from what tells this deployment apart (its database
 * and data folder), so a development install works and keeps working across restarts. Anyone who
 * knows those two can derive it too, hence the warning: production sets `IDENTITY_SECRET_KEY`.
 */
export function derivedDevelopmentKey(env: NodeJS.ProcessEnv): Buffer {
  const deployment = [env.MONGODB_URI || 'embedded', env.MONGODB_DB || 'predisclosure', env.PREDISCLOSURE_DATA_DIR || 'data'].join('\n');
  return Buffer.from(hkdfSync('sha256', deployment, 'predisclosure-identity', 'totp-secrets-v1', 32));
}

/** This machine: the one place an identity provider may be reached without TLS (tests, a local provider). */
export function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

function absoluteUrl(env: NodeJS.ProcessEnv, name: string): URL {
  const raw = env[name];
  if (!raw) throw new Error(`${name} must be set when OIDC_ISSUER is`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute URL, got "${raw}"`);
  }
  // Plain http only on this machine (development, the tests' own provider): elsewhere the
  // codes and tokens would cross the network readable.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new Error(`${name} must use https, got "${raw}"`);
  }
  return url;
}

export function loadOidcSettings(env: NodeJS.ProcessEnv): OidcSettings | null {
  if (!env.OIDC_ISSUER) return null;
  const clientId = env.OIDC_CLIENT_ID;
  const clientSecret = env.OIDC_CLIENT_SECRET;
  if (!clientId) throw new Error('OIDC_CLIENT_ID must be set when OIDC_ISSUER is');
  if (!clientSecret) throw new Error('OIDC_CLIENT_SECRET must be set when OIDC_ISSUER is');
  return {
    issuer: absoluteUrl(env, 'OIDC_ISSUER'),
    clientId,
    clientSecret,
    redirectUri: absoluteUrl(env, 'OIDC_REDIRECT_URI'),
    matchClaim: env.OIDC_MATCH_CLAIM || 'preferred_username',
  };
}

export function loadIdentitySettings(env: NodeJS.ProcessEnv = process.env): IdentitySettings {
  const configured = env.IDENTITY_SECRET_KEY;
  return {
    passwordMinLength: whole(env, 'PASSWORD_MIN_LENGTH', 12, 8),
    lockoutThreshold: whole(env, 'SIGN_IN_LOCKOUT_FAILURES', 5, 1),
    lockoutMs: whole(env, 'SIGN_IN_LOCKOUT_MINUTES', 15, 1) * 60_000,
    secretKey: configured ? parseSecretKey(configured) : derivedDevelopmentKey(env),
    secretKeyWarning: configured
      ? null
      : 'IDENTITY_SECRET_KEY is not set: TOTP secrets are encrypted with a key derived from the database name, which suits development only',
    oidc: loadOidcSettings(env),
  };
}
