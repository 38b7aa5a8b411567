/**
 * The staff console in headless Chromium: each role signs in as itself and takes a filing from
 * creation through a refusal at intake, a 退文 and a refile, reviews, decision and signing to
 * publication, using only the console. A role never sees an action it may not take, and the
 * server refuses it anyway.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import { startHarness, type Harness, type StaffKey } from '../support/harness';

describeInBrowser('the staff console in headless Chromium', () => {
  let h: Harness;
  let server: { base: string; close(): Promise<void> };
  let base: string;
  let browser: Browser;
  const sessions = new Map<StaffKey, { context: BrowserContext; page: Page }>();
  const snap = screenshotter('console');

  beforeAll(async () => {
    h = await startHarness();
    server = await serve(h.app);
    base = server.base;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h.close();
  });

  /** A browser signed in as `who`, kept for the whole test. */
  async function as(who: StaffKey): Promise<Page> {
    const existing = sessions.get(who);
    if (existing) return existing.page;
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.getByLabel('访问令牌').fill(h.tokens[who]);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/console`);
    sessions.set(who, { context, page });
    return page;
  }

  /** Opens the filing as `who` and takes one of the actions the page offers. */
  async function act(who: StaffKey, id: string, label: string, fill: (form: Locator) => Promise<void> = async () => {}) {
    const page = await as(who);
    await page.goto(`${base}/console/filings/${id}`);
    const action = page.locator('details.action', { has: page.locator('summary', { hasText: new RegExp(`^${label.replace(/[()（）]/g, '.')}$`) }) });
    // A lone action comes unfolded; clicking its summary would fold it.
    if ((await action.getAttribute('open')) === null) await action.locator('summary').click();
    // Fields are found inside the action's own form: several forms share labels.
    await fill(action);
    await action.getByRole('button', { name: label }).click();
    return page;
  }

  async function offered(who: StaffKey, id: string): Promise<string[]> {
    const page = await as(who);
    await page.goto(`${base}/console/filings/${id}`);
    return page.locator('details.action summary').allTextContents();
  }

  test('a filing lives its whole life in the console', async () => {
    // Create, as the drafter.
    const drafter = await as('drafter');
    await drafter.getByRole('link', { name: '新建文件' }).click();
    await drafter.getByLabel('标题').fill('关于支持首店经济发展的若干措施');
    await drafter.getByLabel('正文').fill('第一条 为支持首店经济发展，制定本措施。\n第二条 对新开首店给予一次性奖励。');
    await drafter.getByRole('button', { name: '创建' }).click();
    await snap(drafter, 'created');
    const id = drafter.url().split('/').pop() as string;
    expect(await drafter.locator('.checklist').textContent()).toContain('未标明公开属性');

    // The interpretation package (R2, R4) and its approval by the head (R3).
    await act('drafter', id, '修改解读方案和材料', async (form) => {
      await form.getByLabel('解读方案', { exact: true }).fill('由主要负责人撰文解读，同步发布政策问答。');
      for (const [label, text] of [
        ['解读材料：背景依据', '落实促消费部署。'],
        ['解读材料：目标任务', '引进品牌首店。'],
        ['解读材料：主要内容', '共两条。'],
        ['解读材料：涉及范围', '本市商业企业。'],
        ['解读材料：执行标准', '自印发之日起施行。'],
      ]) {
        await form.getByLabel(label).fill(text);
      }
    });
    await act('drafter', id, '提请审定解读方案和材料');
    expect(await offered('coDrafter', id)).not.toContain('提请审定解读方案和材料');
    await act('head', id, '审定同意解读方案和材料');
    await act('drafter', id, '正文定稿');

    // Filed without a disclosure attribute: refused at intake, with the reason on the page.
    const refused = await act('head', id, '签发报送政府办公室');
    await snap(refused, 'refused-at-intake');
    expect(await refused.locator('.errors').textContent()).toContain('未标明公开属性（R1）');

    await act('drafter', id, '按意见修改');
    await act('drafter', id, '修改报送事项', async (form) => {
      await form.getByLabel('公开属性（R1）').selectOption('proactive');
    });
    await act('drafter', id, '正文定稿');
    await act('head', id, '签发报送政府办公室');

    // The general office returns it with a coded reason (R18), then it is refiled.
    expect(await offered('clerk', id)).toEqual(['审核通过并受理', '退文']);
    await act('clerk', id, '退文', async (form) => {
      await form.getByLabel('公文格式不规范（R18）').check();
      await form.getByLabel('退文说明').fill('请按公文格式调整落款。');
    });
    await act('drafter', id, '按意见修改');
    await act('drafter', id, '修改文件正文', async (form) => {
      await form.getByRole('textbox', { name: '正文' }).fill('第一条 为支持首店经济发展，根据有关规定，制定本措施。\n第二条 对新开首店给予一次性奖励。');
    });
    await act('drafter', id, '正文定稿');
    await act('head', id, '签发报送政府办公室');

    // Accepted, reviewed, decided, signed, published.
    await act('clerk', id, '审核通过并受理');
    expect(await offered('drafter', id)).toEqual(['撤回']);
    expect(await offered('meetingSecretary', id)).toEqual([]);
    await act('legalReviewer', id, '合法性审查通过', async (form) => {
      await form.getByLabel('审查意见').fill('经审查，合法。');
    });
    await act('meetingSecretary', id, '集体讨论通过', async (form) => {
      await form.getByLabel('会议名称').fill('市政府第20次常务会议');
    });
    await act('signer', id, '签发', async (form) => {
      await form.getByLabel('文号').fill('某政发〔2026〕20号');
    });
    const published = await act('publisher', id, '公开发布（含解读）');
    await snap(published, 'published');
    expect(await published.locator('main').textContent()).toContain('已公开发布');
    const timeline = await published.locator('.timeline').textContent();
    expect(timeline).toContain('退文');
    expect(timeline).toContain('公文格式不规范（R18）');

    // The server refuses what no page offers: a forged post with a valid session and token.
    const clerk = await as('clerk');
    const view = (await h.as('clerk').get(`/filings/${id}`)).body;
    const forged = await clerk.request.post(`${base}/console/filings/${id}/events`, {
      form: { _csrf: 'x', type: 'WITHDRAW', version: String(view.version), note: '伪造' },
    });
    expect(forged.status()).toBe(403);
    expect((await h.as('assessor').get(`/filings/${id}`)).body.stage).toBe('published');
  }, 180_000);

  test('signing in needs a valid token; signed out, the console sends you to sign in', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    expect(page.url()).toBe(`${base}/console/login`);
    await page.getByLabel('访问令牌').fill('pd_not-a-real-token');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.locator('.errors').textContent()).toContain('访问令牌无效');
    await page.getByLabel('访问令牌').fill(h.tokens.assessor);
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.locator('header').textContent()).toContain('考核');
    await page.getByRole('button', { name: '退出' }).click();
    await page.goto(`${base}/console`);
    expect(page.url()).toBe(`${base}/console/login`);
    await context.close();
  });
});
