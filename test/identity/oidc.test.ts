/**
 * The OIDC client against a real provider (oidc-provider in a child process): the whole
 * authorization code flow with PKCE over HTTP, ending with verified ID-token claims; and the
 * callbacks that must be refused.
 */
import { statusOf } from '../../src/web/status';
import { AppError } from '../../src/errors';
import { OidcClient, staffLookupKeys, type PendingSignIn } from '../../src/identity/oidc';
import { loadOidcSettings } from '../../src/identity/settings';
import { followToCallback, startTestProvider, type TestProvider } from '../support/oidc';

const REDIRECT_URI = 'http://127.0.0.1:9/oidc/callback';
const ACCOUNT = {
  sub: 'u-7f3a9c',
  name: '张三',
  preferred_username: 'zhangsan',
  email: 'ZhangSan@fgw.example.gov.cn',
  email_verified: true,
};

let provider: TestProvider;
let client: OidcClient;

beforeAll(async () => {
  provider = await startTestProvider({ clientId: 'predisclosure', clientSecret: 'a-test-client-secret-of-some-length', redirectUri: REDIRECT_URI, account: ACCOUNT });
  const settings = loadOidcSettings({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: 'predisclosure',
    OIDC_CLIENT_SECRET: 'a-test-client-secret-of-some-length',
    OIDC_REDIRECT_URI: REDIRECT_URI,
  });
  client = new OidcClient(settings!);
}, 60_000);

afterAll(async () => {
  await provider?.stop();
});

async function signInAtProvider(): Promise<{ callback: URL; pending: PendingSignIn; authorize: URL }> {
  const { url, pending } = await client.begin();
  const callback = await followToCallback(url, REDIRECT_URI);
  return { callback, pending, authorize: url };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

test('the authorization request carries PKCE (S256), state and nonce', async () => {
  const { url, pending } = await client.begin();
  expect(url.origin).toBe(provider.issuer);
  expect(url.searchParams.get('response_type')).toBe('code');
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(url.searchParams.get('code_challenge')).not.toBe(pending.codeVerifier);
  expect(url.searchParams.get('state')).toBe(pending.state);
  expect(url.searchParams.get('nonce')).toBe(pending.nonce);
  expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
  expect(url.searchParams.get('scope')).toContain('openid');
});

test('the whole flow ends with the verified claims of the ID token', async () => {
  const { callback, pending } = await signInAtProvider();
  expect(callback.searchParams.get('code')).toBeTruthy();
  const claims = await client.complete(callback, pending);
  expect(claims).toMatchObject({ iss: provider.issuer, aud: 'predisclosure', sub: ACCOUNT.sub, nonce: pending.nonce, preferred_username: 'zhangsan', name: '张三' });
  expect(staffLookupKeys(claims, 'preferred_username')).toEqual([
    { by: 'subject', issuer: provider.issuer, subject: ACCOUNT.sub },
    { by: 'claim', claim: 'preferred_username', value: 'zhangsan' },
  ]);
}, 30_000);

test('a callback whose state is not this browser’s is refused before the code is used', async () => {
  const { callback, pending } = await signInAtProvider();
  const error = await refusal(client.complete(callback, { ...pending, state: 'another-state' }));
  expect(error.code).toBe('OIDC_STATE_MISMATCH');
  // The code was not spent: with the right state it still works.
  await expect(client.complete(callback, pending)).resolves.toMatchObject({ sub: ACCOUNT.sub });
}, 30_000);

test('an ID token with another nonce is refused', async () => {
  const { callback, pending } = await signInAtProvider();
  const error = await refusal(client.complete(callback, { ...pending, nonce: 'not-the-nonce-sent' }));
  expect(error.code).toBe('OIDC_CALLBACK_REFUSED');
}, 30_000);

test('a tampered code is refused by the provider', async () => {
  const { callback, pending } = await signInAtProvider();
  const tampered = new URL(callback);
  const code = tampered.searchParams.get('code')!;
  tampered.searchParams.set('code', code.slice(0, -2) + (code.endsWith('AA') ? 'BB' : 'AA'));
  const error = await refusal(client.complete(tampered, pending));
  expect(error.code).toBe('OIDC_CALLBACK_REFUSED');
  expect(error.details.reason).toBe('invalid_grant');
}, 30_000);

test('a code is good once, and only with its own PKCE verifier', async () => {
  const first = await signInAtProvider();
  const wrongVerifier = await refusal(client.complete(first.callback, { ...first.pending, codeVerifier: 'x'.repeat(43) }));
  expect(wrongVerifier.code).toBe('OIDC_CALLBACK_REFUSED');
  const second = await signInAtProvider();
  await client.complete(second.callback, second.pending);
  const replay = await refusal(client.complete(second.callback, second.pending));
  expect(replay.code).toBe('OIDC_CALLBACK_REFUSED');
}, 30_000);

test('an unreachable provider is a 502 with its own code', async () => {
  const dead = new OidcClient({ ...loadOidcSettings({ OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', OIDC_REDIRECT_URI: REDIRECT_URI })! });
  const error = await refusal(dead.begin());
  expect(error.code).toBe('OIDC_PROVIDER_UNAVAILABLE');
  expect(statusOf(error.code)).toBe(502);
});
