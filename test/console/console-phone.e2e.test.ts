/**
 * The staff console on a phone (390 × 844, headless Chromium): every console page fits the
 * screen — no element reaches past its right edge, so the page never scrolls sideways — table
 * cells are wide enough to read (tables become stacked rows with labels), and form fields take
 * the full width. A screenshot of every page is kept under test-artifacts/console-phone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import { drive, filingAt, ROUTES, startHarness, type Harness, type StaffKey } from '../support/harness';

const PHONE = { width: 390, height: 844 };
/** Narrower than this, a cell shows a few characters per line: the failure this test guards. */
const READABLE_CELL_PX = 120;
/** Form fields take (nearly) the width of the page's text column. */
const FULL_WIDTH_SHARE = 0.75;

interface Layout {
  viewport: number;
  pageWidth: number;
  overflowing: string[];
  narrowCells: string[];
  narrowFields: string[];
  cells: number;
  fields: number;
}

/**
 * Runs in the page (plain JavaScript: the test's types know no DOM). What sticks out past the
 * right edge, which table cells are too narrow to read, which form fields are not full width.
 */
const MEASURE = `({ readableCell, fullWidthShare }) => {
  const viewport = document.documentElement.clientWidth;
  const describe = (el) => {
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const classes = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + classes + ' "' + text + '"';
  };
  const width = (el) => Math.round(el.getBoundingClientRect().width);
  const shown = (el) => {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Visually hidden helpers (1 px, clipped, and what they hold) and skip links parked left of
    // the screen take no room.
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (up.getBoundingClientRect().width <= 1 && getComputedStyle(up).overflow === 'hidden') return false;
    }
    return rect.width > 1 && rect.height > 1 && rect.right > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const all = [...document.body.querySelectorAll('*')].filter(shown);
  const overflowing = all.filter((el) => el.getBoundingClientRect().right > viewport + 0.5).map((el) => describe(el) + ' right=' + Math.round(el.getBoundingClientRect().right));
  const cells = all.filter((el) => (el.tagName === 'TD' || el.tagName === 'TH') && (el.textContent || '').trim() !== '');
  const narrowCells = cells.filter((el) => width(el) < readableCell).map((el) => describe(el) + ' ' + width(el) + 'px');
  const main = document.querySelector('main');
  const column = main.clientWidth - parseFloat(getComputedStyle(main).paddingLeft) - parseFloat(getComputedStyle(main).paddingRight);
  const fields = all.filter((el) => {
    if (!el.closest('form')) return false;
    if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
    return el.tagName === 'INPUT' && !['checkbox', 'radio', 'hidden', 'submit'].includes(el.type);
  });
  const narrowFields = fields.filter((el) => width(el) < column * fullWidthShare).map((el) => describe(el) + '#' + el.id + ' ' + width(el) + 'px of ' + Math.round(column) + 'px');
  return { viewport, pageWidth: document.documentElement.scrollWidth, overflowing, narrowCells, narrowFields, cells: cells.length, fields: fields.length };
}`;

function measure(page: Page, options: { readableCell: number; fullWidthShare: number }): Promise<Layout> {
  return page.evaluate(`(${MEASURE})(${JSON.stringify(options)})`) as Promise<Layout>;
}

