/**
 * R16 — the staff redaction tool (issue 12, item 5): a reviewer masks what no pattern caught
 * in a comment's public text, with a reason; who may, what is refused (and changes nothing),
 * the ledger entry (R15), and that the redaction holds on every public surface: comment pages,
 * receipt look-up, reports already published, e-mails to commenters.
 */
import request from 'supertest';
import { silentLogger } from '../../src/log';
import { MailDispatcher, exponentialBackoff } from '../../src/mail/dispatcher';
import { CommentNoticeSource } from '../../src/mail/sources';
import { SmtpSink } from '../../src/mail/transport';
import { ConsultationCloser } from '../../src/schedule/consultations';
import type { CommentRecord, ReportRecord } from '../../src/store/models';
import { consoleSessions, csrfOf } from '../support/console';
import { consultationRequest, filingAt, startHarness, TEST_MAIL_SETTINGS, type Harness, type StaffKey } from '../support/harness';
import { TestSmtpServer } from '../support/smtp';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
const signIn = consoleSessions(() => h);

const DAY = 86_400_000;
const DISEASE = '我患有糖尿病，每月去医院三次';
const CAMPAIGN = '坚决反对普通线路票价上调到两元，公共交通是民生工程，应当由财政补贴保持低票价。';

async function send(who: StaffKey, id: string, command: Record<string, unknown>) {
  const { version } = (await h.as(who).get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { ...command, version });
}

/** A cleared consultation with the given comments (each with an e-mail address), not yet closed. */
async function consultationWith(bodies: string[]): Promise<{ id: string; receipts: string[] }> {
  const id = await filingAt(h, [], { title: '城市公共交通票价调整方案', body: '第一条 总则。\n第二条 普通线路票价调整为2元。' });
  expect((await send('drafter', id, { type: 'START_CONSULTATION', ...consultationRequest() })).status).toBe(200);
  expect((await send('confidentialityReviewer', id, { type: 'CLEAR_FOR_PUBLICATION' })).status).toBe(200);
  const receipts: string[] = [];
  for (const [i, body] of bodies.entries()) {
    const res = await request(h.app).post(`/public/consultations/${id}/comments`).send({ article: 2, body, name: `市民${i}`, email: `citizen${i}@example.com` });
    expect(res.status).toBe(201);
    receipts.push(res.body.receipt);
  }
  return { id, receipts };
}

const commentByReceipt = (receipt: string) => h.models.Comment.findOne({ receipt }).lean<CommentRecord>().exec() as Promise<CommentRecord>;
const redact = (who: StaffKey, id: string, commentId: string, body: Record<string, unknown>) =>
  h.as(who).post(`/filings/${id}/comments/${commentId}/redactions`, body);
const ledgerLength = async (id: string) => (await h.as('assessor').get(`/filings/${id}/history`)).body.history.length;

describe('who may redact (R16, R15)', () => {
  let id: string;
  let commentId: string;
  beforeAll(async () => {
    const made = await consultationWith(['我叫王大锤，患有糖尿病，每月去医院三次，住在幸福小区，希望保留老年人免费乘车。']);
    id = made.id;
    commentId = String((await commentByReceipt(made.receipts[0]))._id);
  });

  test.each<[StaffKey, number, string | null]>([
    ['coDrafter', 403, 'FORBIDDEN_DEPARTMENT'],
    ['coHead', 403, 'FORBIDDEN_DEPARTMENT'],
    ['otherDrafter', 403, 'FORBIDDEN_DEPARTMENT'],
    ['clerk', 403, 'FORBIDDEN_ROLE'],
    ['legalReviewer', 403, 'FORBIDDEN_ROLE'],
    ['signer', 403, 'FORBIDDEN_ROLE'],
    ['assessor', 403, 'FORBIDDEN_ROLE'],
  ])('%s is refused with %i %s, and nothing changes', async (who, status, code) => {
    const before = await h.models.Comment.findById(commentId).lean<CommentRecord>().exec();
    const entries = await ledgerLength(id);
    const res = await redact(who, id, commentId, { text: '糖尿病', reason: '健康状况属于个人信息' });
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    expect(await h.models.Comment.findById(commentId).lean<CommentRecord>().exec()).toEqual(before);
    expect(await ledgerLength(id)).toBe(entries);
  });

  test.each<[StaffKey, string]>([
    ['drafter', '王大锤'],
    ['head', '糖尿病'],
    ['confidentialityReviewer', '每月去医院三次'],
    ['publisher', '幸福小区'],
  ])('%s may redact', async (who, words) => {
    const res = await redact(who, id, commentId, { text: words, reason: `${who}：属于个人信息` });
    expect(res.status).toBe(201);
    expect(res.body.publicBody).toContain('***');
    expect(res.body.publicBody).not.toContain(words);
  });
});

