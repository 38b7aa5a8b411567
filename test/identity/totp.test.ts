import { statusOf } from '../../src/web/status';
import { AppError } from '../../src/errors';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, normalizeTotpCode, totpCode, totpQrSvg, totpStep, totpUri } from '../../src/identity/totp';

const AT = new Date('2026-03-02T08:00:10Z');
const STEP = 30_000;

test('a 160-bit base32 secret, new each time', () => {
  const secret = newTotpSecret();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(newTotpSecret()).not.toBe(secret);
});

test('the otpauth URI names the system as issuer and the account, SHA-1, six digits, 30 s', () => {
  const uri = new URL(totpUri('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'zhangsan@fgw'));
  expect(uri.protocol).toBe('otpauth:');
  expect(uri.host).toBe('totp');
  expect(decodeURIComponent(uri.pathname)).toBe('/政策解读与预公开系统:zhangsan@fgw');
  expect(uri.searchParams.get('issuer')).toBe('政策解读与预公开系统');
  expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  expect(uri.searchParams.get('algorithm')).toBe('SHA1');
  expect(uri.searchParams.get('digits')).toBe('6');
  expect(uri.searchParams.get('period')).toBe('30');
});

test('the QR code is an SVG drawn on the server, with no script in it', async () => {
  const svg = await totpQrSvg(totpUri(newTotpSecret(), 'zhangsan'));
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('<path');
  expect(svg).not.toMatch(/<script|on\w+=/i);
});

test('RFC 6238’s SHA-1 test vector', () => {
  // Secret "12345678901234567890" (base32 below) at 59 s gives 94287082; six digits: 287082.
  expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(59_000))).toBe('287082');
});

test('a code matches its own step and one either side, and says which', () => {
  const secret = newTotpSecret();
  const step = totpStep(AT);
  expect(matchTotp(secret, totpCode(secret, AT), AT)).toBe(step);
  expect(matchTotp(secret, totpCode(secret, new Date(AT.getTime() - STEP)), AT)).toBe(step - 1);
  expect(matchTotp(secret, totpCode(secret, new Date(AT.getTime() + STEP)), AT)).toBe(step + 1);
  expect(matchTotp(secret, totpCode(secret, new Date(AT.getTime() - 2 * STEP)), AT)).toBeNull();
  expect(matchTotp(secret, totpCode(secret, new Date(AT.getTime() + 2 * STEP)), AT)).toBeNull();
  expect(matchTotp(newTotpSecret(), totpCode(secret, AT), AT)).toBeNull();
});

test('spaces and full-width digits are fine; anything but six digits is refused with its code', () => {
  expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
  expect(normalizeTotpCode('１２３４５６')).toBe('123456');
  for (const bad of ['12345', '1234567', 'abcdef', '']) {
    expect(() => normalizeTotpCode(bad)).toThrow(AppError);
    try {
      normalizeTotpCode(bad);
    } catch (error) {
      expect((error as AppError).code).toBe('TOTP_CODE_MALFORMED');
      expect(statusOf((error as AppError).code)).toBe(400);
    }
  }
});

test('ten distinct recovery codes, hashed regardless of case and dashes', () => {
  const codes = newRecoveryCodes();
  expect(codes).toHaveLength(10);
  expect(new Set(codes).size).toBe(10);
  for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  const [code] = codes;
  expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
  expect(hashRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(code));
  expect(hashRecoveryCode(codes[1])).not.toBe(hashRecoveryCode(code));
});
