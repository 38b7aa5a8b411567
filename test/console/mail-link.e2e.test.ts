/**
 * R19 in headless Chromium: a reviewer opens the link of the e-mail asking for their review, is
 * asked to sign in, and lands on the filing's page in the console.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { OutboxRecord } from '../../src/store/models';
import { describeInBrowser, launchBrowser, screenshotter, serve } from '../support/browser';
import { filingAt, startHarness, TEST_MAIL_SETTINGS, type Harness } from '../support/harness';

describeInBrowser('a link in an e-mail, in headless Chromium', () => {
  let h: Harness;
  let server: { base: string; close(): Promise<void> };
  let browser: Browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-link-'));
  const snap = screenshotter('mail-link');

  beforeAll(async () => {
    h = await startHarness();
    server = await serve(h.app);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('opens the filing in the console after signing in', async () => {
    const id = await filingAt(h, ['awaitingIntake', 'review']);
    const { outbox } = (await h.models.Filing.findById(id, { outbox: 1 }).lean<{ outbox: OutboxRecord[] }>().exec())!;
    const mail = outbox.find((m) => m.template === 'review-due' && m.to.email === 'legalReviewer@example.gov.cn')!;
    // The message as this server would have written it: its links on the address it is served at.
    const file = path.join(dir, 'review-due.html');
    fs.writeFileSync(file, mail.html.split(TEST_MAIL_SETTINGS.baseUrl).join(server.base));

    const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`file://${file}`);
    await snap(page, 'mail');
    await page.getByRole('link', { name: '在系统中查看' }).click();
    await page.waitForURL(`${server.base}/console/login?next=${encodeURIComponent(`/console/filings/${id}`)}`);
    await page.getByLabel('访问令牌').fill(h.tokens.legalReviewer);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.base}/console/filings/${id}`);
    const { title, reference } = await h.service.get(h.actors.legalReviewer, id);
    expect(await page.locator('h1').textContent()).toContain(title);
    expect(await page.locator('main').textContent()).toContain(reference);
    // The reviewer can act on it from there.
    expect(await page.locator('details.action summary').allTextContents()).toContain('合法性审查通过');
    await snap(page, 'filing');
    await context.close();
  }, 120_000);
});
