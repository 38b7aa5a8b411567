/**
 * A comment is stored once however often it is sent (issue 12, item 2): the public form answers
 * with a redirect to its receipt page (POST → 303 → GET), posting the same rendered form again
 * returns the first receipt, and so does the JSON API for a repeated `Idempotency-Key`. A key
 * reused for a different comment is refused. Counts feed the adoption report (R11) and the
 * statistics (R20), so a doubled comment would be counted twice.
 */
import { Types } from 'mongoose';
import request from 'supertest';
import { consultationRequest, drive, filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function openConsultation(title = '关于调整城市公共交通票价的方案'): Promise<string> {
  const id = await filingAt(h, [], {
    title,
    body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。\n第三条 老年人继续免费乘车。',
  });
  await drive(h, id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
  ]);
  return id;
}

const stored = (id: string) => h.models.Comment.countDocuments({ filingId: id }).exec();
/** The round's comment count as the pages and the report's figures read it (intake's counters). */
const counted = async (id: string) => [...(await h.services.comments.countsByArticle(new Types.ObjectId(id), 1)).values()].reduce((a, b) => a + b, 0);

/** A browser's view of the comment form: its CSRF cookie and the form's own token. */
async function openForm(id: string, cookie?: string): Promise<{ cookie: string; token: string; res: request.Response }> {
  const req = request(h.app).get(`/consultations/${id}/comment`);
  const res = await (cookie ? req.set('Cookie', cookie) : req);
  expect(res.status).toBe(200);
  const token = /name="_csrf" value="([0-9a-f]{64})"/.exec(res.text)?.[1] ?? '';
  return { cookie: cookie ?? String(res.headers['set-cookie'][0]).split(';')[0], token, res };
}

const postForm = (id: string, cookie: string, fields: Record<string, string>) =>
  request(h.app).post(`/consultations/${id}/comment`).set('Cookie', cookie).type('form').send(fields);

