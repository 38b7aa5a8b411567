/**
 * Public consultation end to end (R8–R11, R15, R16): periods, clearance, comments with masking
 * and receipts, closing on time (after downtime, once with two instances), campaigns,
 * dispositions, the adoption report and the answers e-mailed to commenters.
 */
import request from 'supertest';
import { emptyParticulars } from '../../machines/dossier';
import { formatCstDay } from '../../src/calendar';
import { minimumPeriod, DEFAULT_PERIOD_SETTINGS } from '../../src/consultation/period';
import { silentLogger } from '../../src/log';
import { MailDispatcher, exponentialBackoff } from '../../src/mail/dispatcher';
import { CommentNoticeSource } from '../../src/mail/sources';
import { SmtpSink } from '../../src/mail/transport';
import { ConsultationCloser } from '../../src/schedule/consultations';
import { consultationRequest, filingAt, startHarness, TEST_MAIL_SETTINGS, type Harness, type StaffKey } from '../support/harness';
import { TestSmtpServer } from '../support/smtp';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const DAY = 86_400_000;

async function send(who: StaffKey, id: string, command: Record<string, unknown>) {
  const { version } = (await h.as(who).get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { ...command, version });
}

/** A drafting filing opened for a 31-day consultation and cleared (R15). */
async function openConsultation(overrides: Record<string, unknown> = {}): Promise<string> {
  const id = await filingAt(h, [], {
    title: '城市公共交通票价调整方案',
    body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。\n第三条 老年人继续免费乘车。',
    ...overrides,
  });
  expect((await send('drafter', id, { type: 'START_CONSULTATION', ...consultationRequest() })).status).toBe(200);
  expect((await send('confidentialityReviewer', id, { type: 'CLEAR_FOR_PUBLICATION' })).status).toBe(200);
  return id;
}

function closer(offsetDays: number): ConsultationCloser {
  return new ConsultationCloser(h.services, silentLogger, () => new Date(Date.now() + offsetDays * DAY));
}

const comment = (id: string, body: Record<string, unknown>) =>
  request(h.app).post(`/public/consultations/${id}/comments`).send(body);

describe('comment periods (R9)', () => {
  test('minimums by document type, in calendar or working days across a holiday (R21)', () => {
    const start = new Date('2026-09-28T02:00:00Z');
    const p = (patch: Partial<ReturnType<typeof emptyParticulars>>) => ({ ...emptyParticulars(), ...patch });
    expect(minimumPeriod(p({ majorDecision: true }), start, DEFAULT_PERIOD_SETTINGS).endsAt.toISOString()).toBe('2026-10-28T02:00:00.000Z');
    expect(minimumPeriod(p({ documentKind: 'rule' }), start, DEFAULT_PERIOD_SETTINGS).description).toContain('30日');
    // 7 working days from Monday 28 September 2026: 29, 30 Sep, then the National Day holiday,
    // then 8, 9, 10 (a 调休 Saturday), 12, 13 October.
    const normative = minimumPeriod(p({ documentKind: 'normative' }), start, DEFAULT_PERIOD_SETTINGS);
    expect(formatCstDay(normative.endsAt.toISOString().slice(0, 10))).toBe('2026年10月13日');
    expect(minimumPeriod(p({ documentKind: 'normative', affectsEnterprises: true }), start, DEFAULT_PERIOD_SETTINGS).description).toContain('30日');
  });

  test('a period shorter than the minimum needs a reason, which is then shown publicly', async () => {
    const id = await filingAt(h, [], { particulars: { ...emptyParticulars(), majorDecision: true, disclosure: { attribute: 'proactive', reason: null } } });
    const short = await send('drafter', id, { type: 'START_CONSULTATION', ...consultationRequest(10) });
    expect(short.status).toBe(422);
    expect(short.body.error).toMatchObject({ code: 'CONSULTATION_PERIOD_TOO_SHORT', field: 'endsAt' });
    expect(short.body.error.minimum).toContain('30日');
    const reasoned = await send('drafter', id, {
      type: 'START_CONSULTATION',
      ...consultationRequest(10),
      shortenedReason: '因防汛工作急需出台，缩短征求意见期',
    });
    expect(reasoned.status).toBe(200);
    await send('confidentialityReviewer', id, { type: 'CLEAR_FOR_PUBLICATION' });
    const page = await request(h.app).get(`/public/consultations/${id}`);
    expect(page.body.shortenedReason).toBe('因防汛工作急需出台，缩短征求意见期');
  });

  test('extensions must end later, and are recorded and published with their reason', async () => {
    const id = await openConsultation();
    const earlier = await send('drafter', id, { type: 'EXTEND_CONSULTATION', endsAt: new Date(Date.now() + 5 * DAY).toISOString(), reason: '延期' });
    expect(earlier.body.error.code).toBe('EXTENSION_NOT_LATER');
    const later = new Date(Date.now() + 45 * DAY).toISOString();
    expect((await send('drafter', id, { type: 'EXTEND_CONSULTATION', endsAt: later, reason: '社会关注度高，延长征求意见期' })).status).toBe(200);
    const page = (await request(h.app).get(`/public/consultations/${id}`)).body;
    expect(page.endsAt).toBe(later);
    expect(page.extensions).toEqual([expect.objectContaining({ to: later, reason: '社会关注度高，延长征求意见期' })]);
    expect(page.workingDaysLeft).toBeGreaterThan(20);
  });
});

