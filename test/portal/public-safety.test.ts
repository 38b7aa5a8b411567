/**
 * Nothing unpublished, unmasked or staff-only ever reaches a public response, and injected
 * markup is shown as text (R15, R16). Forms are protected against forgery.
 */
import request from 'supertest';
import { silentLogger } from '../../src/log';
import { ConsultationCloser } from '../../src/schedule/consultations';
import { consultationRequest, drive, filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const SECRET_DRAFT = '第一条 内部研究稿：拟取消老年人免费乘车。';
// Valid values (ID checksum, Luhn), so masking must catch them rather than pass them by.
const PII = ['11010519491231002X', '13800138000', 'secret.person@example.com', '6222600260001072444'];
const INJECTED = '<script>alert("x")</script><img src=x onerror=alert(1)>';

/** Every public page and public API answer of a filing, as text (all, and the HTML pages alone). */
async function everythingPublic(id: string, receipts: string[]): Promise<{ text: string; html: string }> {
  const paths = [
    '/consultations',
    '/consultations?status=closed',
    `/consultations/${id}`,
    `/consultations/${id}/comments`,
    `/consultations/${id}/comment`,
    '/documents',
    `/documents/${id}`,
    `/reports/${id}/1`,
    '/public/consultations',
    `/public/consultations/${id}`,
    `/public/reports/${id}/1`,
    `/public/reports/${id}/1/csv`,
    `/public/reports/${id}/1/html`,
    ...receipts.flatMap((r) => [`/receipts?code=${r}`, `/public/comments/${r}`]),
  ];
  const bodies = await Promise.all(paths.map((p) => request(h.app).get(p)));
  for (const res of bodies) expect(res.status).toBeLessThan(500);
  const html = bodies.filter((res) => /text\/html/.test(String(res.headers['content-type']))).map((res) => res.text);
  return { text: bodies.map((res) => res.text).join('\n'), html: html.join('\n') };
}

test('a draft is unreachable before clearance, and a document before publication', async () => {
  const id = await filingAt(h, [], { body: SECRET_DRAFT, title: '内部研究中的票价方案' });
  await drive(h, id, [['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }]]);
  const { text: all } = await everythingPublic(id, []);
  expect(all).not.toContain('拟取消老年人免费乘车');
  expect(all).not.toContain('内部研究中的票价方案');
  expect((await request(h.app).get(`/consultations/${id}`)).status).toBe(404);
  expect((await request(h.app).get(`/documents/${id}`)).status).toBe(404);
  expect((await request(h.app).get(`/consultations/${id}`)).text).toContain('页面不存在');
});

test('personal data, contact details and staff fields never appear publicly; markup is text', async () => {
  const id = await filingAt(h, [], { title: '关于调整停车收费标准的方案' });
  await drive(h, id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION', note: '保密审查内部意见：不宜公开的附件已删除' }],
  ]);
  const receipts: string[] = [];
  for (const body of [
    `我的身份证号${PII[0]}，电话${PII[1]}，邮箱${PII[2]}，银行卡${PII[3]}。${INJECTED}`,
    `${INJECTED}建议降低夜间停车费。`,
  ]) {
    const res = await request(h.app)
      .post(`/public/consultations/${id}/comments`)
      .send({ body, name: '张三丰', email: 'zhang.private@example.com', phone: '13900001111' });
    expect(res.status).toBe(201);
    receipts.push(res.body.receipt);
  }
  await new ConsultationCloser(h.services, silentLogger, () => new Date(Date.now() + 40 * 86_400_000)).runOnce();
  const items = (await h.as('drafter').get(`/filings/${id}/comments?round=1`)).body.items;
  for (const c of items) {
    await h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, { commentIds: [c.id], outcome: 'notAdopted', reason: `理由${INJECTED}` });
  }
  await drive(h, id, [
    ['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }],
    ['publisher', { type: 'PUBLISH_ADOPTION_REPORT' }],
  ]);

  const all = await everythingPublic(id, receipts);
  for (const value of [...PII, 'zhang.private@example.com', '13900001111', '张三丰', 'clientHash', 'maskings', '保密审查内部意见']) {
    expect({ value, leaked: all.text.includes(value) }).toEqual({ value, leaked: false });
  }
  expect(all.text).toContain('138****8000');
  // Markup arrives as text: escaped in every page, never a live element (JSON carries it as data).
  expect(all.html.length).toBeGreaterThan(1000);
  expect(all.html).not.toMatch(/<script>alert/);
  expect(all.html).not.toMatch(/<img src=x/);
  const page = (await request(h.app).get(`/consultations/${id}/comments`)).text;
  expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
});

test('forms need a matching anti-forgery token and cookie; responses carry security headers', async () => {
  const id = await filingAt(h, []);
  await drive(h, id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
  ]);
  const form = await request(h.app).get(`/consultations/${id}/comment`);
  expect(form.status).toBe(200);
  expect(form.headers['content-security-policy']).toContain("script-src 'none'");
  expect(form.headers['x-content-type-options']).toBe('nosniff');
  const cookie = form.headers['set-cookie'][0].split(';')[0];
  expect(form.headers['set-cookie'][0]).toMatch(/HttpOnly/i);
  expect(form.headers['set-cookie'][0]).toMatch(/SameSite=Strict/i);
  const token = /name="_csrf" value="([0-9a-f]+)"/.exec(form.text)?.[1];

  const post = (fields: Record<string, string>, withCookie = true) => {
    const req = request(h.app).post(`/consultations/${id}/comment`).type('form').send(fields);
    return withCookie ? req.set('Cookie', cookie) : req;
  };
  const forged = await post({ body: '伪造的意见', _csrf: 'f'.repeat(64) });
  expect(forged.status).toBe(403);
  expect(forged.text).toContain('表单已失效');
  expect((await post({ body: '没有 cookie', _csrf: token as string }, false)).status).toBe(403);
  const empty = await post({ body: '  ', _csrf: token as string });
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('请填写意见内容');
  const ok = await post({ body: '正常提交的意见', article: '1', _csrf: token as string });
  expect(ok.status).toBe(303);
  expect(ok.headers.location).toMatch(/\/receipt\/YJ[0-9A-Z]{10}$/);
});

test('a cleared consultation whose start lies ahead is not listed or shown yet', async () => {
  const id = await filingAt(h, [], { title: '下月起征求意见的方案' });
  const startsAt = new Date(Date.now() + 5 * 86_400_000).toISOString();
  await drive(h, id, [
    ['drafter', { type: 'START_CONSULTATION', ...consultationRequest(40), startsAt }],
    ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
  ]);
  expect((await request(h.app).get('/consultations')).text).not.toContain('下月起征求意见的方案');
  expect(JSON.stringify((await request(h.app).get('/public/consultations')).body)).not.toContain(id);
  expect((await request(h.app).get(`/consultations/${id}`)).status).toBe(404);
});
