/**
 * The credentials and one-time link repositories: the counting of failures, the TOTP step and
 * the recovery codes and links used up — all exact when many attempts race.
 */
import { CredentialStore, OneTimeLinkStore } from '../../src/store/credentials';
import { OneTimeLinks } from '../../src/identity/one-time';
import { AppError } from '../../src/errors';
import { createModels, ensureIndexes, type Models } from '../../src/store/models';
import { connectTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let models: Models;
let store: CredentialStore;
let links: OneTimeLinkStore;
const POLICY = { threshold: 5, durationMs: 15 * 60_000 };
// Near the real time: the links' TTL index removes documents a week past their expiry.
const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);
const later = (ms: number) => new Date(T0.getTime() + ms);
let n = 0;
const newPerson = async () => {
  const id = `person-${++n}`;
  await store.setPassword(id, 'scrypt$hash', T0);
  return id;
};

beforeAll(async () => {
  db = await connectTestDatabase();
  models = createModels(db.connection);
  await ensureIndexes(models);
  store = new CredentialStore(models);
  links = new OneTimeLinkStore(models);
});
afterAll(async () => {
  await db?.close();
});

describe('lockout', () => {
  test('the fifth consecutive failure locks for fifteen minutes', async () => {
    const id = await newPerson();
    for (let i = 1; i <= 4; i++) {
      await expect(store.recordFailure(id, T0, POLICY)).resolves.toEqual({ locked: false, failures: i });
    }
    await expect(store.recordFailure(id, T0, POLICY)).resolves.toEqual({ locked: true, lockedUntil: later(15 * 60_000) });
    await expect(store.lockedUntil(id, later(15 * 60_000 - 1))).resolves.toEqual(later(15 * 60_000));
    await expect(store.lockedUntil(id, later(15 * 60_000))).resolves.toBeNull();
  });

  test('many concurrent failures: exactly the fifth locks, the rest find it locked and count nothing', async () => {
    const id = await newPerson();
    const results = await Promise.all(Array.from({ length: 40 }, () => store.recordFailure(id, T0, POLICY)));
    const counted = results.filter((r) => !r.locked).map((r) => (r as { failures: number }).failures);
    expect(counted.sort()).toEqual([1, 2, 3, 4]);
    expect(results.filter((r) => r.locked)).toHaveLength(36);
    for (const r of results.filter((x) => x.locked)) expect(r).toEqual({ locked: true, lockedUntil: later(15 * 60_000) });
    // The count restarted at the lock: nothing the locked attempts did was added to it.
    expect((await store.get(id))!.failures).toBe(0);
  }, 60_000);

  test('concurrent failures below the threshold are each counted once', async () => {
    const id = await newPerson();
    const results = await Promise.all(Array.from({ length: 4 }, () => store.recordFailure(id, T0, POLICY)));
    expect(results.map((r) => (r as { failures: number }).failures).sort()).toEqual([1, 2, 3, 4]);
    expect((await store.get(id))!.failures).toBe(4);
  });

  test('a success resets the count, but does not get through a lock', async () => {
    const id = await newPerson();
    for (let i = 0; i < 4; i++) await store.recordFailure(id, T0, POLICY);
    await expect(store.recordSuccess(id, T0)).resolves.toBe(true);
    await expect(store.recordFailure(id, T0, POLICY)).resolves.toEqual({ locked: false, failures: 1 });
    for (let i = 0; i < 4; i++) await store.recordFailure(id, T0, POLICY);
    await expect(store.recordSuccess(id, later(60_000))).resolves.toBe(false);
    // Once the lock has run out, a success goes through and the count starts afresh.
    await expect(store.recordSuccess(id, later(15 * 60_000))).resolves.toBe(true);
    const after = await store.get(id);
    expect(after).toMatchObject({ failures: 0, lockedUntil: null, lastSignInAt: later(15 * 60_000) });
  });

  test('after a lock runs out, five more failures lock again', async () => {
    const id = await newPerson();
    for (let i = 0; i < 5; i++) await store.recordFailure(id, T0, POLICY);
    const t = later(15 * 60_000);
    for (let i = 1; i <= 4; i++) await expect(store.recordFailure(id, t, POLICY)).resolves.toEqual({ locked: false, failures: i });
    await expect(store.recordFailure(id, t, POLICY)).resolves.toEqual({ locked: true, lockedUntil: new Date(t.getTime() + 15 * 60_000) });
  });

  test('a new password ends a lock', async () => {
    const id = await newPerson();
    for (let i = 0; i < 5; i++) await store.recordFailure(id, T0, POLICY);
    await store.setPassword(id, 'scrypt$new', later(1000));
    await expect(store.lockedUntil(id, later(2000))).resolves.toBeNull();
    expect(await store.get(id)).toMatchObject({ passwordHash: 'scrypt$new', passwordChangedAt: later(1000), failures: 0 });
  });

  test('failures of an account without credentials count nothing and create nothing', async () => {
    await expect(store.recordFailure('nobody', T0, POLICY)).resolves.toEqual({ locked: false, failures: 0 });
    await expect(store.get('nobody')).resolves.toBeNull();
  });
});

describe('the stronger hash', () => {
  test('replaces the old one only if the password did not change meanwhile', async () => {
    const id = await newPerson();
    await expect(store.upgradePasswordHash(id, 'scrypt$hash', 'scrypt$stronger')).resolves.toBe(true);
    await expect(store.upgradePasswordHash(id, 'scrypt$hash', 'scrypt$other')).resolves.toBe(false);
    expect((await store.get(id))!.passwordHash).toBe('scrypt$stronger');
  });
});

