/**
 * Text that is not valid Unicode is refused whole, with 400 MALFORMED_TEXT and nothing written
 * (issue 12, item 9): invalid UTF-8 bytes in JSON bodies, lone surrogates in JSON strings, bad
 * percent-escapes in url-encoded forms (public and console) and in query strings. Valid Chinese,
 * emoji outside the BMP, combining marks — and a U+FFFD someone actually typed — go through
 * exactly as sent.
 */
import request from 'supertest';
import { percentDecodedIsUtf8 } from '../../src/web/text';
import { consoleSessions } from '../support/console';
import { consultationRequest, drive, filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
let open: string;
beforeAll(async () => {
  h = await startHarness();
  open = await filingAt(h, [], { body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。' });
  await drive(h, open, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
  ]);
});
afterAll(async () => {
  await h.close();
});

const signIn = consoleSessions(() => h);
const comments = () => h.models.Comment.countDocuments({}).exec();
const filings = () => h.models.Filing.countDocuments({}).exec();
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** Text a person may well send: it must arrive exactly as typed. */
const VALID_TEXT = [
  '建议将老年人免费乘车年龄调整为六十五周岁。',
  '支持！👍🏻 交通更便利了 🚌🇨🇳 👨‍👩‍👧‍👦 𠀀𪚥（扩展B区汉字）',
  'Café e\u0301 n\u0303 a\u0308\u0301 — 组合字符',
  '我输入了一个替换字符\uFFFD，它是合法字符。',
];

/** Bytes that are not UTF-8, each inside an otherwise valid JSON string. */
const INVALID_UTF8: Array<[string, number[]]> = [
  ['a stray 0xFF', [0xff]],
  ['a truncated sequence', [0xe4, 0xb8]],
  ['an overlong slash', [0xc0, 0xaf]],
  ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
  ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['a lone continuation byte', [0x80]],
];

/**
 * The body as these very bytes: superagent would serialise a Buffer as JSON (`{"type":"Buffer"…}`)
 * under a JSON content type, so its serialiser is told to leave it be.
 */
const raw = (test: request.Test, type: string, body: Buffer) => test.set('Content-Type', type).serialize((b: unknown) => b as string).send(body);

describe('JSON bodies', () => {
  const postRaw = (path: string, body: Buffer, type = 'application/json') => raw(request(h.app).post(path), type, body);

  test.each(INVALID_UTF8)('a comment with %s is refused and not stored', async (_name, bad) => {
    const before = await comments();
    const res = await postRaw(`/public/consultations/${open}/comments`, bytes('{"body": "意见', bad, '内容"}'));
    expect({ status: res.status, code: res.body.error?.code, source: res.body.error?.source }).toEqual({ status: 400, code: 'MALFORMED_TEXT', source: 'body' });
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await comments()).toBe(before);
  });

  test.each([
    ['a lone high surrogate', '{"body": "意见\\ud800内容"}', 'body'],
    ['a lone low surrogate', '{"body": "\\uDC00意见"}', 'body'],
    ['a reversed pair', '{"body": "意见\\udc00\\ud800"}', 'body'],
    ['a high surrogate at the end', '{"body": "意见", "name": "张\\ud83d"}', 'name'],
    ['a lone surrogate in a key', '{"body": "意见", "\\ud800": 1}', '\ud800'],
  ])('a comment with %s is refused and not stored', async (_name, json, field) => {
    const before = await comments();
    const res = await postRaw(`/public/consultations/${open}/comments`, Buffer.from(json, 'utf8'));
    expect({ status: res.status, code: res.body.error?.code, field: res.body.error?.field }).toEqual({ status: 400, code: 'MALFORMED_TEXT', field });
    expect(await comments()).toBe(before);
  });

  test('valid Chinese, emoji, combining marks and an escaped surrogate pair are stored as sent', async () => {
    for (const text of VALID_TEXT) {
      const res = await postRaw(`/public/consultations/${open}/comments`, Buffer.from(JSON.stringify({ body: text }), 'utf8'));
      expect(res.status).toBe(201);
      const stored = await h.models.Comment.findOne({ receipt: res.body.receipt }).lean().exec();
      expect(stored?.body).toBe(text);
    }
    const escaped = await postRaw(`/public/consultations/${open}/comments`, Buffer.from('{"body": "表情\\ud83d\\ude00与\\u4e2d文"}', 'utf8'));
    expect(escaped.status).toBe(201);
    expect((await h.models.Comment.findOne({ receipt: escaped.body.receipt }).lean().exec())?.body).toBe('表情😀与中文');
  });

  test('UTF-16 bodies that say so are decoded strictly; other charsets are refused', async () => {
    const utf16 = Buffer.from(JSON.stringify({ body: '以UTF-16发送的意见😀' }), 'utf16le');
    const ok = await postRaw(`/public/consultations/${open}/comments`, utf16, 'application/json; charset=utf-16le');
    expect(ok.status).toBe(201);
    expect((await h.models.Comment.findOne({ receipt: ok.body.receipt }).lean().exec())?.body).toBe('以UTF-16发送的意见😀');
    const before = await comments();
    // 0xD800 as a UTF-16LE code unit with nothing after it.
    const lone = Buffer.concat([Buffer.from('{"body": "意见', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('"}', 'utf16le')]);
    const bad = await postRaw(`/public/consultations/${open}/comments`, lone, 'application/json; charset=utf-16le');
    expect({ status: bad.status, code: bad.body.error?.code }).toEqual({ status: 400, code: 'MALFORMED_TEXT' });
    const utf32 = await postRaw(`/public/consultations/${open}/comments`, Buffer.from('{"body": "x"}'), 'application/json; charset=utf-32');
    expect({ status: utf32.status, code: utf32.body.error?.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await comments()).toBe(before);
  });

  test('the staff API refuses them too: no filing is opened, no event is applied', async () => {
    const before = await filings();
    const auth = `Bearer ${h.tokens.drafter}`;
    const created = await raw(request(h.app).post('/filings').set('Authorization', auth), 'application/json', bytes('{"title": "关于', [0xff, 0xfe], '的通知", "body": "第一条"}'));
    expect({ status: created.status, code: created.body.error?.code }).toEqual({ status: 400, code: 'MALFORMED_TEXT' });
    const surrogate = await raw(request(h.app).post('/filings').set('Authorization', auth), 'application/json', Buffer.from('{"title": "关于\\udfff的通知", "body": "第一条"}'));
    expect({ status: surrogate.status, code: surrogate.body.error?.code, field: surrogate.body.error?.field }).toEqual({ status: 400, code: 'MALFORMED_TEXT', field: 'title' });
    expect(await filings()).toBe(before);

    const { version } = (await h.as('drafter').get(`/filings/${open}`)).body;
    const extension = (reason: string) =>
      raw(request(h.app).post(`/filings/${open}/events`).set('Authorization', auth), 'application/json', Buffer.from(`{"type": "EXTEND_CONSULTATION", "version": ${version}, "reason": "${reason}", "endsAt": "${new Date(Date.now() + 40 * 86_400_000).toISOString()}"}`));
    const event = await extension('\\ud800');
    expect({ status: event.status, code: event.body.error?.code, field: event.body.error?.field }).toEqual({ status: 400, code: 'MALFORMED_TEXT', field: 'reason' });
    expect((await h.as('drafter').get(`/filings/${open}`)).body.version).toBe(version);
    // The same command with a well-formed reason is taken: it was the text that was refused.
    expect((await extension('应企业请求延长 \\ud83d\\ude4f')).status).toBe(200);
  });
});

describe('url-encoded forms', () => {
  async function commentForm(): Promise<{ cookie: string; token: string }> {
    const res = await request(h.app).get(`/consultations/${open}/comment`);
    return { cookie: String(res.headers['set-cookie'][0]).split(';')[0], token: /name="_csrf" value="([0-9a-f]{64})"/.exec(res.text)?.[1] ?? '' };
  }
  const postForm = (cookie: string, body: string | Buffer) =>
    raw(request(h.app).post(`/consultations/${open}/comment`).set('Cookie', cookie), 'application/x-www-form-urlencoded', Buffer.from(body));

  test.each([
    ['%FF', 'body=%E6%84%8F%FF%E8%A7%81'],
    ['a percent-encoded surrogate', 'body=%ED%A0%80'],
    ['a truncated sequence', 'body=%E4%B8'],
    ['an overlong encoding', 'body=%C0%AF'],
    ['a bad byte in the name', 'body=%E6%84%8F%E8%A7%81&name=%FE'],
  ])('the public comment form with %s is refused with a page, and nothing is stored', async (_name, fields) => {
    const { cookie, token } = await commentForm();
    const before = await comments();
    const res = await postForm(cookie, `_csrf=${token}&${fields}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('无效的字符编码');
    expect(await comments()).toBe(before);
  });

  test('raw bytes that are not UTF-8 are refused as well', async () => {
    const { cookie, token } = await commentForm();
    const before = await comments();
    const res = await postForm(cookie, bytes(`_csrf=${token}&body=`, [0xe6, 0x84, 0x8f, 0xff]));
    expect(res.status).toBe(400);
    expect(await comments()).toBe(before);
  });

  test('valid text arrives as typed, percent-encoded as a browser sends it', async () => {
    for (const text of VALID_TEXT) {
      const { cookie, token } = await commentForm();
      const res = await postForm(cookie, `_csrf=${token}&article=&body=${encodeURIComponent(text)}&name=&email=`);
      expect(res.status).toBe(303);
      const receipt = String(res.headers.location).split('/').at(-1);
      expect((await h.models.Comment.findOne({ receipt }).lean().exec())?.body).toBe(text);
    }
  });

  test('console forms: nothing is opened from a form with %FF or an encoded surrogate', async () => {
    const agent = await signIn('drafter');
    const page = await agent.get('/console/filings/new').expect(200);
    const token = /name="_csrf" value="([0-9a-f]{64})"/.exec(page.text)?.[1] ?? '';
    const before = await filings();
    for (const title of ['%E5%85%B3%FF', '%ED%B0%80']) {
      const res = await agent.post('/console/filings').set('Content-Type', 'application/x-www-form-urlencoded').send(`_csrf=${token}&title=${title}&body=%E7%AC%AC%E4%B8%80%E6%9D%A1&coDepartments=`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('无效的字符编码');
    }
    expect(await filings()).toBe(before);
    const valid = await agent.post('/console/filings').set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`_csrf=${token}&title=${encodeURIComponent('关于𠀀试点的通知 😀 e\u0301')}&body=${encodeURIComponent('第一条 试行。')}&coDepartments=`);
    expect(valid.status).toBe(303);
    expect(await h.models.Filing.countDocuments({ title: '关于𠀀试点的通知 😀 e\u0301' }).exec()).toBe(1);
  });
});

describe('query strings', () => {
  test('a search or filter that is not UTF-8 is refused: with a page on the site, with JSON on the API', async () => {
    for (const path of ['/consultations?q=%FF', '/documents?q=%E4%B8', '/receipts?code=YJ%ED%A0%80', `/consultations/${open}/comments?article=%C0%AF`]) {
      const res = await request(h.app).get(path);
      expect({ path, status: res.status, html: /^text\/html/.test(String(res.headers['content-type'])) }).toEqual({ path, status: 400, html: true });
      expect(res.text).toContain('无效的字符编码');
    }
    const agent = await signIn('drafter');
    const console = await agent.get('/console?department=%FF');
    expect({ status: console.status, html: /^text\/html/.test(String(console.headers['content-type'])) }).toEqual({ status: 400, html: true });
    for (const path of ['/filings?department=%FF', '/statistics?department=%ED%A0%80&year=2026']) {
      const res = await h.as('clerk').get(path);
      expect({ path, status: res.status, code: res.body.error?.code, source: res.body.error?.source }).toEqual({ path, status: 400, code: 'MALFORMED_TEXT', source: 'query' });
    }
    const publicApi = await request(h.app).get('/public/consultations?page=%FF');
    expect({ status: publicApi.status, code: publicApi.body.error?.code }).toEqual({ status: 400, code: 'MALFORMED_TEXT' });
  });

  test('valid queries still work, a stray % included', async () => {
    for (const path of [`/consultations?q=${encodeURIComponent('票价')}`, `/consultations?q=${encodeURIComponent('😀e\u0301')}`, '/consultations?q=100%', '/documents?q=%zz']) {
      expect({ path, status: (await request(h.app).get(path)).status }).toEqual({ path, status: 200 });
    }
    expect((await h.as('clerk').get(`/filings?department=${encodeURIComponent('市发展和改革委员会')}`)).status).toBe(200);
  });
});

test('percent-decoded bytes are checked as UTF-8', () => {
  const check = (text: string) => percentDecodedIsUtf8(Buffer.from(text, 'latin1'));
  expect(check('a=%E4%B8%AD&b=%F0%9F%98%80+c')).toBe(true);
  expect(check('a=100%&b=%zz&c=%4')).toBe(true);
  expect(check('')).toBe(true);
  expect(check('a=%E4%B8')).toBe(false);
  // A multi-byte sequence split by a separator is broken in each half.
  expect(check('a=%E4&b=%B8%AD')).toBe(false);
  expect(check('a=%ed%a0%80')).toBe(false);
  expect(check('a=%fF')).toBe(false);
});
