/**
 * Concentrated opinions (相对集中的意见, R11; issue 12, item 3): the workbench and the adoption
 * report agree on which campaigns they are — the same setting decides both — and every answer a
 * concentrated opinion got, with its reason, is public: report JSON, CSV, HTML and the portal.
 */
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/log';
import { ConsultationCloser } from '../../src/schedule/consultations';
import { buildServices } from '../../src/services';
import { consoleSessions } from '../support/console';
import { consultationRequest, filingAt, startHarness, TEST_MAIL_SETTINGS, type Harness, type StaffKey } from '../support/harness';
import { acceptanceCampaign } from './campaign-corpus';
import { createRepositories } from '../../src/store';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
const signIn = consoleSessions(() => h);

const DAY = 86_400_000;

async function send(who: StaffKey, id: string, command: Record<string, unknown>) {
  const { version } = (await h.as(who).get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { ...command, version });
}

const comment = (id: string, body: Record<string, unknown>) => request(h.app).post(`/public/consultations/${id}/comments`).send(body);

/** A cleared consultation with the given comments, closed: ready for answers. */
async function closedConsultation(bodies: string[]): Promise<string> {
  const id = await filingAt(h, [], {
    title: '城市公共交通票价调整方案',
    body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为2元。\n第三条 老年人继续免费乘车。',
  });
  expect((await send('drafter', id, { type: 'START_CONSULTATION', ...consultationRequest() })).status).toBe(200);
  expect((await send('confidentialityReviewer', id, { type: 'CLEAR_FOR_PUBLICATION' })).status).toBe(200);
  for (const body of bodies) expect((await comment(id, { article: 2, body })).status).toBe(201);
  await new ConsultationCloser(h.services, silentLogger, () => new Date(Date.now() + 40 * DAY)).runOnce();
  expect((await h.as('drafter').get(`/filings/${id}`)).body.stage).toBe('disposition');
  return id;
}

const dispose = (id: string, body: Record<string, unknown>) => h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, body);

async function publishReport(id: string): Promise<void> {
  expect((await send('drafter', id, { type: 'FINALIZE_ADOPTION_REPORT' })).status).toBe(200);
  expect((await send('publisher', id, { type: 'PUBLISH_ADOPTION_REPORT' })).status).toBe(200);
}

const THREE = [
  '坚决反对普通线路票价上调到两元，公共交通是民生工程，应当由财政补贴保持低票价。',
  '坚决反对普通线路票价上调到两元,公共交通是民生工程,应当由财政补贴保持低票价!',
  '我们坚决反对普通线路票价上调到两元，公共交通是民生工程，应当由财政补贴保持低票价。',
];
const REASON = '票价调整已经成本监审和价格听证，低收入群体另有乘车补贴。';

describe('a campaign of three comments answered 未采纳 (the acceptance run)', () => {
  let id: string;
  beforeAll(async () => {
    id = await closedConsultation([...THREE, '建议将学生纳入免费乘车范围。']);
  });

  test('the workbench shows it as a campaign that counts as a concentrated opinion', async () => {
    const res = await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`);
    expect(res.body.concentratedMinComments).toBe(3);
    expect(res.body.clusters).toEqual([expect.objectContaining({ size: 3, concentrated: true })]);
    const page = await (await signIn('drafter')).get(`/console/filings/${id}/consultation/1`).expect(200);
    expect(page.text).toContain('达到3条的为相对集中的意见');
    expect(page.text).toContain('<span class="tag concentrated">相对集中的意见</span>');
  });

  test('the preview, the published report as JSON, CSV and HTML, and the portal page all give its answer and reason', async () => {
    const clusterId = (await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`)).body.clusters[0].clusterId;
    expect((await dispose(id, { clusterId, outcome: 'notAdopted', reason: REASON })).body).toEqual({ disposed: 3 });
    const rest = (await h.as('drafter').get(`/filings/${id}/comments?round=1&undisposed=true`)).body.items;
    await dispose(id, { commentIds: rest.map((c: { id: string }) => c.id), outcome: 'adopted', reason: null });

    const preview = (await h.services.workbench.preview(h.actors.drafter, id, 1)).report;
    expect(preview.concentratedMinComments).toBe(3);
    expect(preview.concentrated).toEqual([
      expect.objectContaining({ clusterId, campaignSize: 3, size: 3, outcome: 'notAdopted', reason: REASON, sample: expect.stringContaining('坚决反对') }),
    ]);
    const previewPage = await (await signIn('drafter')).get(`/console/filings/${id}/consultation/1/report`).expect(200);
    expect(previewPage.text).toContain(REASON);
    expect(previewPage.text).not.toContain('未收到相对集中的意见');

    await publishReport(id);
    const json = (await request(h.app).get(`/public/reports/${id}/1`)).body;
    expect(json.concentrated).toEqual([expect.objectContaining({ campaignSize: 3, size: 3, outcome: 'notAdopted', reason: REASON })]);
    const csv = (await request(h.app).get(`/public/reports/${id}/1/csv`)).text;
    expect(csv).toContain(`,3,3,未采纳,${REASON}`);
    const html = (await request(h.app).get(`/public/reports/${id}/1/html`)).text;
    expect(html).toContain(REASON);
    expect(html).toContain('达到3条的，列为相对集中的意见');
    expect(html).not.toContain('未收到相对集中的意见');
    const portal = (await request(h.app).get(`/reports/${id}/1`)).text;
    expect(portal).toContain(`理由：${REASON}`);
    expect(portal).not.toContain('未收到相对集中的意见');
  });
});

