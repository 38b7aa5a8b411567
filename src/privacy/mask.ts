/**
 * R16: ID card numbers, home addresses, bank account numbers, birth dates, phone numbers, e-mail
 * addresses and the like are de-identified (去标识化) in every public comment before it is
 * published. This module finds them in free text and masks them, and applies what a reviewer
 * marked by hand; it is pure so it can run on every comment.
 *
 * Detection errs on the side of the person (R16): an 18-character ID number with a plausible
 * birth date is masked even when its check character is wrong — it is still someone's number,
 * mistyped — unless it passes the bank-card check, in which case it is masked as a card.
 *
 * Replacement formats — each keeps a hint of the shape so readers still see what was said,
 * never enough to recover the value:
 *   idCard    first 6 + stars + last 4, length kept    110101********4258 / 110101*****1234 (15-digit)
 *   mobile    first 3 + **** + last 4, prefix dropped  138****8000
 *   landline  area code + -**** + last 2 digits         010-****78   (brackets and extension dropped:
 *             an extension next to the last digits would narrow the number down again)
 *   bankCard  **** **** **** + last 4                   **** **** **** 0123
 *   email     first character of the local part         z***@example.com (the domain alone names
 *             + ***@ + domain                          no one and tells readers it was an address)
 *   address   everything up to and including the road   朝阳区建国路***
 *             or estate name, the house number part
 *             (号/栋/单元/室…) becomes ***
 *   birthDate every digit and Chinese numeral a star,   ****年*月*日 / ****-**-** / ****年**月**日
 *             the rest kept
 *   manual    *** (a reviewer's redaction; see below)
 * A masking's offsets always cover the whole original value (prefixes, separators, extension
 * included), even where the replacement keeps part of it.
 *
 * Full-width digits and Latin letters (１３８…, ＠) are common from Chinese input methods; they
 * are read as their ASCII forms (one UTF-16 unit each, so offsets are unchanged) and masks
 * are written in ASCII.
 *
 * Birth dates: a date in a comment is either a person's birth date or a date of the policy —
 * an effective date, a deadline, the date of a law quoted. R16 errs on the side of the person,
 * so a date is masked
 *   - in any form (full date, year and month, year), when the text around it says it is a
 *     birth date: 出生, 生日, 生于, 生辰 shortly before it, 出生, 生人 or a bare 生 right after it
 *     (1985年3月2日出生, 出生日期：1985-03-02, 生于1985年);
 *   - as a full date (year, month and day: 1985年3月2日, 1985-03-02, 1985.3.2, 1985/3/2,
 *     一九八五年三月二日) also without such words, when it lies at least 16 years back — the age
 *     from which every resident must hold an ID card (居民身份证法 art. 2), so the birth date of
 *     anyone who comments on their own behalf.
 * The price is that an older date of the policy text quoted in a comment is masked too
 * (《价格法》1997年12月29日通过 reads ****年**月**日); readers lose a date they can look up in
 * the law, against a person's birth date that cannot be taken back once published. Dates of the
 * last 16 years and future dates — the draft's own dates — are left alone without birth words.
 *
 * Not detected, because free text gives no reliable signal and false hits would mangle policy
 * text: medical details, names, landlines without an area code, addresses without a
 * road/estate name followed by a house number (号). What patterns cannot find, a reviewer
 * redacts by hand (R16): `maskPersonalInformation` takes those spans of the original text and
 * masks them as *** whatever else is found there, merged with any masking they overlap.
 */

export type PiiKind = 'idCard' | 'mobile' | 'landline' | 'bankCard' | 'email' | 'address' | 'birthDate';

export interface Masking {
  kind: PiiKind;
  /** Offsets in the original string, UTF-16 code units, end exclusive. */
  start: number;
  end: number;
}

/** A span of the original text a reviewer marked as personal data: UTF-16 offsets, end exclusive. */
export interface Redaction {
  start: number;
  end: number;
}

/**
 * A masked stretch: `start`..`end` of the original became `from`..`to` of the masked text.
 * Text between regions is kept as it was, so the regions map any position of one text onto
 * the other (see `originalSpan`).
 */
export interface MaskedRegion {
  start: number;
  end: number;
  from: number;
  to: number;
  /** True where a reviewer's redaction is part of it. */
  manual: boolean;
}

export interface MaskResult {
  text: string;
  /** What the patterns found (not the reviewers' redactions), in order. */
  maskings: Masking[];
  regions: MaskedRegion[];
}

export const PII_LABELS: Record<PiiKind, string> = Object.freeze({
  idCard: '身份证号码',
  mobile: '手机号码',
  landline: '固定电话号码',
  bankCard: '银行卡号',
  email: '电子邮箱地址',
  address: '住址',
  birthDate: '出生日期',
});

