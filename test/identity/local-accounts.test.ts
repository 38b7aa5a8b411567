/**
 * Local sign-in from its parts: password, lock, second factor with replay refusal, recovery
 * codes — with a clock the test moves.
 */
import { statusOf } from '../../src/web/status';
import { scryptSync } from 'node:crypto';
import { AppError } from '../../src/errors';
import { attemptError, LocalAccounts, secondFactorRequired } from '../../src/identity/local-accounts';
import { open, seal } from '../../src/identity/secret-box';
import { loadIdentitySettings, parseSecretKey } from '../../src/identity/settings';
import { totpCode } from '../../src/identity/totp';
import { CredentialStore } from '../../src/store/credentials';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { connectTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let models: Models;
let store: CredentialStore;
let now = new Date('2026-03-02T08:00:05Z');
const clock = () => now;
const settings = loadIdentitySettings({ IDENTITY_SECRET_KEY: 'ab'.repeat(32) });
let accounts: LocalAccounts;
const PASSWORD = 'Spring-river-2026';
const owner = { username: 'zhangsan', email: 'zhangsan@fgw.example.gov.cn' };
let n = 0;

async function person(): Promise<string> {
  const id = `p-${++n}`;
  await accounts.setPassword(id, PASSWORD, owner);
  return id;
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  db = await connectTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  store = new CredentialStore(models);
  accounts = new LocalAccounts(store, settings, clock);
});
afterAll(async () => {
  await db?.close();
});
beforeEach(() => {
  now = new Date('2026-03-02T08:00:05Z');
});

test('a password must pass the policy to be set', async () => {
  const error = await caught(accounts.setPassword('p-weak', 'zhangsan2026!', owner));
  expect(error.code).toBe('PASSWORD_CONTAINS_IDENTITY');
  await expect(store.get('p-weak')).resolves.toBeNull();
});

test('the right password signs in; a wrong one or an unknown account is just invalid', async () => {
  const id = await person();
  await expect(accounts.checkPassword(id, PASSWORD)).resolves.toEqual({ outcome: 'ok', secondFactor: false });
  await expect(accounts.checkPassword(id, 'Spring-river-2025')).resolves.toEqual({ outcome: 'invalid' });
  await expect(accounts.checkPassword('p-nobody', PASSWORD)).resolves.toEqual({ outcome: 'invalid' });
}, 30_000);

test('five wrong passwords lock for fifteen minutes; the right one is refused as locked until then', async () => {
  const id = await person();
  for (let i = 0; i < 4; i++) await expect(accounts.checkPassword(id, 'wrong')).resolves.toEqual({ outcome: 'invalid' });
  const until = new Date(now.getTime() + 15 * 60_000);
  await expect(accounts.checkPassword(id, 'wrong')).resolves.toEqual({ outcome: 'locked', lockedUntil: until });
  // Locked: the same answer for the right and a wrong password.
  now = new Date(now.getTime() + 14 * 60_000);
  await expect(accounts.checkPassword(id, PASSWORD)).resolves.toEqual({ outcome: 'locked', lockedUntil: until });
  await expect(accounts.checkPassword(id, 'wrong')).resolves.toEqual({ outcome: 'locked', lockedUntil: until });
  now = until;
  await expect(accounts.checkPassword(id, PASSWORD)).resolves.toEqual({ outcome: 'ok', secondFactor: false });
  const error = attemptError({ outcome: 'locked', lockedUntil: until }, 'SIGN_IN_FAILED');
  expect([error.code, statusOf(error.code), error.details.lockedUntil]).toEqual(['ACCOUNT_LOCKED', 423, until.toISOString()]);
  expect(attemptError({ outcome: 'invalid' }, 'SIGN_IN_FAILED').code).toBe('SIGN_IN_FAILED');
}, 60_000);

