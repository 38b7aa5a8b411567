import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

// On CI the browser is installed by .ci/run and must be there; elsewhere its absence skips.
const haveBrowser = fs.existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)`);

/** `describe` where Debian's chromium is installed, `describe.skip` elsewhere (never on CI). */
export const describeInBrowser: jest.Describe = haveBrowser ? describe : describe.skip;

/** Headless Chromium without the background traffic this machine's closed network refuses. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves the app on a free loopback port; returns its base URL and how to stop it. */
export async function serve(app: Express): Promise<{ base: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Numbered full-page screenshots under test-artifacts/<folder>, kept as test artefacts. */
export function screenshotter(folder: string): (page: Page, name: string) => Promise<void> {
  const dir = path.join(__dirname, '..', '..', 'test-artifacts', folder);
  let shot = 0;
  return async (page, name) => {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}
