/**
 * Least privilege before filing: a draft out for clearance or consultation is the drafting
 * department's own business. A city-level role sees a filing once the department head has filed
 * it with the general office, or while its role must act on it (the confidentiality reviewer on a
 * clearance, the publisher on an adoption report); the assessor always. The same in the API read,
 * the API list, the department filter and the console; values stored under the old rule are
 * recomputed at start-up.
 */
import { reconcileFilings } from '../../src/store/reconcile';
import { consoleSessions } from '../support/console';
import { OTHER } from '../support/fixtures';
import { consultationRequest, drive, filingAt, ROUTES, startHarness, type Harness, type StaffKey, type Step } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

const signedIn = consoleSessions(() => h);

const CITY: StaffKey[] = ['clerk', 'confidentialityReviewer', 'legalReviewer', 'fairCompetitionReviewer', 'meetingSecretary', 'signer', 'publisher'];

/** Who of the city-level roles (and the assessor) sees a filing in each stage before it is filed. */
const SEES: Array<[stage: string, routes: Array<keyof typeof ROUTES>, who: StaffKey[]]> = [
  ['awaitingClearance', ['consultationRequested'], ['confidentialityReviewer', 'assessor']],
  ['consultation', ['consultationRequested', 'consultation'], ['assessor']],
  ['disposition', ['consultationRequested', 'consultation', 'disposition'], ['assessor']],
  ['adoptionReportReview', ['consultationRequested', 'consultation', 'disposition', 'adoptionReportReview'], ['publisher', 'assessor']],
];

async function sees(who: StaffKey, id: string) {
  const read = await h.as(who).get(`/filings/${id}`);
  const list = await h.as(who).get('/filings?pageSize=100').expect(200);
  const console = await (await signedIn(who)).get('/console').expect(200);
  const page = await (await signedIn(who)).get(`/console/filings/${id}`);
  return {
    read: read.status,
    code: read.body.error?.code ?? null,
    listed: list.body.items.some((f: { id: string }) => f.id === id),
    inConsole: console.text.includes(`/console/filings/${id}"`),
    page: page.status,
  };
}

const visible = { read: 200, code: null, listed: true, inConsole: true, page: 200 };
const hidden = { read: 403, code: 'FORBIDDEN_DEPARTMENT', listed: false, inConsole: false, page: 403 };

describe.each(SEES)('a draft in %s, not yet filed', (stage, routes, allowed) => {
  test('only the roles acting on it now, and the assessor, can read it or list it', async () => {
    const id = await filingAt(h, routes, { title: `征求意见中的草案（${stage}）` });
    expect((await h.as('assessor').get(`/filings/${id}`)).body.stage).toBe(stage);
    for (const who of [...CITY, 'assessor' as const]) {
      expect({ who, ...(await sees(who, id)) }).toEqual({ who, ...(allowed.includes(who) ? visible : hidden) });
    }
  }, 120_000);
});

test('once the department head files it, every city-level role sees it', async () => {
  // Consulted, report published, back in drafting: still the department's, until filed.
  const id = await filingAt(h, ['consultationRequested', 'consultation', 'disposition', 'adoptionReportReview']);
  await drive(h, id, [['publisher', { type: 'PUBLISH_ADOPTION_REPORT' }]]);
  for (const who of CITY) expect({ who, ...(await sees(who, id)) }).toEqual({ who, ...hidden });
  await drive(h, id, ROUTES.awaitingIntake as Step[]);
  expect((await h.as('assessor').get(`/filings/${id}`)).body.stage).toBe('awaitingIntake');
  for (const who of [...CITY, 'assessor' as const]) expect({ who, ...(await sees(who, id)) }).toEqual({ who, ...visible });
}, 120_000);

test('the department filter lists a department only for filings the caller may see', async () => {
  const draft = await h.service.create(h.actors.otherDrafter, {
    title: '关于中小学课后服务收费的方案（征求意见稿）',
    body: '第一条 正文。',
    coDepartments: [],
    particulars: { disclosure: { attribute: 'proactive', reason: null } },
    interpretation: {},
  });
  const { version } = await h.service.get(h.actors.otherDrafter, draft.id);
  await h.service.send(h.actors.otherDrafter, draft.id, { type: 'START_CONSULTATION', version, ...consultationRequest() });
  const option = `<option value="${OTHER}"`;
  expect((await (await signedIn('clerk')).get('/console').expect(200)).text).not.toContain(option);
  expect((await (await signedIn('confidentialityReviewer')).get('/console').expect(200)).text).toContain(option);
  expect((await (await signedIn('assessor')).get('/console').expect(200)).text).toContain(option);
  const filtered = await h.as('clerk').get(`/filings?department=${encodeURIComponent(OTHER)}`).expect(200);
  expect(filtered.body.items).toEqual([]);
}, 60_000);

test('a value stored under the old rule stops leaking at start-up', async () => {
  const id = await filingAt(h, ['consultationRequested', 'consultation'], { title: '旧规则下已共享的草案' });
  const filed = await filingAt(h, ['awaitingIntake']);
  // As the old rule wrote them: shared on the consultation request.
  await h.models.Filing.updateOne({ _id: id }, { $set: { sharedWithOffice: true } }).exec();
  await h.models.Filing.updateOne({ _id: filed }, { $set: { sharedWithOffice: false } }).exec();
  expect((await h.as('legalReviewer').get(`/filings/${id}`)).status).toBe(200);

  const first = await reconcileFilings(h.models);
  expect(first).toMatchObject({ unshared: 1, shared: 1 });
  expect(await reconcileFilings(h.models)).toMatchObject({ unshared: 0, shared: 0 });
  expect({ ...(await sees('legalReviewer', id)) }).toEqual(hidden);
  expect({ ...(await sees('legalReviewer', filed)) }).toEqual(visible);
}, 60_000);