test('a hash made with weaker parameters is upgraded at the next sign-in', async () => {
  const id = await person();
  const salt = Buffer.alloc(16, 1);
  const key = scryptSync(PASSWORD, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  await models.Credential.updateOne({ _id: id }, { $set: { passwordHash: `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}` } }).exec();
  await expect(accounts.checkPassword(id, PASSWORD)).resolves.toMatchObject({ outcome: 'ok' });
  expect((await store.get(id))!.passwordHash).toMatch(/^scrypt\$32768\$/);
  await expect(accounts.checkPassword(id, PASSWORD)).resolves.toMatchObject({ outcome: 'ok' });
}, 30_000);

describe('the second factor', () => {
  async function enrolled(): Promise<{ id: string; secret: string; recoveryCodes: string[] }> {
    const id = await person();
    const { secret, uri, qrSvg } = await accounts.beginTotp(id, 'zhangsan');
    expect(uri).toContain(secret);
    expect(qrSvg.startsWith('<svg')).toBe(true);
    // The secret is stored sealed, never as it is.
    const stored = (await store.get(id))!;
    expect(stored.totpPendingSecret).not.toContain(secret);
    expect(open(settings.secretKey, stored.totpPendingSecret!, id)).toBe(secret);
    // A code from five minutes ago is outside the window.
    expect((await caught(accounts.confirmTotp(id, totpCode(secret, new Date(now.getTime() - 300_000))))).code).toBe('TOTP_CODE_INVALID');
    const { recoveryCodes } = await accounts.confirmTotp(id, totpCode(secret, now));
    return { id, secret, recoveryCodes };
  }

  test('confirming needs a started enrolment and a right code, and gives ten recovery codes', async () => {
    const id = await person();
    expect((await caught(accounts.confirmTotp(id, '123456'))).code).toBe('TOTP_ENROLLMENT_NOT_STARTED');
    const { recoveryCodes } = await enrolled();
    expect(recoveryCodes).toHaveLength(10);
  }, 30_000);

  test('after the password a code is asked for, and the code that confirmed enrolment is spent', async () => {
    const { id, secret } = await enrolled();
    await expect(accounts.checkPassword(id, PASSWORD)).resolves.toEqual({ outcome: 'ok', secondFactor: true });
    await expect(accounts.checkTotp(id, totpCode(secret, now))).resolves.toEqual({ outcome: 'invalid' });
    now = new Date(now.getTime() + 30_000);
    await expect(accounts.checkTotp(id, totpCode(secret, now))).resolves.toEqual({ outcome: 'ok' });
  }, 30_000);

  test('a replayed code is refused, and so is an earlier step after a later one', async () => {
    const { id, secret } = await enrolled();
    now = new Date(now.getTime() + 60_000);
    const code = totpCode(secret, now);
    const racing = await Promise.all(Array.from({ length: 3 }, () => accounts.checkTotp(id, code)));
    expect(racing.map((r) => r.outcome).sort()).toEqual(['invalid', 'invalid', 'ok']);
    // The previous step's code is still within the window, but older than the one accepted.
    await expect(accounts.checkTotp(id, totpCode(secret, new Date(now.getTime() - 30_000)))).resolves.toEqual({ outcome: 'invalid' });
  }, 30_000);

  test('wrong codes count towards the lock, and a locked account checks no code', async () => {
    const { id, secret } = await enrolled();
    now = new Date(now.getTime() + 90_000);
    for (let i = 0; i < 4; i++) await expect(accounts.checkTotp(id, '000001')).resolves.toEqual({ outcome: 'invalid' });
    await expect(accounts.checkTotp(id, '000002')).resolves.toMatchObject({ outcome: 'locked' });
    await expect(accounts.checkTotp(id, totpCode(secret, now))).resolves.toMatchObject({ outcome: 'locked' });
    expect((await caught(accounts.checkTotp(id, '12ab56'))).code).toBe('TOTP_CODE_MALFORMED');
  }, 30_000);

  test('a recovery code works once, and regenerating replaces them all', async () => {
    const { id, recoveryCodes } = await enrolled();
    await expect(accounts.useRecoveryCode(id, recoveryCodes[3].toLowerCase())).resolves.toEqual({ outcome: 'ok' });
    await expect(accounts.useRecoveryCode(id, recoveryCodes[3])).resolves.toEqual({ outcome: 'invalid' });
    const fresh = await accounts.regenerateRecoveryCodes(id);
    await expect(accounts.useRecoveryCode(id, recoveryCodes[4])).resolves.toEqual({ outcome: 'invalid' });
    await expect(accounts.useRecoveryCode(id, fresh[0])).resolves.toEqual({ outcome: 'ok' });
  }, 30_000);

  test('without enrolment there is no code to check', async () => {
    const id = await person();
    expect((await caught(accounts.checkTotp(id, '123456'))).code).toBe('TOTP_NOT_ENROLLED');
    expect((await caught(accounts.useRecoveryCode(id, 'AAAA-BBBB-CCCC'))).code).toBe('TOTP_NOT_ENROLLED');
  }, 30_000);

  test('mandatory for administrators and auditors', () => {
    expect(secondFactorRequired(['drafter', 'administrator'])).toBe(true);
    expect(secondFactorRequired(['securityAuditor'])).toBe(true);
    expect(secondFactorRequired(['drafter', 'signer'])).toBe(false);
  });
});

describe('secrets at rest and settings', () => {
  test('a sealed secret opens only with its key, for its owner, unaltered', () => {
    const key = parseSecretKey('cd'.repeat(32));
    const sealed = seal(key, 'JBSWY3DPEHPK3PXP', 'p-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(seal(key, 'JBSWY3DPEHPK3PXP', 'p-1')).not.toBe(sealed);
    expect(open(key, sealed, 'p-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => open(key, sealed, 'p-2')).toThrow();
    expect(() => open(parseSecretKey('ef'.repeat(32)), sealed, 'p-1')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('AAAAAAAAAAAAAAAA', 'base64url').toString('base64url');
    expect(() => open(key, parts.join('.'), 'p-1')).toThrow();
  });

  test('defaults, and a derived development key with a warning when none is set', () => {
    const defaults = loadIdentitySettings({});
    expect(defaults).toMatchObject({ passwordMinLength: 12, lockoutThreshold: 5, lockoutMs: 15 * 60_000, oidc: null });
    expect(defaults.secretKey).toHaveLength(32);
    expect(defaults.secretKeyWarning).toMatch(/IDENTITY_SECRET_KEY/);
    expect(loadIdentitySettings({}).secretKey.equals(defaults.secretKey)).toBe(true);
    expect(loadIdentitySettings({ MONGODB_DB: 'other' }).secretKey.equals(defaults.secretKey)).toBe(false);
    const set = loadIdentitySettings({ IDENTITY_SECRET_KEY: Buffer.alloc(32, 7).toString('base64url'), PASSWORD_MIN_LENGTH: '14', SIGN_IN_LOCKOUT_FAILURES: '3', SIGN_IN_LOCKOUT_MINUTES: '30' });
    expect(set).toMatchObject({ passwordMinLength: 14, lockoutThreshold: 3, lockoutMs: 30 * 60_000, secretKeyWarning: null });
    expect(set.secretKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(() => loadIdentitySettings({ IDENTITY_SECRET_KEY: 'short' })).toThrow(/32 bytes/);
    expect(() => loadIdentitySettings({ PASSWORD_MIN_LENGTH: '6' })).toThrow(/at least 8/);
  });

  test('OIDC settings: all or nothing, https except on this machine, the match claim defaulted', () => {
    const base = { OIDC_ISSUER: 'https://idp.example.gov.cn/realms/gov', OIDC_CLIENT_ID: 'pd', OIDC_CLIENT_SECRET: 's', OIDC_REDIRECT_URI: 'https://pd.example.gov.cn/console/oidc/callback' };
    expect(loadIdentitySettings(base).oidc).toMatchObject({ clientId: 'pd', matchClaim: 'preferred_username' });
    expect(loadIdentitySettings({ ...base, OIDC_MATCH_CLAIM: 'email' }).oidc?.matchClaim).toBe('email');
    expect(() => loadIdentitySettings({ ...base, OIDC_CLIENT_SECRET: '' })).toThrow(/OIDC_CLIENT_SECRET/);
    expect(() => loadIdentitySettings({ ...base, OIDC_ISSUER: 'http://idp.example.gov.cn' })).toThrow(/https/);
    expect(loadIdentitySettings({ ...base, OIDC_ISSUER: 'http://127.0.0.1:8080' }).oidc?.issuer.href).toBe('http://127.0.0.1:8080/');
  });
});
