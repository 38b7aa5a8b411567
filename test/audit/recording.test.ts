/**
 * Every kind the product can cause today is recorded where it happens: console sign-in and its
 * failures, sign-out, an expired session, `npm run token` (the person and the token), and the reads
 * of personal information that count — comments as written with their authors' contacts (API and
 * the workbench's 原文), the ledger export, the mail with its recipients' addresses, and hand
 * redactions (R16). Reads that show nothing personal (masked comments, statistics) are not.
 */
import request from 'supertest';
import { createTokenCommand } from '../../scripts/create-token';
import type { SecurityAuditRecord } from '../../src/store/security-audit';
import { consoleSessions, csrfOf } from '../support/console';
import { drive, filingAt, ROUTES, startHarness, type Harness } from '../support/harness';

let h: Harness;
let consulted: string;
let commentId: string;

beforeAll(async () => {
  h = await startHarness();
  consulted = await filingAt(h, ['consultationRequested', 'consultation']);
  await request(h.server).post(`/public/consultations/${consulted}/comments`).send({ body: '建议延长过渡期，我的电话13912345678。', article: 1, name: '赵女士', email: 'zhao@example.com' }).expect(201);
  await drive(h, consulted, ROUTES.disposition);
  const comments = await h.services.workbench.commentsOf(h.actors.drafter, consulted, { round: 1, page: 1, pageSize: 10 });
  commentId = String(comments.items[0].id);
}, 120_000);
afterAll(() => h.close());
const signedIn = consoleSessions(() => h);

/** The entries added while `action` ran. */
async function recordedBy(action: () => Promise<unknown>): Promise<SecurityAuditRecord[]> {
  const before = (await h.models.SecurityAudit.findOne().sort({ seq: -1 }).lean<SecurityAuditRecord>().exec())?.seq ?? 0;
  await action();
  return h.models.SecurityAudit.find({ seq: { $gt: before } }, { _id: 0 }).sort({ seq: 1 }).lean<SecurityAuditRecord[]>().exec();
}

async function loginPage(agent: ReturnType<typeof request.agent>) {
  return (await agent.get('/console/login').expect(200)).text;
}

describe('signing in and out of the console', () => {
  test('a sign-in is recorded with who, when and from where; the token is not', async () => {
    const agent = request.agent(h.server);
    const csrf = csrfOf(await loginPage(agent));
    const [entry, ...rest] = await recordedBy(() => agent.post('/console/login').type('form').send({ _csrf: csrf, token: h.tokens.clerk }).expect(303));
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'signIn',
      actor: { id: h.actors.clerk.id, name: '测试clerk', role: 'clerk' },
      outcome: 'success',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      detail: { channel: 'console' },
    });
    expect(JSON.stringify(entry)).not.toContain(h.tokens.clerk);
    const [out] = await recordedBy(async () => {
      const page = await agent.get('/console').expect(200);
      await agent.post('/console/logout').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    });
    expect(out).toMatchObject({ kind: 'signOut', actor: { id: h.actors.clerk.id }, outcome: 'success' });
  });

  test('a failed sign-in is recorded as a failure, without the token tried', async () => {
    const agent = request.agent(h.server);
    const csrf = csrfOf(await loginPage(agent));
    const wrong = `pd_${'x'.repeat(43)}`;
    const [entry] = await recordedBy(() => agent.post('/console/login').type('form').send({ _csrf: csrf, token: wrong }).expect(401));
    expect(entry).toMatchObject({ kind: 'signInFailed', actor: null, outcome: 'failure', detail: { channel: 'console', reason: 'invalidToken' } });
    expect(JSON.stringify(entry)).not.toContain(wrong);
  });

  test('an expired session is recorded once, when it is next presented', async () => {
    const opened = await h.services.staff.openSession(h.tokens.publisher, new Date(Date.now() - 13 * 3_600_000));
    const cookie = `pd_session=${opened!.session}`;
    const first = await recordedBy(() => request(h.server).get('/console').set('Cookie', cookie).expect(303));
    expect(first).toEqual([expect.objectContaining({ kind: 'sessionExpired', actor: expect.objectContaining({ id: h.actors.publisher.id }), outcome: 'success' })]);
    expect(await recordedBy(() => request(h.server).get('/console').set('Cookie', cookie).expect(303))).toEqual([]);
  });
});