/** What a reviewer's redaction replaces the marked text with. */
export const REDACTED = '***';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const today = { value: '', until: 0 };

/**
 * Today as YYYYMMDD in China Standard Time, where the birth dates were recorded. Kept for a
 * minute: every date and ID number of every comment asks, and a minute late at midnight
 * changes nothing a birth date could mean.
 */
function todayCst(): string {
  const now = Date.now();
  if (now >= today.until) {
    today.value = new Date(now + CST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
    today.until = now + 60_000;
  }
  return today.value;
}

const ID18_SHAPE = /^\d{17}[\dXx]$/;

/** A real date from 1 January 1900 to today (CST), as a person's birth date must be. */
function plausibleBirthDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || !isRealDate(year, month, day)) return false;
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}` <= todayCst();
}
const ID15_SHAPE = /^[1-8]\d{14}$/;

/**
 * An 18-digit resident ID with a valid ISO 7064 MOD 11-2 check character and a real birth date
 * from 1900 to today, or a legacy 15-digit ID (born 19YY) with a real date. The 18-digit form
 * is not restricted by region code because foreigners' permanent residence IDs share it.
 */
export function isValidChineseIdCard(id: string): boolean {
  if (ID18_SHAPE.test(id)) {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i];
    if (ID_CHECK_CHARS[sum % 11] !== id[17].toUpperCase()) return false;
    return plausibleBirthDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
  }
  if (ID15_SHAPE.test(id)) {
    // Legacy IDs carry no check digit, so a plausible region and birth date is all there is.
    return isRealDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
  }
  return false;
}

/**
 * R16: 18 characters shaped like a resident ID with a plausible birth date but a wrong check
 * character — a mistyped ID number, still someone's.
 */
export function isMistypedChineseIdCard(id: string): boolean {
  return ID18_SHAPE.test(id) && !isValidChineseIdCard(id) && plausibleBirthDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/*
 * Every pattern is compiled once and is linear: fixed-size digit groups, digit boundaries by
 * lookaround (\b is useless next to Chinese characters, which count as non-word), and no nested
 * unbounded quantifiers over overlapping character classes.
 */
const ID_CARD = /(?<!\d)(?:\d{6}([ -]?)\d{8}\1\d{3}[\dXx]|\d{15})(?!\d)/g;
// A run followed by X is an ID with a bad check digit, never a card.
const BANK_CARD = /(?<!\d)(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{16,19})(?![\dXx])/g;
// Separators are not required to match each other: people type phone numbers loosely.
const MOBILE = /(?<!\d)(?:(?:\+|00)?86[ -]?|0)?(1[3-9]\d)[ -]?\d{4}[ -]?\d{4}(?!\d)/g;
// 3-digit area codes are 010 and 02x, all others 0[3-9]xx: spelled out so "01012345678" splits as 010 + 12345678.
const AREA_CODE = '0(?:10|2\\d|[3-9]\\d{2})';
const LANDLINE = new RegExp(
  `(?<!\\d)(?:[(（](${AREA_CODE})[)）] ?|(${AREA_CODE})[ -]?)([1-9]\\d{2,3}[ -]?\\d{4})` +
    `(?: ?(?:转|分机|[Ee][Xx][Tt]\\.?|-|#) ?\\d{1,6})?(?!\\d)`,
  'g',
);
// The lookbehind keeps a failed local part from being rescanned from each of its characters.
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
// Anchored on "road-like word + house number + 号" so policy text ("第十二条", "各区街道") never
// matches; the name in front of the road is found by walking back (see findAddresses). A lane
// number ("建国西路285弄3号") counts as part of the house number: it narrows the address down.
const ADDRESS_ANCHOR =
  /(大道|大街|胡同|小区|新村|花园|公寓|大厦|路|街|巷|弄|里|村|苑)(?:\d{1,5}[弄巷])?(?:\d{1,5}(?:-\d{1,4})?|[一二三四五六七八九十百零〇两]{1,4})号(?!线)(?:楼|院)?(?:(?:\d{1,5}|[A-Za-z]|[一二三四五六七八九十]{1,3})(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|户)){0,6}/g;

/** Longest run of place-name characters taken in front of a road name. */
const ADDRESS_NAME_MAX = 24;
/** Function words that end a place name when walking back ("我住在|朝阳区建国路…"). */
const NOT_PLACE_NAME = new Set(Array.from('的了在是住于我你他她它们这那到从往至址即为请给把被与及或也就还要将', (c) => c.charCodeAt(0)));

function isPlaceNameChar(code: number): boolean {
  return code >= 0x4e00 && code <= 0x9fff && !NOT_PLACE_NAME.has(code);
}

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/g;
const HAS_FULL_WIDTH = /[\uff01-\uff5e\u3000]/;
const HAS_DIGIT = /\d/;

function toHalfWidth(text: string): string {
  if (!HAS_FULL_WIDTH.test(text)) return text;
  return text.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

interface Candidate extends Masking {
  replacement: string;
}

type Detector = (norm: string, original: string, out: Candidate[]) => void;

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

const findIdCards: Detector = (norm, _original, out) => {
  ID_CARD.lastIndex = 0;
  for (let m = ID_CARD.exec(norm); m; m = ID_CARD.exec(norm)) {
    const id = m[0].replace(/[ -]/g, '');
    // A mistyped number that passes the bank-card check is read as a card (masked all the same).
    if (!isValidChineseIdCard(id) && !(isMistypedChineseIdCard(id) && !luhnValid(id))) continue;
    const stars = '*'.repeat(id.length - 10);
    out.push({ kind: 'idCard', start: m.index, end: m.index + m[0].length, replacement: id.slice(0, 6) + stars + id.slice(-4).toUpperCase() });
  }
};

const findBankCards: Detector = (norm, _original, out) => {
  BANK_CARD.lastIndex = 0;
  for (let m = BANK_CARD.exec(norm); m; m = BANK_CARD.exec(norm)) {
    const digits = digitsOf(m[0]);
    if (!luhnValid(digits) || isValidChineseIdCard(digits)) continue;
    out.push({ kind: 'bankCard', start: m.index, end: m.index + m[0].length, replacement: `**** **** **** ${digits.slice(-4)}` });
  }
};

const findMobiles: Detector = (norm, _original, out) => {
  MOBILE.lastIndex = 0;
  for (let m = MOBILE.exec(norm); m; m = MOBILE.exec(norm)) {
    const digits = digitsOf(m[0]);
    out.push({ kind: 'mobile', start: m.index, end: m.index + m[0].length, replacement: `${m[1]}****${digits.slice(-4)}` });
  }
};

const findLandlines: Detector = (norm, _original, out) => {
  LANDLINE.lastIndex = 0;
  for (let m = LANDLINE.exec(norm); m; m = LANDLINE.exec(norm)) {
    const area = m[1] ?? m[2];
    const local = digitsOf(m[3]);
    out.push({ kind: 'landline', start: m.index, end: m.index + m[0].length, replacement: `${area}-****${local.slice(-2)}` });
  }
};

const findEmails: Detector = (norm, _original, out) => {
  if (!norm.includes('@')) return;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(norm); m; m = EMAIL.exec(norm)) {
    out.push({ kind: 'email', start: m.index, end: m.index + m[0].length, replacement: `${m[1]}***@${m[2]}` });
  }
};

const findAddresses: Detector = (norm, original, out) => {
  if (!norm.includes('号')) return;
  ADDRESS_ANCHOR.lastIndex = 0;
  let previousEnd = 0;
  for (let m = ADDRESS_ANCHOR.exec(norm); m; m = ADDRESS_ANCHOR.exec(norm)) {
    const anchor = m.index;
    const floor = Math.max(previousEnd, anchor - ADDRESS_NAME_MAX);
    let start = anchor;
    while (start > floor && isPlaceNameChar(norm.charCodeAt(start - 1))) start--;
    // A bare "路12号" names no road: too weak to call it an address.
    if (start === anchor) continue;
    const end = anchor + m[0].length;
    out.push({ kind: 'address', start, end, replacement: `${original.slice(start, anchor + m[1].length)}***` });
    previousEnd = end;
  }
};

/** Today less 16 years as YYYYMMDD (CST): full dates up to it are masked without birth words. */
function sixteenYearsAgoCst(): string {
  const day = todayCst();
  return `${Number(day.slice(0, 4)) - 16}${day.slice(4)}`;
}

const CHINESE_DIGITS: Record<string, number> = Object.fromEntries(Array.from('〇○零一二三四五六七八九', (ch, i) => [ch, Math.max(0, i - 2)]));

/** 一…九, 十, 十一…十九, 二十…三十一: how months and days are written; NaN for anything else. */
function chineseSmallNumber(s: string): number {
  const ten = s.indexOf('十');
  if (ten === -1) return s.length === 1 ? (CHINESE_DIGITS[s] ?? NaN) : NaN;
  if (ten !== s.lastIndexOf('十') || s.length > 3) return NaN;
  const tens = ten === 0 ? 1 : s.length >= 2 && ten === 1 ? (CHINESE_DIGITS[s[0]] ?? NaN) : NaN;
  const ones = ten === s.length - 1 ? 0 : (CHINESE_DIGITS[s[ten + 1]] ?? NaN);
  return tens > 0 && ones >= 0 ? tens * 10 + ones : NaN;
}

/** 一九八五 → 1985: a year written digit by digit. */
function chineseYear(s: string): number {
  let year = 0;
  for (const ch of s) year = year * 10 + (CHINESE_DIGITS[ch] ?? NaN);
  return year;
}

type DateParts = { year: number; month: number | null; day: number | null };

/**
 * Date forms, most complete first: where a year starts, the first form that reads as a birth
 * date to mask wins. `full`: year, month and day, masked also without birth words when old
 * enough; the others only beside birth words.
 */
const DATE_FORMS: Array<{ pattern: RegExp; full: boolean; parts: (m: RegExpExecArray) => DateParts }> = ([
  {
    pattern: /(?<!\d)((?:19|20)\d{2}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号](?!\d)/g,
    full: true,
    parts: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    pattern: /(?<![\d./-])((?:19|20)\d{2})([-./])(\d{1,2})\2(\d{1,2})(?!\d|[./-]\d)/g,
    full: true,
    parts: (m) => ({ year: Number(m[1]), month: Number(m[3]), day: Number(m[4]) }),
  },
  {
    pattern: /([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})[日号]/g,
    full: true,
    parts: (m) => ({ year: chineseYear(m[1]), month: chineseSmallNumber(m[2]), day: chineseSmallNumber(m[3]) }),
  },
  {
    pattern: /(?<!\d)((?:19|20)\d{2}) ?年 ?(\d{1,2}) ?月(?! ?\d)/g,
    full: false,
    parts: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: null }),
  },
  {
    pattern: /([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月(?![一二三四五六七八九十])/g,
    full: false,
    parts: (m) => ({ year: chineseYear(m[1]), month: chineseSmallNumber(m[2]), day: null }),
  },
  {
    pattern: /(?<![\d./-])((?:19|20)\d{2})([-./])(\d{1,2})(?!\d|[./-]\d)/g,
    full: false,
    parts: (m) => ({ year: Number(m[1]), month: Number(m[3]), day: null }),
  },
  {
    // 出生日期19850302, as forms ask for it.
    pattern: /(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)/g,
    full: false,
    parts: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }),
  },
  {
    pattern: /(?<!\d)((?:19|20)\d{2}) ?年(?![ \d]*月)/g,
    full: false,
    parts: (m) => ({ year: Number(m[1]), month: null, day: null }),
  },
  {
    pattern: /([〇○零一二三四五六七八九]{4})年(?![一二三四五六七八九十]+月)/g,
    full: false,
    parts: (m) => ({ year: chineseYear(m[1]), month: null, day: null }),
  },
] as Array<{ pattern: RegExp; full: boolean; parts: (m: RegExpExecArray) => DateParts }>).map((form) => ({
  ...form,
  // Tried only where a year starts (YEAR_STARTS), so each is sticky there.
  pattern: new RegExp(form.pattern.source, 'y'),
}));