describe('the threshold is one setting for the workbench and the report', () => {
  test('CONCENTRATED_OPINION_MIN_COMMENTS is read, defaults to 3 and is at least 2', () => {
    expect(loadConfig({}).concentratedMinComments).toBe(3);
    expect(loadConfig({ CONCENTRATED_OPINION_MIN_COMMENTS: '4' }).concentratedMinComments).toBe(4);
    expect(() => loadConfig({ CONCENTRATED_OPINION_MIN_COMMENTS: '1' })).toThrow(/at least 2/);
    expect(() => loadConfig({ CONCENTRATED_OPINION_MIN_COMMENTS: 'many' })).toThrow(/whole number/);
  });

  test('at 4, a campaign of three is still a campaign, but concentrated neither in the workbench nor in the report', async () => {
    const id = await closedConsultation(THREE);
    const services = buildServices(createRepositories(h.models), TEST_MAIL_SETTINGS, { concentratedMinComments: 4 });
    const app = createApp({ services, public: { commentsPerMinute: 1000 }, logger: silentLogger, bodyLimit: '2mb', describeDatabase: () => 'test' });
    const clusters = await request(app).get(`/filings/${id}/consultations/1/clusters`).set('Authorization', `Bearer ${h.tokens.drafter}`);
    expect(clusters.body.concentratedMinComments).toBe(4);
    expect(clusters.body.clusters).toEqual([expect.objectContaining({ size: 3, concentrated: false })]);
    await dispose(id, { clusterId: clusters.body.clusters[0].clusterId, outcome: 'notAdopted', reason: REASON });
    const report = (await services.workbench.preview(h.actors.drafter, id, 1)).report;
    expect(report.concentratedMinComments).toBe(4);
    expect(report.concentrated).toEqual([]);
  });
});

describe('a campaign whose comments got different answers', () => {
  test('is reported per answer, each with how many comments got it, its reason and a sample of its own', async () => {
    const campaign = [...THREE, '坚决反对普通线路票价上调到两元，公共交通是民生工程，应当由财政补贴保持低票价，同时建议公开成本。'];
    const id = await closedConsultation(campaign);
    const { clusters } = (await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`)).body;
    expect(clusters).toEqual([expect.objectContaining({ size: 4, concentrated: true })]);
    const items = (await h.as('drafter').get(`/filings/${id}/comments?round=1`)).body.items as Array<{ id: string; body: string }>;
    const extra = items.find((c) => c.body.includes('公开成本')) as { id: string };
    await dispose(id, { commentIds: [extra.id], outcome: 'partlyAdopted', reason: '成本监审结论将在政府网站公开。' });
    await dispose(id, { commentIds: items.filter((c) => c.id !== extra.id).map((c) => c.id), outcome: 'notAdopted', reason: REASON });
    await publishReport(id);

    const json = (await request(h.app).get(`/public/reports/${id}/1`)).body;
    expect(json.concentrated).toEqual([
      expect.objectContaining({ clusterId: clusters[0].clusterId, campaignSize: 4, size: 3, outcome: 'notAdopted', reason: REASON }),
      expect.objectContaining({
        clusterId: clusters[0].clusterId,
        campaignSize: 4,
        size: 1,
        outcome: 'partlyAdopted',
        reason: '成本监审结论将在政府网站公开。',
        sample: expect.stringContaining('公开成本'),
      }),
    ]);
    const html = (await request(h.app).get(`/public/reports/${id}/1/html`)).text;
    expect(html).toContain('以下为同一组意见（共4条）的不同答复');
    expect(html).toContain(REASON);
    expect(html).toContain('成本监审结论将在政府网站公开。');
    const csv = (await request(h.app).get(`/public/reports/${id}/1/csv`)).text;
    expect(csv).toContain(`,4,3,未采纳,${REASON}`);
    expect(csv).toContain(',4,1,部分采纳,成本监审结论将在政府网站公开。');
    const portal = (await request(h.app).get(`/reports/${id}/1`)).text;
    expect(portal).toContain('同一组意见共4条，答复如下');
    expect(portal).toContain('理由：成本监审结论将在政府网站公开。');
  });
});

describe('campaigns stored by an earlier clustering', () => {
  test('are computed again: the acceptance run’s 32 comments, once stored as 24 and 8, come back as one campaign', async () => {
    const id = await closedConsultation(acceptanceCampaign());
    const first = (await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`)).body.clusters;
    expect(first.map((c: { size: number }) => c.size)).toEqual([32]);
    // What the first clustering stored for this round: two campaigns, and no algorithm.
    const members = (await h.models.Clustering.findById(`${id}-1`).lean().exec())!.clusters[0].memberIds;
    await h.models.Clustering.collection.updateOne(
      { _id: `${id}-1` as never },
      { $set: { clusters: [{ id: members[0], memberIds: members.slice(0, 24) }, { id: members[24], memberIds: members.slice(24) }] }, $unset: { algorithm: '' } },
    );
    const again = (await h.as('drafter').get(`/filings/${id}/consultations/1/clusters`)).body.clusters;
    expect(again.map((c: { size: number }) => c.size)).toEqual([32]);
  });
});
