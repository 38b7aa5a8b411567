/**
 * After signing: publication deadlines with reminders and alerts that survive a
 * restart and go out once (R6), follow-up interpretation (R7) and validity with dated changes
 * recorded on their day (R17).
 */
import request from 'supertest';
import { cstDay } from '../../machines/validity';
import { addWorkingDays, workingDaysBefore } from '../../src/calendar';
import { DeadlineNotices } from '../../src/schedule/deadlines';
import { ValidityRecorder } from '../../src/schedule/validity';
import { buildServices } from '../../src/services';
import type { OutboxRecord } from '../../src/store/models';
import { DEFAULT_DEADLINES, publicationDue } from '../../src/workflow/deadlines';
import { drive, filingAt, TEST_MAIL_SETTINGS, startHarness, type Harness } from '../support/harness';
import { createRepositories } from '../../src/store';

const DAY = 86_400_000;
let offset = 0;
const clock = () => new Date(Date.now() + offset);
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock });
}, 60_000);
afterAll(() => h.close());
afterEach(() => {
  offset = 0;
});

const toSigned = ['awaitingIntake', 'review', 'awaitingDecision', 'signing', 'awaitingPublication'] as const;
const toPublished = [...toSigned, 'published'] as const;

async function send(who: Parameters<Harness['as']>[0], id: string, body: Record<string, unknown>, status?: number) {
  const { version } = (await h.as('assessor').get(`/filings/${id}`)).body;
  const res = await h.as(who).post(`/filings/${id}/events`, { version, ...body });
  if (status !== undefined) expect({ status: res.status, error: res.body.error ?? null }).toEqual({ status, error: status === 200 ? null : expect.anything() });
  return res;
}

async function outbox(id: string): Promise<OutboxRecord[]> {
  return ((await h.models.Filing.findById(id, { outbox: 1 }).lean().exec()) as { outbox: OutboxRecord[] }).outbox;
}

const recipients = (mails: OutboxRecord[], template: string) => mails.filter((m) => m.template === template).map((m) => m.to.email).sort();

describe('R6: the publication deadline, its reminder and its alert', () => {
  test('computed per kind of document in working days, remembered on the filing', async () => {
    const id = await filingAt(h, [...toSigned]);
    const view = (await h.as('publisher').get(`/filings/${id}`)).body;
    const due = publicationDue(new Date(view.context.signing.at), 'other', DEFAULT_DEADLINES);
    expect(view.deadline).toMatchObject({ kind: 'publication', rule: 'R6', overdue: false });
    const stored = await h.models.Filing.findById(id).lean().exec();
    expect(stored!.deadlineAt).toEqual(due);
    expect(stored!.alertAt).toEqual(due);
    expect(stored!.reminderAt).toEqual(workingDaysBefore(due, 1));
  });

  test('a reminder before and an alert after go out once each, also after a restart and with two instances', async () => {
    const id = await filingAt(h, [...toSigned]);
    const stored = await h.models.Filing.findById(id).lean().exec();
    const reminderAt = stored!.reminderAt as Date;
    const due = stored!.alertAt as Date;

    // Before the reminder is due: nothing.
    await new DeadlineNotices(h.services, () => new Date(reminderAt.getTime() - 60_000)).runOnce();
    expect(recipients(await outbox(id), 'deadline-reminder')).toEqual([]);
    const remind = new DeadlineNotices(h.services, () => new Date(reminderAt.getTime() + 60_000));
    await remind.runOnce();
    await remind.runOnce();
    let mails = await outbox(id);
    expect(recipients(mails, 'deadline-reminder')).toEqual(['publisher@example.gov.cn']);
    const reminder = mails.find((m) => m.template === 'deadline-reminder')!;
    expect(reminder.subject).toContain('【办理期限提醒】');
    expect(reminder.text).toContain('公开发布期限（R6）即将届满');

    // A restart: new services over the same database, two instances passing at once after the deadline.
    const restarted = () => new DeadlineNotices(buildServices(createRepositories(h.models), TEST_MAIL_SETTINGS), () => new Date(due.getTime() + DAY));
    await Promise.all([restarted().runOnce(), restarted().runOnce()]);
    mails = await outbox(id);
    expect(recipients(mails, 'deadline-overdue')).toEqual(['clerk@example.gov.cn', 'head@example.gov.cn', 'publisher@example.gov.cn']);
    expect(mails.find((m) => m.template === 'deadline-overdue')!.text).toContain('已超过公开发布期限（R6）');
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
    await restarted().runOnce();
    expect(await outbox(id)).toHaveLength(mails.length);
  });

  test('a reminder that falls due after its deadline (service down) is dropped; the alert still goes', async () => {
    const id = await filingAt(h, [...toSigned]);
    const due = (await h.models.Filing.findById(id).lean().exec())!.alertAt as Date;
    await new DeadlineNotices(h.services, () => new Date(due.getTime() + 2 * DAY)).runOnce();
    expect((await h.models.Filing.findById(id).lean().exec())!.reminderAt).toBeNull();
    const mails = await outbox(id);
    expect(recipients(mails, 'deadline-reminder')).toEqual([]);
    expect(recipients(mails, 'deadline-overdue')).toHaveLength(3);
  });

  test('published in time: no reminder, no alert', async () => {
    const id = await filingAt(h, [...toPublished]);
    const stored = await h.models.Filing.findById(id).lean().exec();
    expect([stored!.deadlineAt, stored!.reminderAt, stored!.alertAt]).toEqual([null, null, null]);
    await new DeadlineNotices(h.services, () => new Date(Date.now() + 30 * DAY)).runOnce();
    expect(recipients(await outbox(id), 'deadline-overdue')).toEqual([]);
  });

  test('review tasks: the reviewers still pending hear, and the general office once it is late', async () => {
    const market = {
      particulars: { touchesMarket: true, disclosure: { attribute: 'proactive' as const, reason: null }, fairCompetition: { conclusion: 'compliant' as const, summary: '经自查符合' } },
    };
    const id = await filingAt(h, ['awaitingIntake', 'review'], market);
    const stored = await h.models.Filing.findById(id).lean().exec();
    expect(stored!.alertAt).toEqual(addWorkingDays(stored!.stageEnteredAt, DEFAULT_DEADLINES.reviewWorkingDays));
    await new DeadlineNotices(h.services, () => new Date((stored!.reminderAt as Date).getTime() + 1000)).runOnce();
    expect(recipients(await outbox(id), 'deadline-reminder')).toEqual(['fairCompetitionReviewer@example.gov.cn', 'legalReviewer@example.gov.cn']);
    // One review done: the deadline stays, and so does the state of its notices.
    await send('legalReviewer', id, { type: 'PASS_LEGALITY_REVIEW', opinion: '合法' });
    const after = await h.models.Filing.findById(id).lean().exec();
    expect(after!.reminderAt).toBeNull();
    expect(after!.alertAt).toEqual(stored!.alertAt);
    await new DeadlineNotices(h.services, () => new Date((stored!.alertAt as Date).getTime() + 1000)).runOnce();
    expect(recipients(await outbox(id), 'deadline-overdue')).toEqual(['clerk@example.gov.cn', 'fairCompetitionReviewer@example.gov.cn']);
  });
});

