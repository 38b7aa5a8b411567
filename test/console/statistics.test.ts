/**
 * R20: the yearly statistics over HTTP — the console page (figures table, bars, CSV download) for
 * the general office and the assessors, and the API (JSON and CSV) — against a small set of real
 * filings made through the service: returns at intake and by the clerk (R18), a consultation with
 * answered comments (R11), a publication on time (R6).
 */
import request from 'supertest';
import type { Actor } from '../../machines/roles';
import { cstYear } from '../../src/statistics';
import { parseCsv } from '../statistics/csv-parse';
import { consoleSessions } from '../support/console';
import { LEAD, OTHER } from '../support/fixtures';
import { completeFiling, drive, filingAt, ROUTES, startHarness, type Harness, type Step } from '../support/harness';

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
/** A department whose name HTML and Excel would both take for markup. */
const ODD = '市<b>"测试"</b>&局';

let h: Harness;
let year: number;

const signedIn = consoleSessions(() => h);

/** The cells of the figures table's row for a department (or 合计), unescaped. */
function tableRow(html: string, department: string): string[] {
  // Cells carry their column's name for phones (data-label), so attributes are allowed.
  const table = /<table class="stats[^"]*">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  for (const row of table.matchAll(/<tr[^>]*><th scope="row">([^<]*)<\/th>((?:<td[^>]*>[^<]*<\/td>)*)<\/tr>/g)) {
    if (decode(row[1]) === department) return [...row[2].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => decode(m[1]));
  }
  throw new Error(`no row for ${department}`);
}

/** Where the download link points, unescaped. */
const csvLink = (html: string) => decode(/<a href="([^"]*)" download>/.exec(html)?.[1] ?? '');

