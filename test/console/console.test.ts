/**
 * The console over HTTP, without a browser: for filings in every stage and every member of
 * staff, the page offers exactly the actions the rules allow, and every other action posted
 * through the console's own form is refused without changing the filing. Also the list filters
 * (department, deadline) and overdue highlighting.
 */
import { EVENT_LABELS, type FilingEventType } from '../../machines/filing.machine';
import { currentDeadline, DEFAULT_DEADLINES } from '../../src/workflow/deadlines';
import { drive, filingAt, STAFF, startHarness, type Harness, type StaffKey } from '../support/harness';
import { consoleSessions, csrfOf } from '../support/console';
import { OTHER } from '../support/fixtures';


const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&quot;/g, '"');
const offeredOn = (html: string) => [...html.matchAll(/<details class="action"[^>]*><summary>([^<]*)<\/summary>/g)].map((m) => decode(m[1]));

/** Every field any action form can carry, filled validly: only the rules can refuse the post. */
function fullForm(type: FilingEventType, version: number, csrf: string): Record<string, string> {
  const inTwentyDays = new Date(Date.now() + 40 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
  return {
    _csrf: csrf,
    type,
    version: String(version),
    title: '标题',
    body: '第一条 正文。',
    plan: '解读方案',
    note: '说明',
    opinion: '意见',
    meeting: '第1次常务会议',
    documentNumber: '某政发〔2026〕1号',
    reasons: 'R18_OTHER',
    endsAt: inTwentyDays,
    basis: '依据',
    background: '背景',
    explanation: '说明',
    reason: '理由',
    url: '',
    disclosure_attribute: 'proactive',
    documentKind: 'other',
  };
}

describe('the console offers exactly what the rules allow, and refuses the rest', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(() => h.close());

  const signedIn = consoleSessions(() => h);
  // A session's CSRF token stays the same (it signs the session's cookie): read it once per person.
  const tokens = new Map<StaffKey, string>();
  const csrfFor = async (who: StaffKey) => {
    if (!tokens.has(who)) tokens.set(who, csrfOf((await (await signedIn(who)).get('/console')).text));
    return tokens.get(who) as string;
  };

  test('for every stage and every member of staff', async () => {
    const filings = await Promise.all([
      filingAt(h, []),
      filingAt(h, ['awaitingIntake']),
      filingAt(h, ['awaitingIntake', 'review']),
      filingAt(h, ['consultationRequested']),
      filingAt(h, ['consultationRequested', 'consultation']),
      filingAt(h, ['consultationRequested', 'consultation', 'disposition']),
      filingAt(h, ['consultationRequested', 'consultation', 'disposition', 'adoptionReportReview']),
      filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision']),
      filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision', 'deferred']),
      filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision', 'signing']),
      filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision', 'signing', 'awaitingPublication']),
    ]);
    let refusals = 0;
    for (const id of filings) {
      const allowed = new Map<StaffKey, FilingEventType[]>();
      for (const who of Object.keys(STAFF) as StaffKey[]) {
        const api = await h.as(who).get(`/filings/${id}`);
        allowed.set(who, api.status === 200 ? api.body.allowedEvents : []);
        const page = await (await signedIn(who)).get(`/console/filings/${id}`);
        if (api.status !== 200) {
          // Not theirs to see: no page, no buttons.
          expect(page.status).toBe(403);
          expect(offeredOn(page.text)).toEqual([]);
          continue;
        }
        expect(page.status).toBe(200);
        expect(offeredOn(page.text)).toEqual(api.body.allowedEvents.map((e: FilingEventType) => EVENT_LABELS[e]));
      }
      // What somebody may do now, tried by everybody else through the console form.
      const someone = new Set([...allowed.values()].flat());
      const before = (await h.as('assessor').get(`/filings/${id}`)).body;
      for (const who of Object.keys(STAFF) as StaffKey[]) {
        const agent = await signedIn(who);
        const csrf = await csrfFor(who);
        const attempts = [...someone].filter((e) => !allowed.get(who)?.includes(e));
        // And one event the chart does not take in this state at all.
        attempts.push(before.stage === 'awaitingPublication' ? 'SIGN' : 'PUBLISH');
        for (const type of attempts) {
          const res = await agent.post(`/console/filings/${id}/events`).type('form').send(fullForm(type, before.version, csrf));
          expect([403, 409]).toContain(res.status);
          refusals++;
        }
      }
      const after = (await h.as('assessor').get(`/filings/${id}`)).body;
      expect(after.version).toBe(before.version);
      expect(after.stage).toBe(before.stage);
    }
    expect(refusals).toBeGreaterThan(100);
  }, 600_000);

  test('lists filter by department and deadline; overdue deadlines are highlighted', async () => {
    const late = await filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision', 'signing', 'awaitingPublication']);
    const other = (await h.service.create(h.actors.otherDrafter, { title: '关于学校课后服务的通知', body: '第一条 正文。', coDepartments: [], particulars: {}, interpretation: {} })).id;
    await drive(h, other, []);
    // Signed a month ago: the R6 deadline has passed.
    const signedAt = new Date(Date.now() - 30 * 86_400_000);
    const stored = await h.models.Filing.findById(late).lean().exec();
    const context = { ...(stored!.snapshot as { context: Record<string, unknown> }).context, signing: { ...((stored!.snapshot as { context: { signing: object } }).context.signing), at: signedAt.toISOString() } };
    const due = currentDeadline('awaitingPublication', context as never, signedAt, DEFAULT_DEADLINES)!.due;
    await h.models.Filing.updateOne({ _id: late }, { $set: { 'snapshot.context.signing.at': signedAt.toISOString(), deadlineAt: due } }).exec();

    const publisher = await signedIn('publisher');
    const overdue = await publisher.get('/console?deadline=overdue').expect(200);
    expect(overdue.text).toContain(`/console/filings/${late}`);
    expect(overdue.text).toContain('class="overdue-row"');
    expect(overdue.text).toMatch(/公开发布期限（R6）：[^<]*，<strong>已逾期\d+个工作日<\/strong>/);
    const tasks = await publisher.get('/console/tasks').expect(200);
    expect(tasks.text).toContain(`/console/filings/${late}`);
    expect(tasks.text).toContain('<h1>待发布</h1>');

    // The API answers the same filters.
    const api = await h.as('publisher').get('/filings?deadline=overdue').expect(200);
    expect(api.body.items.map((f: { id: string }) => f.id)).toEqual([late]);
    expect(api.body.items[0].deadline).toMatchObject({ kind: 'publication', overdue: true });
    const mine = await h.as('drafter').get(`/filings?department=${encodeURIComponent(OTHER)}`).expect(200);
    // A department's staff see their own filings only, whatever the filter asks for.
    expect(mine.body.items).toEqual([]);
    const drafterTasks = await h.as('otherDrafter').get('/filings?tasks=true').expect(200);
    expect(drafterTasks.body.items.map((f: { id: string }) => f.id)).toContain(other);

    // The assessor sees every shared filing and can narrow them to a department.
    const assessor = await signedIn('assessor');
    const all = await assessor.get('/console').expect(200);
    expect(all.text).toContain(`<option value="${OTHER}"`);
    const byDepartment = await assessor.get(`/console?department=${encodeURIComponent('市发展和改革委员会')}&deadline=any`).expect(200);
    expect(byDepartment.text).toContain(`/console/filings/${late}`);
    expect(byDepartment.text).not.toContain('关于学校课后服务的通知');
    // Nonsense in the filters is ignored, not an error.
    await assessor.get('/console?deadline=yesterday&stage=%24gt&department=&page=-3').expect(200);
    await h.as('assessor').get('/filings?deadline=yesterday').expect(400);
  }, 120_000);
});
