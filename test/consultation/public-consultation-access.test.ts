/**
 * R15/R16 with least privilege: a consultation cleared for publication is public, so city-level
 * staff read its comments masked in the workbench — but not the rest of the unfiled draft — and
 * departments other than the filing's see nothing of it through the staff side.
 */
import request from 'supertest';
import { consultationRequest, filingAt, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
let cleared: string;
let uncleared: string;

async function send(who: StaffKey, id: string, command: Record<string, unknown>) {
  const { version } = (await h.as(who).get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { ...command, version });
}

beforeAll(async () => {
  h = await startHarness();
  cleared = await filingAt(h, []);
  expect((await send('drafter', cleared, { type: 'START_CONSULTATION', ...consultationRequest() })).status).toBe(200);
  expect((await send('confidentialityReviewer', cleared, { type: 'CLEAR_FOR_PUBLICATION' })).status).toBe(200);
  expect((await request(h.app).post(`/public/consultations/${cleared}/comments`).send({ body: '我的电话是13812345678，建议延长试行期。' })).status).toBe(201);
  uncleared = await filingAt(h, []);
  expect((await send('drafter', uncleared, { type: 'START_CONSULTATION', ...consultationRequest() })).status).toBe(200);
}, 120_000);
afterAll(() => h.close());

test.each(['clerk', 'legalReviewer', 'signer', 'publisher'] as const)('%s reads a public consultation masked, and not the filing', async (who) => {
  const comments = await h.as(who).get(`/filings/${cleared}/comments?round=1`);
  expect(comments.status).toBe(200);
  expect(JSON.stringify(comments.body)).not.toContain('13812345678');
  expect((await h.as(who).get(`/filings/${cleared}/consultations/1/clusters`)).status).toBe(200);
  expect((await h.as(who).get(`/filings/${cleared}`)).status).toBe(403);
  expect((await h.as(who).get(`/filings/${cleared}/history`)).status).toBe(403);
});

test('a consultation not yet cleared stays hidden from city-level staff outside their task', async () => {
  expect((await h.as('clerk').get(`/filings/${uncleared}/comments?round=1`)).status).toBe(403);
  expect((await h.as('publisher').get(`/filings/${uncleared}/comments?round=1`)).status).toBe(403);
});

test('another department sees nothing of it through the staff side', async () => {
  const res = await h.as('otherDrafter').get(`/filings/${cleared}/comments?round=1`);
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('FORBIDDEN_DEPARTMENT');
});
