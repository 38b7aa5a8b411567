/**
 * The public site in a real browser (Debian's chromium driven by playwright-core): find a
 * consultation, read it, comment on an article, get the receipt, look it up after the report is
 * published, read the published document with its interpretation. A screenshot of every page is
 * kept under test-artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../src/log';
import { ConsultationCloser } from '../../src/schedule/consultations';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import { consultationRequest, drive, filingAt, ROUTES, startHarness, type Harness, type Step } from '../support/harness';

describeInBrowser('the public site in headless Chromium', () => {
  let h: Harness;
  let server: { base: string; close(): Promise<void> };
  let base: string;
  let browser: Browser;
  let page: Page;
  const shoot = screenshotter('screenshots');
  const snap = (name: string) => shoot(page, name);

  beforeAll(async () => {
    h = await startHarness();
    server = await serve(h.app);
    base = server.base;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h.close();
  });

  test('find, read, comment, get a receipt, look it up after the report, read the published policy', async () => {
    const id = await filingAt(h, [], {
      title: '关于优化城市公共交通票价的方案',
      body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。\n第三条 老年人继续免费乘车。',
    });
    await drive(h, id, [
      ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
      ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
    ]);

    // Find it.
    await page.goto(`${base}/consultations`);
    await snap('consultations');
    await page.getByRole('link', { name: '关于优化城市公共交通票价的方案' }).click();
    await page.waitForURL(`**/consultations/${id}`);
    await snap('consultation');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('关于优化城市公共交通票价的方案');
    expect(await page.locator('#article-2').textContent()).toContain('普通线路票价调整为1.5元');
    expect(await page.locator('.interpretation').textContent()).toContain('背景依据');
    // R5: the interpretation by form, with media as links.
    expect(await page.locator('.items').textContent()).toContain('政策问答：哪些企业可以享受？');
    expect(await page.getByRole('link', { name: '查看视频' }).getAttribute('href')).toBe('https://www.example.gov.cn/video/12.mp4');

    // Comment on article 2 and get a receipt.
    await page.locator('#article-2').getByRole('link', { name: '对本条提意见' }).click();
    await snap('comment-form');
    expect(await page.locator('#article').inputValue()).toBe('2');
    await page.getByLabel('意见内容（必填，不超过2000字）').fill('建议分两步调整票价。我的电话是13800138000。<b>加粗</b>');
    await page.getByLabel('姓名（选填）').fill('王小明');
    await page.getByLabel('电子邮箱（选填，用于接收处理结果）').fill('wang@example.com');
    await page.getByRole('button', { name: '提交意见' }).click();
    await snap('receipt');
    const receipt = (await page.locator('.receipt .code').textContent())?.trim() ?? '';
    expect(receipt).toMatch(/^YJ[0-9A-Z]{10}$/);

    // The comment is public, masked, and the markup shows as text.
    await page.goto(`${base}/consultations/${id}/comments`);
    await snap('comments');
    const listed = await page.locator('.comments').textContent();
    expect(listed).toContain('138****8000');
    expect(listed).not.toContain('13800138000');
    expect(listed).toContain('<b>加粗</b>');
    expect(await page.locator('.comments b').count()).toBe(0);

    // The period ends; the department answers; the publisher publishes the report.
    await new ConsultationCloser(h.services, silentLogger, () => new Date(Date.now() + 40 * 86_400_000)).runOnce();
    const [{ id: commentId }] = (await h.as('drafter').get(`/filings/${id}/comments?round=1`)).body.items;
    await h.as('drafter').post(`/filings/${id}/consultations/1/dispositions`, {
      commentIds: [commentId],
      outcome: 'partlyAdopted',
      reason: '将分两步实施，第一步调整至1.2元。',
    });
    await drive(h, id, [
      ['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }],
      ['publisher', { type: 'PUBLISH_ADOPTION_REPORT' }],
    ]);

    // Look the receipt up.
    await page.goto(`${base}/receipts`);
    await page.getByLabel('回执编号').fill(receipt);
    await page.getByRole('button', { name: '查询' }).click();
    await snap('receipt-lookup');
    const result = await page.locator('main').textContent();
    expect(result).toContain('部分采纳');
    expect(result).toContain('将分两步实施');
    await page.getByRole('link', { name: '查看意见收集和采纳情况' }).click();
    await snap('adoption-report');
    expect(await page.locator('main').textContent()).toContain('共收到意见 1 条');

    // The filing goes on to publication with its interpretation (R6).
    const toPublished: Step[] = [
      ...(ROUTES.awaitingIntake as Step[]),
      ...(ROUTES.review as Step[]),
      ...(ROUTES.awaitingDecision as Step[]),
      ...(ROUTES.signing as Step[]),
      ...(ROUTES.awaitingPublication as Step[]),
      ['publisher', { type: 'PUBLISH' }],
    ];
    await drive(h, id, toPublished);
    await page.goto(`${base}/documents`);
    await snap('documents');
    await page.getByRole('link', { name: '关于优化城市公共交通票价的方案' }).click();
    await snap('document');
    const documentText = await page.locator('main').textContent();
    expect(documentText).toContain('现行有效');
    expect(documentText).toContain('政策解读');
    expect(documentText).toContain('执行标准');
    expect(documentText).toContain('第1轮意见收集和采纳情况');
    expect(documentText).toContain('主要负责人视频解读');

    // Phone-sized screens get the same content.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/consultations/${id}`);
    await snap('consultation-phone');
  }, 120_000);
});
