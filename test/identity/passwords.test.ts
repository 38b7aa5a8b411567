import { statusOf } from '../../src/web/status';
import { AppError } from '../../src/errors';
import { assertPasswordPolicy, checkPasswordPolicy, DEFAULT_SCRYPT, hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from '../../src/identity/passwords';

const owner = { username: 'zhangsan', email: 'san.zhang@fgw.example.gov.cn' };
const codes = (password: string, min = 12) => checkPasswordPolicy(password, owner, min).map((v) => v.code);

describe('hashing', () => {
  test('a self-describing scrypt hash that verifies the password and nothing else', async () => {
    const hash = await hashPassword('Correct-Horse-电池-42');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(verifyPassword('Correct-Horse-电池-42', hash)).resolves.toBe(true);
    await expect(verifyPassword('Correct-Horse-电池-43', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  }, 30_000);

  test('a fresh salt each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 1A'), hashPassword('same password 1A')]);
    expect(a).not.toBe(b);
  }, 30_000);

  test('full-width and half-width forms of a password are the same password', async () => {
    const hash = await hashPassword('Ｐａｓｓ１２３４ｗｏｒｄ！');
    await expect(verifyPassword('Pass1234word!', hash)).resolves.toBe(true);
  }, 30_000);

  test('a value that is not one of our hashes verifies nothing', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$1$1$x$y', 'bcrypt$2b$10$abc', 'scrypt$32768$8$1$AAAA$AAAA']) {
      await expect(verifyPassword('anything', stored)).resolves.toBe(false);
    }
    await expect(verifyAgainstNothing('anything')).resolves.toBe(false);
  }, 30_000);

  test('weaker parameters than the current ones call for a rehash', async () => {
    const hash = await hashPassword('Rehash me please 1');
    expect(needsRehash(hash)).toBe(false);
    expect(needsRehash(hash, { ...DEFAULT_SCRYPT, N: 2 ** 16 })).toBe(true);
    expect(needsRehash('scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(true);
    expect(needsRehash('not-a-hash')).toBe(true);
  }, 30_000);

  test('parameters below the floor are refused', async () => {
    await expect(hashPassword('x', { ...DEFAULT_SCRYPT, N: 2 ** 10 })).rejects.toThrow(/at least/);
  });
});

describe('the password policy', () => {
  test('a long password of three classes, without the owner’s names, passes', () => {
    expect(codes('Spring-river-2026')).toEqual([]);
    expect(codes('春江潮水连海平-Tide9')).toEqual([]);
  });

  test('length: at least the setting', () => {
    expect(codes('Ab1-short')).toEqual(['PASSWORD_TOO_SHORT']);
    expect(codes('Ab1-short', 8)).toEqual([]);
    expect(checkPasswordPolicy('Ab1-short', owner, 12)[0].message).toBe('密码长度不能少于12个字符');
    expect(codes(`Aa1-${'x'.repeat(300)}`)).toEqual(['PASSWORD_TOO_LONG']);
  });

  test('at least three of four character classes', () => {
    expect(codes('onlylowercaseletters')).toEqual(['PASSWORD_TOO_FEW_CLASSES']);
    expect(codes('lowercase and spaces')).toEqual(['PASSWORD_TOO_FEW_CLASSES']);
    expect(codes('lowercase 4nd spaces')).toEqual([]);
    expect(codes('UPPER lower mixed')).toEqual([]);
  });

  test('neither the username nor the e-mail’s local part, in any case', () => {
    expect(codes('My-ZhangSan-2026')).toEqual(['PASSWORD_CONTAINS_IDENTITY']);
    expect(codes('x-SAN.ZHANG-x-2026')).toEqual(['PASSWORD_CONTAINS_IDENTITY']);
    // The domain is not the person's.
    expect(codes('fgw.example-2026X')).toEqual([]);
    // Names too short to mean anything are not looked for.
    expect(checkPasswordPolicy('Spring-river-2026', { username: 'ri', email: 'sp@x.cn' }, 12)).toEqual([]);
  });

  test('common passwords, as they are and with digits or symbols appended', () => {
    expect(codes('1qaz2wsx3edc')).toContain('PASSWORD_TOO_COMMON');
    expect(codes('Password1234!')).toEqual(['PASSWORD_TOO_COMMON']);
    expect(codes('Woaini1314520!')).toEqual(['PASSWORD_TOO_COMMON']);
    expect(codes('P@ssw0rd123456')).toEqual(['PASSWORD_TOO_COMMON']);
  });

  test('every broken rule is reported; the first is thrown with all of them', () => {
    expect(codes('zhangsan')).toEqual(['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_FEW_CLASSES', 'PASSWORD_CONTAINS_IDENTITY']);
    let thrown: unknown;
    try {
      assertPasswordPolicy('zhangsan', owner, 12);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect(error.code).toBe('PASSWORD_TOO_SHORT');
    expect(statusOf(error.code)).toBe(422);
    expect(error.message).toBe('密码长度不能少于12个字符');
    expect((error.details.violations as Array<{ code: string }>).map((v) => v.code)).toHaveLength(3);
    expect(() => assertPasswordPolicy('Spring-river-2026', owner, 12)).not.toThrow();
  });
});