describe('TOTP steps and recovery codes', () => {
  test('confirming moves the pending secret in, with the confirming step as the last accepted', async () => {
    const id = await newPerson();
    await store.setPendingTotp(id, 'sealed-1', T0);
    await expect(store.confirmTotp(id, 'sealed-0', 100, ['h1'], T0)).resolves.toBe(false);
    await expect(store.confirmTotp(id, 'sealed-1', 100, ['h1', 'h2'], T0)).resolves.toBe(true);
    expect(await store.get(id)).toMatchObject({ totpSecret: 'sealed-1', totpPendingSecret: null, totpLastStep: 100, totpEnrolledAt: T0, recoveryCodeHashes: ['h1', 'h2'] });
    await expect(store.confirmTotp(id, 'sealed-1', 101, [], T0)).resolves.toBe(false);
  });

  test('a step is accepted once, and never one at or before the last accepted', async () => {
    const id = await newPerson();
    await expect(store.acceptTotpStep(id, 5)).resolves.toBe(false); // not enrolled
    await store.setPendingTotp(id, 's', T0);
    await store.confirmTotp(id, 's', 100, [], T0);
    await expect(store.acceptTotpStep(id, 100)).resolves.toBe(false);
    await expect(store.acceptTotpStep(id, 99)).resolves.toBe(false);
    const racing = await Promise.all(Array.from({ length: 20 }, () => store.acceptTotpStep(id, 101)));
    expect(racing.filter(Boolean)).toHaveLength(1);
    await expect(store.acceptTotpStep(id, 102)).resolves.toBe(true);
  });

  test('a recovery code is used up once, even by racing uses', async () => {
    const id = await newPerson();
    await store.replaceRecoveryCodes(id, ['a', 'b', 'c']);
    const racing = await Promise.all(Array.from({ length: 20 }, () => store.consumeRecoveryCode(id, 'b')));
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect((await store.get(id))!.recoveryCodeHashes).toEqual(['a', 'c']);
    await expect(store.consumeRecoveryCode(id, 'z')).resolves.toBe(false);
  });

  test('removing the second factor clears secret, steps and codes', async () => {
    const id = await newPerson();
    await store.setPendingTotp(id, 's', T0);
    await store.confirmTotp(id, 's', 100, ['a'], T0);
    await store.removeTotp(id);
    expect(await store.get(id)).toMatchObject({ totpSecret: null, totpLastStep: null, totpEnrolledAt: null, recoveryCodeHashes: [] });
  });
});

describe('one-time links', () => {
  const service = () => new OneTimeLinks(links, { setup: 3600_000, passwordReset: 600_000 });
  const code = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return (error as AppError).code;
    }
    return 'accepted';
  };

  test('a 32-byte token, stored only as its hash, used once', async () => {
    const { token, expiresAt } = await service().issue('p-link-1', 'setup', T0);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(expiresAt).toEqual(later(3600_000));
    const stored = await models.OneTimeLink.find({ personId: 'p-link-1' }).lean().exec();
    expect(stored).toHaveLength(1);
    expect(stored[0]._id).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    await expect(service().check(token, 'setup', later(1000))).resolves.toMatchObject({ personId: 'p-link-1', purpose: 'setup' });
    await expect(service().consume(token, 'setup', later(1000))).resolves.toMatchObject({ personId: 'p-link-1' });
    expect(await code(service().consume(token, 'setup', later(2000)))).toBe('LINK_USED');
    expect(await code(service().check(token, 'setup', later(2000)))).toBe('LINK_USED');
  });

  test('an expired link, an unknown one and one for another purpose are refused', async () => {
    const { token } = await service().issue('p-link-2', 'passwordReset', T0);
    expect(await code(service().consume(token, 'setup', later(1000)))).toBe('LINK_INVALID');
    expect(await code(service().consume('x'.repeat(43), 'passwordReset', later(1000)))).toBe('LINK_INVALID');
    expect(await code(service().consume(token, 'passwordReset', later(600_000)))).toBe('LINK_EXPIRED');
    expect(await code(service().check(token, 'passwordReset', later(600_000)))).toBe('LINK_EXPIRED');
  });

  test('racing uses of one link: exactly one gets through', async () => {
    const { token } = await service().issue('p-link-3', 'passwordReset', T0);
    const results = await Promise.all(Array.from({ length: 20 }, () => code(service().consume(token, 'passwordReset', later(1000)))));
    expect(results.filter((r) => r === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r === 'LINK_USED')).toHaveLength(19);
  });

  test('a new link withdraws the person’s earlier one of the same purpose only', async () => {
    const first = await service().issue('p-link-4', 'passwordReset', T0);
    const setup = await service().issue('p-link-4', 'setup', T0);
    const second = await service().issue('p-link-4', 'passwordReset', later(1000));
    expect(await code(service().consume(first.token, 'passwordReset', later(2000)))).toBe('LINK_USED');
    expect(await code(service().consume(second.token, 'passwordReset', later(2000)))).toBe('accepted');
    expect(await code(service().consume(setup.token, 'setup', later(2000)))).toBe('accepted');
  });

  test('the lookups have their indexes', async () => {
    const indexes = await models.OneTimeLink.listIndexes();
    const keys = indexes.map((i) => JSON.stringify(i.key));
    expect(keys).toContain(JSON.stringify({ personId: 1, purpose: 1 }));
    expect(indexes.find((i) => JSON.stringify(i.key) === JSON.stringify({ expiresAt: 1 }))?.expireAfterSeconds).toBe(7 * 24 * 3600);
  });
});
