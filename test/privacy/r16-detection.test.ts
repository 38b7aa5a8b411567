/**
 * R16 errs on the side of the person (issue 12, item 5): a mistyped ID number is masked, birth
 * dates are masked, and reviewers' redactions are applied and mapped back to the original.
 */
import { isMistypedChineseIdCard, maskPersonalInformation, originalSpan, REDACTED, type PiiKind } from '../../src/privacy/mask';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (body17: string) => '10X98765432'.charAt(body17.split('').reduce((a, d, i) => a + Number(d) * ID_WEIGHTS[i], 0) % 11);
function luhn(digits: string): boolean {
  const total = digits
    .split('')
    .reverse()
    .map(Number)
    .map((d, i) => (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d))
    .reduce((a, b) => a + b, 0);
  return total % 10 === 0;
}
/** 18 characters with the given birth date and a wrong check character that fails Luhn. */
function mistyped(birth: string): string {
  for (let seq = 0; seq < 1000; seq++) {
    const body = `440305${birth}${String(seq).padStart(3, '0')}`;
    for (const c of '0123456789') if (c !== checkChar(body) && !luhn(body + c)) return body + c;
  }
  throw new Error('unreachable');
}
const maskId = (id: string) => id.slice(0, 6) + '*'.repeat(8) + id.slice(-4);

const thisYear = new Date().getUTCFullYear();

describe('mistyped ID numbers (R16)', () => {
  const typo = mistyped('19850302');

  test('an ID-shaped number with a plausible birth date and a wrong check digit is masked as an ID', () => {
    expect(isMistypedChineseIdCard(typo)).toBe(true);
    const result = maskPersonalInformation(`我的身份证号是${typo}，可能写错了一位`);
    expect(result.text).toBe(`我的身份证号是${maskId(typo)}，可能写错了一位`);
    expect(result.maskings).toEqual([{ kind: 'idCard', start: 7, end: 25 }]);
  });

  test('grouped or in full-width digits too', () => {
    const grouped = `${typo.slice(0, 6)} ${typo.slice(6, 14)} ${typo.slice(14)}`;
    expect(maskPersonalInformation(`证件${grouped}`).text).toBe(`证件${maskId(typo)}`);
    const wide = typo.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect(maskPersonalInformation(`证件${wide}`).text).toBe(`证件${maskId(typo)}`);
  });

  test.each([
    ['a birth date in the future', mistyped(`${thisYear + 1}0101`)],
    ['an impossible birth date', mistyped('19850230')],
    ['born before 1900', mistyped('18991231')],
  ])('not with %s: then it is just a number', (_name, number) => {
    expect(isMistypedChineseIdCard(number)).toBe(false);
    expect(maskPersonalInformation(`编号${number}`).maskings).toEqual([]);
  });
});

type Row = [name: string, input: string, masked: string];
const kept = (name: string, input: string): Row => [name, input, input];

const birthDates: Row[] = [
  // With birth words, any form.
  ['full date, 出生 after', '我是1985年3月2日出生的，今年退休', '我是****年*月*日出生的，今年退休'],
  ['ISO date after 出生日期', '出生日期：1985-03-02，住本市', '出生日期：****-**-**，住本市'],
  ['dotted date after 生日是', '我的生日是1985.3.2', '我的生日是****.*.*'],
  ['slashed date', '生于1985/03/02', '生于****/**/**'],
  ['compact form date', '出生日期19850302', '出生日期********'],
  ['year and month, 出生 after', '本人1985年3月出生，工龄三十年', '本人****年*月出生，工龄三十年'],
  ['year only, 生于 before', '我生于1985年，在本市生活', '我生于****年，在本市生活'],
  ['year only, bare 生 after', '我1956年生，腿脚不便', '我****年生，腿脚不便'],
  ['Chinese numerals with 出生', '我一九八五年三月二日出生', '我****年*月*日出生'],
  ['Chinese numerals, year and month', '生于一九五六年十二月', '生于****年**月'],
  ['full-width digits', '出生日期：１９８５年３月２日', '出生日期：****年*月*日'],
  ['spaces inside', '生日 1985 年 3 月 2 日', '生日 **** 年 * 月 * 日'],
  // Full dates long ago, without birth words.
  ['old full date', '1985年3月2日我搬到这里', '****年*月*日我搬到这里'],
  ['old ISO date', '联系人王某，1985-03-02', '联系人王某，****-**-**'],
  ['old dotted date', '1985.3.2', '****.*.*'],
  ['old date in Chinese numerals', '一九八五年十二月三十一日', '****年**月***日'],
  ['old date with 号', '1985年3月2号', '****年*月*号'],
  // What stays.
  kept('a recent date of the policy', `本办法自${thisYear - 2}年1月1日起施行`),
  kept('a future date', `自${thisYear + 1}-01-01起施行`),
  kept('a future date in Chinese numerals', `自二〇${String(thisYear + 1).slice(2).replace(/\d/g, (d) => '〇一二三四五六七八九'[Number(d)])}年一月一日起施行`),
  kept('a date that takes effect (生效)', `${thisYear - 2}年3月2日生效`),
  kept('year and month without birth words', '1985年3月我们搬进小区'),
  kept('a year without birth words', '1985年建成的老小区'),
  kept('an impossible date', '1985年2月30日'),
  kept('month and day only', '3月2日以前'),
  kept('birth words in another sentence', `孩子出生后。${thisYear - 2}年3月2日起施行`),
  kept('a version number', '版本2.0.1'),
  kept('a decimal', '圆周率3.14159'),
  kept('a date range of the draft', `${thisYear - 1}.1.1-${thisYear - 1}.12.31`),
];

