/** The unified social credit code's check character (GB 32100-2015). */
import { isValidUscc, usccCheckCharacter, usccProblem } from '../../src/organisation/uscc';

test('real codes pass', () => {
  // Published codes of registered bodies.
  for (const code of ['91350100M000100Y43', '91110000600037341L', '91440300708461136T']) expect({ code, problem: usccProblem(code) }).toEqual({ code, problem: null });
});

test('a wrong check character, a wrong length, letters outside the alphabet are refused, each with its reason', () => {
  expect(usccProblem('91350100M000100Y44')).toBe('check');
  expect(usccProblem('91350100M000100Y4')).toBe('length');
  // I, O, S, V, Z are not in the alphabet; the division code is six digits.
  expect(usccProblem('91350100M0001O0Y43')).toBe('characters');
  expect(usccProblem('913501A0M000100Y43')).toBe('characters');
  expect(usccProblem('91350100m000100y43')).toBe('characters');
  expect(isValidUscc('')).toBe(false);
});

test('the check character is 0 when the weighted sum is a multiple of 31, never the 32nd character', () => {
  expect(usccCheckCharacter('00000000000000000')).toBe('0');
  // Every single-character change of a valid code is caught.
  const code = '91350100M000100Y43';
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  for (let i = 0; i < 17; i++) {
    for (const c of alphabet) {
      if (c === code[i] || (i >= 2 && i < 8 && !/\d/.test(c))) continue;
      const changed = code.slice(0, i) + c + code.slice(i + 1);
      expect(isValidUscc(changed)).toBe(false);
    }
  }
});
