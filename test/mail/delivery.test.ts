/**
 * R19 end to end: transitions write their e-mails into the outbox; the dispatcher delivers them
 * over SMTP to a real in-process server; outages, crashes, refusals and several instances are
 * survived without losing or doubling a message.
 */
import { MailDispatcher, exponentialBackoff } from '../../src/mail/dispatcher';
import { FilingOutboxSource } from '../../src/mail/sources';
import { SmtpSink } from '../../src/mail/transport';
import { silentLogger } from '../../src/log';
import { CO } from '../support/fixtures';
import { drive, filingAt, startHarness, type Harness, type StaffKey } from '../support/harness';
import { recipientOf, TestSmtpServer } from '../support/smtp';

const REFUSED = 'refused@example.gov.cn';
let h: Harness;
let smtp: TestSmtpServer;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const sinks: SmtpSink[] = [];

function dispatcher(instanceId: string, maxAttempts = 5): MailDispatcher {
  const sink = new SmtpSink(smtp.url);
  sinks.push(sink);
  return new MailDispatcher([new FilingOutboxSource(h.services.repositories.mail)], sink, {
    instanceId,
    from: '"政策解读与预公开系统" <noreply@predisclosure.test>',
    leaseMs: 60_000,
    maxAttempts,
    backoffMs: exponentialBackoff(10_000, 600_000),
    batchSize: 100,
    logger: silentLogger,
    clock,
  });
}

const email = (who: StaffKey) => `${who}@example.gov.cn`;

beforeAll(async () => {
  h = await startHarness();
  smtp = new TestSmtpServer((address) => address === REFUSED);
  await smtp.start();
});
afterAll(async () => {
  for (const sink of sinks) sink.close();
  await smtp.stop();
  await h.close();
});
beforeEach(async () => {
  // Each test starts with an empty queue: earlier tests' leftovers are delivered and dropped.
  offsetMs += 24 * 3600_000;
  await dispatcher('cleanup').runOnce();
  smtp.drain();
});

async function step(who: StaffKey, id: string, command: Record<string, unknown>): Promise<number> {
  const { version } = (await h.as(who).get(`/filings/${id}`)).body;
  const res = await h.as(who).post(`/filings/${id}/events`, { ...command, version });
  return res.status;
}

/** (recipient, subject) of everything delivered since the last call. */
async function deliveredBy(d: MailDispatcher): Promise<Array<[string, string]>> {
  await d.runOnce();
  return smtp
    .drain()
    .map((m) => [recipientOf(m), m.subject ?? ''] as [string, string])
    .sort();
}

