/**
 * One filing from creation to publication over HTTP, with an intake refusal (R18), a clerk's
 * 退文, a refile, both reviews in parallel (R12/R13) and publication together with the
 * interpretation (R6).
 */
import { cstYear } from '../../src/statistics';
import { CO, LEAD } from '../support/fixtures';
import { startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

test('a filing travels from drafting to publication, through a return and a refile', async () => {
  // --- drafting: an incomplete package (no disclosure attribute, interpretation without scope)
  const created = await h.as('drafter').post('/filings', {
    title: '关于支持民营企业参与重大项目建设的若干措施',
    body: '第一条 为支持民营企业参与本市重大项目建设，制定本措施。',
    coDepartments: [CO],
    particulars: {
      touchesMarket: true,
      fairCompetition: { conclusion: 'compliant', summary: '经自查，未发现排除、限制竞争情形' },
    },
    interpretation: {
      plan: '由市发展改革委主要负责人撰文解读，同步发布政策问答。',
      materials: {
        background: '落实国家关于促进民营经济发展壮大的部署。',
        objectives: '拓宽民间投资领域。',
        mainContent: '共八条措施。',
        executionStandards: '自印发之日起施行。',
      },
      forms: ['officialArticle', 'policyQa'],
    },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect(created.headers.location).toBe(`/filings/${id}`);
  expect(created.body).toMatchObject({ stage: 'drafting', leadDepartment: LEAD, coDepartments: [CO], version: 1 });
  expect(created.body.allowedEvents).toEqual(
    expect.arrayContaining(['EDIT_TEXT', 'FINALIZE_TEXT', 'EDIT_INTERPRETATION', 'REQUEST_INTERPRETATION_APPROVAL']),
  );
  expect(created.body.allowedEvents).not.toContain('SUBMIT');
  expect(created.body.deficiencies.map((d: { code: string }) => d.code).sort()).toEqual([
    'R1_DISCLOSURE_ATTRIBUTE_MISSING',
    'R2_INTERPRETATION_NOT_APPROVED',
    'R4_INTERPRETATION_ELEMENT_MISSING',
  ]);

  let version = 1;
  const send = async (who: StaffKey, command: Record<string, unknown>, status = 200) => {
    const res = await h.as(who).post(`/filings/${id}/events`, { ...command, version });
    expect({ type: command.type, status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({
      type: command.type,
      status,
      body: 'ok',
    });
    const filing = status === 422 ? res.body.filing : res.body;
    version = filing.version;
    return { res, filing };
  };

  // The head signs off and files it: refused at intake with the full list (R18), and counted.
  await send('drafter', { type: 'FINALIZE_TEXT' });
  const refused = await send('head', { type: 'SUBMIT' }, 422);
  expect(refused.res.body.error.code).toBe('FILING_INCOMPLETE');
  expect(refused.res.body.error.deficiencies.map((d: { code: string; rule: string }) => `${d.rule}:${d.code}`).sort()).toEqual([
    'R1:R1_DISCLOSURE_ATTRIBUTE_MISSING',
    'R2:R2_INTERPRETATION_NOT_APPROVED',
    'R4:R4_INTERPRETATION_ELEMENT_MISSING',
  ]);
  expect(refused.filing).toMatchObject({ stage: 'returned', returnCount: 1 });
  expect(refused.filing.context.returns[0]).toMatchObject({ kind: 'intake' });

  // --- revise: complete the package and have the head approve the interpretation (R2/R3)
  await send('drafter', { type: 'REVISE' });
  await send('drafter', { type: 'EDIT_PARTICULARS', patch: { disclosure: { attribute: 'proactive', reason: null } } });
  await send('coDrafter', { type: 'EDIT_INTERPRETATION', patch: { materials: { scope: '本市行政区域内的民营企业。' } } });
  await send('drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' });
  await send('head', { type: 'APPROVE_INTERPRETATION', note: '同意按此方案解读' });
  await send('drafter', { type: 'FINALIZE_TEXT' });
  const filed = await send('head', { type: 'SUBMIT' });
  expect(filed.filing).toMatchObject({ stage: 'awaitingIntake', deficiencies: [] });

  // --- the general office returns it (退文) with coded reasons and free text (R18)
  const inbox = await h.as('clerk').get('/filings?stage=awaitingIntake');
  expect(inbox.body.items.find((f: { id: string }) => f.id === id)).toMatchObject({
    stage: 'awaitingIntake',
    stageLabel: '待办公室审核',
    allowedEvents: ['ACCEPT', 'RETURN'],
  });
  const returned = await send('clerk', {
    type: 'RETURN',
    reasons: [{ code: 'R18_FORMAT_NONCONFORMING', field: 'text' }],
    note: '请按《党政机关公文格式》调整标题和落款。',
  });
  expect(returned.filing).toMatchObject({ stage: 'returned', returnCount: 2 });

  // --- revise the text and refile
  const revised = await send('drafter', { type: 'REVISE' });
  // The approval survives a return that was not about the interpretation.
  expect(revised.filing.states).toContain('open.drafting.interpretation.approved');
  await send('drafter', {
    type: 'EDIT_TEXT',
    title: '关于支持民营企业参与重大项目建设的若干措施（修改稿）',
    body: '第一条 为支持民营企业参与本市重大项目建设，根据有关规定，制定本措施。',
  });
  await send('drafter', { type: 'FINALIZE_TEXT' });
  await send('head', { type: 'SUBMIT' });

  // --- accepted: legality review in parallel with fair competition review (R12, R13)
  const accepted = await send('clerk', { type: 'ACCEPT' });
  expect(accepted.filing.states).toEqual(['open.review.fairCompetition.pending', 'open.review.legality.pending']);
  await send('legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: '经审查，符合法律法规规定。' });
  const reviewed = await send('fairCompetitionReviewer', { type: 'PASS_FAIR_COMPETITION_REVIEW', opinion: '同意起草单位审查结论。' });
  expect(reviewed.filing.stage).toBe('awaitingDecision');

  // --- collective decision, signing, publication with the interpretation (R6)
  await send('meetingSecretary', { type: 'ADOPT', meeting: '市政府第15次常务会议' });
  await send('signer', { type: 'SIGN', documentNumber: '某政发〔2026〕15号' });
  const published = await send('publisher', { type: 'PUBLISH', url: 'https://www.example.gov.cn/zwgk/2026/15.html' });
  expect(published.filing.stage).toBe('published');
  // Published, the publisher keeps its validity mark (R17).
  expect(published.filing.allowedEvents).toEqual(['AMEND', 'REPEAL', 'SET_EXPIRY']);
  expect(published.filing.context.validity).toMatchObject({ expiresOn: null, repeal: null, changes: [{ status: 'inForce' }] });
  expect(published.filing.context.publication).toMatchObject({
    textVersion: 2,
    interpretation: published.filing.context.interpretation,
    url: 'https://www.example.gov.cn/zwgk/2026/15.html',
  });

  // --- the trace (R15): every step, who, role, department, from → to, reasons
  const history = (await h.as('assessor').get(`/filings/${id}/history`)).body.history;
  expect(history).toHaveLength(version);
  expect(history.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
  expect(history[0]).toMatchObject({ event: 'CREATE', from: null, to: { stage: 'drafting' } });
  const returns = history.filter((e: { return: unknown }) => e.return !== null);
  expect(returns.map((e: { event: string; return: { kind: string } }) => [e.event, e.return.kind])).toEqual([
    ['SUBMIT', 'intake'],
    ['RETURN', 'clerk'],
  ]);
  expect(returns[1]).toMatchObject({
    actor: { role: 'clerk', department: null },
    from: { stage: 'awaitingIntake' },
    to: { stage: 'returned' },
    note: '请按《党政机关公文格式》调整标题和落款。',
    return: { reasons: [{ code: 'R18_FORMAT_NONCONFORMING', rule: 'R18', field: 'text' }] },
  });
  const coEdit = history.find((e: { event: string }) => e.event === 'EDIT_INTERPRETATION');
  expect(coEdit.actor).toMatchObject({ role: 'drafter', department: CO });

  // --- text versions are kept
  const texts = (await h.as('drafter').get(`/filings/${id}/texts`)).body.versions;
  expect(texts.map((t: { version: number }) => t.version)).toEqual([1, 2]);
  const first = await h.as('drafter').get(`/filings/${id}/texts/1`);
  expect(first.body.body).toBe('第一条 为支持民营企业参与本市重大项目建设，制定本措施。');

  // --- returns are counted per department and reason (R18, R20)
  const year = cstYear(new Date());
  const stats = await h.as('assessor').get(`/statistics/returns?year=${year}`);
  expect(stats.status).toBe(200);
  expect(stats.body.departments).toEqual([
    expect.objectContaining({ department: LEAD, returns: 2, intakeReturns: 1, clerkReturns: 1 }),
  ]);
  expect(stats.body.departments[0].reasons).toEqual(
    expect.arrayContaining([
      { code: 'R18_FORMAT_NONCONFORMING', rule: 'R18', count: 1 },
      { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1', count: 1 },
    ]),
  );
});
