/**
 * Single sign-on through the office's unified identity platform (统一身份认证): OpenID Connect,
 * authorization code flow with PKCE (S256), state and nonce, the provider found by discovery.
 *
 * The library is `openid-client` v6, the maintained line (v5 reached its end of life in April
 * 2026 and gets no more security fixes). v6 is published as ES modules only. The service runs
 * on Node ≥ 20.19, whose `require()` loads ES modules, so the CommonJS build of this file simply
 * requires it. Jest's own module loader cannot, so jest.config.js has the three ES-module
 * packages (openid-client, oauth4webapi, jose) transpiled to CommonJS for the tests
 * (test/support/esm-to-cjs.js) — the suite needs no `--experimental-vm-modules`.
 */
import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { AppError } from '../errors';
import { isLoopback, type OidcSettings } from './settings';

/**
 * What the browser's session keeps between sending the person to the provider and their
 * return: checked on the way back, never sent anywhere else.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The verified ID-token claims. */
export type OidcClaims = client.IDToken;

const SCOPE = 'openid profile email';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A network failure reaching the provider, rather than a refusal by it or by our checks. */
function unreachable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; cause?: unknown };
  if (e?.name === 'TypeError' && /fetch failed/i.test(String((e as Error).message))) return true;
  return e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.name === 'TimeoutError' || e?.name === 'AbortError';
}

export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(private readonly settings: OidcSettings) {}

  /** Discovery once, on first use; a failure is retried on the next sign-in. */
  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const { issuer, clientId, clientSecret } = this.settings;
      // Plain http is accepted only for a provider on this machine (settings refuse it elsewhere).
      const execute = issuer.protocol === 'http:' && isLoopback(issuer) ? [client.allowInsecureRequests] : [];
      this.configuration = client.discovery(issuer, clientId, clientSecret, client.ClientSecretBasic(clientSecret), { execute, timeout: 10 }).catch((error: unknown) => {
        this.configuration = null;
        throw new AppError('OIDC_PROVIDER_UNAVAILABLE', { reason: error instanceof Error ? error.message : String(error) });
      });
    }
    return this.configuration;
  }

  /** Where to send the person, and what to keep in their session until they come back. */
  async begin(): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.discover();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri.href,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * The person is back at the redirect URI: checks state, exchanges the code (with the PKCE
   * verifier) and returns the ID token's claims once its signature, issuer, audience, expiry
   * and nonce have been verified.
   */
  async complete(callbackUrl: URL, pending: PendingSignIn): Promise<OidcClaims> {
    const config = await this.discover();
    // Checked here before anything else, so a callback that is not the answer to this
    // browser's own request is told apart from a refusal by the provider.
    const state = callbackUrl.searchParams.get('state');
    if (state === null || !sameText(state, pending.state)) throw new AppError('OIDC_STATE_MISMATCH');
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (unreachable(error)) throw new AppError('OIDC_PROVIDER_UNAVAILABLE');
      const e = error as { error?: string; code?: string; message?: string };
      throw new AppError('OIDC_CALLBACK_REFUSED', { reason: e.error ?? e.code ?? 'invalid', detail: e.message ?? String(error) });
    }
    const claims = tokens.claims();
    if (!claims) throw new AppError('OIDC_CALLBACK_REFUSED', { reason: 'no_id_token' });
    return claims;
  }
}

/**
 * How to find the member of staff for a set of claims, in order: by the provider's subject
 * once it has been linked to them, else by the configured claim (e.g. the platform's user
 * name), after which the caller links the subject. An e-mail address counts only when the
 * provider says it verified it: an unverified one is whatever the user typed.
 */
export type StaffLookupKey =
  | { by: 'subject'; issuer: string; subject: string }
  | { by: 'claim'; claim: string; value: string };

export function staffLookupKeys(claims: Record<string, unknown>, matchClaim: string): StaffLookupKey[] {
  const keys: StaffLookupKey[] = [];
  if (typeof claims.iss === 'string' && typeof claims.sub === 'string' && claims.sub !== '') {
    keys.push({ by: 'subject', issuer: claims.iss, subject: claims.sub });
  }
  const raw = claims[matchClaim];
  const verified = matchClaim !== 'email' || claims.email_verified === true;
  if ((typeof raw === 'string' || typeof raw === 'number') && verified) {
    let value = String(raw).normalize('NFKC').trim();
    if (matchClaim === 'email') value = value.toLowerCase();
    if (value !== '') keys.push({ by: 'claim', claim: matchClaim, value });
  }
  if (keys.length === 0) throw new AppError('OIDC_CLAIM_MISSING', { claim: matchClaim });
  return keys;
}