/** Where a date can start: a year in digits or in numerals before 年. */
const YEAR_STARTS = /(?<!\d)(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}(?=年)/g;


/** Birth words shortly before a date, within the same sentence: 出生日期：, 生日是, 生于. */
const BIRTH_BEFORE = /(?:出生|生日|生于|生辰)[^。！？；!?;\n\d]{0,8}$/;
/** Right after it: 出生, 生人, or 生 on its own (1985年生，…) — not 生效, 生活, 生产…. */
const BIRTH_AFTER = /^ ?(?:出生|生人|生(?=$|[的，。、,.;；!！?？\s]))/;
const DATE_HINT = /[年\d]/;
const STARRED = /[0-9０-９〇○零一二三四五六七八九十]/g;

/** Whether the given parts can be a person's birth date, up to today. */
function couldBeBorn({ year, month, day }: DateParts): boolean {
  if (!(year >= 1900)) return false;
  if (month === null) return year <= Number(todayCst().slice(0, 4));
  if (day === null) return month >= 1 && month <= 12 && plausibleBirthDate(year, month, 1);
  return plausibleBirthDate(year, month, day);
}

/** At each place a year starts, the most complete date form that is a birth date to mask. */
const findBirthDates: Detector = (norm, original, out) => {
  if (!DATE_HINT.test(norm)) return;
  const limit = sixteenYearsAgoCst();
  YEAR_STARTS.lastIndex = 0;
  for (let y = YEAR_STARTS.exec(norm); y; y = YEAR_STARTS.exec(norm)) {
    const start = y.index;
    for (const form of DATE_FORMS) {
      form.pattern.lastIndex = start;
      const m = form.pattern.exec(norm);
      if (!m) continue;
      const parts = form.parts(m);
      if (!couldBeBorn(parts)) continue;
      const end = start + m[0].length;
      const saysBirth = BIRTH_BEFORE.test(norm.slice(Math.max(0, start - 12), start)) || BIRTH_AFTER.test(norm.slice(end, end + 3));
      const longAgo =
        form.full && `${parts.year}${String(parts.month).padStart(2, '0')}${String(parts.day).padStart(2, '0')}` <= limit;
      if (!saysBirth && !longAgo) continue;
      out.push({ kind: 'birthDate', start, end, replacement: original.slice(start, end).replace(STARRED, '*') });
      YEAR_STARTS.lastIndex = end;
      break;
    }
  }
};

