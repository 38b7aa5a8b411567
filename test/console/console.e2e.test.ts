/**
 * The staff console in headless Chromium: each role signs in as itself and takes a filing from
 * creation through a refusal at intake, a 退文 and a refile, reviews, decision and signing to
 * publication, using only the console. A role never sees an action it may not take, and the
 * server refuses it anyway.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import request from 'supertest';
import { drive, ROUTES, startHarness, type Harness, type StaffKey } from '../support/harness';

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

  /** A `datetime-local` value in China Standard Time, `days` from now. */
  const cstLocal = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);

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

    // The interpretation package (R2, R4, R5) and its approval by the head (R3).
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
      await form.getByLabel('政策问答').check();
    });
    await act('drafter', id, '提请审定解读方案和材料');
    expect(await offered('coDrafter', id)).not.toContain('提请审定解读方案和材料');
    await act('head', id, '审定同意解读方案和材料');

    // A normative document touching market entities: consultation (R8, R9) and a fair competition
    // review (R12) follow. The disclosure attribute is forgotten on purpose.
    await act('drafter', id, '修改报送事项', async (form) => {
      await form.getByLabel('文件类别').selectOption('normative');
      await form.getByLabel('涉及市场主体经济活动（R12）').check();
      await form.getByLabel('公平竞争审查结论').selectOption('compliant');
      await form.getByLabel('公平竞争审查说明').fill('未发现排除、限制竞争情形。');
    });
    expect(await (await as('drafter')).locator('.checklist').textContent()).toContain('（R8');
    await act('drafter', id, '提请公开征求意见', async (form) => {
      await form.getByLabel('征求意见截止时间').fill(cstLocal(20));
      await form.getByLabel('决策依据').fill('《优化营商环境条例》');
      await form.getByLabel('背景').fill('首店经济是消费升级的重要标志。');
      await form.getByLabel('起草说明').fill('本措施共两条。');
    });
    // R15: nothing is public before the confidentiality review clears it.
    expect((await request(h.app).get(`/public/consultations/${id}`)).status).toBe(404);
    const reviewerTasks = await as('confidentialityReviewer');
    await reviewerTasks.goto(`${base}/console/tasks`);
    expect(await reviewerTasks.locator('h1').textContent()).toBe('审查任务');
    expect(await reviewerTasks.locator('table.filings').textContent()).toContain('关于支持首店经济发展的若干措施');
    await act('confidentialityReviewer', id, '保密审查通过');
    const open = await as('drafter');
    await open.goto(`${base}/console/filings/${id}`);
    expect(await open.locator('.deadline-line').textContent()).toMatch(/征求意见截止（R9）：\d{4}年\d+月\d+日 \d\d:\d\d，剩余\d+个工作日/);

    // The public comments: a campaign of six, and two of their own, one with a phone number.
    const publicApi = request(h.app);
    const comment = (body: string, article: number | null = 2, extra = {}) =>
      publicApi.post(`/public/consultations/${id}/comments`).send({ body, article, ...extra }).expect(201);
    for (let i = 0; i < 6; i++) await comment('建议将一次性奖励提高到一百万元，以吸引更多品牌首店落户。');
    await comment('建议明确首店的认定标准，联系电话13812345678。', 1, { name: '王小明', email: 'wang@example.com' });
    await comment('建议对老字号品牌给予同等支持。', 2);
    // The period ends by the scheduler, never by hand (R9).
    await drive(h, id, ROUTES.disposition);

    // The workbench: the lead department reads the comments as written, and as the public will (R16).
    const bench = await as('drafter');
    await bench.goto(`${base}/console/filings/${id}`);
    await bench.getByRole('link', { name: '意见处理工作台' }).click();
    await snap(bench, 'workbench');
    expect(await bench.locator('.progress-figures').textContent()).toContain('收到意见 8 条');
    expect(await bench.locator('.comments-table').textContent()).toContain('13812345678');
    expect(await bench.locator('.comments-table').textContent()).toContain('wang@example.com');
    await bench.getByRole('link', { name: '脱敏文本（公众所见）' }).click();
    const maskedText = await bench.locator('.comments-table').textContent();
    expect(maskedText).not.toContain('13812345678');
    expect(maskedText).not.toContain('wang@example.com');
    // Another office sees the masked text only and has nothing to answer: the consultation is
    // public (R15/R16), though the rest of the unfiled draft is not (least privilege).
    const legal = await as('legalReviewer');
    await legal.goto(`${base}/console/filings/${id}/consultation/1`);
    expect(await legal.locator('.comments-table').textContent()).not.toContain('13812345678');
    expect(await legal.locator('input[name="commentIds"]').count()).toBe(0);
    expect(await legal.getByRole('link', { name: '原文' }).count()).toBe(0);
    expect((await legal.goto(`${base}/console/filings/${id}`))?.status()).toBe(403);

    // The campaign answered at once; "not adopted" without a reason is refused (R11).
    await bench.goto(`${base}/console/filings/${id}/consultation/1`);
    const campaign = bench.locator('details.action', { has: bench.locator('summary', { hasText: '答复本组6条意见' }) });
    await campaign.locator('summary').click();
    await campaign.getByLabel('处理结果').selectOption('notAdopted');
    await campaign.getByRole('button', { name: '答复本组' }).click();
    expect(await bench.locator('.errors').textContent()).toContain('理由');
    const again = bench.locator('details.action', { has: bench.locator('summary', { hasText: '答复本组6条意见' }) });
    await again.locator('summary').click();
    await again.getByLabel('处理结果').selectOption('notAdopted');
    await again.getByLabel('答复或理由（未采纳的须说明理由）').fill('奖励标准已综合财政承受能力确定，暂不调整。');
    await again.getByRole('button', { name: '答复本组' }).click();
    expect(await bench.locator('.notice').textContent()).toContain('已答复6条意见');
    // The rest selected in the list and answered together.
    await bench.getByLabel('只看未答复').check();
    await bench.getByRole('button', { name: '筛选' }).click();
    const boxes = bench.locator('input[name="commentIds"]');
    expect(await boxes.count()).toBe(2);
    for (const box of await boxes.all()) await box.check();
    await bench.locator('#bulk-outcome').selectOption('partlyAdopted');
    await bench.locator('#bulk-reason').fill('已在第二条中补充相关内容。');
    await bench.getByRole('button', { name: '答复所选意见' }).click();
    expect(await bench.locator('.progress-figures').textContent()).toContain('未答复 0 条');
    // The report as it would read, then submitted for release.
    await bench.getByRole('link', { name: '预览意见采纳情况（R11）' }).click();
    expect(await bench.locator('body').textContent()).toContain('预览');
    await snap(bench, 'report-preview');
    await act('drafter', id, '提交意见采纳情况');
    expect(await offered('publisher', id)).toEqual(['退回意见采纳情况', '发布意见采纳情况']);
    await act('publisher', id, '发布意见采纳情况');

    // Filed without a disclosure attribute: refused at intake, with the reason on the page.
    await act('drafter', id, '正文定稿');
    const refused = await act('head', id, '签发报送政府办公室');
    await snap(refused, 'refused-at-intake');
    expect(await refused.locator('.errors').textContent()).toContain('未标明公开属性（R1）');

    await act('drafter', id, '按意见修改');
    await act('drafter', id, '修改报送事项', async (form) => {
      await form.getByLabel('公开属性（R1）').selectOption('proactive');
    });
    await act('drafter', id, '正文定稿');
    await act('head', id, '签发报送政府办公室');

    // The general office inbox; a return with a coded reason takes two clicks (R18).
    const clerk = await as('clerk');
    await clerk.getByRole('link', { name: '收文待办' }).click();
    expect(await clerk.locator('table.filings').textContent()).toContain('关于支持首店经济发展的若干措施');
    expect(await offered('clerk', id)).toEqual(['审核通过并受理', '退文']);
    await clerk.goto(`${base}/console/filings/${id}`);
    await clerk.getByLabel('公文格式不规范（R18）').check();
    await clerk.getByRole('button', { name: '退文' }).click();
    expect(await clerk.locator('.timeline').textContent()).toContain('公文格式不规范（R18）');

    await act('drafter', id, '按意见修改');
    await act('drafter', id, '修改文件正文', async (form) => {
      await form.getByRole('textbox', { name: '正文' }).fill('第一条 为支持首店经济发展，根据有关规定，制定本措施。\n第二条 对新开首店给予一次性奖励，老字号品牌同等适用。');
    });
    // The text versions and the changes between them.
    const versions = await as('drafter');
    await versions.goto(`${base}/console/filings/${id}`);
    await versions.getByRole('link', { name: '与第1稿比较' }).click();
    expect(await versions.locator('.diff ins').allTextContents()).toEqual(expect.arrayContaining(['根据有关规定，']));
    await snap(versions, 'diff');
    await act('drafter', id, '正文定稿');
    await act('head', id, '签发报送政府办公室');

    // Accepted, both reviews (R12, R13) from the reviewers' task lists, decided, signed, published.
    await act('clerk', id, '审核通过并受理');
    expect(await offered('drafter', id)).toEqual(['撤回']);
    expect(await offered('meetingSecretary', id)).toEqual([]);
    const legalTasks = await as('legalReviewer');
    await legalTasks.goto(`${base}/console/tasks`);
    expect(await legalTasks.locator('table.filings').textContent()).toMatch(/审查期限：.*剩余\d+个工作日/);
    await act('legalReviewer', id, '合法性审查通过', async (form) => {
      await form.getByLabel('审查意见').fill('经审查，合法。');
    });
    await act('fairCompetitionReviewer', id, '公平竞争审查通过', async (form) => {
      await form.getByLabel('审查意见').fill('经审查，符合公平竞争审查标准。');
    });
    await act('meetingSecretary', id, '集体讨论通过', async (form) => {
      await form.getByLabel('会议名称').fill('市政府第20次常务会议');
    });
    await act('signer', id, '签发', async (form) => {
      await form.getByLabel('文号').fill('某政发〔2026〕20号');
    });
    const publisher = await as('publisher');
    await publisher.goto(`${base}/console/tasks`);
    expect(await publisher.locator('table.filings').textContent()).toMatch(/公开发布期限（R6）：.*剩余\d+个工作日|今天到期/);
    await snap(publisher, 'publisher-tasks');
    const published = await act('publisher', id, '公开发布（含解读）');
    await snap(published, 'published');
    expect(await published.locator('main').textContent()).toContain('已公开发布');
    const timeline = await published.locator('.timeline').textContent();
    expect(timeline).toContain('退文');
    expect(timeline).toContain('发布意见采纳情况');

    // The server refuses what no page offers: a forged post with a valid session and token.
    const view = (await h.as('clerk').get(`/filings/${id}`)).body;
    const forged = await clerk.request.post(`${base}/console/filings/${id}/events`, {
      form: { _csrf: 'x', type: 'WITHDRAW', version: String(view.version), note: '伪造' },
    });
    expect(forged.status()).toBe(403);
    expect((await h.as('assessor').get(`/filings/${id}`)).body.stage).toBe('published');
  }, 240_000);

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
