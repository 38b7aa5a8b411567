/**
 * The administrator's console pages (系统管理): departments and jurisdictions, searched and paged,
 * added, changed, deactivated — in Chinese, CSRF-protected, refused to every other role — and
 * the administrator's menu shows only the administration.
 */
import { consoleSessions, csrfOf } from '../support/console';
import { STAFF, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
const signedIn = consoleSessions(() => h);

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h.close());

test("the administrator's console: home is the administration, the menu shows nothing else", async () => {
  const agent = await signedIn('admin');
  expect((await agent.get('/console').expect(303)).headers.location).toBe('/console/admin/departments');
  expect((await agent.get('/console/admin').expect(303)).headers.location).toBe('/console/admin/departments');
  const page = await agent.get('/console/admin/departments').expect(200);
  expect(page.text).toContain('部门管理');
  expect(page.text).toContain('请先<a href="/console/admin/jurisdictions">新增行政区域</a>');
  for (const other of ['我的文件', '/console/tasks', '/console/statistics', '/console/audit', '新建文件']) expect(page.text).not.toContain(other);
});

test('adds a jurisdiction and departments through the forms; a wrong code is explained on the page', async () => {
  const agent = await signedIn('admin');
  const form = await agent.get('/console/admin/jurisdictions').expect(200);
  await agent.post('/console/admin/jurisdictions').type('form').send({ _csrf: csrfOf(form.text), name: '榕城市', divisionCode: '350100', parent: '' }).expect(303);
  const bad = await agent.post('/console/admin/jurisdictions').type('form').send({ _csrf: csrfOf(form.text), name: '鼓楼区', divisionCode: '35', parent: '' }).expect(400);
  expect(bad.text).toContain('行政区划代码应为6位数字');
  const list = await agent.get('/console/admin/departments').expect(200);
  const jurisdiction = /<select id="jurisdiction" name="jurisdiction"><option value="([0-9a-f]{24})"/.exec(list.text)![1];
  const wrong = await agent.post('/console/admin/departments').type('form').send({ _csrf: csrfOf(list.text), name: '市财政局', shortName: '', code: '91350100M000100Y44', kind: 'department', jurisdiction }).expect(422);
  expect(wrong.text).toContain('统一社会信用代码不正确');
  expect(wrong.text).toContain('value="市财政局"');
  const created = await agent.post('/console/admin/departments').type('form').send({ _csrf: csrfOf(list.text), name: '市财政局', shortName: '', code: '91350100M000100Y43', kind: 'department', jurisdiction }).expect(303);
  const id = /\/console\/admin\/departments\/([0-9a-f]{24})$/.exec(created.headers.location)![1];
  const page = await agent.get(`/console/admin/departments/${id}`).expect(200);
  expect(page.text).toContain('<h1>市财政局</h1>');
  await agent.post(`/console/admin/departments/${id}`).type('form').send({ _csrf: csrfOf(page.text), name: '市财政厅', shortName: '财政', code: '91350100M000100Y43', kind: 'department' }).expect(303);
  await agent.post(`/console/admin/departments/${id}/deactivate`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
  const after = await agent.get(`/console/admin/departments/${id}`).expect(200);
  expect(after.text).toContain('<h1>市财政厅</h1>');
  expect(after.text).toContain('已停用');
  expect(after.text).toContain('重新启用本部门');
  const kinds = (await h.services.audit.list({ kinds: ['departmentCreated', 'departmentChanged', 'departmentDeactivated', 'jurisdictionCreated'] }, 1, 10)).items.map((e) => e.kind);
  expect(kinds).toEqual(['departmentDeactivated', 'departmentChanged', 'departmentCreated', 'jurisdictionCreated']);
  // Search and paging by the same filters as the API.
  const found = await agent.get(`/console/admin/departments?q=${encodeURIComponent('财政')}&active=false`).expect(200);
  expect(found.text).toContain('市财政厅');
  expect(found.text).toContain('第 1 / 1 页，共 1 条');
  expect((await agent.get('/console/admin/departments?active=true')).text).toContain('没有符合条件的部门');
  // No form without its token.
  expect((await agent.post(`/console/admin/departments/${id}/reactivate`).type('form').send({})).status).toBe(403);
});

test.each((Object.keys(STAFF) as StaffKey[]).filter((k) => k !== 'admin'))('%s opens no administration page', async (who) => {
  const agent = await signedIn(who);
  for (const path of ['/console/admin/departments', '/console/admin/jurisdictions']) {
    const res = await agent.get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 403 });
  }
  const home = await agent.get(who === 'auditor' ? '/console/audit' : '/console');
  expect(home.text).not.toContain('href="/console/admin');
});
