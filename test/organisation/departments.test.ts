/**
 * The organisation directory through the API: jurisdictions and departments, changed by the
 * system administrator only (三员分立) — every administrative route tried by every role — with the
 * unified social credit code's check character verified, names unique within a jurisdiction, no
 * parent cycles, deactivation instead of deletion, and every change on the security audit trail.
 */
import { STAFF, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
let cityId: string;
let deptId: string;

const CODE_A = '91350100M000100Y43';
const CODE_B = '91110000600037341L';
const CODE_C = '91440300708461136T';

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h.close());

async function lastAudit() {
  return (await h.services.audit.list({}, 1, 1)).items[0];
}

describe('the administrator', () => {
  test('adds the city and a district', async () => {
    const city = await h.as('admin').post('/admin/jurisdictions', { name: '榕城市', divisionCode: '350100' }).expect(201);
    cityId = city.body.id;
    expect(city.headers.location).toBe(`/admin/jurisdictions/${cityId}`);
    expect(city.body).toMatchObject({ name: '榕城市', divisionCode: '350100', parent: null, active: true });
    expect(await lastAudit()).toMatchObject({ kind: 'jurisdictionCreated', outcome: 'success', actor: { id: h.actors.admin.id, role: 'administrator' }, target: { type: 'jurisdiction', id: cityId, label: '榕城市' } });
    const district = await h.as('admin').post('/admin/jurisdictions', { name: '鼓楼区', divisionCode: '350102', parent: cityId }).expect(201);
    expect(district.body.parent).toEqual({ id: cityId, name: '榕城市' });
    expect((await h.as('admin').post('/admin/jurisdictions', { name: '榕城市', divisionCode: '350199' })).body.error.code).toBe('JURISDICTION_NAME_TAKEN');
    expect((await h.as('admin').post('/admin/jurisdictions', { name: '台江区', divisionCode: '350102' })).body.error.code).toBe('JURISDICTION_CODE_TAKEN');
    const bad = await h.as('admin').post('/admin/jurisdictions', { name: '仓山区', divisionCode: '3501' }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'divisionCode' });
    const list = await h.as('admin').get('/admin/jurisdictions').expect(200);
    expect(list.body.items.map((j: { name: string }) => j.name)).toEqual(['榕城市', '鼓楼区']);
  });

  test('adds a department with a valid code, and is refused a code whose check character is wrong', async () => {
    const wrong = await h.as('admin').post('/admin/departments', { name: '市发展和改革委员会', code: '91350100M000100Y44', kind: 'department', jurisdiction: cityId }).expect(422);
    expect(wrong.body.error).toMatchObject({ code: 'DEPARTMENT_CODE_INVALID', field: 'code', problem: 'check' });
    expect(wrong.body.error.message).toContain('校验码');
    const created = await h.as('admin').post('/admin/departments', { name: '市发展和改革委员会', shortName: '市发展改革委', code: CODE_A.toLowerCase(), kind: 'department', jurisdiction: cityId }).expect(201);
    deptId = created.body.id;
    expect(created.body).toMatchObject({ name: '市发展和改革委员会', shortName: '市发展改革委', code: CODE_A, codePending: false, kind: 'department', kindLabel: '政府工作部门', jurisdiction: { id: cityId, name: '榕城市' }, parent: null, active: true });
    expect(await lastAudit()).toMatchObject({ kind: 'departmentCreated', outcome: 'success', target: { type: 'department', id: deptId, label: '市发展和改革委员会' }, detail: { code: CODE_A } });
    const sameName = await h.as('admin').post('/admin/departments', { name: '市发展和改革委员会', code: CODE_B, kind: 'department', jurisdiction: cityId }).expect(409);
    expect(sameName.body.error.code).toBe('DEPARTMENT_NAME_TAKEN');
    const sameCode = await h.as('admin').post('/admin/departments', { name: '市财政局', code: CODE_A, kind: 'department', jurisdiction: cityId }).expect(409);
    expect(sameCode.body.error.code).toBe('DEPARTMENT_CODE_TAKEN');
    expect((await h.as('admin').post('/admin/departments', { name: '市财政局', code: CODE_B, kind: 'department', jurisdiction: 'ffffffffffffffffffffffff' }).expect(404)).body.error.code).toBe('JURISDICTION_NOT_FOUND');
    expect((await h.as('admin').post('/admin/departments', { name: '市财政局', code: CODE_B, kind: 'ministry', jurisdiction: cityId }).expect(400)).body.error.field).toBe('kind');
  });

  test('a child department; no parent from another jurisdiction, no cycle', async () => {
    const child = await h.as('admin').post('/admin/departments', { name: '市价格监测中心', code: CODE_B, kind: 'agency', jurisdiction: cityId, parent: deptId }).expect(201);
    expect(child.body.parent).toEqual({ id: deptId, name: '市发展和改革委员会' });
    const cycle = await h.as('admin').post(`/admin/departments/${deptId}`, { parent: child.body.id }).expect(422);
    expect(cycle.body.error.code).toBe('DEPARTMENT_PARENT_INVALID');
    expect((await h.as('admin').post(`/admin/departments/${deptId}`, { parent: deptId }).expect(422)).body.error.code).toBe('DEPARTMENT_PARENT_INVALID');
    const district = (await h.as('admin').get('/admin/jurisdictions')).body.items.find((j: { name: string }) => j.name === '鼓楼区');
    const elsewhere = await h.as('admin').post('/admin/departments', { name: '区发展和改革局', code: CODE_C, kind: 'department', jurisdiction: district.id, parent: deptId }).expect(422);
    expect(elsewhere.body.error.code).toBe('DEPARTMENT_PARENT_INVALID');
  });

  test('renames a department: its children show the new name; the trail keeps before and after', async () => {
    const renamed = await h.as('admin').post(`/admin/departments/${deptId}`, { name: '市发展改革委员会' }).expect(200);
    expect(renamed.body.name).toBe('市发展改革委员会');
    expect(await lastAudit()).toMatchObject({ kind: 'departmentChanged', target: { id: deptId, label: '市发展改革委员会' }, detail: { changes: { name: { from: '市发展和改革委员会', to: '市发展改革委员会' } } } });
    const list = await h.as('admin').get(`/admin/departments?q=${encodeURIComponent('价格')}`).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1 });
    expect(list.body.items[0].parent).toEqual({ id: deptId, name: '市发展改革委员会' });
    const byCode = await h.as('admin').get(`/admin/departments?q=${CODE_A.slice(0, 10)}`).expect(200);
    expect(byCode.body.items.map((d: { id: string }) => d.id)).toEqual([deptId]);
  });

  test('deactivates and reactivates; nothing is deleted', async () => {
    const off = await h.as('admin').post(`/admin/departments/${deptId}/deactivate`).expect(200);
    expect(off.body.active).toBe(false);
    expect(await lastAudit()).toMatchObject({ kind: 'departmentDeactivated', target: { id: deptId } });
    expect((await h.as('admin').get('/admin/departments?active=false').expect(200)).body.items.map((d: { id: string }) => d.id)).toEqual([deptId]);
    expect((await h.as('admin').get('/admin/departments?active=true').expect(200)).body.total).toBe(1);
    const on = await h.as('admin').post(`/admin/departments/${deptId}/reactivate`).expect(200);
    expect(on.body.active).toBe(true);
    expect(await lastAudit()).toMatchObject({ kind: 'departmentReactivated', target: { id: deptId } });
    expect((await h.as('admin').get(`/admin/departments/${deptId}`).expect(200)).body.active).toBe(true);
    expect((await h.as('admin').get('/admin/departments/ffffffffffffffffffffffff').expect(404)).body.error.code).toBe('DEPARTMENT_NOT_FOUND');
    expect((await h.as('admin').get('/admin/departments/nope').expect(404)).body.error.code).toBe('DEPARTMENT_NOT_FOUND');
  });
});

