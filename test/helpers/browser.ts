// Headless Chromium for the HTML page tests: the system package (/usr/bin/chromium) driven by
// playwright-core, never a downloaded browser. `openPage` records console errors and warnings, page
// errors and every request other than the page itself (each is aborted), so a test can assert that
// a page loads cleanly and asks for nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** false, or why the browser tests skip */
export const noBrowser: false | string = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)`;
/** poppler's pdftotext, to read a printed PDF back (optional) */
export const pdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A headless Chromium with its own profile directory (the caller removes it), no background traffic. */
export async function launchBrowser(profile: string): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 900 },
  });
}

/** A page that records console errors, page errors and every request that is not the page itself. */
export async function openPage(browser: BrowserContext, file: string, scheme: 'light' | 'dark') {
  const page: Page = await browser.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  const self = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== self) requests.push(r.url());
  });
  await page.route('**/*', (route) => (route.request().url() === self ? route.continue() : route.abort()));
  await page.emulateMedia({ colorScheme: scheme, media: 'screen' });
  await page.goto(self, { waitUntil: 'load' });
  return { page, problems, requests };
}