describe('npm run token', () => {
  test('records the person created and the token issued, with the server account that ran it', async () => {
    const out: string[] = [];
    const entries = await recordedBy(async () => {
      expect(await createTokenCommand(h.services.repositories, { name: '王审计', email: 'wang@example.gov.cn', role: 'securityAuditor' }, (t) => out.push(t), (t) => out.push(t))).toBe(0);
    });
    const token = out.join('').trim().split('\n').at(-1)!;
    const person = await h.services.staff.authenticate(token);
    expect(person).toMatchObject({ name: '王审计', role: 'securityAuditor', department: null });
    const target = { type: 'staff', id: person!.id, label: '王审计' };
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'personCreated', actor: null, target, outcome: 'success', detail: expect.objectContaining({ command: 'npm run token', role: 'securityAuditor', osUser: expect.any(String) }) }),
      expect.objectContaining({ kind: 'tokenIssued', actor: null, target, outcome: 'success' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  test('a refused registration is recorded as a failure; a wrong command line records nothing', async () => {
    const quiet = () => undefined;
    const [refused] = await recordedBy(async () => {
      expect(await createTokenCommand(h.services.repositories, { name: '李四', email: 'li@example.gov.cn', role: 'drafter' }, quiet, quiet)).toBe(1);
    });
    expect(refused).toMatchObject({ kind: 'personCreated', outcome: 'failure', target: { label: '李四' } });
    expect(await recordedBy(() => createTokenCommand(h.services.repositories, { name: '李四', role: 'nobody' }, quiet, quiet))).toEqual([]);
  });
});

describe('reads of personal information', () => {
  const filingTarget = () => expect.objectContaining({ type: 'filing', id: consulted });

  test('comments as written (lead department) are recorded with the route; masked ones are not', async () => {
    const [read] = await recordedBy(() => h.as('drafter').get(`/filings/${consulted}/comments?round=1`).expect(200));
    expect(read).toMatchObject({ kind: 'personalDataRead', actor: { id: h.actors.drafter.id }, target: filingTarget(), detail: { route: 'GET /filings/:id/comments', round: 1, count: 1 } });
    expect(await recordedBy(() => h.as('assessor').get(`/filings/${consulted}/comments?round=1`).expect(200))).toEqual([]);
  });

  test('the workbench\'s 原文 view is recorded; its masked view and anyone else\'s are not', async () => {
    const drafter = await signedIn('drafter');
    const [read] = await recordedBy(() => drafter.get(`/console/filings/${consulted}/consultation/1`).expect(200));
    expect(read).toMatchObject({ kind: 'personalDataRead', target: filingTarget(), detail: { route: 'GET /console/filings/:id/consultation/:round', what: '公众意见原文及联系方式' } });
    expect(await recordedBy(() => drafter.get(`/console/filings/${consulted}/consultation/1?view=masked`).expect(200))).toEqual([]);
    const assessor = await signedIn('assessor');
    expect(await recordedBy(() => assessor.get(`/console/filings/${consulted}/consultation/1`).expect(200))).toEqual([]);
  });

  test('the ledger export is recorded', async () => {
    const [exported] = await recordedBy(() => h.as('assessor').get(`/filings/${consulted}/ledger`).expect(200));
    expect(exported).toMatchObject({ kind: 'personalDataExported', actor: { role: 'assessor' }, target: filingTarget(), detail: { route: 'GET /filings/:id/ledger' } });
    // Refused: nothing left the system, nothing to record.
    expect(await recordedBy(() => h.as('otherDrafter').get(`/filings/${consulted}/ledger`).expect(403))).toEqual([]);
  });

  test('the mail with its recipients\' addresses is recorded: the outbox, one message, a filing\'s mail', async () => {
    const [list] = await recordedBy(() => h.as('clerk').get('/mail').expect(200));
    expect(list).toMatchObject({ kind: 'personalDataRead', detail: { route: 'GET /mail', what: '邮件收件人及地址' } });
    const { items } = (await h.as('clerk').get('/mail').expect(200)).body;
    const messageId = items[0].messageId as string;
    const [one] = await recordedBy(() => h.as('assessor').get(`/mail/${encodeURIComponent(messageId)}`).expect(200));
    expect(one).toMatchObject({ kind: 'personalDataRead', target: { type: 'mail', id: messageId }, detail: { route: 'GET /mail/:messageId' } });
    const [forFiling] = await recordedBy(() => h.as('drafter').get(`/filings/${consulted}/mail`).expect(200));
    expect(forFiling).toMatchObject({ kind: 'personalDataRead', target: filingTarget(), detail: { route: 'GET /filings/:id/mail' } });
  });

  test('a hand redaction (R16) is recorded with which comment and why, not the words hidden — from the API and from the workbench', async () => {
    const [api] = await recordedBy(() => h.as('confidentialityReviewer').post(`/filings/${consulted}/comments/${commentId}/redactions`, { text: '过渡期', reason: '测试：按需隐去' }).expect(201));
    expect(api).toMatchObject({ kind: 'personalDataRedacted', target: { type: 'comment', id: commentId }, detail: { route: 'POST /filings/:id/comments/:commentId/redactions', reason: '测试：按需隐去', filing: consulted } });
    expect(JSON.stringify(api)).not.toContain('过渡期');
    const reviewer = await signedIn('publisher');
    const page = await reviewer.get(`/console/filings/${consulted}/consultation/1`).expect(200);
    const entries = await recordedBy(() =>
      reviewer.post(`/console/filings/${consulted}/consultation/1/redactions`).type('form').send({ _csrf: csrfOf(page.text), commentId, text: '建议', reason: '再隐去一处' }).expect(303),
    );
    expect(entries).toEqual([expect.objectContaining({ kind: 'personalDataRedacted', target: expect.objectContaining({ id: commentId }), detail: expect.objectContaining({ route: 'POST /console/filings/:id/consultation/:round/redactions' }) })]);
  });

  test('the statistics (no personal information) are not recorded', async () => {
    expect(await recordedBy(() => h.as('assessor').get(`/statistics/csv?year=${new Date().getFullYear()}`).expect(200))).toEqual([]);
  });

  test('everything recorded here verifies as one chain', async () => {
    expect(await h.services.audit.verify()).toEqual({ ok: true, checked: expect.any(Number) });
  });
});
