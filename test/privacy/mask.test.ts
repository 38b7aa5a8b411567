import {
  isValidChineseIdCard,
  luhnValid,
  maskPersonalInformation,
  PII_LABELS,
  type PiiKind,
} from '../../src/privacy/mask';

/*
 * Expected values are computed here independently of the module (check digits, Luhn), so the
 * rows do not merely restate what the implementation happens to produce.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function idCheckChar(body17: string): string {
  const sum = body17.split('').reduce((acc, digit, i) => acc + Number(digit) * ID_WEIGHTS[i], 0);
  return '10X98765432'.charAt(sum % 11);
}

function makeId(region: string, birth: string, sequence: string): string {
  const body = region + birth + sequence;
  return body + idCheckChar(body);
}

function luhn(digits: string): boolean {
  const total = digits
    .split('')
    .reverse()
    .map(Number)
    .map((d, i) => (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d))
    .reduce((a, b) => a + b, 0);
  return total % 10 === 0;
}

function withLuhnDigit(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhn(prefix + d)) return prefix + d;
  throw new Error('unreachable');
}

function breakLuhn(number: string): string {
  const last = Number(number.slice(-1));
  return number.slice(0, -1) + String((last + 1) % 10);
}

/** A valid ID that also happens to pass Luhn: the ID reading must win. */
function idPassingLuhn(): string {
  for (let seq = 0; seq < 1000; seq++) {
    const id = makeId('440305', '19851120', String(seq).padStart(3, '0'));
    if (!id.endsWith('X') && luhn(id)) return id;
  }
  throw new Error('no such ID in range');
}

/** 18 digits with the wrong ID check digit, chosen to pass (or fail) Luhn as asked. */
function badIdChecksum(passesLuhn: boolean): string {
  for (let seq = 0; seq < 1000; seq++) {
    const body = '320102' + '19780615' + String(seq).padStart(3, '0');
    const right = idCheckChar(body);
    for (let d = 0; d <= 9; d++) {
      const candidate = body + d;
      if (String(d) !== right && luhn(candidate) === passesLuhn) return candidate;
    }
  }
  throw new Error('no such number in range');
}

const ID_A = makeId('110101', '19900307', '425');
const ID_B = makeId('310104', '20000229', '123');
const ID_X = '11010519491231002X';
const ID_LUHN = idPassingLuhn();
const NOT_ID_BUT_CARD = badIdChecksum(true);
const NOT_ID_NOT_CARD = badIdChecksum(false);
const CARD_16 = withLuhnDigit('622848001234567');
const CARD_19 = withLuhnDigit('621700123456789012');
const BRIEF_CARD = '6222021234567890123';

const maskId = (id: string) => id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4).toUpperCase();
const maskCard = (digits: string) => `**** **** **** ${digits.slice(-4)}`;
const group4 = (digits: string, sep: string) => digits.match(/.{1,4}/g)!.join(sep);
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('ID card validation', () => {
  test('the test helper agrees with the well-known example', () => {
    expect(idCheckChar(ID_X.slice(0, 17))).toBe('X');
  });

  test.each<[string, string, boolean]>([
    ['generated 18-digit', ID_A, true],
    ['generated, leap day 2000-02-29', ID_B, true],
    ['well-known example ending in X', ID_X, true],
    ['lower-case x', ID_X.toLowerCase(), true],
    ['valid ID that also passes Luhn', ID_LUHN, true],
    ['first day allowed, 1900-01-01', makeId('110101', '19000101', '001'), true],
    ['wrong check digit', NOT_ID_BUT_CARD, false],
    ['wrong check digit (other)', NOT_ID_NOT_CARD, false],
    ['check X where a digit is due', ID_A.slice(0, 17) + 'X', false],
    ['born 1899', makeId('110101', '18991231', '001'), false],
    ['born in the future', makeId('110101', '20991231', '001'), false],
    ['30 February', makeId('110101', '19900230', '001'), false],
    ['29 February 1900 (not a leap year)', makeId('110101', '19000229', '001'), false],
    ['month 13', makeId('110101', '19901301', '001'), false],
    ['day 00', makeId('110101', '19900100', '001'), false],
    ['legacy 15-digit', '110105491231002', true],
    ['legacy 15-digit, 1 January', '130503000101123', true],
    ['legacy 15-digit, month 13', '110105491331002', false],
    ['legacy 15-digit, 31 April', '110105490431002', false],
    ['legacy 15-digit, impossible region', '010105491231002', false],
    ['17 digits', ID_A.slice(0, 17), false],
    ['19 digits', ID_A + '1', false],
    ['separators are not part of an ID', `${ID_A.slice(0, 6)} ${ID_A.slice(6)}`, false],
    ['empty', '', false],
  ])('%s', (_name, id, valid) => {
    expect(isValidChineseIdCard(id)).toBe(valid);
  });
});

