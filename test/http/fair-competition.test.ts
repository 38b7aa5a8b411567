/**
 * R12 over HTTP and in the console: a conclusion finding restrictive effects is refused at intake;
 * an exception must state its ground, necessity and time limit, which the drafter enters in the
 * console and the reviewers then read on the filing page and in the review-due e-mail.
 */
import { consoleSessions, csrfOf } from '../support/console';
import type { FairCompetitionConclusion } from '../../machines/dossier';
import type { OutboxRecord } from '../../src/store/models';
import { filingAt, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

const signedIn = consoleSessions(() => h);

async function send(who: StaffKey, id: string, body: Record<string, unknown>) {
  const { version } = (await h.as('assessor').get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { version, ...body });
}

async function fileIt(id: string) {
  await send('drafter', id, { type: 'REQUEST_INTERPRETATION_APPROVAL' });
  await send('head', id, { type: 'APPROVE_INTERPRETATION' });
  await send('drafter', id, { type: 'FINALIZE_TEXT' });
  return send('head', id, { type: 'SUBMIT' });
}

const market = (fairCompetition: FairCompetitionConclusion) => ({
  particulars: { touchesMarket: true, disclosure: { attribute: 'proactive' as const, reason: null }, fairCompetition },
});

test('a conclusion finding restrictive effects is returned at intake: revise first', async () => {
  const id = await filingAt(h, [], {
    title: '关于支持本地建材企业发展的若干措施',
    body: '第一条 政府投资项目优先采购本地建材。',
    ...market({ conclusion: 'notCompliant', summary: '第一条限定采购本地产品，排除外地经营者' }),
  });
  const submit = await fileIt(id);
  expect(submit.status).toBe(422);
  expect(submit.body.error.deficiencies).toEqual([
    expect.objectContaining({ code: 'R12_FAIR_COMPETITION_NOT_COMPLIANT', rule: 'R12', field: 'particulars.fairCompetition.conclusion' }),
  ]);
});

test('an exception needs its ground, necessity and time limit; entered in the console, the reviewers read them', async () => {
  const id = await filingAt(h, [], market({ conclusion: 'compliantWithException', summary: '对节能改造企业给予专项奖励，适用例外规定' }));
  const refused = await fileIt(id);
  expect(refused.status).toBe(422);
  expect(refused.body.error.deficiencies.map((d: { code: string }) => d.code)).toEqual([
    'R12_EXCEPTION_GROUND_MISSING',
    'R12_EXCEPTION_NECESSITY_MISSING',
    'R12_EXCEPTION_TERM_MISSING',
  ]);
  await send('drafter', id, { type: 'REVISE' });

  // The drafter enters them through the console's particulars form.
  const drafter = await signedIn('drafter');
  const page = await drafter.get(`/console/filings/${id}`).expect(200);
  expect(page.text).toContain('适用例外的情形（适用例外规定时必填）');
  const { version } = (await h.as('drafter').get(`/filings/${id}`)).body;
  await drafter
    .post(`/console/filings/${id}/events`)
    .type('form')
    .send({
      _csrf: csrfOf(page.text),
      type: 'EDIT_PARTICULARS',
      version: String(version),
      disclosure_attribute: 'proactive',
      documentKind: 'other',
      touchesMarket: 'true',
      fairCompetition_conclusion: 'compliantWithException',
      fairCompetition_summary: '对节能改造企业给予专项奖励，适用例外规定',
      fairCompetition_exceptionGround: '为实现节约能源、保护环境等社会公共利益',
      fairCompetition_exceptionNecessity: '奖励对象按统一标准确定，无对竞争影响更小的替代方案',
      fairCompetition_exceptionEndsOn: '2028-12-31',
    })
    .expect(303);
  const filing = (await h.as('drafter').get(`/filings/${id}`)).body;
  expect(filing.context.particulars.fairCompetition).toEqual({
    conclusion: 'compliantWithException',
    summary: '对节能改造企业给予专项奖励，适用例外规定',
    exceptionGround: '为实现节约能源、保护环境等社会公共利益',
    exceptionNecessity: '奖励对象按统一标准确定，无对竞争影响更小的替代方案',
    exceptionEndsOn: '2028-12-31',
  });
  expect(filing.deficiencies).toEqual([]);

  await send('drafter', id, { type: 'FINALIZE_TEXT' });
  expect((await send('head', id, { type: 'SUBMIT' })).status).toBe(200);
  const accepted = await send('clerk', id, { type: 'ACCEPT' });
  expect(accepted.body.stage).toBe('review');

  // The fair competition reviewer reads the exception on the filing page and in the e-mail.
  const review = await (await signedIn('fairCompetitionReviewer')).get(`/console/filings/${id}`).expect(200);
  for (const text of ['公平竞争审查（R12）', '适用例外规定', '为实现节约能源、保护环境等社会公共利益', '无对竞争影响更小的替代方案', '至2028年12月31日']) {
    expect(review.text).toContain(text);
  }
  const outbox = ((await h.models.Filing.findById(id, { outbox: 1 }).lean().exec()) as { outbox: OutboxRecord[] }).outbox;
  const due = outbox.find((m) => m.template === 'review-due' && m.to.email === 'fairCompetitionReviewer@example.gov.cn');
  expect(due).toBeDefined();
  expect(due!.text).toContain('适用例外的情形：为实现节约能源、保护环境等社会公共利益');
  expect(due!.text).toContain('实施期限：至2028年12月31日');
  expect(due!.html).toContain('奖励对象按统一标准确定');
}, 120_000);

test('exception fields belong to an exception only, and the time limit is a real day', async () => {
  const bad = [
    { conclusion: 'compliant', summary: '符合', exceptionGround: '为维护国家经济安全' },
    { conclusion: 'compliantWithException', summary: '例外', exceptionEndsOn: '2028-02-30' },
    { conclusion: 'compliantWithException', summary: '例外', exceptionNecessity: '' },
  ];
  for (const fairCompetition of bad) {
    const res = await h.as('drafter').post('/filings', { title: '关于招商引资的若干措施', body: '第一条 正文。', ...market(fairCompetition as FairCompetitionConclusion) });
    expect({ fairCompetition, status: res.status, code: res.body.error?.code }).toEqual({ fairCompetition, status: 400, code: 'VALIDATION_FAILED' });
  }
});