describe('the public comment form', () => {
  test('answers with a redirect to the receipt page, which shows the masked comment and no contact details', async () => {
    const id = await openConsultation();
    const { cookie, token } = await openForm(id);
    const posted = await postForm(id, cookie, {
      _csrf: token,
      article: '2',
      body: '建议分步调整票价。联系电话13800138000。',
      name: '王小明',
      email: 'wang.xiaoming@example.com',
    });
    expect(posted.status).toBe(303);
    const location = String(posted.headers.location);
    expect(location).toMatch(new RegExp(`^/consultations/${id}/receipt/YJ[0-9A-Z]{10}$`));
    const receipt = location.split('/').at(-1) as string;

    const page = await request(h.app).get(location);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('意见已提交');
    expect(page.text).toContain(receipt);
    expect(page.text).toContain('第2条');
    expect(page.text).toContain('关于调整城市公共交通票价的方案');
    // R16: as the public will see it; the name and the address stay with the department.
    expect(page.text).toContain('138****8000');
    expect(page.text).not.toContain('13800138000');
    expect(page.text).not.toContain('王小明');
    expect(page.text).not.toContain('wang.xiaoming');
    // Reading it again (a reload) stores nothing.
    expect((await request(h.app).get(location)).status).toBe(200);
    expect(await stored(id)).toBe(1);
  });

  test('posting the same form again returns the first receipt and stores nothing more', async () => {
    const id = await openConsultation();
    const { cookie, token } = await openForm(id);
    const fields = { _csrf: token, article: '', body: '希望保留老年人免费乘车政策。', name: '', email: '' };
    const first = await postForm(id, cookie, fields);
    const again = await postForm(id, cookie, fields);
    expect(first.status).toBe(303);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await stored(id)).toBe(1);
    expect(await counted(id)).toBe(1);
  });

  test('two identical posts racing each other store one comment', async () => {
    const id = await openConsultation();
    const { cookie, token } = await openForm(id);
    const fields = { _csrf: token, article: '1', body: '同时提交的同一条意见。', name: '', email: '' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => postForm(id, cookie, fields)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(303));
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    expect(await stored(id)).toBe(1);
    expect(await counted(id)).toBe(1);
  });

  test('each rendered form has its own token: a second form is a second comment', async () => {
    const id = await openConsultation();
    const first = await openForm(id);
    const second = await openForm(id, first.cookie);
    expect(first.token).not.toBe('');
    expect(second.token).not.toBe(first.token);
    // The form page is not kept: from the cache it would carry a token already used.
    expect(first.res.headers['cache-control']).toBe('no-store');
    const fields = { article: '', body: '同一个人有意再提一次的意见。', name: '', email: '' };
    const a = await postForm(id, first.cookie, { ...fields, _csrf: first.token });
    const b = await postForm(id, first.cookie, { ...fields, _csrf: second.token });
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(b.headers.location).not.toBe(a.headers.location);
    expect(await stored(id)).toBe(2);
  });

  test('the same form posted with a different comment is refused, and nothing is stored', async () => {
    const id = await openConsultation();
    const { cookie, token } = await openForm(id);
    const first = await postForm(id, cookie, { _csrf: token, article: '', body: '第一次写的意见。', name: '', email: '' });
    expect(first.status).toBe(303);
    const altered = await postForm(id, cookie, { _csrf: token, article: '', body: '返回后改写的另一条意见。', name: '', email: '' });
    expect(altered.status).toBe(409);
    expect(altered.headers['content-type']).toMatch(/^text\/html/);
    expect(altered.text).toContain('请重新打开意见表单');
    expect(altered.text).not.toContain(String(first.headers.location).split('/').at(-1));
    expect(await stored(id)).toBe(1);
  });

  test('a form whose token came from another browser is still refused', async () => {
    const id = await openConsultation();
    const mine = await openForm(id);
    const theirs = await openForm(id);
    const res = await postForm(id, mine.cookie, { _csrf: theirs.token, article: '', body: '用别人的表单提交。', name: '', email: '' });
    expect(res.status).toBe(403);
    expect(await stored(id)).toBe(0);
  });

  test('a repeat after the period has ended still gets its receipt; a new comment does not', async () => {
    const id = await openConsultation();
    const { cookie, token } = await openForm(id);
    const fields = { _csrf: token, article: '', body: '截止前最后一刻提交的意见。', name: '', email: '' };
    const first = await postForm(id, cookie, fields);
    expect(first.status).toBe(303);
    await drive(h, id, [['system', { type: 'CLOSE_CONSULTATION' }]]);
    const again = await postForm(id, cookie, fields);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    const altered = await postForm(id, cookie, { ...fields, body: '截止后才写的意见。' });
    expect(altered.status).toBe(409);
    expect(altered.text).toContain('请重新打开意见表单');
    // A token of a form rendered elsewhere on the site, for this browser: a new submission.
    const fresh = await openForm(await openConsultation('又一份草案'), cookie);
    const late = await postForm(id, cookie, { ...fields, _csrf: fresh.token });
    expect(late.status).toBe(409);
    expect(late.text).toContain('不在公开征求意见期内');
    expect(await stored(id)).toBe(1);
  });

  test('the receipt page shows a receipt only under the draft it was made on', async () => {
    const id = await openConsultation();
    const other = await openConsultation('另一份草案');
    const { cookie, token } = await openForm(id);
    const posted = await postForm(id, cookie, { _csrf: token, article: '', body: '一条意见。', name: '', email: '' });
    const receipt = String(posted.headers.location).split('/').at(-1) as string;
    for (const path of [
      `/consultations/${other}/receipt/${receipt}`,
      `/consultations/${id}/receipt/YJ0000000000`,
      `/consultations/${id}/receipt/${receipt.toLowerCase()}`,
      `/consultations/not-a-filing/receipt/${receipt}`,
    ]) {
      const res = await request(h.app).get(path);
      expect({ path, status: res.status, html: /^text\/html/.test(String(res.headers['content-type'])) }).toEqual({ path, status: 404, html: true });
      expect(res.text).not.toContain('一条意见。');
    }
    expect((await request(h.app).get(`/consultations/${id.toUpperCase()}/receipt/${receipt}`)).status).toBe(200);
  });
});