describe('R7: follow-up interpretation after publication', () => {
  test('the drafting department adds interpretations, each with its form and date, shown with the document', async () => {
    const id = await filingAt(h, [...toPublished]);
    const added = await send('drafter', id, {
      type: 'ADD_FOLLOW_UP',
      form: 'policyQa',
      title: '关于申报时间的政策问答',
      body: '问：何时申报？答：每年三月。',
      url: null,
      concern: '申报时间',
    });
    expect(added.status).toBe(200);
    await send('drafter', id, { type: 'ADD_FOLLOW_UP', form: 'video', title: '政策解读视频', url: 'https://www.example.gov.cn/v/1.mp4' }, 200);
    const view = (await h.as('assessor').get(`/filings/${id}`)).body;
    expect(view.context.followUps.map((f: { form: string }) => f.form)).toEqual(['policyQa', 'video']);
    expect(view.context.followUps[0]).toMatchObject({ concern: '申报时间', by: { role: 'drafter' }, at: expect.any(String) });
    const page = await request(h.app).get(`/documents/${id}`).expect(200);
    expect(page.text).toContain('后续解读');
    expect(page.text).toContain('关于申报时间的政策问答');
    expect(page.text).toContain('回应关切：申报时间');
    expect(page.text.indexOf('政策解读视频')).toBeLessThan(page.text.indexOf('关于申报时间的政策问答'));

    // Neither empty nor by another department; a co-department contributes before, not after.
    expect((await send('drafter', id, { type: 'ADD_FOLLOW_UP', form: 'policyQa', title: '空' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await send('coDrafter', id, { type: 'ADD_FOLLOW_UP', form: 'policyQa', title: '问答', body: '内容' })).status).toBe(403);
  });
});

describe('R17: validity', () => {
  test('published in force from the day of publication, or from a later effective date', async () => {
    const id = await filingAt(h, [...toSigned]);
    const inTen = cstDay(new Date(Date.now() + 10 * DAY));
    await send('publisher', id, { type: 'PUBLISH', effectiveFrom: inTen }, 200);
    const view = (await h.as('assessor').get(`/filings/${id}`)).body;
    expect(view.context.validity).toMatchObject({ effectiveFrom: inTen, changes: [{ status: 'notYetInForce' }] });
    const page = await request(h.app).get(`/documents/${id}`).expect(200);
    expect(page.text).toContain('尚未施行');
    // On the effective day the scheduler records it as in force.
    offset = 11 * DAY;
    expect(await new ValidityRecorder(h.services, clock).runOnce()).toMatchObject({ recorded: 1 });
    const later = (await h.as('assessor').get(`/filings/${id}`)).body;
    expect(later.context.validity.changes.map((c: { status: string }) => c.status)).toEqual(['notYetInForce', 'inForce']);
    // An expiry before the effective date is refused.
    offset = 0;
    const refused = await send('publisher', id, { type: 'SET_EXPIRY', expiresOn: cstDay(new Date(Date.now() + 5 * DAY)) });
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'expiresOn' });
  });

  test('amended: marked at once, with the amending document linked', async () => {
    const id = await filingAt(h, [...toPublished]);
    const today = cstDay(new Date());
    await send('publisher', id, {
      type: 'AMEND',
      document: { title: '关于修改部分条款的决定', documentNumber: '某政发〔2026〕40号', url: 'https://www.example.gov.cn/zwgk/40.html' },
      effectiveOn: today,
    }, 200);
    const view = (await h.as('assessor').get(`/filings/${id}`)).body;
    expect(view.context.validity.changes.at(-1)).toMatchObject({ status: 'amended', on: today });
    const page = await request(h.app).get(`/documents/${id}`).expect(200);
    expect(page.text).toContain('validity-amended');
    expect(page.text).toContain('href="https://www.example.gov.cn/zwgk/40.html"');
    expect((await request(h.app).get('/documents').expect(200)).text).toContain('已修改');
    await send('drafter', id, { type: 'AMEND', document: { title: 'x' }, effectiveOn: today }, 403);
  });

  test('a repeal from a later day takes effect on that day, once, durably; then nothing more is added', async () => {
    const id = await filingAt(h, [...toPublished]);
    const repealDay = cstDay(new Date(Date.now() + 10 * DAY));
    await send('publisher', id, { type: 'REPEAL', effectiveOn: repealDay, note: '已被新规定替代', document: null }, 200);
    const page = await request(h.app).get(`/documents/${id}`).expect(200);
    expect(page.text).toContain('现行有效');
    expect(page.text).toMatch(/本文件将于\d{4}年\d+月\d+日起已废止/);
    const stored = await h.models.Filing.findById(id).lean().exec();
    expect(stored!.validityChangesAt).toEqual(new Date(`${repealDay}T00:00:00+08:00`));

    // Not yet: nothing happens.
    offset = 5 * DAY;
    expect(await new ValidityRecorder(h.services, clock).runOnce()).toMatchObject({ recorded: 0 });
    // After the day (the service having been down over it), two restarted instances: recorded once.
    offset = 12 * DAY;
    const restarted = () => new ValidityRecorder(buildServices(createRepositories(h.models), TEST_MAIL_SETTINGS, { clock }), clock);
    const results = await Promise.all([restarted().runOnce(), restarted().runOnce()]);
    expect(results.reduce((n, r) => n + r.recorded, 0)).toBe(1);
    const history = (await h.as('assessor').get(`/filings/${id}/history`)).body.history;
    const changes = history.filter((e: { event: string }) => e.event === 'VALIDITY_CHANGED');
    expect(changes).toHaveLength(1);
    expect(changes[0].note).toMatch(/^自\d{4}年\d+月\d+日起已废止$/);
    const mails = await outbox(id);
    expect(mails.filter((m) => m.seq === changes[0].seq).map((m) => m.to.email).sort()).toEqual([
      'coDrafter@example.gov.cn',
      'coHead@example.gov.cn',
      'drafter@example.gov.cn',
      'head@example.gov.cn',
    ]);
    expect((await h.models.Filing.findById(id).lean().exec())!.validityChangesAt).toBeNull();
    // Repealed for good: no more marks, no more interpretations.
    expect((await send('drafter', id, { type: 'ADD_FOLLOW_UP', form: 'policyQa', title: '问答', body: '内容' })).body.error.code).toBe('EVENT_NOT_ALLOWED');
    expect((await send('publisher', id, { type: 'SET_EXPIRY', expiresOn: null })).body.error.code).toBe('EVENT_NOT_ALLOWED');
  });

  test('a term: the document expires the day after its last day in force', async () => {
    const id = await filingAt(h, [...toPublished]);
    const lastDay = cstDay(new Date(Date.now() + 3 * DAY));
    await send('publisher', id, { type: 'SET_EXPIRY', expiresOn: lastDay }, 200);
    offset = 3 * DAY;
    expect((await new ValidityRecorder(h.services, clock).runOnce()).recorded).toBe(0);
    offset = 4 * DAY + 60_000;
    await new ValidityRecorder(h.services, clock).runOnce();
    const view = (await h.as('assessor').get(`/filings/${id}`)).body;
    expect(view.context.validity.changes.at(-1)).toMatchObject({ status: 'expired' });
    await drive(h, id, []);
  });
});