/** In priority order: an earlier kind wins any overlap. */
const DIGIT_DETECTORS: Detector[] = [findIdCards, findBankCards, findMobiles, findLandlines];

function checkRedactions(text: string, redactions: readonly Redaction[]): void {
  const splitsPair = (at: number) => at > 0 && at < text.length && /[\ud800-\udbff]/.test(text[at - 1]) && /[\udc00-\udfff]/.test(text[at]);
  for (const r of redactions) {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start < r.end && r.end <= text.length)) {
      throw new RangeError(`redaction ${r.start}..${r.end} is not a span of a text of ${text.length} units`);
    }
    if (splitsPair(r.start) || splitsPair(r.end)) throw new RangeError(`redaction ${r.start}..${r.end} splits a character`);
  }
}

/**
 * Masks the personal information the patterns find and the spans reviewers redacted by hand
 * (offsets in `text`). Overlapping maskings become one: as *** where a redaction is among
 * them, else with the pattern's replacement.
 */
export function maskPersonalInformation(text: string, redactions: readonly Redaction[] = []): MaskResult {
  checkRedactions(text, redactions);
  const norm = toHalfWidth(text);
  const candidates: Candidate[] = [];
  if (HAS_DIGIT.test(norm)) for (const detect of DIGIT_DETECTORS) detect(norm, text, candidates);
  findBirthDates(norm, text, candidates);
  findEmails(norm, text, candidates);
  findAddresses(norm, text, candidates);
  if (candidates.length === 0 && redactions.length === 0) return { text, maskings: [], regions: [] };

  // Marking taken units keeps this linear: candidates of one kind rarely overlap each other.
  const taken = new Uint8Array(text.length);
  const accepted: Candidate[] = [];
  for (const c of candidates) {
    let free = true;
    for (let i = c.start; i < c.end && free; i++) free = taken[i] === 0;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    accepted.push(c);
  }
  accepted.sort((a, b) => a.start - b.start);

  const spans = [
    ...accepted.map((c) => ({ start: c.start, end: c.end, replacement: c.replacement, manual: false })),
    ...redactions.map((r) => ({ start: r.start, end: r.end, replacement: REDACTED, manual: true })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const groups: typeof spans = [];
  for (const span of spans) {
    const last = groups[groups.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      last.manual = last.manual || span.manual;
      last.replacement = REDACTED;
    } else groups.push({ ...span });
  }

  let masked = '';
  let cursor = 0;
  const regions: MaskedRegion[] = [];
  for (const g of groups) {
    masked += text.slice(cursor, g.start);
    const from = masked.length;
    masked += g.replacement;
    regions.push({ start: g.start, end: g.end, from, to: masked.length, manual: g.manual });
    cursor = g.end;
  }
  masked += text.slice(cursor);
  return { text: masked, maskings: accepted.map(({ kind, start, end }) => ({ kind, start, end })), regions };
}

/**
 * The span of the original text behind `from`..`to` of the masked one (UTF-16 offsets): kept
 * text maps one to one, and a span touching a masked region takes in all of what it masks.
 */
export function originalSpan(regions: readonly MaskedRegion[], from: number, to: number): Redaction {
  const toOriginal = (position: number, side: 'start' | 'end'): number => {
    let delta = 0;
    for (const r of regions) {
      if (side === 'start' ? position < r.from : position <= r.from) break;
      if (side === 'start' ? position < r.to : position <= r.to) return side === 'start' ? r.start : r.end;
      delta = r.end - r.to;
    }
    return position + delta;
  };
  return { start: toOriginal(from, 'start'), end: toOriginal(to, 'end') };
}
