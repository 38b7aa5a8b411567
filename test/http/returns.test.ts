/** R18: returns give coded reasons, each traced to its rule; every return is recorded and counted. */
import { REASONS, REASON_CODES } from '../../machines/reasons';
import { cstYear } from '../../src/statistics';
import { LEAD } from '../support/fixtures';
import { drive, filingAt, startHarness, type Harness, type Step } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

test('the clerk may return with any reason code; each is recorded with its rule', async () => {
  const id = await filingAt(h, ['awaitingIntake']);
  const { version } = (await h.as('clerk').get(`/filings/${id}`)).body;
  const reasons = REASON_CODES.map((code) => ({ code, field: `field-of-${code}` }));
  const res = await h.as('clerk').post(`/filings/${id}/events`, { type: 'RETURN', version, reasons, note: '退回补正' });
  expect(res.status).toBe(200);
  const history = (await h.as('drafter').get(`/filings/${id}/history`)).body.history;
  const entry = history[history.length - 1];
  expect(entry.return.kind).toBe('clerk');
  expect(entry.return.reasons).toEqual(REASON_CODES.map((code) => ({ code, rule: REASONS[code].rule, field: `field-of-${code}` })));
});

async function inadequateCount(): Promise<number> {
  const stats = (await h.as('assessor').get(`/statistics/returns?year=${cstYear(new Date())}`)).body;
  const lead = stats.departments.find((d: { department: string }) => d.department === LEAD);
  return lead?.reasons.find((r: { code: string }) => r.code === 'R18_INTERPRETATION_INADEQUATE')?.count ?? 0;
}

test('returns accumulate across refiles and are counted per department and reason', async () => {
  const id = await filingAt(h, ['awaitingIntake']);
  const before = await inadequateCount();
  const back: Step[] = [
    ['clerk', { type: 'RETURN', reasons: [{ code: 'R18_INTERPRETATION_INADEQUATE' }], note: '解读材料照搬原文' }],
    ['drafter', { type: 'REVISE' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
  ];
  await drive(h, id, back);
  await drive(h, id, back);
  const view = (await h.as('drafter').get(`/filings/${id}`)).body;
  expect(view).toMatchObject({ stage: 'awaitingIntake', returnCount: 2 });
  expect(view.context.returns.map((r: { kind: string }) => r.kind)).toEqual(['clerk', 'clerk']);
  expect(view.context.submissions).toBe(3);

  const stats = (await h.as('assessor').get(`/statistics/returns?year=${cstYear(new Date())}`)).body;
  expect(await inadequateCount()).toBe(before + 2);
  expect(stats.departments.every((d: { returns: number; intakeReturns: number; clerkReturns: number }) => d.returns === d.intakeReturns + d.clerkReturns)).toBe(true);
  // A year with no returns is empty, not an error.
  expect((await h.as('assessor').get('/statistics/returns?year=2001')).body.departments).toEqual([]);
});

test('an intake refusal lists every deficiency and records them as the return reasons', async () => {
  const id = (
    await h.service.create(h.actors.drafter, {
      title: '关于调整城市供水价格的方案',
      body: '一、调整居民生活用水价格……',
      coDepartments: [],
      particulars: { majorDecision: true, livelihoodAreas: ['publicUtilities'], meetingPlan: true, touchesMarket: true },
      interpretation: {},
    })
  ).id;
  await drive(h, id, [['drafter', { type: 'FINALIZE_TEXT' }]]);
  const { version } = (await h.as('head').get(`/filings/${id}`)).body;
  const res = await h.as('head').post(`/filings/${id}/events`, { type: 'SUBMIT', version });
  expect(res.status).toBe(422);
  const codes = res.body.error.deficiencies.map((d: { code: string }) => d.code).sort();
  expect(codes).toEqual(
    [
      'R1_DISCLOSURE_ATTRIBUTE_MISSING',
      'R2_INTERPRETATION_PLAN_MISSING',
      'R2_INTERPRETATION_MATERIALS_MISSING',
      'R2_INTERPRETATION_NOT_APPROVED',
      'R8_CONSULTATION_MISSING',
      'R10_OPINION_SURVEY_MISSING',
      'R12_FAIR_COMPETITION_CONCLUSION_MISSING',
      'R14_ATTENDANCE_PROPOSAL_MISSING',
    ].sort(),
  );
  expect(res.body.filing.context.returns[0].reasons.map((r: { code: string }) => r.code).sort()).toEqual(codes);
  // The general office has received it, so it appears in their ledger.
  expect((await h.as('clerk').get(`/filings/${id}`)).status).toBe(200);
});

test('/meta lists every return code with its rule and a Chinese label', async () => {
  const meta = (await h.as('drafter').get('/meta')).body;
  expect(meta.reasons.map((r: { code: string }) => r.code)).toEqual(REASON_CODES);
  for (const r of meta.reasons) expect(r.label).toMatch(/[\u4e00-\u9fff]/);
});
