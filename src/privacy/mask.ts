/**
 * R16: ID card numbers, home addresses, bank account numbers, phone numbers, e-mail addresses
 * and the like are de-identified (去标识化) in every public comment before it is published.
 * This module finds them in free text and masks them; it is pure so it can run on every comment.
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
 * A masking's offsets always cover the whole original value (prefixes, separators, extension
 * included), even where the replacement keeps part of it.
 *
 * Full-width digits and Latin letters (１３８…, ＠) are common from Chinese input methods; they
 * are read as their ASCII forms (one UTF-16 unit each, so offsets are unchanged) and masks
 * are written in ASCII.
 *
 * Not detected, because free text gives no reliable signal and false hits would mangle policy
 * text: birth dates on their own, medical details, names, landlines without an area code,
 * addresses without a road/estate name followed by a house number (号).
 */

export type PiiKind = 'idCard' | 'mobile' | 'landline' | 'bankCard' | 'email' | 'address';

export interface Masking {
  kind: PiiKind;
  /** Offsets in the original string, UTF-16 code units, end exclusive. */
  start: number;
  end: number;
}

export interface MaskResult {
  text: string;
  maskings: Masking[];
}

export const PII_LABELS: Record<PiiKind, string> = Object.freeze({
  idCard: '身份证号码',
  mobile: '手机号码',
  landline: '固定电话号码',
  bankCard: '银行卡号',
  email: '电子邮箱地址',
  address: '住址',
});

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Today as YYYYMMDD in China Standard Time, where the birth dates were recorded. */
function todayCst(): string {
  return new Date(Date.now() + CST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

const ID18_SHAPE = /^\d{17}[\dXx]$/;
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
    const birth = id.slice(6, 14);
    const year = Number(birth.slice(0, 4));
    return year >= 1900 && birth <= todayCst() && isRealDate(year, Number(birth.slice(4, 6)), Number(birth.slice(6, 8)));
  }
  if (ID15_SHAPE.test(id)) {
    // Legacy IDs carry no check digit, so a plausible region and birth date is all there is.
    return isRealDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
  }
  return false;
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
    if (!isValidChineseIdCard(id)) continue;
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

/** In priority order: an earlier kind wins any overlap. */
const DIGIT_DETECTORS: Detector[] = [findIdCards, findBankCards, findMobiles, findLandlines];

export function maskPersonalInformation(text: string): MaskResult {
  const norm = toHalfWidth(text);
  const candidates: Candidate[] = [];
  if (HAS_DIGIT.test(norm)) for (const detect of DIGIT_DETECTORS) detect(norm, text, candidates);
  findEmails(norm, text, candidates);
  findAddresses(norm, text, candidates);
  if (candidates.length === 0) return { text, maskings: [] };

  // Candidates of one kind never overlap each other, so marking taken units keeps this linear.
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

  let masked = '';
  let cursor = 0;
  for (const c of accepted) {
    masked += text.slice(cursor, c.start) + c.replacement;
    cursor = c.end;
  }
  masked += text.slice(cursor);
  return { text: masked, maskings: accepted.map(({ kind, start, end }) => ({ kind, start, end })) };
}