describe('Luhn check', () => {
  test.each<[string, string]>([
    ['16-digit card', CARD_16],
    ['19-digit card', CARD_19],
    ['broken 16-digit card', breakLuhn(CARD_16)],
    ['broken 19-digit card', breakLuhn(CARD_19)],
    ['example from the brief', BRIEF_CARD],
    ['classic example', '79927398713'],
    ['classic example, broken', '79927398710'],
    ['Visa test number', '4111111111111111'],
    ['all zeros', '0000000000000000'],
  ])('%s agrees with an independent implementation', (_name, digits) => {
    expect(luhnValid(digits)).toBe(luhn(digits));
  });

  test.each(['', '7', '4111 1111 1111 1111', '41111111111111x1'])('%j is not a valid number', (input) => {
    expect(luhnValid(input)).toBe(false);
  });
});

type Row = [name: string, input: string, masked: string, maskings: Array<[PiiKind, string]>];

const unchanged = (name: string, input: string): Row => [name, input, input, []];

const rows: Row[] = [
  // ID cards
  ['18-digit ID between Chinese characters', `身份证号${ID_A}请核实`, `身份证号${maskId(ID_A)}请核实`, [['idCard', ID_A]]],
  ['ID ending in X', `证件号码：${ID_X}。`, `证件号码：110105********002X。`, [['idCard', ID_X]]],
  ['ID ending in lower-case x', `${ID_X.toLowerCase()}`, '110105********002X', [['idCard', ID_X.toLowerCase()]]],
  ['ID that also passes Luhn stays an ID', `号码${ID_LUHN}`, `号码${maskId(ID_LUHN)}`, [['idCard', ID_LUHN]]],
  ['ID grouped 6-8-4', `身份证 ${ID_A.slice(0, 6)} ${ID_A.slice(6, 14)} ${ID_A.slice(14)}`, `身份证 ${maskId(ID_A)}`, [['idCard', `${ID_A.slice(0, 6)} ${ID_A.slice(6, 14)} ${ID_A.slice(14)}`]]],
  ['legacy 15-digit ID', '老身份证110105491231002作废', '老身份证110105*****1002作废', [['idCard', '110105491231002']]],
  ['ID after ASCII letters', `ID:${ID_B}`, `ID:${maskId(ID_B)}`, [['idCard', ID_B]]],
  ['full-width digits', `身份证${fullWidth(ID_A)}`, `身份证${maskId(ID_A)}`, [['idCard', fullWidth(ID_A)]]],
  ['bad checksum but Luhn-valid: a bank card', `号码${NOT_ID_BUT_CARD}`, `号码${maskCard(NOT_ID_BUT_CARD)}`, [['bankCard', NOT_ID_BUT_CARD]]],
  // R16: a mistyped ID number (plausible birth date, wrong check character) is still someone's.
  ['bad checksum and not Luhn-valid: a mistyped ID', `号码${NOT_ID_NOT_CARD}`, `号码${maskId(NOT_ID_NOT_CARD)}`, [['idCard', NOT_ID_NOT_CARD]]],
  ['checksum X where a digit is due: a mistyped ID', `号码${ID_A.slice(0, 17)}X`, `号码${maskId(ID_A.slice(0, 17) + 'X')}`, [['idCard', `${ID_A.slice(0, 17)}X`]]],
  unchanged('future birth date', `号码${makeId('110101', '20991231', '001')}`),
  unchanged('impossible birth date', `号码${makeId('110101', '19900230', '001')}`),
  unchanged('ID inside a longer digit run', `编号9${ID_A}`),
  unchanged('ID followed by another digit', `编号${ID_A}7`),

  // Bank cards
  ['16-digit card', `卡号${CARD_16}`, `卡号${maskCard(CARD_16)}`, [['bankCard', CARD_16]]],
  ['19-digit card', `工资卡${CARD_19}已停用`, `工资卡${maskCard(CARD_19)}已停用`, [['bankCard', CARD_19]]],
  ['card grouped by spaces', `卡号：${group4(CARD_16, ' ')}。`, `卡号：${maskCard(CARD_16)}。`, [['bankCard', group4(CARD_16, ' ')]]],
  ['19-digit card grouped by hyphens', `卡号${group4(CARD_19, '-')}`, `卡号${maskCard(CARD_19)}`, [['bankCard', group4(CARD_19, '-')]]],
  unchanged('16 digits failing Luhn', `卡号${breakLuhn(CARD_16)}`),
  unchanged('19 digits failing Luhn', `卡号${breakLuhn(CARD_19)}`),
  luhn(BRIEF_CARD)
    ? ['example from the brief', `卡号${BRIEF_CARD}`, `卡号${maskCard(BRIEF_CARD)}`, [['bankCard', BRIEF_CARD]]]
    : unchanged('example from the brief (fails Luhn)', `卡号${BRIEF_CARD}`),
  unchanged('20-digit run', '流水号12345678901234567890'),
  unchanged('20-digit run whose first 16 digits pass Luhn', `流水号${CARD_16}0123`),

  // Mobiles
  ['mobile between Chinese characters', '请拨打13800138000联系我', '请拨打138****8000联系我', [['mobile', '13800138000']]],
  ['mobile with +86', '电话+8613912345678', '电话139****5678', [['mobile', '+8613912345678']]],
  ['mobile with +86 and spaces', '+86 138 0013 8000', '138****8000', [['mobile', '+86 138 0013 8000']]],
  ['mobile with 86', '手机86 15012345678', '手机150****5678', [['mobile', '86 15012345678']]],
  ['mobile with 0086 and hyphens', '0086-186-1234-5678。', '186****5678。', [['mobile', '0086-186-1234-5678']]],
  ['mobile 3-4-4 with spaces', '手机 138 0013 8000', '手机 138****8000', [['mobile', '138 0013 8000']]],
  ['mobile 3-4-4 with hyphens', '手机:199-0000-1111', '手机:199****1111', [['mobile', '199-0000-1111']]],
  ['mobile in full-width digits', '手机１３８００１３８０００', '手机138****8000', [['mobile', '１３８００１３８０００']]],
  ['two mobiles', '13800138000、13900139000', '138****8000、139****9000', [['mobile', '13800138000'], ['mobile', '13900139000']]],
  unchanged('12 digits starting like a mobile', '编号138001380001'),
  unchanged('preceded by a digit', '编号213800138000'),
  unchanged('second digit 2 is not a mobile', '号码12800138000'),
  unchanged('10 digits', '号码1380013800'),

  // Landlines
  ['landline with hyphen', '电话010-12345678', '电话010-****78', [['landline', '010-12345678']]],
  ['landline with brackets', '(010)12345678', '010-****78', [['landline', '(010)12345678']]],
  ['landline with full-width brackets', '电话（021）61234567谢谢', '电话021-****67谢谢', [['landline', '（021）61234567']]],
  ['landline, 4-digit area code, 7 digits', '0371-6123456', '0371-****56', [['landline', '0371-6123456']]],
  ['landline without separator', '拨打02161234567', '拨打021-****67', [['landline', '02161234567']]],
  ['landline grouped by spaces', '021 6123 4567', '021-****67', [['landline', '021 6123 4567']]],
  ['landline with 转 extension', '010-12345678转8001', '010-****78', [['landline', '010-12345678转8001']]],
  ['landline with - extension', '0755-87654321-123。', '0755-****21。', [['landline', '0755-87654321-123']]],
  ['landline with ext', '0755-87654321 ext. 12', '0755-****21', [['landline', '0755-87654321 ext. 12']]],
  ['landline in full-width', '电话：０１０－８８８８６６６６', '电话：010-****66', [['landline', '０１０－８８８８６６６６']]],
  unchanged('no area code', '电话12345678'),
  unchanged('area code alone', '区号0371'),
  unchanged('too few local digits', '010-12345'),

  // E-mail
  ['e-mail between Chinese characters', '邮箱zhang.san@example.com谢谢', '邮箱z***@example.com谢谢', [['email', 'zhang.san@example.com']]],
  ['e-mail with subdomains and plus', '发至 li+feedback@mail.gov.cn。', '发至 l***@mail.gov.cn。', [['email', 'li+feedback@mail.gov.cn']]],
  ['numeric QQ mailbox', '123456789@qq.com', '1***@qq.com', [['email', '123456789@qq.com']]],
  ['upper-case e-mail', 'Wang_Wu@Example.ORG', 'W***@Example.ORG', [['email', 'Wang_Wu@Example.ORG']]],
  ['full-width at sign', 'abc＠163.com', 'a***@163.com', [['email', 'abc＠163.com']]],
  unchanged('mention without a domain', '请@市住建委 回复'),
  unchanged('no TLD', 'user@localhost'),
  unchanged('bare domain', '详见www.gov.cn'),

  // Addresses
  ['full address with building parts', '朝阳区建国路88号3栋2单元501室', '朝阳区建国路***', [['address', '朝阳区建国路88号3栋2单元501室']]],
  ['road and number', '中山路12号', '中山路***', [['address', '中山路12号']]],
  ['estate with building number', '幸福街道和平里小区5号楼', '幸福街道和平里小区***', [['address', '幸福街道和平里小区5号楼']]],
  ['address after 住在', '我家住在北京市朝阳区建国路88号，噪音扰民', '我家住在北京市朝阳区建国路***，噪音扰民', [['address', '北京市朝阳区建国路88号']]],
  ['大道 with 号院', '家住人民大道100号院2号楼', '家住人民大道***', [['address', '人民大道100号院2号楼']]],
  ['胡同', '东城区南锣鼓巷帽儿胡同12号', '东城区南锣鼓巷帽儿胡同***', [['address', '东城区南锣鼓巷帽儿胡同12号']]],
  ['Chinese numeral house number', '解放路十二号门口', '解放路***门口', [['address', '解放路十二号']]],
  ['lane (弄) and room', '上海市徐汇区建国西路285弄3号402室', '上海市徐汇区建国西路***', [['address', '上海市徐汇区建国西路285弄3号402室']]],
  ['address ended by 在', '建议在中山路12号附近增设公交站', '建议在中山路***附近增设公交站', [['address', '中山路12号']]],
  unchanged('article number', '根据第十二条规定'),
  unchanged('policy text about districts and streets', '本市各区街道应当于2026年底前完成改造'),
  unchanged('document number', '《实施意见》（京政发〔2026〕12号）'),
  unchanged('metro line', '建议地铁5号线延长'),
  unchanged('metro line after a road-like word', '轨道交通线路3号线'),
  unchanged('road without a name', '路12号'),
  unchanged('number without 号', '中山路12'),

  // Policy text and numbers that must stay
  unchanged('article number 第12条', '第12条第3款'),
  unchanged('year', '2026年'),
  unchanged('amount', '补贴1500元'),
  unchanged('large amount', '总投资1,500,000元'),
  unchanged('percentage', '比例不低于20%'),
  unchanged('date', '2026-11-21'),
  unchanged('date and time', '截止时间2026-11-21 17:00'),
  unchanged('decimal', '圆周率3.14159265358979'),
  unchanged('empty', ''),

  // Mixed
  [
    'several kinds in one comment',
    `本人张某，身份证${ID_A}，手机13800138000，邮箱zs@example.com，住朝阳区建国路88号，建议第12条增加补贴1500元。`,
    `本人张某，身份证${maskId(ID_A)}，手机138****8000，邮箱z***@example.com，住朝阳区建国路***，建议第12条增加补贴1500元。`,
    [['idCard', ID_A], ['mobile', '13800138000'], ['email', 'zs@example.com'], ['address', '朝阳区建国路88号']],
  ],
  [
    'digits glued to Chinese on both sides',
    `卡${CARD_16}电话010-12345678转1号${ID_B}完`,
    `卡${maskCard(CARD_16)}电话010-****78号${maskId(ID_B)}完`,
    [['bankCard', CARD_16], ['landline', '010-12345678转1'], ['idCard', ID_B]],
  ],
  ['mobile wins over e-mail', '13800138000@163.com', '138****8000@163.com', [['mobile', '13800138000']]],
  ['ID wins over e-mail', `${ID_A}@qq.com`, `${maskId(ID_A)}@qq.com`, [['idCard', ID_A]]],
];

