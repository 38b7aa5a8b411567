/**
 * Every role × action pair over HTTP: each member of staff sends each event to a filing that is
 * in a state where the chart accepts it, so a refusal can only come from role or department.
 * The expectations below restate the rulebook independently of machines/permissions.ts.
 */
import type { FilingEventType } from '../../machines/filing.machine';
import { FILING_EVENT_TYPES } from '../../machines/permissions';
import { LEAD, OTHER } from '../support/fixtures';
import { consultationRequest, drive, filingAt, ROUTES, STAFF, startHarness, type Harness, type StaffKey, type Step } from '../support/harness';

type Route = keyof typeof ROUTES;

interface Setup {
  routes: Route[];
  before?: Step[];
  payload?: Record<string, unknown>;
  market?: boolean;
}

const toIntake: Route[] = ['awaitingIntake'];
const toReview: Route[] = ['awaitingIntake', 'review'];
const toDecision: Route[] = ['awaitingIntake', 'review', 'awaitingDecision'];
const request: Step = ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }];
const approve: Step = ['head', { type: 'APPROVE_INTERPRETATION', note: '同意' }];

const SETUP: Record<FilingEventType, Setup> = {
  EDIT_TEXT: { routes: [], payload: { body: '修改后的正文' } },
  FINALIZE_TEXT: { routes: [] },
  REOPEN_TEXT: { routes: [], before: [['drafter', { type: 'FINALIZE_TEXT' }]] },
  EDIT_INTERPRETATION: { routes: [], payload: { patch: { plan: '召开新闻发布会解读' } } },
  REQUEST_INTERPRETATION_APPROVAL: { routes: [] },
  APPROVE_INTERPRETATION: { routes: [], before: [request] },
  REJECT_INTERPRETATION: { routes: [], before: [request], payload: { note: '请补充新旧政策差异' } },
  REOPEN_INTERPRETATION: { routes: [], before: [request, approve] },
  EDIT_PARTICULARS: { routes: [], payload: { patch: { meetingPlan: true } } },
  START_CONSULTATION: { routes: [], payload: consultationRequest() },
  CLEAR_FOR_PUBLICATION: { routes: ['consultationRequested'] },
  REFUSE_CLEARANCE: { routes: ['consultationRequested'], payload: { note: '含有未公开的内部研究意见' } },
  EXTEND_CONSULTATION: {
    routes: ['consultationRequested', 'consultation'],
    payload: { endsAt: new Date(Date.now() + 60 * 86_400_000).toISOString(), reason: '意见较多，延长征求意见期' },
  },
  CLOSE_CONSULTATION: { routes: ['consultationRequested', 'consultation'] },
  FINALIZE_ADOPTION_REPORT: { routes: ['consultationRequested', 'consultation', 'disposition'] },
  RETURN_ADOPTION_REPORT: {
    routes: ['consultationRequested', 'consultation', 'disposition', 'adoptionReportReview'],
    payload: { note: '请补充未采纳意见的理由' },
  },
  PUBLISH_ADOPTION_REPORT: { routes: ['consultationRequested', 'consultation', 'disposition', 'adoptionReportReview'] },
  SUBMIT: { routes: [], before: [request, approve, ['drafter', { type: 'FINALIZE_TEXT' }]] },
  ACCEPT: { routes: toIntake },
  RETURN: { routes: toIntake, payload: { reasons: [{ code: 'R18_OTHER' }], note: '请补充起草说明' } },
  REVISE: {
    routes: toIntake,
    before: [['clerk', { type: 'RETURN', reasons: [{ code: 'R18_OTHER' }], note: '请补充起草说明' }]],
  },
  PASS_LEGALITY_REVIEW: { routes: toReview, payload: { opinion: '合法' } },
  FAIL_LEGALITY_REVIEW: { routes: toReview, payload: { opinion: '缺乏上位法依据' } },
  PASS_FAIR_COMPETITION_REVIEW: { routes: toReview, market: true, payload: { opinion: '符合' } },
  FAIL_FAIR_COMPETITION_REVIEW: { routes: toReview, market: true, payload: { opinion: '含指定交易条款' } },
  ADOPT: { routes: toDecision, payload: { meeting: '第3次常务会议' } },
  SEND_BACK_FOR_AMENDMENT: { routes: toDecision, payload: { meeting: '第3次常务会议', note: '修改后再议' } },
  REJECT: { routes: toDecision, payload: { meeting: '第3次常务会议', note: '不予通过' } },
  DEFER: { routes: toDecision, payload: { meeting: '第3次常务会议', note: '暂缓' } },
  RESCHEDULE: { routes: [...toDecision, 'deferred'] },
  SIGN: { routes: [...toDecision, 'signing'], payload: { documentNumber: '某政发〔2026〕3号' } },
  PUBLISH: { routes: [...toDecision, 'signing', 'awaitingPublication'] },
  WITHDRAW: { routes: toIntake, payload: { note: '情况变化，撤回' } },
  ADD_FOLLOW_UP: {
    routes: [...toDecision, 'signing', 'awaitingPublication', 'published'],
    payload: { form: 'policyQa', title: '政策问答（二）', body: '关于申报时间的问答。', url: null, concern: null },
  },
  AMEND: {
    routes: [...toDecision, 'signing', 'awaitingPublication', 'published'],
    payload: { document: { title: '关于修改部分措施的决定', documentNumber: '某政发〔2027〕2号', url: null }, effectiveOn: '2027-01-01' },
  },
  REPEAL: {
    routes: [...toDecision, 'signing', 'awaitingPublication', 'published'],
    payload: { effectiveOn: '2027-01-01', document: null, note: '已被新措施替代' },
  },
  SET_EXPIRY: { routes: [...toDecision, 'signing', 'awaitingPublication', 'published'], payload: { expiresOn: '2028-12-31' } },
  VALIDITY_CHANGED: { routes: [...toDecision, 'signing', 'awaitingPublication', 'published'] },
};