describe('bad requests get typed 4xx codes and write nothing', () => {
  let id: string;
  let commentId: string;
  let otherFilingComment: string;
  beforeAll(async () => {
    const made = await consultationWith([`${DISEASE}，希望保留老年人免费乘车。`]);
    id = made.id;
    commentId = String((await commentByReceipt(made.receipts[0]))._id);
    const other = await consultationWith(['另一份草案的意见']);
    otherFilingComment = String((await commentByReceipt(other.receipts[0]))._id);
  });

  test.each<[string, () => [string, Record<string, unknown>], number, string, string | undefined]>([
    ['beyond the public text', () => [commentId, { start: 0, end: 9999, reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'end'],
    ['end before start', () => [commentId, { start: 5, end: 2, reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'end'],
    ['an empty span', () => [commentId, { start: 3, end: 3, reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'end'],
    ['negative start', () => [commentId, { start: -1, end: 3, reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'start'],
    ['start without end', () => [commentId, { start: 1, reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'end'],
    ['both words and offsets', () => [commentId, { start: 0, end: 2, text: '糖尿病', reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'text'],
    ['no reason', () => [commentId, { text: '糖尿病' }], 400, 'VALIDATION_FAILED', 'reason'],
    ['a blank reason', () => [commentId, { text: '糖尿病', reason: '  ' }], 400, 'VALIDATION_FAILED', 'reason'],
    ['blank words', () => [commentId, { text: '   ', reason: '个人信息' }], 400, 'VALIDATION_FAILED', 'text'],
    ['an unknown field', () => [commentId, { text: '糖尿病', reason: '个人信息', kind: 'x' }], 400, 'VALIDATION_FAILED', undefined],
    ['words not in the public text', () => [commentId, { text: '高血压', reason: '个人信息' }], 422, 'REDACTION_TEXT_NOT_FOUND', 'text'],
    ['a comment of another filing', () => [otherFilingComment, { text: '意见', reason: '个人信息' }], 404, 'COMMENT_NOT_FOUND', undefined],
    ['no such comment', () => ['000000000000000000000000', { text: '意见', reason: '个人信息' }], 404, 'COMMENT_NOT_FOUND', undefined],
    ['a malformed comment id', () => ['robert%27);--', { text: '意见', reason: '个人信息' }], 404, 'COMMENT_NOT_FOUND', undefined],
  ])('%s', async (_name, args, status, code, field) => {
    const [target, body] = args();
    const before = await h.models.Comment.find({}).sort({ _id: 1 }).lean().exec();
    const entries = await ledgerLength(id);
    const res = await redact('drafter', id, target, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    if (field) expect(res.body.error.field).toBe(field);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await h.models.Comment.find({}).sort({ _id: 1 }).lean().exec()).toEqual(before);
    expect(await ledgerLength(id)).toBe(entries);
  });
});

describe('a redaction', () => {
  test('by offsets in code points of the public text: masked, recorded on the comment and on the ledger', async () => {
    const body = `👍支持！${DISEASE}，电话13800138000。`;
    const { id, receipts } = await consultationWith([body]);
    const comment = await commentByReceipt(receipts[0]);
    expect(comment.publicBody).toBe(`👍支持！${DISEASE}，电话138****8000。`);
    // 👍 is one character but two UTF-16 units: offsets count characters.
    const characters = Array.from(comment.publicBody);
    const start = characters.indexOf('糖');
    const res = await redact('confidentialityReviewer', id, String(comment._id), { start, end: start + 3, reason: '健康状况属于个人信息' });
    expect(res.status).toBe(201);
    expect(res.body.publicBody).toBe('👍支持！我患有***，每月去医院三次，电话138****8000。');

    const stored = await commentByReceipt(receipts[0]);
    expect(stored.publicBody).toBe(res.body.publicBody);
    expect(stored.body).toBe(body);
    const manual = stored.maskings.filter((m) => m.kind === 'manual');
    expect(manual).toEqual([
      expect.objectContaining({ start: body.indexOf('糖'), end: body.indexOf('糖') + 3, reason: '健康状况属于个人信息', by: expect.objectContaining({ role: 'confidentialityReviewer' }) }),
    ]);
    expect(manual[0].at).toBeInstanceOf(Date);
    expect(stored.maskings.map((m) => m.kind)).toEqual(['mobile', 'manual']);

    const ledger = (await h.as('assessor').get(`/filings/${id}/ledger`)).body;
    const entry = ledger.entries.at(-1);
    expect(entry).toMatchObject({ event: 'REDACT_COMMENT', actor: { role: 'confidentialityReviewer' } });
    expect(entry.note).toContain(receipts[0]);
    expect(entry.note).toContain('健康状况属于个人信息');
    expect(entry.note).not.toContain('糖尿病');
    expect(ledger.verification.ok).toBe(true);
  });

  test('by words: every occurrence is masked', async () => {
    const { id, receipts } = await consultationWith(['我叫王大锤，王大锤反对涨价。']);
    const comment = await commentByReceipt(receipts[0]);
    const res = await redact('drafter', id, String(comment._id), { text: '王大锤', reason: '姓名属于个人信息' });
    expect(res.body.publicBody).toBe('我叫***，***反对涨价。');
    expect(res.body.maskings.filter((m: { kind: string }) => m.kind === 'manual')).toHaveLength(2);
  });

  test('two at once on one comment: both hold', async () => {
    const { id, receipts } = await consultationWith([`${DISEASE}，我叫王大锤。`]);
    const commentId = String((await commentByReceipt(receipts[0]))._id);
    const [a, b] = await Promise.all([
      redact('drafter', id, commentId, { text: '糖尿病', reason: '健康状况' }),
      redact('publisher', id, commentId, { text: '王大锤', reason: '姓名' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await commentByReceipt(receipts[0])).publicBody).toBe('我患有***，每月去医院三次，我叫***。');
    const history = (await h.as('assessor').get(`/filings/${id}/history`)).body.history;
    expect(history.filter((e: { event: string }) => e.event === 'REDACT_COMMENT')).toHaveLength(2);
  });

  test('offsets given against a public text masked by older rules are refused with the current text; words still work', async () => {
    const typo = '440305198503020012';
    const { id, receipts } = await consultationWith([`身份证${typo}，${DISEASE}`]);
    const comment = await commentByReceipt(receipts[0]);
    expect(comment.publicBody).not.toContain(typo);
    // As an older version of the rules would have stored it: the mistyped number in full.
    await h.models.Comment.updateOne({ _id: comment._id }, { $set: { publicBody: comment.body, maskings: [] } }).exec();
    const stale = await redact('drafter', id, String(comment._id), { start: 0, end: 3, reason: '个人信息' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'COMMENT_TEXT_CHANGED', publicBody: comment.publicBody });
    expect((await commentByReceipt(receipts[0])).publicBody).toBe(comment.body);
    const words = await redact('drafter', id, String(comment._id), { text: '糖尿病', reason: '健康状况' });
    expect(words.status).toBe(201);
    expect(words.body.publicBody).toBe('身份证440305********0012，我患有***，每月去医院三次');
  });
});

describe('a redaction holds on every public surface', () => {
  let id: string;
  let receipts: string[];
  let sampleId: string;
  beforeAll(async () => {
    // A campaign of three, its earliest copy quoting a hospital stay no pattern catches.
    const first = `${CAMPAIGN}我患有糖尿病。`;
    ({ id, receipts } = await consultationWith([first, CAMPAIGN, CAMPAIGN.replace('，', ',')]));
    await new ConsultationCloser(h.services, silentLogger, () => new Date(Date.now() + 40 * DAY)).runOnce();
    const clusters = (await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`)).body.clusters;
    expect(clusters).toEqual([expect.objectContaining({ size: 3, concentrated: true })]);
    sampleId = clusters[0].clusterId;
    await h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, { clusterId: sampleId, outcome: 'notAdopted', reason: '票价已经听证。' });
    expect((await send('drafter', id, { type: 'FINALIZE_ADOPTION_REPORT' })).status).toBe(200);
    expect((await send('publisher', id, { type: 'PUBLISH_ADOPTION_REPORT' })).status).toBe(200);
    // Published, quoting the text: now the reviewer notices.
    expect((await request(h.app).get(`/public/reports/${id}/1`)).body.concentrated[0].sample).toContain('糖尿病');
    const res = await redact('publisher', id, sampleId, { text: '我患有糖尿病。', reason: '健康状况属于个人信息' });
    expect(res.status).toBe(201);
  });

  test('the published report as JSON, CSV, HTML and portal page, and the stored report itself', async () => {
    for (const path of [`/public/reports/${id}/1`, `/public/reports/${id}/1/csv`, `/public/reports/${id}/1/html`, `/reports/${id}/1`]) {
      const res = await request(h.app).get(path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('坚决反对普通线路票价上调到两元');
      expect([path, res.text.includes('糖尿病')]).toEqual([path, false]);
    }
    const stored = (await h.models.Report.find({}).lean<ReportRecord[]>().exec()).filter((r) => String(r.filingId) === id);
    expect(stored.length).toBeGreaterThan(0);
    for (const report of stored) expect(JSON.stringify(report.concentrated)).not.toContain('糖尿病');
  });

  test('a report stored before samples had their own id quotes the campaign’s representative, redacted too', async () => {
    const [report] = await h.models.Report.find({}).lean<ReportRecord[]>().exec().then((all) => all.filter((r) => String(r.filingId) === id));
    // As reports were stored before: no sampleId, the representative's text as it was.
    await h.models.Report.collection.updateOne(
      { _id: report._id as never },
      { $set: { concentrated: [{ clusterId: sampleId, size: 3, sample: `${CAMPAIGN}我患有糖尿病。`, outcome: 'notAdopted', reason: '票价已经听证。' }] } },
    );
    const json = (await request(h.app).get(`/public/reports/${id}/1`)).body;
    expect(json.concentrated[0].sample).not.toContain('糖尿病');
    expect(json.concentrated[0].sample).toContain('***');
  });

  test('the comment pages, the receipt look-up and the staff’s masked view', async () => {
    const pages = [
      await request(h.app).get(`/consultations/${id}/comments`),
      await request(h.app).get(`/public/comments/${receipts[0]}`),
      await request(h.app).get(`/receipts?code=${receipts[0]}`),
      await h.as('assessor').get(`/filings/${id}/comments?round=1`),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.text).toContain('坚决反对');
      expect(page.text).not.toContain('糖尿病');
    }
    // The lead department still reads the comment as written.
    const lead = (await h.as('drafter').get(`/filings/${id}/comments?round=1`)).body.items.find((c: { receipt: string }) => c.receipt === receipts[0]);
    expect(lead.body).toContain('糖尿病');
    expect(lead.publicBody).not.toContain('糖尿病');
  });

  test('the e-mail telling the commenter the answer', async () => {
    const smtp = new TestSmtpServer();
    await smtp.start();
    const sink = new SmtpSink(smtp.url);
    try {
      const dispatcher = new MailDispatcher([new CommentNoticeSource(h.services.repositories.mail, h.services.store, TEST_MAIL_SETTINGS)], sink, {
        instanceId: 'redaction',
        from: 'noreply@predisclosure.test',
        leaseMs: 60_000,
        maxAttempts: 3,
        backoffMs: exponentialBackoff(1000, 60_000),
        batchSize: 100,
        logger: silentLogger,
      });
      await dispatcher.runOnce();
      const mail = smtp.drain().find((m) => m.to === 'citizen0@example.com');
      expect(mail).toBeDefined();
      expect(mail?.text).toContain('坚决反对');
      expect(mail?.text).not.toContain('糖尿病');
      expect(mail?.html).not.toContain('糖尿病');
    } finally {
      sink.close();
      await smtp.stop();
    }
  });
});

describe('the console form in the consultation workbench', () => {
  test('a reviewer redacts from the workbench; a clerk cannot', async () => {
    const { id, receipts } = await consultationWith([`${DISEASE}，建议保留老年卡。`]);
    const reviewer = await signIn('confidentialityReviewer');
    const page = await reviewer.get(`/console/filings/${id}/consultation/1`).expect(200);
    expect(page.text).toContain('隐去个人信息（R16）');
    const commentId = String((await commentByReceipt(receipts[0]))._id);
    expect(page.text).toContain(`form="redact-${commentId}"`);
    const posted = await reviewer
      .post(`/console/filings/${id}/consultation/1/redactions`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), commentId, text: '糖尿病', reason: '健康状况属于个人信息', back: `/console/filings/${id}/consultation/1` });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe(`/console/filings/${id}/consultation/1?redacted=1`);
    const after = await reviewer.get(posted.headers.location).expect(200);
    expect(after.text).toContain('公众所见的文本已更新');
    expect(after.text).toContain('已人工隐去1处');
    expect((await commentByReceipt(receipts[0])).publicBody).toBe('我患有***，每月去医院三次，建议保留老年卡。');

    const blank = await reviewer
      .post(`/console/filings/${id}/consultation/1/redactions`)
      .type('form')
      .send({ _csrf: csrfOf(after.text), commentId, text: '', reason: '个人信息' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('请填写要隐去的文字');

    const clerk = await signIn('clerk');
    const clerkPage = await clerk.get(`/console/filings/${id}/consultation/1`).expect(200);
    expect(clerkPage.text).not.toContain('隐去个人信息（R16）');
    const refused = await clerk
      .post(`/console/filings/${id}/consultation/1/redactions`)
      .type('form')
      .send({ _csrf: csrfOf(clerkPage.text), commentId, text: '医院', reason: '个人信息' });
    expect(refused.status).toBe(403);
    expect((await commentByReceipt(receipts[0])).publicBody).toContain('医院');
  });
});