describe('every other role is refused every administrative route', () => {
  const routes = (): Array<{ method: 'get' | 'post'; path: string; body?: object; kind?: string }> => [
    { method: 'get', path: '/admin/jurisdictions' },
    { method: 'post', path: '/admin/jurisdictions', body: { name: '闽侯县', divisionCode: '350121' }, kind: 'jurisdictionCreated' },
    { method: 'post', path: `/admin/jurisdictions/${cityId}`, body: { name: '改名市' }, kind: 'jurisdictionChanged' },
    { method: 'get', path: '/admin/departments' },
    { method: 'post', path: '/admin/departments', body: { name: '市教育局', code: CODE_C, kind: 'department', jurisdiction: cityId }, kind: 'departmentCreated' },
    { method: 'get', path: `/admin/departments/${deptId}` },
    { method: 'post', path: `/admin/departments/${deptId}`, body: { name: '改名委' }, kind: 'departmentChanged' },
    { method: 'post', path: `/admin/departments/${deptId}/deactivate`, kind: 'departmentDeactivated' },
    { method: 'post', path: `/admin/departments/${deptId}/reactivate`, kind: 'departmentReactivated' },
  ];

  test.each((Object.keys(STAFF) as StaffKey[]).filter((k) => k !== 'admin'))('%s', async (who) => {
    const before = (await h.as('admin').get('/admin/departments?pageSize=200')).body;
    for (const route of routes()) {
      const res = await (route.method === 'get' ? h.as(who).get(route.path) : h.as(who).post(route.path, route.body));
      const reason = who === 'auditor' ? 'securityAuditorOnly' : 'administratorOnly';
      expect({ route: route.path, status: res.status, code: res.body.error?.code, reason: res.body.error?.reason }).toEqual({ route: route.path, status: 403, code: 'FORBIDDEN_ROLE', reason });
      // A refused change is itself on the trail (the auditor is stopped before any route).
      if (route.kind && who !== 'auditor') {
        expect(await lastAudit()).toMatchObject({ kind: route.kind, outcome: 'failure', actor: { id: h.actors[who].id }, detail: { reason: 'notAdministrator' } });
      }
    }
    expect((await h.as('admin').get('/admin/departments?pageSize=200')).body).toEqual(before);
    expect((await h.as('admin').get('/admin/jurisdictions')).body.items.map((j: { name: string }) => j.name)).toEqual(['榕城市', '鼓楼区']);
  });

  test('without a token: 401', async () => {
    const res = await h.as('admin').get('/admin/departments').set('Authorization', '');
    expect(res.status).toBe(401);
  });
});
