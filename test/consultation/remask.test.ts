/**
 * R16: comments stored before a masking rule existed are masked again (`npm run
 * privacy:remask`, CommentDesk.remaskAll), keeping reviewers' redactions and refreshing the
 * stored reports that quote them; a second run changes nothing.
 */
import request from 'supertest';
import { maskPersonalInformation } from '../../src/privacy/mask';
import type { CommentRecord, ReportRecord } from '../../src/store/models';
import { consultationRequest, filingAt, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function send(who: StaffKey, id: string, command: Record<string, unknown>) {
  const { version } = (await h.as(who).get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { ...command, version });
}

test('stored public texts are brought up to the current rules, redactions kept, reports refreshed', async () => {
  const id = await filingAt(h, []);
  expect((await send('drafter', id, { type: 'START_CONSULTATION', ...consultationRequest() })).status).toBe(200);
  expect((await send('confidentialityReviewer', id, { type: 'CLEAR_FOR_PUBLICATION' })).status).toBe(200);
  const typo = '440305198503020012';
  const body = `我叫王大锤，身份证${typo}，1985年3月2日出生。`;
  const { receipt } = (await request(h.app).post(`/public/consultations/${id}/comments`).send({ body })).body;
  const comment = (await h.models.Comment.findOne({ receipt }).lean<CommentRecord>().exec()) as CommentRecord;
  expect((await h.as('drafter').post(`/filings/${id}/comments/${String(comment._id)}/redactions`, { text: '王大锤', reason: '姓名' })).status).toBe(201);
  const redacted = (await h.models.Comment.findById(comment._id).lean<CommentRecord>().exec()) as CommentRecord;
  const manual = redacted.maskings.filter((m) => m.kind === 'manual');

  // As the older rules stored it: the mistyped number and the birth date in full, the name redacted.
  const older = maskPersonalInformation(body, manual.map(({ start, end }) => ({ start, end }))).text.replace(/440305\*+0012/, typo).replace('****年*月*日', '1985年3月2日');
  expect(older).toBe(`我叫***，身份证${typo}，1985年3月2日出生。`);
  await h.models.Comment.updateOne({ _id: comment._id }, { $set: { publicBody: older, maskings: manual } }).exec();
  // A stored report quoting it, as reports quote samples.
  await h.models.Report.collection.insertOne({
    _id: `${id}.1.remask` as never,
    filingId: comment.filingId,
    round: 1,
    concentrated: [{ clusterId: String(comment._id), campaignSize: 3, size: 3, sampleId: String(comment._id), sample: older, outcome: 'notAdopted', reason: '理由' }],
  });

  const first = await h.services.comments.remaskAll();
  expect(first.updated).toBeGreaterThanOrEqual(1);
  expect(first.skipped).toBe(0);
  const after = (await h.models.Comment.findById(comment._id).lean<CommentRecord>().exec()) as CommentRecord;
  expect(after.publicBody).toBe('我叫***，身份证440305********0012，****年*月*日出生。');
  expect(after.maskings.filter((m) => m.kind === 'manual')).toEqual(manual);
  expect(after.maskings.map((m) => m.kind).sort()).toEqual(['birthDate', 'idCard', 'manual']);
  const report = (await h.models.Report.findById(`${id}.1.remask`).lean<ReportRecord>().exec()) as ReportRecord;
  expect(report.concentrated[0].sample).toBe(after.publicBody);

  expect((await h.services.comments.remaskAll()).updated).toBe(0);
});