/** The bars of a chart section: label and the figure beside it. */
function bars(html: string, headingId: string): Array<[string, string]> {
  const section = new RegExp(`<section aria-labelledby="${headingId}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  return [...section.matchAll(/<span class="label">([^<]*)<\/span><progress[^>]*>[^<]*<\/progress><span class="value">([^<]*)<\/span>/g)].map((m) => [decode(m[1]), decode(m[2])]);
}

//                    新建 退文 完整性 办公厅 征求 收到 采纳 部分 未采纳 不适用 未处理 采纳率 后续 发布 按时 逾期 按时率
const LEAD_ROW = ['3', '2', '1', '1', '1', '3', '2', '0', '1', '0', '0', '66.7%', '0', '1', '1', '0', '100.0%'];
const ONE_FILING = ['1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '—', '0', '0', '0', '0', '—'];
const TOTAL_ROW = ['5', '2', '1', '1', '1', '3', '2', '0', '1', '0', '0', '66.7%', '0', '1', '1', '0', '100.0%'];

beforeAll(async () => {
  h = await startHarness();
  year = cstYear(new Date());

  // Returned by the clerk with two reasons, refiled, and published at once: on time (R6).
  const published = await filingAt(h, ['awaitingIntake']);
  await drive(h, published, [
    ['clerk', { type: 'RETURN', reasons: [{ code: 'R18_FORMAT_NONCONFORMING' }, { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING' }], note: '格式不规范' }],
    ['drafter', { type: 'REVISE' }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
    ...(ROUTES.review as Step[]),
    ...(ROUTES.awaitingDecision as Step[]),
    ...(ROUTES.signing as Step[]),
    ...(ROUTES.awaitingPublication as Step[]),
    ['publisher', { type: 'PUBLISH', url: 'https://www.example.gov.cn/zcwj/1.html' }],
  ]);

  // Filed without the head's approval of the interpretation: refused at intake (R2, R18).
  const refused = (await h.service.create(h.actors.drafter, completeFiling())).id;
  await drive(h, refused, [
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
  ]);

  // A comment period with three comments, two adopted and one not (R11).
  const consulted = await filingAt(h, ['consultationRequested', 'consultation']);
  for (const body of ['建议扩大适用范围。', '建议延长过渡期。', '建议取消该条款。']) {
    await h.services.comments.submit(consulted, { article: null, paragraph: null, body, name: null, email: null, phone: null }, 'test-client', new Date());
  }
  await drive(h, consulted, ROUTES.disposition as Step[]);
  const { items } = await h.services.workbench.commentsOf(h.actors.drafter, consulted, { round: 1, page: 1, pageSize: 10 });
  const ids = items.map((c) => String(c.id));
  await h.services.workbench.dispose(h.actors.drafter, consulted, 1, { commentIds: ids.slice(0, 2), outcome: 'adopted', reason: null });
  await h.services.workbench.dispose(h.actors.drafter, consulted, 1, { commentIds: ids.slice(2), outcome: 'notAdopted', reason: '与上位法不符' });

  // Two more departments with a filing each, one of them with a name full of markup.
  await h.service.create(h.actors.otherDrafter, completeFiling({ coDepartments: [] }));
  const { record } = await h.services.staff.register({ name: '测试起草人', email: 'odd@example.gov.cn', role: 'drafter', department: ODD });
  const odd: Actor = { id: String(record._id), name: record.name, role: record.role, department: record.department };
  await h.service.create(odd, completeFiling({ coDepartments: [] }));
}, 120_000);

afterAll(async () => {
  await h.close();
});

describe('the console page', () => {
  let html: string;
  beforeAll(async () => {
    const res = await (await signedIn('assessor')).get('/console/statistics').expect(200);
    html = res.text;
  });

  test('opens on the current year, with the year and department pickers and the navigation item', () => {
    expect(html).toContain(`<h1>${year}年度统计 · 全部部门</h1>`);
    const years = [...html.matchAll(/<option value="(\d{4})"( selected)?>/g)].map((m) => [Number(m[1]), Boolean(m[2])]);
    expect(years).toEqual([0, 1, 2, 3, 4].map((i) => [year - i, i === 0]));
    const departmentSelect = /<select id="department"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '';
    for (const name of [LEAD, OTHER]) expect(departmentSelect).toContain(`<option value="${name}">${name}</option>`);
    expect(html).toContain('<a href="/console/statistics" aria-current="page">统计</a>');
  });

  test('every figure per department, and the totals', () => {
    expect(tableRow(html, LEAD)).toEqual(LEAD_ROW);
    expect(tableRow(html, OTHER)).toEqual(ONE_FILING);
    expect(tableRow(html, ODD)).toEqual(ONE_FILING);
    expect(tableRow(html, '合计')).toEqual(TOTAL_ROW);
  });

  test('bars for the return reasons, the forms of interpretation, the outcomes and punctuality', () => {
    // Most frequent first, then by code.
    expect(bars(html, 'reasons-h')).toEqual([
      ['未标明公开属性（R1）', '1 次'],
      ['公文格式不规范（R18）', '1 次'],
      ['解读方案和解读材料未经起草部门主要负责人审定（R2）', '1 次'],
    ]);
    expect(bars(html, 'forms-h').slice(0, 3)).toEqual([
      ['撰稿解读', '1 项（50.0%）'],
      ['专家解读', '0 项（0.0%）'],
      ['政策问答', '1 项（50.0%）'],
    ]);
    expect(bars(html, 'outcomes-h')).toEqual([
      ['采纳', '2 条（66.7%）'],
      ['部分采纳', '0 条（0.0%）'],
      ['未采纳', '1 条（33.3%）'],
      ['不适用', '0 条（0.0%）'],
      ['尚未处理', '0 条（0.0%）'],
    ]);
    expect(html).toContain('意见采纳率 <strong>66.7%</strong>');
    expect(bars(html, 'punctuality-h')).toEqual([
      [LEAD, '按时 1 / 发布 1 件（100.0%）'],
      ['合计', '按时 1 / 发布 1 件（100.0%）'],
    ]);
    // Drawn without a script, which the CSP forbids anyway.
    expect(html).not.toContain('<script');
  });

  test('escapes every name it shows', () => {
    expect(html).not.toContain('<b>"测试"</b>');
    expect(html).toContain('市&lt;b&gt;&quot;测试&quot;&lt;/b&gt;&amp;局');
  });

  test('links the spreadsheet of the same selection', () => {
    expect(csvLink(html)).toBe(`/console/statistics.csv?year=${year}`);
  });

  test('a department and a year can be chosen', async () => {
    const page = (await (await signedIn('assessor')).get(`/console/statistics?year=${year}&department=${encodeURIComponent(OTHER)}`).expect(200)).text;
    expect(page).toContain(`<h1>${year}年度统计 · ${OTHER}</h1>`);
    expect(page).toContain(`<option value="${OTHER}" selected>`);
    expect(() => tableRow(page, LEAD)).toThrow();
    expect(tableRow(page, OTHER)).toEqual(ONE_FILING);
    expect(tableRow(page, '合计')).toEqual(ONE_FILING);
    expect(csvLink(page)).toBe(`/console/statistics.csv?year=${year}&department=${encodeURIComponent(OTHER)}`);
    expect(page).toContain('本年度没有公开发布的文件。');

    const earlier = (await (await signedIn('assessor')).get('/console/statistics?year=2001').expect(200)).text;
    expect(earlier).toContain('<h1>2001年度统计 · 全部部门</h1>');
    expect(earlier).toContain('<option value="2001" selected>');
    expect(earlier).toContain('本年度没有统计数据。');
    expect(tableRow(earlier, '合计')).toEqual(['0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '—', '0', '0', '0', '0', '—']);
  });

  test('a year the form would never send falls back to the current one', async () => {
    const page = (await (await signedIn('assessor')).get('/console/statistics?year=abc&department=').expect(200)).text;
    expect(page).toContain(`<h1>${year}年度统计 · 全部部门</h1>`);
  });

  test('the general office sees it too', async () => {
    const page = (await (await signedIn('clerk')).get('/console/statistics').expect(200)).text;
    expect(tableRow(page, LEAD)).toEqual(LEAD_ROW);
    expect(page).toContain('>统计</a>');
  });
});

test('the CSV download from the console', async () => {
  const res = await (await signedIn('assessor')).get(`/console/statistics.csv?year=${year}`).expect(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toBe(`attachment; filename=statistics-${year}.csv`);
  expect(res.text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(res.text.slice(1));
  expect(rows.map((r) => r[0])).toContain(LEAD);
  const lead = rows.find((r) => r[0] === LEAD)!;
  expect(lead[header.indexOf('退文次数')]).toBe('2');
  expect(lead[header.indexOf('采纳')]).toBe('2');
  expect(rows.at(-1)![0]).toBe('合计');
  expect(rows.at(-1)![header.indexOf('新建办件数')]).toBe('5');
});

test('others get the console’s 403 page, and no navigation item', async () => {
  const drafter = await signedIn('drafter');
  const page = await drafter.get('/console/statistics').expect(403);
  expect(page.text).toContain('无权访问');
  await drafter.get(`/console/statistics.csv?year=${year}`).expect(403);
  const home = (await drafter.get('/console').expect(200)).text;
  expect(home).not.toContain('/console/statistics');
  // Without a session, to the login page.
  await request(h.app).get('/console/statistics').expect(303).expect('Location', '/console/login?next=%2Fconsole%2Fstatistics');
});

describe('the API', () => {
  test('GET /statistics: the yearly figures as JSON, for all departments or one', async () => {
    const res = await h.as('assessor').get(`/statistics?year=${year}`).expect(200);
    expect(res.body.year).toBe(year);
    const lead = res.body.departments.find((d: { department: string }) => d.department === LEAD);
    expect(lead).toMatchObject({
      filings: 3,
      returns: { total: 2, intake: 1, clerk: 1 },
      consultations: 1,
      comments: { received: 3, adopted: 2, notAdopted: 1, undisposed: 0 },
      publications: { published: 1, onTime: 1, late: 0, punctualityRate: 1 },
    });
    expect(lead.comments.adoptionRate).toBeCloseTo(2 / 3);
    expect(res.body.total.filings).toBe(5);

    const one = await h.as('clerk').get(`/statistics?year=${year}&department=${encodeURIComponent(OTHER)}`).expect(200);
    expect(one.body.departments.map((d: { department: string }) => d.department)).toEqual([OTHER]);
    expect(one.body.total).toMatchObject({ department: null, filings: 1 });
  });

  test('GET /statistics/csv: the spreadsheet as an attachment', async () => {
    const res = await h.as('assessor').get(`/statistics/csv?year=${year}&department=${encodeURIComponent(LEAD)}`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="statistics-\d{4}-\?+\.csv"; filename\*=UTF-8''statistics-\d{4}-%E5%B8%82/);
    const [header, ...rows] = parseCsv(res.text.slice(1));
    expect(rows.map((r) => r[0])).toEqual([LEAD, '合计']);
    expect(rows[0][header.indexOf('年度')]).toBe(String(year));
  });

  test('GET /statistics/returns keeps its shape, computed from the same figures', async () => {
    const res = await h.as('assessor').get(`/statistics/returns?year=${year}`).expect(200);
    expect(res.body).toEqual({
      year,
      departments: [
        {
          department: LEAD,
          returns: 2,
          intakeReturns: 1,
          clerkReturns: 1,
          reasons: expect.arrayContaining([
            { code: 'R18_FORMAT_NONCONFORMING', rule: 'R18', count: 1 },
            { code: 'R1_DISCLOSURE_ATTRIBUTE_MISSING', rule: 'R1', count: 1 },
            { code: 'R2_INTERPRETATION_NOT_APPROVED', rule: 'R2', count: 1 },
          ]),
        },
      ],
    });
  });

  test('only the general office and the assessors', async () => {
    for (const who of ['drafter', 'head', 'publisher'] as const) {
      for (const url of [`/statistics?year=${year}`, `/statistics/csv?year=${year}`, `/statistics/returns?year=${year}`]) {
        const res = await h.as(who).get(url).expect(403);
        expect(res.body.error.code).toBe('FORBIDDEN_ROLE');
      }
    }
    await request(h.app).get(`/statistics?year=${year}`).expect(401);
  });

  test('400 for a year that is not one, a blank department or an unknown parameter', async () => {
    for (const query of ['', 'year=abc', 'year=1999', 'year=2026.5', `year=${year}&year=${year}`, `year=${year}&department=`, `year=${year}&dept=x`]) {
      for (const path of ['/statistics', '/statistics/csv']) {
        const res = await h.as('assessor').get(`${path}?${query}`);
        expect([query, path, res.status, res.body.error?.code]).toEqual([query, path, 400, 'VALIDATION_FAILED']);
      }
    }
  });
});
