/**
 * R9/R11: when a comment period's end instant passes, staff do not wait for the scheduler. The
 * first request that finds the period ended closes it — the same guarded, once-only system
 * transition the scheduler sends, with the same e-mails — and then does what it was asked.
 */
import request from 'supertest';
import { silentLogger } from '../../src/log';
import { ConsultationCloser } from '../../src/schedule/consultations';
import type { HistoryEntry, OutboxRecord } from '../../src/store/models';
import { consoleSessions } from '../support/console';
import { filingAt, startHarness, type Harness } from '../support/harness';

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

/** A cleared 31-day consultation with two comments, and their ids as the drafter reads them. */
async function openWithComments(): Promise<{ id: string; commentIds: string[] }> {
  const id = await filingAt(h, ['consultationRequested', 'consultation'], { title: '城市公共交通票价调整方案' });
  for (const body of ['建议分步调整票价。', '建议保留老年人免费乘车。']) {
    await request(h.app).post(`/public/consultations/${id}/comments`).send({ body }).expect(201);
  }
  const items = (await h.as('drafter').get(`/filings/${id}/comments?round=1`).expect(200)).body.items;
  return { id, commentIds: items.map((c: { id: string }) => c.id) };
}

async function stored(id: string): Promise<{ history: HistoryEntry[]; outbox: OutboxRecord[] }> {
  return (await h.models.Filing.findById(id, { history: 1, outbox: 1 }).lean().exec()) as never;
}

const closes = (history: HistoryEntry[]) => history.filter((e) => e.event === 'CLOSE_CONSULTATION');

test('the period has ended: a disposition succeeds at once, without any scheduler pass', async () => {
  const { id, commentIds } = await openWithComments();
  const before = await h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, { commentIds: [commentIds[0]], outcome: 'adopted' });
  expect(before.body.error).toMatchObject({ code: 'DISPOSITION_NOT_OPEN', stage: 'consultation' });

  offset = 31 * DAY + 60_000;
  const answered = await h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, { commentIds: [commentIds[0]], outcome: 'adopted' });
  expect({ status: answered.status, body: answered.body }).toEqual({ status: 200, body: { disposed: 1 } });

  const { history, outbox } = await stored(id);
  const [close] = closes(history);
  expect(closes(history)).toHaveLength(1);
  expect(close).toMatchObject({ actor: { role: 'system' }, from: { stage: 'consultation' }, to: { stage: 'disposition' } });
  // Closed before the answer was recorded, so the ledger reads in the order things happened.
  expect(history.findIndex((e) => e.event === 'CLOSE_CONSULTATION')).toBeLessThan(history.findIndex((e) => e.event === 'DISPOSE_COMMENTS'));
  // The e-mails of the close, as when the scheduler closes a period.
  const mails = outbox.filter((m) => m.seq === close.seq);
  expect(mails.map((m) => m.template)).toEqual(expect.arrayContaining(['status-update']));
  expect(mails.map((m) => m.to.email).sort()).toEqual(['coDrafter@example.gov.cn', 'coHead@example.gov.cn', 'drafter@example.gov.cn', 'head@example.gov.cn']);
  expect(mails[0].subject).toContain('【意见处理中】');

  // Nothing left for the scheduler.
  expect(await new ConsultationCloser(h.services, silentLogger, clock).runOnce()).toEqual({ closed: 0, lost: 0 });
});

test('any read closes it too: the filing, the lists and the console show it closed', async () => {
  const { id } = await openWithComments();
  offset = 32 * DAY;
  const console = await (await consoleSessions(() => h)('drafter')).get('/console').expect(200);
  const row = console.text.split('<tr').find((r) => r.includes(`/console/filings/${id}"`));
  expect(row).toMatch(/<td[^>]*>意见处理中<\/td>/);
  const list = await h.as('drafter').get('/filings?tasks=true').expect(200);
  expect(list.body.items.find((f: { id: string }) => f.id === id)).toMatchObject({ stage: 'disposition', allowedEvents: expect.arrayContaining(['FINALIZE_ADOPTION_REPORT']) });
  expect((await h.as('drafter').get(`/filings/${id}`)).body.stage).toBe('disposition');
  expect(closes((await stored(id)).history)).toHaveLength(1);
});

test('an ended period cannot be extended after the fact: it is closed first, then the extension refused', async () => {
  const { id } = await openWithComments();
  offset = 32 * DAY;
  const { version } = (await h.models.Filing.findById(id, { version: 1 }).lean().exec()) as { version: number };
  const extend = await h.as('drafter').post(`/filings/${id}/events`, {
    type: 'EXTEND_CONSULTATION',
    version,
    endsAt: new Date(Date.now() + 60 * DAY).toISOString(),
    reason: '延长征求意见期',
  });
  expect(extend.status).toBe(409);
  expect(closes((await stored(id)).history)).toHaveLength(1);
  expect((await h.as('assessor').get(`/filings/${id}`)).body.stage).toBe('disposition');
});

test('two requests at once after the end: exactly one CLOSE_CONSULTATION, both answered', async () => {
  const { id, commentIds } = await openWithComments();
  offset = 31 * DAY + 60_000;
  const [read, answer, scheduler] = await Promise.all([
    h.as('legalReviewer').get(`/filings/${id}`),
    h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, { commentIds, outcome: 'notApplicable' }),
    new ConsultationCloser(h.services, silentLogger, clock).runOnce(),
  ]);
  // Not filed yet, so the legal reviewer may not read it; the request took part in the race all the same.
  expect(read.status).toBe(403);
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { disposed: 2 } });
  expect(scheduler.closed).toBeLessThanOrEqual(1);
  expect(closes((await stored(id)).history)).toHaveLength(1);
});

test('when the scheduler comes first it closes the period itself, counts it and groups the campaigns', async () => {
  const { id } = await openWithComments();
  offset = 31 * DAY + 60_000;
  expect(await new ConsultationCloser(h.services, silentLogger, clock).runOnce()).toEqual({ closed: 1, lost: 0 });
  expect(closes((await stored(id)).history)).toHaveLength(1);
  // Its follow-up work ran: the round's campaigns are computed and stored.
  expect(await h.models.Clustering.countDocuments({ filingId: id, round: 1 }).exec()).toBe(1);
});