describe('birth dates (R16)', () => {
  test.each(birthDates)('%s', (_name, input, masked) => {
    const result = maskPersonalInformation(input);
    expect(result.text).toBe(masked);
    expect(result.maskings.every((m) => m.kind === ('birthDate' satisfies PiiKind))).toBe(true);
    // Masked once, nothing left to find.
    expect(maskPersonalInformation(result.text).maskings).toEqual([]);
  });

  test('a law quoted with its old date is masked too: the trade-off R16 makes', () => {
    expect(maskPersonalInformation('《中华人民共和国价格法》（1997年12月29日通过）').text).toBe('《中华人民共和国价格法》（****年**月**日通过）');
  });

  test('a full date 17 years back is masked, one a year back is not', () => {
    expect(maskPersonalInformation(`${thisYear - 17}年1月1日`).text).toBe('****年*月*日');
    expect(maskPersonalInformation(`${thisYear - 1}年1月1日`).maskings).toEqual([]);
  });
});

describe('reviewers’ redactions (R16)', () => {
  const text = '我患有糖尿病，住在幸福小区，电话13800138000，希望保留老年人免费乘车。';

  test('mask the marked span as *** and keep every pattern masking', () => {
    const start = text.indexOf('糖尿病');
    const result = maskPersonalInformation(text, [{ start, end: start + 3 }]);
    expect(result.text).toBe('我患有***，住在幸福小区，电话138****8000，希望保留老年人免费乘车。');
    expect(result.maskings.map((m) => m.kind)).toEqual(['mobile']);
    expect(result.regions.map((r) => r.manual)).toEqual([true, false]);
  });

  test('a redaction overlapping a pattern masking becomes one masking, as ***', () => {
    const start = text.indexOf('电话');
    const result = maskPersonalInformation(text, [{ start, end: start + 5 }]);
    expect(result.text).toBe('我患有糖尿病，住在幸福小区，***，希望保留老年人免费乘车。');
    expect(result.text).not.toContain('8000');
  });

  test('spans out of bounds, empty or splitting a character are refused', () => {
    expect(() => maskPersonalInformation(text, [{ start: 3, end: 3 }])).toThrow(RangeError);
    expect(() => maskPersonalInformation(text, [{ start: -1, end: 2 }])).toThrow(RangeError);
    expect(() => maskPersonalInformation(text, [{ start: 0, end: text.length + 1 }])).toThrow(RangeError);
    expect(() => maskPersonalInformation('意见𠀀', [{ start: 0, end: 3 }])).toThrow(/splits/);
  });

  test('originalSpan maps a span of the masked text back to the original, whole maskings included', () => {
    const masked = maskPersonalInformation(text);
    // Kept text maps one to one.
    const from = masked.text.indexOf('希望保留');
    const span = originalSpan(masked.regions, from, from + 4);
    expect(text.slice(span.start, span.end)).toBe('希望保留');
    // Touching a masked stretch takes in the whole of what it masks.
    const star = masked.text.indexOf('****');
    const touching = originalSpan(masked.regions, star, star + 1);
    expect(text.slice(touching.start, touching.end)).toBe('13800138000');
    const across = originalSpan(masked.regions, masked.text.indexOf('电话'), star + 2);
    expect(text.slice(across.start, across.end)).toBe('电话13800138000');
  });

  test('on random text, a redaction of any span of the masked text removes exactly it', () => {
    let seed = 20261122;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pieces = ['意见', '13800138000', '1985年3月2日', '出生', '建国路88号', 'a@b.cn', '，', '𠀀', '票价', '7'];
    for (let round = 0; round < 500; round++) {
      let input = '';
      while (input.length < 40) input += pieces[Math.floor(random() * pieces.length)];
      const masked = maskPersonalInformation(input);
      const points = Array.from(masked.text);
      const a = Math.floor(random() * points.length);
      const b = a + 1 + Math.floor(random() * (points.length - a));
      const from = points.slice(0, a).join('').length;
      const to = points.slice(0, b).join('').length;
      const span = originalSpan(masked.regions, from, to);
      const redacted = maskPersonalInformation(input, [span]);
      // What came before and after the span in the masked text is still there, around ***.
      const before = masked.text.slice(0, from);
      const after = masked.text.slice(to);
      const touchesRegionAtStart = masked.regions.some((r) => r.from < from && from < r.to);
      const touchesRegionAtEnd = masked.regions.some((r) => r.from < to && to < r.to);
      if (!touchesRegionAtStart) expect(redacted.text.startsWith(before)).toBe(true);
      if (!touchesRegionAtEnd) expect(redacted.text.endsWith(after)).toBe(true);
      expect(redacted.text).toContain(REDACTED);
      expect(redacted.regions.filter((r) => r.manual)).toHaveLength(1);
    }
  });
});