/** Who may send what (the roles of docs/rules.md; R2/R3 for the lead department's head). */
const ALLOWED: Record<FilingEventType, StaffKey[]> = {
  EDIT_TEXT: ['drafter', 'coDrafter'],
  FINALIZE_TEXT: ['drafter'],
  REOPEN_TEXT: ['drafter'],
  EDIT_INTERPRETATION: ['drafter', 'coDrafter'],
  REQUEST_INTERPRETATION_APPROVAL: ['drafter'],
  APPROVE_INTERPRETATION: ['head'],
  REJECT_INTERPRETATION: ['head'],
  REOPEN_INTERPRETATION: ['drafter'],
  EDIT_PARTICULARS: ['drafter'],
  START_CONSULTATION: ['drafter'],
  CLEAR_FOR_PUBLICATION: ['confidentialityReviewer'],
  REFUSE_CLEARANCE: ['confidentialityReviewer'],
  EXTEND_CONSULTATION: ['drafter'],
  // Only the product itself closes a period, at its end instant (R9).
  CLOSE_CONSULTATION: [],
  FINALIZE_ADOPTION_REPORT: ['drafter'],
  RETURN_ADOPTION_REPORT: ['publisher'],
  PUBLISH_ADOPTION_REPORT: ['publisher'],
  SUBMIT: ['head'],
  ACCEPT: ['clerk'],
  RETURN: ['clerk'],
  REVISE: ['drafter'],
  PASS_LEGALITY_REVIEW: ['legalReviewer'],
  FAIL_LEGALITY_REVIEW: ['legalReviewer'],
  PASS_FAIR_COMPETITION_REVIEW: ['fairCompetitionReviewer'],
  FAIL_FAIR_COMPETITION_REVIEW: ['fairCompetitionReviewer'],
  ADOPT: ['meetingSecretary'],
  SEND_BACK_FOR_AMENDMENT: ['meetingSecretary'],
  REJECT: ['meetingSecretary'],
  DEFER: ['meetingSecretary'],
  RESCHEDULE: ['meetingSecretary'],
  SIGN: ['signer'],
  PUBLISH: ['publisher'],
  WITHDRAW: ['drafter', 'head'],
  // R7: the drafting department goes on interpreting (R3).
  ADD_FOLLOW_UP: ['drafter'],
  // R17: the validity mark is kept by whoever publishes.
  AMEND: ['publisher'],
  REPEAL: ['publisher'],
  SET_EXPIRY: ['publisher'],
  // Only the product itself records a dated change, on its day.
  VALIDITY_CHANGED: [],
};