test('a whole lifecycle: each transition reaches exactly the people it concerns', async () => {
  const d = dispatcher('instance-a');
  const created = await h.as('drafter').post('/filings', {
    title: '关于促进平台经济规范健康发展的若干措施',
    body: '第一条 为促进平台经济规范健康发展，制定本措施。',
    coDepartments: [CO],
    particulars: { touchesMarket: true, fairCompetition: { conclusion: 'compliant', summary: '经审查符合' } },
    interpretation: {
      plan: '主要负责人撰文解读',
      materials: { background: '背景', objectives: '目标', mainContent: '内容', scope: '范围', executionStandards: '口径' },
    },
  });
  const id: string = created.body.id;
  const ref: string = created.body.reference;
  expect(ref).toMatch(/^\d{4}-\d{4}$/);
  expect(await deliveredBy(d)).toEqual([]);

  await step('drafter', id, { type: 'REQUEST_INTERPRETATION_APPROVAL' });
  expect(await deliveredBy(d)).toEqual([[email('head'), `【待审定解读】${ref} 关于促进平台经济规范健康发展的若干措施`]]);

  await step('head', id, { type: 'APPROVE_INTERPRETATION', note: '同意' });
  expect((await deliveredBy(d)).map(([to, subject]) => [to, subject.slice(0, 7)])).toEqual([
    [email('coDrafter'), '【解读已审定】'],
    [email('drafter'), '【解读已审定】'],
  ]);

  await step('drafter', id, { type: 'FINALIZE_TEXT' });
  expect(await deliveredBy(d)).toEqual([]);

  // Refused at intake: the disclosure attribute is missing (R1); the reasons travel in the mail.
  expect(await step('head', id, { type: 'SUBMIT' })).toBe(422);
  await d.runOnce();
  const intake = smtp.drain();
  expect(intake.map(recipientOf)).toEqual([email('drafter')]);
  expect(intake[0].subject).toBe(`【退文】${ref} 关于促进平台经济规范健康发展的若干措施`);
  expect(intake[0].text).toContain('R1 · R1_DISCLOSURE_ATTRIBUTE_MISSING');
  expect(intake[0].text).toContain('已自动退文');
  expect(intake[0].html).toContain('未标明公开属性');
  expect(intake[0].messageId).toMatch(/@predisclosure\.test>?$/);

  await step('drafter', id, { type: 'REVISE' });
  await step('drafter', id, { type: 'EDIT_PARTICULARS', patch: { disclosure: { attribute: 'proactive', reason: null } } });
  await step('drafter', id, { type: 'FINALIZE_TEXT' });
  await step('head', id, { type: 'SUBMIT' });
  expect((await deliveredBy(d)).map(([to, subject]) => [to, subject.slice(0, 5)])).toEqual([
    [email('clerk'), '【待审核】'],
    [email('coDrafter'), '【待办公室'],
    [email('coHead'), '【待办公室'],
    [email('drafter'), '【待办公室'],
  ]);

  await step('clerk', id, { type: 'RETURN', reasons: [{ code: 'R18_FORMAT_NONCONFORMING' }], note: '请调整公文格式' });
  await d.runOnce();
  const returned = smtp.drain();
  expect(returned.map(recipientOf).sort()).toEqual([email('coDrafter'), email('coHead'), email('drafter'), email('head')]);
  expect(returned[0].text).toContain('R18 · R18_FORMAT_NONCONFORMING');
  expect(returned[0].text).toContain('请调整公文格式');

  await step('drafter', id, { type: 'REVISE' });
  await step('drafter', id, { type: 'FINALIZE_TEXT' });
  await step('head', id, { type: 'SUBMIT' });
  await d.runOnce();
  smtp.drain();

  await step('clerk', id, { type: 'ACCEPT' });
  const accepted = await deliveredBy(d);
  expect(accepted.filter(([, s]) => s.startsWith('【待合法性审查】') || s.startsWith('【待公平竞争审查】'))).toEqual([
    [email('fairCompetitionReviewer'), `【待公平竞争审查】${ref} 关于促进平台经济规范健康发展的若干措施`],
    [email('legalReviewer'), `【待合法性审查】${ref} 关于促进平台经济规范健康发展的若干措施`],
  ]);
  expect(accepted).toHaveLength(6);

  await step('legalReviewer', id, { type: 'PASS_LEGALITY_REVIEW', opinion: '合法' });
  expect(await deliveredBy(d)).toEqual([]);
  await step('fairCompetitionReviewer', id, { type: 'PASS_FAIR_COMPETITION_REVIEW', opinion: '符合' });
  const decisionDue = await deliveredBy(d);
  expect(decisionDue.map(([to]) => to)).toEqual([email('drafter'), email('head'), email('meetingSecretary')]);

  await step('meetingSecretary', id, { type: 'ADOPT', meeting: '第8次常务会议' });
  expect((await deliveredBy(d)).filter(([to]) => to === email('signer'))).toHaveLength(1);

  await step('signer', id, { type: 'SIGN', documentNumber: '某政发〔2026〕8号' });
  await d.runOnce();
  const signed = smtp.drain();
  const publisher = signed.find((m) => recipientOf(m) === email('publisher'))!;
  expect(publisher.subject).toBe(`【待公开发布】${ref} 关于促进平台经济规范健康发展的若干措施`);
  expect(publisher.text).toContain('某政发〔2026〕8号');
  // R6 deadline, as a date and as working days left (R21).
  expect(publisher.text).toMatch(/办理时限：\d{4}年\d{1,2}月\d{1,2}日前（还剩 3 个工作日）/);
  expect(publisher.html).toContain('https://predisclosure.test/console/filings/');
  expect(signed).toHaveLength(5);

  await step('publisher', id, { type: 'PUBLISH' });
  const published = await deliveredBy(d);
  expect(published.map(([to]) => to)).toEqual([email('coDrafter'), email('coHead'), email('drafter'), email('head')]);
  expect(published.every(([, subject]) => subject.startsWith('【已公开发布】'))).toBe(true);

  // Everything the filing caused is recorded as sent, with the server's answer.
  const mail = (await h.as('drafter').get(`/filings/${id}/mail`)).body.messages;
  expect(mail.length).toBeGreaterThan(20);
  expect(mail.every((m: { status: string; response: string }) => m.status === 'sent' && /250/.test(m.response))).toBe(true);
});