describe('maskPersonalInformation (R16)', () => {
  test.each(rows)('%s', (_name, input, masked, expected) => {
    const result = maskPersonalInformation(input);
    expect(result.text).toBe(masked);
    expect(result.maskings.map((m) => [m.kind, input.slice(m.start, m.end)])).toEqual(expected);
    // Offsets must point at the first occurrence after the previous masking, not just any equal substring.
    let from = 0;
    for (const [m, [, value]] of result.maskings.map((m, i) => [m, expected[i]] as const)) {
      expect(m.start).toBe(input.indexOf(value, from));
      from = m.end;
    }
  });

  test('masking the result again finds nothing', () => {
    // Where a number won over an e-mail, the rest of the address is still an address.
    const plain = rows.filter(([name]) => !name.includes('wins over e-mail'));
    for (const [, input] of plain) expect(maskPersonalInformation(maskPersonalInformation(input).text).maskings).toEqual([]);
  });

  test('every kind has a Chinese label', () => {
    const kinds: PiiKind[] = ['idCard', 'mobile', 'landline', 'bankCard', 'email', 'address', 'birthDate'];
    expect(Object.keys(PII_LABELS).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) expect(PII_LABELS[kind]).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(PII_LABELS.idCard).toBe('身份证号码');
  });
});

