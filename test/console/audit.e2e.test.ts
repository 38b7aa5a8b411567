/**
 * An auditor reads the security audit trail in Chromium: somebody fails to sign in, the security
 * auditor signs in, finds that failure on the trail (newest first, the chain verified at the top),
 * filters it out by kind, and downloads the trail as a spreadsheet (UTF-8 with BOM). Screenshots
 * land in test-artifacts/console-audit.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { parseCsv } from '../statistics/csv-parse';

describeInBrowser('the security auditor in the console', () => {
  let h: Harness;
  let server: { base: string; close(): Promise<void> };
  let browser: Browser;
  const snap = screenshotter('console-audit');

  beforeAll(async () => {
    h = await startHarness();
    server = await serve(h.app);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.close();
  });

  test('an auditor reads the trail, with a sign-in failure on it, and downloads the CSV', async () => {
    const base = server.base;
    // Somebody mistypes a token.
    const stranger = await browser.newContext({ javaScriptEnabled: false });
    const attempt = await stranger.newPage();
    await attempt.goto(`${base}/console/login`);
    await attempt.getByLabel('访问令牌').fill('pd_mistyped-token-of-somebody');
    await attempt.getByRole('button', { name: '登录' }).click();
    expect(await attempt.locator('.errors').textContent()).toContain('访问令牌无效');
    await stranger.close();

    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await page.getByLabel('访问令牌').fill(h.tokens.auditor);
    await page.getByRole('button', { name: '登录' }).click();
    // The auditor's console is the trail.
    expect(page.url()).toBe(`${base}/console/audit`);
    expect(await page.locator('header').textContent()).toContain('安全审计员');
    expect(await page.locator('header').textContent()).not.toContain('我的文件');
    expect(await page.getByRole('status').textContent()).toContain('日志完整');
    const rows = page.locator('table.audit tbody tr');
    // Newest first: this read, the auditor's own sign-in, the failure before it.
    expect(await rows.nth(0).textContent()).toContain('查阅安全审计日志');
    expect(await rows.nth(1).textContent()).toContain('登录');
    const failure = rows.filter({ hasText: '登录失败' });
    expect(await failure.count()).toBe(1);
    expect(await failure.textContent()).toContain('（未登录）');
    expect(await failure.textContent()).toContain('失败');
    await snap(page, 'trail');

    await page.getByLabel('类别').selectOption({ label: '登录失败' });
    await page.getByRole('button', { name: '筛选' }).click();
    expect(page.url()).toContain('kind=signInFailed');
    expect(await rows.count()).toBe(1);
    await snap(page, 'failures');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载筛选结果/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^security-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const csv = parseCsv(text.slice(1)).filter((r) => r.length > 1);
    expect(csv.slice(1).map((r) => r[3])).toEqual(['登录失败']);

    // Nothing else opens for the auditor.
    await page.goto(`${base}/console/tasks`);
    expect(await page.locator('h1').textContent()).toContain('无权访问');
    await context.close();

    // And the trail records all of it: the reads, the export.
    const kinds = (await h.services.audit.list({}, 1, 10)).items.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['auditTrailExported', 'auditTrailRead', 'signIn', 'signInFailed']));
  }, 120_000);
});