describe('the JSON API with Idempotency-Key', () => {
  const post = (id: string, body: Record<string, unknown>, key?: string) => {
    const req = request(h.app).post(`/public/consultations/${id}/comments`);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };

  test('a repeated key returns the first receipt, marked as a replay, and stores one comment', async () => {
    const id = await openConsultation();
    const key = 'b7d0f9a2-4c1e-4f8a-9d3b-2e6c5a1f0e47';
    const body = { article: 3, body: '建议将免费乘车年龄降至65岁。' };
    const first = await post(id, body, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(id, body, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // The structured-field form of the same key is the same key.
    expect((await post(id, body, `"${key}"`)).body.receipt).toBe(first.body.receipt);
    expect(await stored(id)).toBe(1);
    expect(await counted(id)).toBe(1);
    // Only a hash of the key is kept.
    const doc = await h.models.Comment.findOne({ receipt: first.body.receipt }).lean().exec();
    expect(doc?.submissionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(doc)).not.toContain(key);
  });

  test('racing requests with one key store one comment and all get its receipt', async () => {
    const id = await openConsultation();
    const key = 'race-5f2c9e1a7b3d4c6e8f0a';
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(id, { body: '并发重试的意见。' }, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.receipt)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    expect(await stored(id)).toBe(1);
  });

  test('a key reused with a different comment, or on another draft, is refused with 409', async () => {
    const id = await openConsultation();
    const other = await openConsultation('另一份草案');
    const key = 'reused-key-3a9c1e7f5b2d';
    const first = await post(id, { body: '原来的意见。' }, key);
    expect(first.status).toBe(201);
    for (const [target, body] of [
      [id, { body: '换了内容的意见。' }],
      [id, { body: '原来的意见。', article: 1 }],
      [id, { body: '原来的意见。', email: 'someone@example.com' }],
      [other, { body: '原来的意见。' }],
    ] as const) {
      const res = await post(target, body, key);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(JSON.stringify(res.body)).not.toContain(first.body.receipt);
    }
    expect(await stored(id)).toBe(1);
    expect(await stored(other)).toBe(0);
  });

  test('without a key every post is a comment of its own, as before', async () => {
    const id = await openConsultation();
    const a = await post(id, { body: '没有幂等键的意见。' });
    const b = await post(id, { body: '没有幂等键的意见。' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.receipt).not.toBe(b.body.receipt);
    expect(await stored(id)).toBe(2);
  });

  test.each([['short'], ['has spaces in the key 123'], ['clé-d-idempotence-é-2026'], ['with"quote"inside-0123456'], ['x'.repeat(201)], ['']])('an unusable key %j is refused with 400 before anything is stored', async (key) => {
    const id = await openConsultation();
    const res = await post(id, { body: '意见。' }, key);
    expect({ status: res.status, code: res.body.error?.code, field: res.body.error?.field }).toEqual({ status: 400, code: 'VALIDATION_FAILED', field: 'Idempotency-Key' });
    expect(await stored(id)).toBe(0);
  });

  test('the key is held by a unique sparse index, which comments without one stay out of', async () => {
    const indexes = await h.models.Comment.collection.indexes();
    const index = indexes.find((i) => JSON.stringify(i.key) === JSON.stringify({ submissionKey: 1 }));
    expect(index).toMatchObject({ unique: true, sparse: true });
  });

  test('an instance starting on a database that holds comments, keyed and not, builds the index again', async () => {
    const id = await openConsultation();
    await post(id, { body: '无键的意见一。' });
    await post(id, { body: '无键的意见二。' });
    await post(id, { body: '有键的意见。' }, 'restart-check-0123456789');
    await expect(h.models.Comment.createIndexes()).resolves.not.toThrow();
  });
});