describe('maskPersonalInformation on random text', () => {
  /** Seeded so a failure can be replayed. */
  function mulberry32(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const alphabet = [
    ...'0123456789012345678901234567890123456789',
    ...'的市区县路街道号楼栋室单元小巷弄胡同我在住第条年元转分机',
    ...'abcxyzXEXT@.+-_ ()（）１２＠－\u3000',
    '\u{20000}',
  ];
  const fragments = [ID_A, ID_X, CARD_16, CARD_19, '13800138000', '+86 ', '010-', '(0371)', '010-12345678', '（0371）6123456转', 'a@b.cn', '建国路88号', '小区5号楼'];

  test('never throws; maskings are sorted, disjoint, in bounds, and the rest of the text is kept', () => {
    const random = mulberry32(20261121);
    for (let round = 0; round < 3000; round++) {
      let input = '';
      const length = Math.floor(random() * 300);
      while (input.length < length) {
        input += random() < 0.05 ? fragments[Math.floor(random() * fragments.length)] : alphabet[Math.floor(random() * alphabet.length)];
      }
      const { text, maskings } = maskPersonalInformation(input);
      let previousEnd = 0;
      let outputAt = 0;
      for (const m of maskings) {
        expect(Object.keys(PII_LABELS)).toContain(m.kind);
        expect(m.start).toBeGreaterThanOrEqual(previousEnd);
        expect(m.end).toBeGreaterThan(m.start);
        expect(m.end).toBeLessThanOrEqual(input.length);
        // Every replacement contains a '*'; the text between maskings must come through in order.
        const kept = input.slice(previousEnd, m.start);
        const keptAt = text.indexOf(kept, outputAt);
        expect(previousEnd === 0 ? keptAt === 0 : keptAt >= outputAt).toBe(true);
        const star = text.indexOf('*', keptAt + kept.length);
        expect(star).toBeGreaterThanOrEqual(0);
        outputAt = star + 1;
        previousEnd = m.end;
      }
      const tail = input.slice(previousEnd);
      expect(text.endsWith(tail) && text.length - tail.length >= outputAt).toBe(true);
      if (maskings.length === 0) expect(text).toBe(input);
    }
  });
});