const EVERYONE = Object.keys(STAFF) as StaffKey[];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function ready(type: FilingEventType): Promise<string> {
  const setup = SETUP[type];
  const market = setup.market
    ? { particulars: { touchesMarket: true, disclosure: { attribute: 'proactive' as const, reason: null }, fairCompetition: { conclusion: 'compliant' as const, summary: '经自查符合' } } }
    : {};
  const id = await filingAt(h, setup.routes, market);
  if (setup.before) await drive(h, id, setup.before);
  return id;
}

/**
 * Per event, a filing made ready for it that nobody has changed since: the refusals leave it as it
 * was (and check that), then the first sender allowed takes it instead of building another.
 * Built on first use, so any one test can still run alone.
 */
const untouched = new Map<FilingEventType, Promise<{ id: string; version: number }>>();

function readyOnce(type: FilingEventType): Promise<{ id: string; version: number }> {
  let filing = untouched.get(type);
  if (!filing) {
    filing = ready(type).then(async (id) => ({ id, version: (await h.service.get(h.actors.assessor, id)).version }));
    untouched.set(type, filing);
  }
  return filing;
}

async function take(type: FilingEventType): Promise<string> {
  const kept = untouched.get(type);
  untouched.delete(type);
  if (kept) {
    const { id, version } = await kept;
    // Only as it was built: a refusal that changed it has failed its own test already.
    if ((await h.service.get(h.actors.assessor, id)).version === version) return id;
  }
  return ready(type);
}

async function send(who: StaffKey, id: string, type: FilingEventType) {
  const { version } = (await h.service.get(h.actors.assessor, id)) as { version: number };
  return h.as(who).post(`/filings/${id}/events`, { type, version, ...SETUP[type].payload });
}

test('the table above covers every event', () => {
  expect(Object.keys(ALLOWED).sort()).toEqual([...FILING_EVENT_TYPES].sort());
});

describe.each(FILING_EVENT_TYPES.map((type) => [type]))('%s', (type) => {
  // Jest refuses an empty table, so events nobody may send get a sentinel row that checks that.
  const allowedRows = ALLOWED[type].length > 0 ? ALLOWED[type].map((who) => [who]) : [['nobody']];

  test('is refused to everybody else, and changes nothing', async () => {
    const { id } = await readyOnce(type);
    const before = await h.service.get(h.actors.assessor, id);
    const outcomes: Record<string, string> = {};
    for (const who of EVERYONE.filter((w) => !ALLOWED[type].includes(w))) {
      const res = await send(who, id, type);
      outcomes[who] = `${res.status} ${res.body.error?.code}`;
    }
    for (const [who, outcome] of Object.entries(outcomes)) {
      expect({ who, outcome }).toEqual({ who, outcome: expect.stringMatching(/^403 FORBIDDEN_(ROLE|DEPARTMENT)$/) });
    }
    const after = await h.service.get(h.actors.assessor, id);
    expect(after.version).toBe(before.version);
  });

  test.each(allowedRows)('is allowed to %s', async (who) => {
    if (who === 'nobody') {
      expect(ALLOWED[type]).toEqual([]);
      return;
    }
    const id = await take(type);
    const res = await send(who as StaffKey, id, type);
    expect({ status: res.status, body: res.status === 200 ? null : res.body }).toEqual({ status: 200, body: null });
  });
});