test('SMTP down during transitions: the work goes on, mail follows when it is back, none lost or doubled', async () => {
  const d = dispatcher('instance-outage');
  const id = await filingAt(h, []);
  await smtp.stop();
  expect(await step('drafter', id, { type: 'REQUEST_INTERPRETATION_APPROVAL' })).toBe(200);
  expect((await d.runOnce()).retrying).toBe(1);
  expect(await step('head', id, { type: 'APPROVE_INTERPRETATION', note: '同意' })).toBe(200);
  expect(await step('drafter', id, { type: 'FINALIZE_TEXT' })).toBe(200);
  expect(await step('head', id, { type: 'SUBMIT' })).toBe(200);
  const during = await d.runOnce();
  expect(during.sent).toBe(0);

  const pending = (await h.as('clerk').get(`/filings/${id}/mail`)).body.messages;
  expect(pending.every((m: { status: string }) => m.status === 'pending')).toBe(true);
  expect(pending.find((m: { attempts: number }) => m.attempts === 1).lastError).toMatch(/ECONNREFUSED|ECONNECTION/);

  await smtp.start();
  // Before the backoff has passed nothing is tried again.
  expect((await d.runOnce()).sent).toBe(0);
  offsetMs += 3600_000;
  const after = await d.runOnce();
  expect(after.sent).toBe(pending.length);
  expect((await d.runOnce()).sent).toBe(0);
  const ids = smtp.drain().map((m) => m.messageId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(pending.map((m: { messageId: string }) => m.messageId).sort());
});

test('stopped between the transition’s write and the send: after restart the message goes out', async () => {
  const id = await filingAt(h, []);
  // The transition commits its messages; no dispatcher runs (the service "stops" here).
  await step('drafter', id, { type: 'REQUEST_INTERPRETATION_APPROVAL' });
  // A crashed instance had claimed it, too: the lease must run out before anyone retries.
  await h.models.Filing.updateOne(
    { _id: id, 'outbox.status': 'pending' },
    { $set: { 'outbox.$.leaseOwner': 'crashed-instance', 'outbox.$.leaseUntil': new Date(clock().getTime() + 120_000) } },
  );
  const restarted = dispatcher('instance-after-restart');
  expect((await restarted.runOnce()).sent).toBe(0);
  offsetMs += 180_000;
  expect((await restarted.runOnce()).sent).toBe(1);
  expect(smtp.drain().map(recipientOf)).toEqual([email('head')]);
});

test('invalid addresses and SMTP refusals are recorded, not retried for ever, shown, and can be re-sent', async () => {
  const bad = await h.services.staff.register({ name: '地址错误', email: 'not-an-address', role: 'clerk', department: null });
  const refused = await h.services.staff.register({ name: '已离职', email: REFUSED, role: 'clerk', department: null });
  const id = await filingAt(h, ['awaitingIntake']);
  const d = dispatcher('instance-refusals');
  await d.runOnce();
  smtp.drain();

  const failed = (await h.as('clerk').get('/mail?status=failed')).body.items.filter((m: { filingId: string }) => m.filingId === id);
  expect(failed.map((m: { to: { email: string } }) => m.to.email).sort()).toEqual(['not-an-address', REFUSED]);
  const refusal = failed.find((m: { to: { email: string } }) => m.to.email === REFUSED);
  expect(refusal.lastError).toMatch(/550/);
  expect(refusal.attempts).toBe(1);
  expect(failed.find((m: { to: { email: string } }) => m.to.email === 'not-an-address').lastError).toContain('收件地址无效');

  // Not retried: time passes, nothing is attempted again.
  offsetMs += 24 * 3600_000;
  expect(await d.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });

  // Staff fix the address and re-send; only the clerk may.
  await h.models.Staff.updateOne({ _id: refused.record._id }, { $set: { email: 'fixed@example.gov.cn' } });
  const encoded = encodeURIComponent(refusal.messageId);
  expect((await h.as('drafter').post(`/mail/${encoded}/resend`)).status).toBe(403);
  const resent = await h.as('clerk').post(`/mail/${encoded}/resend`);
  expect(resent.status).toBe(200);
  // Re-sent to the corrected address, under the same Message-ID.
  expect(resent.body.message).toMatchObject({ status: 'pending', attempts: 0, to: { email: 'fixed@example.gov.cn' } });
  expect((await h.as('clerk').post(`/mail/${encoded}/resend`)).body.error.code).toBe('MESSAGE_NOT_FAILED');
  expect(await d.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
  const delivered = smtp.drain();
  expect(delivered.map((m) => [m.to, m.messageId])).toEqual([['fixed@example.gov.cn', refusal.messageId]]);
  expect((await h.as('clerk').get(`/mail/${encoded}`)).body.message).toMatchObject({ status: 'sent' });

  // The invalid address stays failed until somebody corrects it; the list shows it.
  const stillFailed = (await h.as('assessor').get('/mail?status=failed')).body.items.map((m: { to: { staffId: string } }) => m.to.staffId);
  expect(stillFailed).toContain(String(bad.record._id));
  expect((await h.as('clerk').get('/mail/%3Cnope%3E')).body.error.code).toBe('MESSAGE_NOT_FOUND');
  expect((await h.as('drafter').get('/mail?status=failed')).status).toBe(403);
});

test('transient failures are retried with backoff, then marked failed after the last attempt', async () => {
  const d = dispatcher('instance-flaky', 3);
  const id = await filingAt(h, []);
  await smtp.stop();
  await step('drafter', id, { type: 'REQUEST_INTERPRETATION_APPROVAL' });
  const outcomes = [];
  for (let i = 0; i < 3; i++) {
    outcomes.push(await d.runOnce());
    offsetMs += 3600_000;
  }
  await smtp.start();
  expect(outcomes.map((o) => [o.retrying, o.failed])).toEqual([
    [1, 0],
    [1, 0],
    [0, 1],
  ]);
  expect(await d.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
});

test('several instances on one database: each message is sent by exactly one', async () => {
  const id = await filingAt(h, ['awaitingIntake', 'review']);
  await drive(h, id, [['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '合法' }]]);
  const instances = ['one', 'two', 'three'].map((name) => dispatcher(name));
  const reports = await Promise.all(instances.map((d) => d.runOnce()));
  const sent = reports.reduce((n, r) => n + r.sent, 0);
  const ids = smtp.drain().map((m) => m.messageId);
  expect(ids).toHaveLength(sent);
  expect(new Set(ids).size).toBe(ids.length);
  expect(sent).toBeGreaterThan(5);
});