describeInBrowser('the staff console at phone width', () => {
  let h: Harness;
  let server: { base: string; close(): Promise<void> };
  let browser: Browser;
  const contexts = new Map<StaffKey | 'nobody', { context: BrowserContext; page: Page }>();
  const snap = screenshotter('console-phone');
  const ids = { drafting: '', intake: '', consulted: '', published: '', department: '' };

  beforeAll(async () => {
    // This run's screenshots only: a page renamed or dropped leaves no stale picture behind.
    fs.rmSync(path.join(__dirname, '..', '..', 'test-artifacts', 'console-phone'), { recursive: true, force: true });
    h = await startHarness();
    server = await serve(h.app);
    browser = await launchBrowser();
    // The filings the pages show, built through the services: the browser is for looking.
    ids.drafting = await filingAt(h, [], { title: '关于支持首店经济发展的若干措施（征求意见稿）' });
    ids.intake = await filingAt(h, ['awaitingIntake'], { title: '关于进一步优化营商环境降低市场主体制度性交易成本的若干措施' });
    ids.consulted = await filingAt(h, ['consultationRequested', 'consultation'], {
      title: '城市公共交通票价调整方案',
      body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。\n第三条 老年人继续免费乘车。',
    });
    const submit = (body: string, article: number | null, name: string | null, email: string | null) =>
      h.services.comments.submit(ids.consulted, { article, paragraph: null, body, name, email, phone: null }, '127.0.0.1', new Date());
    for (let i = 0; i < 4; i++) await submit('反对票价上涨，公交是民生工程，应由财政补贴。', 2, null, null);
    await submit('建议学生也纳入免费乘车范围。我的电话13912345678，可以联系我：zhao.xiaoming.longaddress@example.com', 3, '赵同学', 'zhao.xiaoming.longaddress@example.com');
    await submit('总体支持，建议同步提高公交准点率，并公开各线路的运营成本和财政补贴数额。', null, '李女士', 'li@example.com');
    await drive(h, ids.consulted, ROUTES.disposition);
    // Every comment answered, the campaign at once: the report can then be previewed.
    const [campaign] = await h.services.workbench.clusters(h.actors.drafter, ids.consulted, 1);
    await h.services.workbench.dispose(h.actors.drafter, ids.consulted, 1, { clusterId: String(campaign.clusterId), outcome: 'notAdopted', reason: '票价调整已综合考虑财政承受能力和运营成本，暂不调整。' });
    const { items: rest } = await h.services.workbench.commentsOf(h.actors.drafter, ids.consulted, { round: 1, page: 1, pageSize: 50, undisposed: true });
    await h.services.workbench.dispose(h.actors.drafter, ids.consulted, 1, { commentIds: rest.map((c) => String(c.id)), outcome: 'partlyAdopted', reason: '已在第三条中补充相关内容。' });
    await h.services.audit.record({ kind: 'signInFailed', actor: null, target: null, detail: { channel: 'console', reason: 'invalidToken' }, at: new Date(), ip: '203.0.113.250', outcome: 'failure' });
    // The administrator's pages: a city, a district, a department with a long name and its unit.
    const admin = { actor: h.actors.admin, ip: null, at: new Date(), route: 'test' };
    const city = await h.services.organisation.createJurisdiction(admin, { name: '榕城市', divisionCode: '350100', parent: null });
    await h.services.organisation.createJurisdiction(admin, { name: '鼓楼区', divisionCode: '350102', parent: city.id });
    const ndrc = await h.services.organisation.createDepartment(admin, { name: '市发展和改革委员会', shortName: '市发展改革委', code: '91350100M000100Y43', kind: 'department', jurisdiction: city.id, parent: null });
    ids.department = ndrc.id;
    await h.services.organisation.createDepartment(admin, { name: '市发展和改革委员会价格监测中心（市价格认证中心）', shortName: '市价格监测中心', code: '91110000600037341L', kind: 'agency', jurisdiction: city.id, parent: ndrc.id });
    ids.published = await filingAt(h, [], { title: '关于促进养老服务高质量发展的实施意见' });
    await drive(h, ids.published, [['drafter', { type: 'EDIT_TEXT', body: '一、总体要求\n二、重点任务：完善居家社区养老服务网络，发展社区嵌入式养老服务机构。\n三、保障措施' }]]);
    await drive(h, ids.published, [...ROUTES.awaitingIntake, ...ROUTES.review, ...ROUTES.awaitingDecision, ...ROUTES.signing, ...ROUTES.awaitingPublication, ...ROUTES.published]);
    await drive(h, ids.published, [
      ['drafter', { type: 'ADD_FOLLOW_UP', form: 'policyQa', title: '政策问答（二）：社区养老服务补贴如何申请？', body: '问：如何申请？答：向所在街道提出。', url: null, concern: '补贴申请渠道' }],
      ['publisher', { type: 'AMEND', document: { title: '关于修改养老服务补贴标准的决定', documentNumber: '某政发〔2027〕3号', url: null }, effectiveOn: '2027-03-01' }],
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.close();
  });

  /** A phone signed in as `who` (or not signed in), kept for the whole file. */
  async function phone(who: StaffKey | 'nobody'): Promise<Page> {
    const existing = contexts.get(who);
    if (existing) return existing.page;
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    if (who !== 'nobody') {
      // Signed in as the sign-in form would (its own page is measured below, signing in is
      // console.e2e's): a session, and its cookie.
      const opened = await h.services.staff.openSession(h.tokens[who], new Date());
      await context.addCookies([{ name: 'pd_session', value: opened!.session, domain: '127.0.0.1', path: '/console', httpOnly: true, sameSite: 'Lax' }]);
    }
    const page = await context.newPage();
    contexts.set(who, { context, page });
    return page;
  }

  const pages: Array<[string, StaffKey | 'nobody', () => string, { tables?: boolean; forms?: boolean }]> = [
    ['login', 'nobody', () => '/console/login', { forms: true }],
    ['my-filings', 'assessor', () => '/console', { tables: true, forms: true }],
    ['inbox', 'clerk', () => '/console/tasks', { tables: true }],
    ['new-filing', 'drafter', () => '/console/filings/new', { forms: true }],
    ['filing-drafting', 'drafter', () => `/console/filings/${ids.drafting}`, { forms: true }],
    ['filing-intake', 'clerk', () => `/console/filings/${ids.intake}`, { forms: true }],
    ['filing-published', 'publisher', () => `/console/filings/${ids.published}`, { forms: true }],
    ['diff', 'drafter', () => `/console/filings/${ids.published}/diff?from=1&to=2`, { forms: true }],
    ['workbench', 'drafter', () => `/console/filings/${ids.consulted}/consultation/1`, { tables: true, forms: true }],
    // R16: anyone but the lead department reads the comments masked; before filing, of the city roles only the assessor sees the draft.
    ['workbench-masked', 'assessor', () => `/console/filings/${ids.consulted}/consultation/1`, { tables: true }],
    ['report-preview', 'drafter', () => `/console/filings/${ids.consulted}/consultation/1/report`, { tables: true }],
    ['statistics', 'assessor', () => `/console/statistics?year=${new Date().getFullYear()}`, { tables: true, forms: true }],
    ['not-found', 'drafter', () => '/console/filings/000000000000000000000000', {}],
    // The security auditor's trail: the sign-ins of the pages above are on it, a failed one too.
    ['audit', 'auditor', () => '/console/audit', { tables: true, forms: true }],
    // The administrator's console: departments, one department, jurisdictions.
    ['admin-departments', 'admin', () => '/console/admin/departments', { tables: true, forms: true }],
    ['admin-department', 'admin', () => `/console/admin/departments/${ids.department}`, { forms: true }],
    ['admin-jurisdictions', 'admin', () => '/console/admin/jurisdictions', { tables: true, forms: true }],
  ];

  test.each(pages)('%s fits a 390 px screen', async (name, who, path, expects) => {
    const page = await phone(who);
    const response = await page.goto(`${server.base}${path()}`);
    expect(response?.status()).toBe(name === 'not-found' ? 404 : 200);
    // Folded actions are part of the page: unfold them all before measuring.
    await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
    await snap(page, name);
    const layout = await measure(page, { readableCell: READABLE_CELL_PX, fullWidthShare: FULL_WIDTH_SHARE });
    expect(layout.viewport).toBe(PHONE.width);
    expect({ pageWidth: layout.pageWidth, overflowing: layout.overflowing.slice(0, 10) }).toEqual({ pageWidth: PHONE.width, overflowing: [] });
    expect(layout.narrowCells.slice(0, 10)).toEqual([]);
    expect(layout.narrowFields.slice(0, 10)).toEqual([]);
    // The page really has what is measured: a check of an empty page would pass by itself.
    if (expects.tables) expect(layout.cells).toBeGreaterThan(3);
    if (expects.forms) expect(layout.fields).toBeGreaterThan(0);
  }, 60_000);
});
