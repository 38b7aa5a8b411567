/**
 * In a real browser (Debian's chromium, no script): submitting the comment form lands on the
 * receipt page, and reloading it — what people do to check it went through — neither posts nor
 * stores the comment again (issue 12, item 2).
 */
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import { consultationRequest, drive, filingAt, startHarness, type Harness } from '../support/harness';

describeInBrowser('the comment receipt in headless Chromium', () => {
  let h: Harness;
  let server: { base: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  const shoot = screenshotter('comment-receipt');

  beforeAll(async () => {
    h = await startHarness();
    server = await serve(h.app);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 420, height: 900 }, javaScriptEnabled: false });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h.close();
  });

  test('submit, reload the receipt, and the comment is stored once', async () => {
    const id = await filingAt(h, [], {
      title: '关于调整城市公共交通票价的方案',
      body: '第一条 为促进公共交通可持续发展，制定本方案。\n第二条 普通线路票价调整为1.5元。',
    });
    await drive(h, id, [
      ['drafter', { type: 'START_CONSULTATION', ...consultationRequest() }],
      ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION' }],
    ]);

    await page.goto(`${server.base}/consultations/${id}/comment`);
    await page.locator('#article').selectOption('2');
    await page.getByLabel('意见内容（必填，不超过2000字）').fill('建议分两步调整票价 🚌，我的电话是13800138000。');
    await page.getByLabel('姓名（选填）').fill('李华');
    await page.getByRole('button', { name: '提交意见' }).click();
    await shoot(page, 'receipt');
    const receipt = (await page.locator('.receipt .code').textContent())?.trim() ?? '';
    expect(receipt).toMatch(/^YJ[0-9A-Z]{10}$/);
    await page.reload();
    await page.reload();
    await shoot(page, 'receipt-reloaded');
    expect(await h.models.Comment.countDocuments({ filingId: id }).exec()).toBe(1);
    expect((await page.locator('.receipt .code').textContent())?.trim()).toBe(receipt);
    expect((await h.models.Comment.findOne({ filingId: id }).lean().exec())?.receipt).toBe(receipt);
    // The page reloaded is the receipt's own address, not the form's post.
    expect(page.url()).toBe(`${server.base}/consultations/${id}/receipt/${receipt}`);
    // As the public will see it (R16): masked, without the name.
    expect(await page.locator('.submitted-body').textContent()).toBe('建议分两步调整票价 🚌，我的电话是138****8000。');
    expect(await page.content()).not.toContain('李华');
  }, 60_000);
});
