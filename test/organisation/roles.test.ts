/**
 * The roles issue 14 adds: the system administrator (jurisdiction-level, no filing access at all,
 * 三员分立), the open-government office (a department role) and the opinion desk (a jurisdiction
 * role), both with no filing events yet.
 */
import { EVENT_PERMISSIONS, FILING_EVENT_TYPES } from '../../machines/events';
import { canCreateFiling, visibilityOf } from '../../machines/permissions';
import { isDepartmentRole, ROLE_LABELS, ROLES } from '../../machines/roles';
import { consoleSessions } from '../support/console';
import { actor, LEAD } from '../support/fixtures';
import { filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
let id: string;
const signedIn = consoleSessions(() => h);

beforeAll(async () => {
  h = await startHarness();
  id = await filingAt(h, ['awaitingIntake']);
}, 120_000);
afterAll(() => h.close());

describe('the new roles', () => {
  test('are known, with their Chinese labels, and placed in a department or a jurisdiction', () => {
    expect(ROLES).toEqual(expect.arrayContaining(['administrator', 'securityAuditor', 'openGovernmentOffice', 'opinionDesk']));
    expect(ROLE_LABELS.administrator).toBe('系统管理员');
    expect(ROLE_LABELS.openGovernmentOffice).toBe('政务公开机构');
    expect(ROLE_LABELS.opinionDesk).toBe('新闻发言人 / 舆情值班');
    expect(isDepartmentRole('openGovernmentOffice')).toBe(true);
    for (const role of ['administrator', 'securityAuditor', 'opinionDesk'] as const) expect(isDepartmentRole(role)).toBe(false);
  });

  test('send no filing event yet and open no filing', () => {
    for (const role of ['administrator', 'securityAuditor', 'openGovernmentOffice', 'opinionDesk'] as const) {
      for (const type of FILING_EVENT_TYPES) expect({ role, type, allowed: EVENT_PERMISSIONS[type].roles.includes(role) }).toEqual({ role, type, allowed: false });
      expect(canCreateFiling(actor(role, role === 'openGovernmentOffice' ? LEAD : null))).toBe(false);
    }
    expect(visibilityOf(actor('administrator'))).toEqual({ kind: 'nothing' });
    expect(visibilityOf(actor('openGovernmentOffice', LEAD))).toEqual({ kind: 'department', department: LEAD });
  });

  test('/meta lists them', async () => {
    const roles = (await h.as('clerk').get('/meta').expect(200)).body.roles;
    expect(roles).toEqual(expect.arrayContaining([{ role: 'administrator', label: '系统管理员' }, { role: 'opinionDesk', label: '新闻发言人 / 舆情值班' }]));
  });
});

describe('the administrator sees no filing content', () => {
  test('every /filings route, the statistics and the mail answer 403', async () => {
    const gets = ['/filings', `/filings/${id}`, `/filings/${id}/history`, `/filings/${id}/ledger`, `/filings/${id}/texts`, `/filings/${id}/texts/1`, `/filings/${id}/completeness`, `/filings/${id}/comments?round=1`, `/filings/${id}/mail`, `/filings/${id}/consultations/1/clusters`, '/statistics', '/statistics/csv', '/statistics/returns', '/mail'];
    for (const path of gets) {
      const res = await h.as('admin').get(path);
      expect({ path, status: res.status, code: res.body.error?.code, reason: res.body.error?.reason }).toEqual({ path, status: 403, code: 'FORBIDDEN_ROLE', reason: 'administratorOnly' });
    }
    const version = (await h.as('assessor').get(`/filings/${id}`)).body.version;
    expect((await h.as('admin').post(`/filings/${id}/events`, { type: 'ACCEPT', version })).status).toBe(403);
    expect((await h.as('admin').post('/filings', { title: '管理员的文件', body: '第一条' })).status).toBe(403);
    expect((await h.as('assessor').get(`/filings/${id}`)).body.version).toBe(version);
    expect((await h.as('admin').get('/me').expect(200)).body).toMatchObject({ role: 'administrator', department: null });
  });

  test('the console opens no filing list or page, and its menu shows none', async () => {
    const agent = await signedIn('admin');
    for (const path of ['/console', '/console/tasks', `/console/filings/${id}`, '/console/filings/new', '/console/statistics', `/console/filings/${id}/consultation/1`]) {
      const res = await agent.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: path === '/console' ? res.status : 403 });
      if (res.status === 200) expect(res.text).not.toContain('我的文件');
      if (path === '/console') expect([303, 403]).toContain(res.status);
    }
  });
});

describe('the other new roles', () => {
  test("the open-government office sees its department's filings and may send nothing on them", async () => {
    const view = (await h.as('openGovernmentOffice').get(`/filings/${id}`).expect(200)).body;
    expect(view.allowedEvents).toEqual([]);
  });

  test('the opinion desk sees what is filed with the general office, and may send nothing on it', async () => {
    const view = (await h.as('opinionDesk').get(`/filings/${id}`).expect(200)).body;
    expect(view.allowedEvents).toEqual([]);
  });
});