describe('the public side', () => {
  test('nothing is public before confidentiality clearance (R15)', async () => {
    const id = await filingAt(h, []);
    await send('drafter', id, { type: 'START_CONSULTATION', ...consultationRequest() });
    expect((await request(h.app).get(`/public/consultations/${id}`)).status).toBe(404);
    expect((await comment(id, { body: '意见' })).status).toBe(404);
    const list = (await request(h.app).get('/public/consultations')).body.items.map((c: { filingId: string }) => c.filingId);
    expect(list).not.toContain(id);
    await send('confidentialityReviewer', id, { type: 'CLEAR_FOR_PUBLICATION' });
    expect((await request(h.app).get(`/public/consultations/${id}`)).status).toBe(200);
  });

  test('a comment on an article gets a receipt; personal data is masked for the public (R16)', async () => {
    const id = await openConsultation();
    const page = (await request(h.app).get(`/public/consultations/${id}`)).body;
    expect(page.articles.map((a: { heading: string }) => a.heading)).toEqual(['第一条', '第二条', '第三条']);
    expect(page.status).toBe('open');

    const res = await comment(id, {
      article: 2,
      body: '票价上调幅度过大，建议分步实施。联系电话13800138000，住址朝阳区建国路88号3栋2单元501室。',
      name: '王小明',
      email: 'wang@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body.receipt).toMatch(/^YJ[0-9A-Z]{10}$/);
    expect(res.body.message).toContain(res.body.receipt);

    const mine = (await request(h.app).get(`/public/comments/${res.body.receipt}`)).body;
    expect(mine.body).toContain('138****8000');
    expect(mine.body).not.toContain('13800138000');
    expect(mine.body).not.toContain('88号');
    expect(mine.author).toBe('王**');
    expect(JSON.stringify(mine)).not.toContain('wang@example.com');
    expect(mine.disposition).toBeNull();

    // The lead department answering it sees the original; others only the masked text.
    const lead = (await h.as('drafter').get(`/filings/${id}/comments?round=1`)).body.items[0];
    expect(lead.body).toContain('13800138000');
    expect(lead.maskings.map((m: { kind: string }) => m.kind).sort()).toEqual(['address', 'mobile']);
    const clerk = (await h.as('assessor').get(`/filings/${id}/comments?round=1`)).body.items[0];
    expect(clerk.body).not.toContain('13800138000');
    expect(clerk.author.email).toBeNull();

    const counts = (await request(h.app).get(`/public/consultations/${id}`)).body.articles.map((a: { comments: number }) => a.comments);
    expect(counts).toEqual([0, 1, 0]);
  });

  test('bad comments are refused with typed codes', async () => {
    const id = await openConsultation();
    expect((await comment(id, { body: '' })).body.error.field).toBe('body');
    expect((await comment(id, { body: 'x'.repeat(2001) })).body.error.field).toBe('body');
    expect((await comment(id, { body: '意见', article: 9 })).body.error.field).toBe('article');
    expect((await comment(id, { body: '意见', email: 'not-an-address' })).body.error.field).toBe('email');
    expect((await comment(id, { body: '意见', extra: 1 })).status).toBe(400);
    expect((await comment('000000000000000000000000', { body: '意见' })).body.error.code).toBe('CONSULTATION_NOT_FOUND');
    expect((await request(h.app).get('/public/comments/YJ0000000000')).body.error.code).toBe('COMMENT_NOT_FOUND');
    expect((await request(h.app).get('/public/comments/robert%27);--')).status).toBe(400);
  });
});

describe('closing on time', () => {
  test('a period whose end passed while the service was down closes at the next pass; later comments are refused', async () => {
    const id = await openConsultation();
    await comment(id, { body: '支持。' });
    // Nothing is closed before the end instant.
    expect((await closer(0).runOnce()).closed).toBe(0);
    // "Restart" 40 days later: the first pass closes it.
    const result = await closer(40).runOnce();
    expect(result.closed).toBeGreaterThanOrEqual(1);
    const view = (await h.as('drafter').get(`/filings/${id}`)).body;
    expect(view.stage).toBe('disposition');
    expect(view.context.consultations[0].closedAt).not.toBeNull();
    const late = await comment(id, { body: '迟到的意见' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CONSULTATION_NOT_OPEN');
    expect(late.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    const history = (await h.as('drafter').get(`/filings/${id}/history`)).body.history;
    expect(history.at(-1)).toMatchObject({ event: 'CLOSE_CONSULTATION', actor: { role: 'system' } });
  });

  test('two instances closing at once: exactly one close', async () => {
    const id = await openConsultation();
    const [a, b] = await Promise.all([closer(40).runOnce(), closer(40).runOnce()]);
    expect(a.closed + b.closed).toBeGreaterThanOrEqual(1);
    const closes = (await h.as('drafter').get(`/filings/${id}/history`)).body.history.filter(
      (e: { event: string }) => e.event === 'CLOSE_CONSULTATION',
    );
    expect(closes).toHaveLength(1);
  });
});

describe('dispositions and the adoption report (R11)', () => {
  test('campaigns are answered at once; not adopted needs a reason; the report is published and mailed', async () => {
    const id = await openConsultation();
    const campaign = '坚决反对票价上涨，公共交通是民生工程，应当由财政补贴，不能让市民负担。';
    const receipts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const body = i % 2 === 0 ? campaign : `${campaign.replace('，', ',')}——市民${i}`;
      const res = await comment(id, { article: 2, body, name: `市民${i}`, email: `citizen${i}@example.com` });
      receipts.push(res.body.receipt);
    }
    const single = await comment(id, { article: 3, body: '建议将学生纳入免费乘车范围。', email: 'student@example.com' });
    const whole = await comment(id, { body: '建议公布成本监审报告。<script>alert(1)</script>' });
    const closed = await closer(40).runOnce();
    expect(closed.closed).toBeGreaterThanOrEqual(1);

    const clusters = (await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`)).body.clusters;
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ size: 6, outcomes: { undisposed: 6 } });

    const dispose = (body: Record<string, unknown>, who: StaffKey = 'drafter') =>
      h.as(who).post(`/filings/${id}/consultations/1/dispositions`, body);
    const noReason = await dispose({ clusterId: clusters[0].clusterId, outcome: 'notAdopted' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    expect((await dispose({ clusterId: clusters[0].clusterId, outcome: 'notAdopted', reason: '票价调整经成本监审和听证' }, 'coDrafter')).status).toBe(403);
    expect(
      (await dispose({ clusterId: clusters[0].clusterId, outcome: 'notAdopted', reason: '票价调整已经成本监审和价格听证，财政补贴同步提高。' })).body,
    ).toEqual({ disposed: 6 });

    // Not every comment answered yet: no report.
    const early = await send('drafter', id, { type: 'FINALIZE_ADOPTION_REPORT' });
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'COMMENTS_UNDISPOSED', undisposed: 2 });

    const rest = (await h.as('drafter').get(`/filings/${id}/comments?round=1&undisposed=true`)).body.items;
    const byArticle = (n: number | null) => rest.find((c: { article: number | null }) => c.article === n).id;
    await dispose({ commentIds: [byArticle(3)], outcome: 'adopted', reason: null });
    await dispose({ commentIds: [byArticle(null)], outcome: 'partlyAdopted', reason: '将在政府网站公开成本监审结论。' });

    // The text is revised in the light of the comments; the report shows what changed.
    const revised = await send('drafter', id, {
      type: 'EDIT_TEXT',
      body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。\n第三条 老年人和学生免费乘车。',
    });
    expect(revised.status).toBe(200);
    await send('drafter', id, { type: 'FINALIZE_ADOPTION_REPORT' }).then((r) => expect(r.status).toBe(200));
    expect((await h.as('drafter').get(`/filings/${id}`)).body.stage).toBe('adoptionReportReview');
    expect((await request(h.app).get(`/public/reports/${id}/1`)).status).toBe(404);
    expect((await send('publisher', id, { type: 'PUBLISH_ADOPTION_REPORT' })).status).toBe(200);

    const filing = (await h.as('drafter').get(`/filings/${id}`)).body;
    expect(filing.stage).toBe('drafting');
    expect(filing.context.particulars.adoptionReport).toMatchObject({ commentCount: 8, adoptedCount: 2 });
    expect(filing.deficiencies.map((d: { code: string }) => d.code)).not.toContain('R11_ADOPTION_REPORT_MISSING');

    const report = (await request(h.app).get(`/public/reports/${id}/1`)).body;
    expect(report.totals).toEqual({ commentCount: 8, adopted: 1, partlyAdopted: 1, notAdopted: 6, notApplicable: 0 });
    expect(report.byArticle).toEqual([
      { article: null, count: 1, adopted: 0, partlyAdopted: 1, notAdopted: 0, notApplicable: 0 },
      { article: 2, count: 6, adopted: 0, partlyAdopted: 0, notAdopted: 6, notApplicable: 0 },
      { article: 3, count: 1, adopted: 1, partlyAdopted: 0, notAdopted: 0, notApplicable: 0 },
    ]);
    expect(report.concentrated).toEqual([
      expect.objectContaining({ size: 6, outcome: 'notAdopted', reason: '票价调整已经成本监审和价格听证，财政补贴同步提高。' }),
    ]);
    expect(JSON.stringify(report)).not.toContain('citizen0@example.com');

    expect(report.textChanges.filter((c: { change: string }) => c.change === 'added').map((c: { text: string }) => c.text).join('')).toContain('和学生');
    expect(report.textChanges.filter((c: { change: string }) => c.change === 'removed').map((c: { text: string }) => c.text).join('')).toContain('继续');

    const csv = await request(h.app).get(`/public/reports/${id}/1/csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.startsWith('\ufeff条款,意见数,采纳,部分采纳,未采纳,不适用')).toBe(true);
    expect(csv.text).toContain('第2条,6,0,0,6,0');
    expect(csv.text).toContain('合计,8,1,1,6,0');

    const html = await request(h.app).get(`/public/reports/${id}/1/html`);
    expect(html.text).toContain('意见收集和采纳情况');
    expect(html.text).toContain('票价调整已经成本监审和价格听证');
    expect(html.text).toContain('<ins class="added">');

    // The commenters hear back (R11): every one with an address, once.
    const smtp = new TestSmtpServer();
    await smtp.start();
    const sink = new SmtpSink(smtp.url);
    try {
      const dispatcher = new MailDispatcher([new CommentNoticeSource(h.services.repositories.mail, h.services.store, TEST_MAIL_SETTINGS)], sink, {
        instanceId: 'commenters',
        from: 'noreply@predisclosure.test',
        leaseMs: 60_000,
        maxAttempts: 3,
        backoffMs: exponentialBackoff(1000, 60_000),
        batchSize: 100,
        logger: silentLogger,
      });
      expect((await dispatcher.runOnce()).sent).toBe(7);
      expect((await dispatcher.runOnce()).sent).toBe(0);
      const mails = smtp.drain();
      expect(mails.map((m) => m.to).sort()).toEqual([...Array.from({ length: 6 }, (_, i) => `citizen${i}@example.com`), 'student@example.com'].sort());
      const student = mails.find((m) => m.to === 'student@example.com')!;
      expect(student.subject).toContain(single.body.receipt);
      expect(student.text).toContain('处理结果：采纳');
      expect(student.text).toContain(`查看意见收集和采纳情况：https://predisclosure.test/reports/${id}/1\n`);
      const citizen = mails.find((m) => m.to === 'citizen0@example.com')!;
      expect(citizen.text).toContain('处理结果：未采纳');
      expect(citizen.text).toContain('票价调整已经成本监审和价格听证');
    } finally {
      sink.close();
      await smtp.stop();
    }

    // The receipt now shows the answer.
    const looked = (await request(h.app).get(`/public/comments/${receipts[0]}`)).body;
    expect(looked.disposition).toEqual({ outcome: 'notAdopted', reason: '票价调整已经成本监审和价格听证，财政补贴同步提高。' });
    void whole;
  });
});

describe('abuse of the public side', () => {
  test('comment intake is rate-limited per client with a typed 429', async () => {
    const id = await openConsultation();
    const { createApp } = await import('../../src/http/app');
    const strict = createApp({ services: h.services, public: { commentsPerMinute: 2 }, logger: silentLogger, bodyLimit: '1mb', describeDatabase: () => 'test' });
    const post = () => request(strict).post(`/public/consultations/${id}/comments`).send({ body: '意见' });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('hostile bodies and ids on public routes never yield a 500', async () => {
    const id = await openConsultation();
    const values: unknown[] = [null, 0, -1, 1e308, '', '\u0000', { $gt: '' }, ['a'], 'x'.repeat(5000), true];
    for (const field of ['article', 'paragraph', 'body', 'name', 'email', 'phone']) {
      for (const value of values) {
        const res = await comment(id, { body: '意见', [field]: value });
        expect(res.status).toBeLessThan(500);
      }
    }
    for (const path of ['/public/consultations/%E0%A4', '/public/reports/x/y', '/public/reports/000000000000000000000000/1/csv', '/public/comments/%00']) {
      expect((await request(h.app).get(path)).status).toBeLessThan(500);
    }
  });
});