describe('departments are tenants', () => {
  test('a drafter of another department can neither see nor touch a filing', async () => {
    const id = await filingAt(h, []);
    const read = await h.as('otherDrafter').get(`/filings/${id}`);
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('FORBIDDEN_DEPARTMENT');
    for (const path of ['history', 'texts', 'texts/1', 'completeness']) {
      expect((await h.as('otherDrafter').get(`/filings/${id}/${path}`)).status).toBe(403);
    }
    const write = await h.as('otherDrafter').post(`/filings/${id}/events`, { type: 'EDIT_TEXT', version: 1, body: '篡改' });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('FORBIDDEN_DEPARTMENT');
    const list = await h.as('otherDrafter').get('/filings');
    expect(list.body.items.map((f: { id: string }) => f.id)).not.toContain(id);
  });

  test('a co-department contributes but does not lead (R3)', async () => {
    const id = await filingAt(h, []);
    expect((await h.as('coDrafter').get(`/filings/${id}`)).status).toBe(200);
    const list = await h.as('coHead').get('/filings');
    expect(list.body.items.map((f: { id: string }) => f.id)).toContain(id);
    const res = await send('coDrafter', id, 'FINALIZE_TEXT');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN_DEPARTMENT');
    await drive(h, id, [request]);
    const approval = await send('coHead', id, 'APPROVE_INTERPRETATION');
    expect(approval.body.error.code).toBe('FORBIDDEN_DEPARTMENT');
  });

  test('the general office sees a draft only once it is filed; the assessor always', async () => {
    const id = await filingAt(h, []);
    expect((await h.as('clerk').get(`/filings/${id}`)).status).toBe(403);
    expect((await h.as('assessor').get(`/filings/${id}`)).status).toBe(200);
    await drive(h, id, ROUTES.awaitingIntake as Step[]);
    expect((await h.as('clerk').get(`/filings/${id}`)).status).toBe(200);
    expect((await h.as('publisher').get(`/filings/${id}`)).status).toBe(200);
  });

  test('only drafters open filings, always led by their own department', async () => {
    const body = { title: '测试', body: '正文' };
    for (const who of EVERYONE.filter((w) => STAFF[w].role !== 'drafter')) {
      const res = await h.as(who).post('/filings', body);
      expect({ who, status: res.status, code: res.body.error?.code }).toEqual({ who, status: 403, code: 'FORBIDDEN_ROLE' });
    }
    const res = await h.as('otherDrafter').post('/filings', body);
    expect(res.status).toBe(201);
    expect(res.body.leadDepartment).toBe(OTHER);
    const self = await h.as('drafter').post('/filings', { ...body, coDepartments: [LEAD] });
    expect(self.status).toBe(400);
    expect(self.body.error.field).toBe('coDepartments');
  });

  test('allowed events in a read are the caller’s own', async () => {
    const id = await filingAt(h, toIntake);
    expect((await h.as('clerk').get(`/filings/${id}`)).body.allowedEvents).toEqual(['ACCEPT', 'RETURN']);
    expect((await h.as('drafter').get(`/filings/${id}`)).body.allowedEvents).toEqual(['WITHDRAW']);
    expect((await h.as('coDrafter').get(`/filings/${id}`)).body.allowedEvents).toEqual([]);
    expect((await h.as('assessor').get(`/filings/${id}`)).body.allowedEvents).toEqual([]);
  });

  test('statistics are for the assessor and the general office only', async () => {
    const year = new Date().getFullYear();
    expect((await h.as('drafter').get(`/statistics/returns?year=${year}`)).status).toBe(403);
    expect((await h.as('clerk').get(`/statistics/returns?year=${year}`)).status).toBe(200);
  });
});
