/**
 * 三员分立: only the security auditor reads the security audit trail (API, console, CSV,
 * verification) — everyone else is refused, and the attempt recorded — and the auditor changes
 * nothing and sees no filing: every other route is closed to them. Reading and exporting the
 * trail are themselves recorded.
 */
import { mayReadAuditTrail } from '../../src/audit';
import { parseCsv } from '../statistics/csv-parse';
import { consoleSessions } from '../support/console';
import { filingAt, STAFF, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
let id: string;
const signedIn = consoleSessions(() => h);
const OTHERS = (Object.keys(STAFF) as StaffKey[]).filter((k) => k !== 'auditor');

beforeAll(async () => {
  h = await startHarness();
  id = await filingAt(h, ['awaitingIntake']);
  // A trail with something on it: failed and successful sign-ins of two people, on two days.
  const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
  for (const [kind, who, day, outcome] of [
    ['signInFailed', null, '2026-03-01', 'failure'],
    ['signIn', 'clerk', '2026-03-01', 'success'],
    ['signIn', 'drafter', '2026-03-02', 'success'],
    ['signOut', 'drafter', '2026-03-03', 'success'],
  ] as const) {
    const actor = who ? { id: h.actors[who].id, name: h.actors[who].name, role: h.actors[who].role } : null;
    await h.services.audit.record({ kind, actor, target: null, detail: { channel: 'console' }, at: at(day), ip: '10.1.2.3', outcome });
  }
}, 120_000);
afterAll(() => h.close());

describe('only the security auditor reads the trail', () => {
  test.each(['/audit', '/audit/csv', '/audit/verify'])('%s is refused to every other role, and the attempt recorded', async (path) => {
    for (const who of OTHERS) {
      const res = await h.as(who).get(path);
      expect({ who, status: res.status, code: res.body.error?.code }).toEqual({ who, status: 403, code: 'FORBIDDEN_ROLE' });
      const last = (await h.services.audit.list({}, 1, 1)).items[0];
      expect(last).toMatchObject({ kind: 'auditTrailRead', outcome: 'failure', actor: { id: h.actors[who].id }, detail: { route: `GET ${path}` } });
    }
  });

  test('the console pages are refused to every other role', async () => {
    for (const who of OTHERS) {
      const agent = await signedIn(who);
      expect({ who, status: (await agent.get('/console/audit')).status }).toEqual({ who, status: 403 });
      expect({ who, status: (await agent.get('/console/audit.csv')).status }).toEqual({ who, status: 403 });
    }
  });

  test('an administrator is no auditor (三员分立)', () => {
    expect(mayReadAuditTrail({ role: 'administrator' as never })).toBe(false);
    expect(mayReadAuditTrail({ role: 'assessor' })).toBe(false);
    expect(mayReadAuditTrail({ role: 'securityAuditor' })).toBe(true);
  });
});

describe('the auditor reads', () => {
  test('newest first, filtered by kind, person, days and outcome, paged — and each read is recorded', async () => {
    const all = (await h.as('auditor').get('/audit?pageSize=200').expect(200)).body;
    const seqs = all.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    // The read itself is the newest entry.
    expect(all.items[0]).toMatchObject({ kind: 'auditTrailRead', label: '查阅安全审计日志', actor: { id: h.actors.auditor.id }, outcome: 'success', detail: { route: 'GET /audit', page: 1 } });

    const failures = (await h.as('auditor').get('/audit?kind=signInFailed').expect(200)).body;
    expect(failures.items).toEqual([expect.objectContaining({ kind: 'signInFailed', label: '登录失败', actor: null, ip: '10.1.2.3' })]);

    const drafter = (await h.as('auditor').get(`/audit?person=${encodeURIComponent('测试drafter')}&from=2026-03-02&to=2026-03-02`).expect(200)).body;
    expect(drafter.items.map((e: { kind: string }) => e.kind)).toEqual(['signIn']);
    const byId = (await h.as('auditor').get(`/audit?person=${h.actors.drafter.id}&from=2026-03-01&to=2026-03-31`).expect(200)).body;
    expect(byId.items.map((e: { kind: string }) => e.kind)).toEqual(['signOut', 'signIn']);

    const failed = (await h.as('auditor').get('/audit?outcome=failure&pageSize=200').expect(200)).body;
    expect(failed.items.every((e: { outcome: string }) => e.outcome === 'failure')).toBe(true);

    const page2 = (await h.as('auditor').get('/audit?pageSize=2&page=2').expect(200)).body;
    expect(page2).toMatchObject({ page: 2, pageSize: 2 });
    expect(page2.items).toHaveLength(2);
    expect(page2.total).toBeGreaterThan(4);

    const reads = (await h.as('auditor').get('/audit?kind=auditTrailRead&outcome=success&pageSize=200').expect(200)).body.items;
    expect(reads.filter((e: { detail: { route: string } }) => e.detail.route === 'GET /audit').length).toBeGreaterThanOrEqual(6);
  });

  test('bad filters are a 400 with the field, never a 500', async () => {
    for (const query of ['kind=nonsense', 'from=2026-13-45', 'outcome=maybe', 'page=0', 'pageSize=1000', 'extra=1']) {
      const res = await h.as('auditor').get(`/audit?${query}`);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  test('the CSV: UTF-8 with BOM, one row per entry, newest first; the export is recorded', async () => {
    const res = await h.as('auditor').get('/audit/csv?kind=signIn&to=2026-03-31').expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?security-audit-\d{4}-\d{2}-\d{2}\.csv"?$/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0].slice(0, 6)).toEqual(['序号', '时间（北京时间）', '时间（UTC）', '类别', '类别代码', '结果']);
    expect(rows.slice(1).filter((r) => r.length > 1).map((r) => [r[3], r[6]])).toEqual([
      ['登录', '测试drafter'],
      ['登录', '测试clerk'],
    ]);
    const last = (await h.services.audit.list({ kinds: ['auditTrailExported'] }, 1, 1)).items[0];
    expect(last).toMatchObject({ actor: { id: h.actors.auditor.id }, detail: { route: 'GET /audit/csv', filters: { kind: 'signIn', to: '2026-03-31' } } });
  });

  test('verification: {ok, checked}; the console page shows it at the top', async () => {
    expect((await h.as('auditor').get('/audit/verify').expect(200)).body).toEqual({ ok: true, checked: expect.any(Number) });
    const page = await (await signedIn('auditor')).get('/console/audit?kind=signInFailed').expect(200);
    expect(page.text).toContain('日志完整');
    expect(page.text).toContain('登录失败');
    expect(page.text).toContain('10.1.2.3');
    // Tampered: the page says so, and names the entry.
    const victim = await h.models.SecurityAudit.findOne({ kind: 'signInFailed' }).exec();
    await h.models.SecurityAudit.updateOne({ _id: victim!._id }, { $set: { ip: '10.9.9.9' } }).exec();
    try {
      const broken = await (await signedIn('auditor')).get('/console/audit').expect(200);
      expect(broken.text).toContain('日志完整性核验未通过');
      expect(broken.text).toContain(`第 ${victim!.seq} 条`);
      expect((await h.as('auditor').get('/audit/verify').expect(200)).body).toMatchObject({ ok: false, seq: victim!.seq, reason: 'hash' });
    } finally {
      await h.models.SecurityAudit.updateOne({ _id: victim!._id }, { $set: { ip: '10.1.2.3' } }).exec();
    }
  });
});

describe('the auditor changes nothing and sees no filing', () => {
  test('every API route but the trail is refused', async () => {
    const gets = ['/filings', `/filings/${id}`, `/filings/${id}/history`, `/filings/${id}/ledger`, `/filings/${id}/texts`, `/filings/${id}/comments?round=1`, `/filings/${id}/mail`, '/statistics', '/mail'];
    for (const path of gets) {
      const res = await h.as('auditor').get(path);
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 403, code: 'FORBIDDEN_ROLE' });
    }
    const version = (await h.as('assessor').get(`/filings/${id}`)).body.version;
    const posted = await h.as('auditor').post(`/filings/${id}/events`, { type: 'ACCEPT', version });
    expect(posted.status).toBe(403);
    expect(await h.as('auditor').post('/filings', { title: '审计员的文件', body: '第一条' }).then((r) => r.status)).toBe(403);
    expect((await h.as('assessor').get(`/filings/${id}`)).body.version).toBe(version);
    expect((await h.as('auditor').get('/me').expect(200)).body).toMatchObject({ role: 'securityAuditor' });
  });

  test('the console: the trail is home, nothing else opens, no filing list in the menu', async () => {
    const agent = await signedIn('auditor');
    const home = await agent.get('/console').expect(303);
    expect(home.headers.location).toBe('/console/audit');
    for (const path of ['/console/tasks', `/console/filings/${id}`, '/console/filings/new', '/console/statistics', `/console/filings/${id}/consultation/1`]) {
      expect({ path, status: (await agent.get(path)).status }).toEqual({ path, status: 403 });
    }
    const page = await agent.get('/console/audit').expect(200);
    expect(page.text).toContain('安全审计');
    expect(page.text).not.toContain('我的文件');
    expect(page.text).not.toContain('/console/statistics');
  });
});
