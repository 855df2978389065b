// The diff page in a real browser. Two real bundles of the ecs-sg-partial world, collected by the
// spawned CLI from the emulator before and after the fix (the drop rule of sg-bp1base that blocks
// 100.104.128.0/17 revoked with the real SDK's RevokeSecurityGroup), diffed by the spawned CLI as
// HTML; headless Chromium (the system package, driven by playwright-core) opens each page and we
// check: no console error and no network request, no script; the changed rule, its before → after
// as words, and the security-group rule whose removal changed it are visible text; every rule the
// JSON diff names is on the page; the reverse diff says WORSE; a bundle diffed with itself says
// "no changes"; in print the page fits A4 and the PDF holds the rule and the change.
// Screenshots and the PDF are kept under test-output/html/ (ignored by git).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as $Ecs from '@alicloud/ecs20140526';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser, noBrowser, openPage, pdftotext } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { ecsClient, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { COLLECT_TIMEOUT_MS, ENV } from '../helpers/reproduce.js';

const WORLD = 'ecs-sg-partial';
/** the world's drop rule (sg-bp1base's second permission: drop TCP 1/65535 from 100.104.128.0/17, priority 1) */
const DROP_RULE = 'sgr-bp1base-2';
const DROP_TEXT = 'ingress drop TCP 1/65535 from 100.104.128.0/17, priority 1';
const OUT = join(ROOT, 'test-output', 'html');
const dir = mkdtempSync(join(tmpdir(), 'acrp-diff-html-'));
const profile = mkdtempSync(join(tmpdir(), 'acrp-chromium-'));
const f = (n: string) => join(dir, n);

let browser: BrowserContext | undefined;
/** the JSON diff of before → after, to hold the page to */
let expected: any;

before(async () => {
  if (noBrowser) return;
  mkdirSync(OUT, { recursive: true });
  const em = await startTestEmulator(WORLD);
  try {
    const cfg = prepareConfig(WORLD, em, dir);
    // --no-probes: the GitLab probes are beside the point here, and a busy machine must not change them
    const collect = async (out: string) => {
      const r = await runCli(['collect', '-c', cfg, '--out', f(out), '--no-probes'], { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
      assert.ok([0, 1, 3].includes(r.code ?? -1), `collect: exit ${r.code}: ${r.stderr}`);
    };
    await collect('before.json');
    const ecs = await ecsClient(em);
    await ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1base', securityGroupRuleId: [DROP_RULE] }));
    await collect('after.json');
  } finally {
    await em.stop();
  }
  const diff = async (args: string[], code: number) => {
    const r = await runCli(['diff', ...args]);
    assert.equal(r.code, code, `diff ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const better = await diff([f('before.json'), f('after.json'), '--format', 'html', '--output', f('better.html')], 0);
  assert.equal(better.stdout, '', 'with --output, stdout stays empty');
  assert.match(better.stderr, /wrote the html diff to /);
  await diff([f('after.json'), f('before.json'), '--output', f('worse.html')], 1); // the format from the extension
  await diff([f('before.json'), f('before.json'), '--format', 'html', '--output', f('same.html')], 0);
  expected = JSON.parse((await diff([f('before.json'), f('after.json'), '--format', 'json'], 0)).stdout);
  browser = await launchBrowser(profile);
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

const open = (file: string, scheme: 'light' | 'dark') => openPage(browser!, file, scheme);
const visibleText = async (page: import('playwright-core').Page, selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');

test('diff html in Chromium: the fixed rule and the security-group rule that fixed it are visible; every changed rule is there', { skip: noBrowser, timeout: 120_000 }, async () => {
  const sg = expected.ruleChanges.find((r: any) => r.ruleId === 'sg-ingress');
  assert.deepEqual([sg?.before.status, sg?.after.status], ['fail', 'pass'], JSON.stringify(expected.ruleChanges));
  assert.ok(statSync(f('better.html')).size < 150 * 1024);
  for (const scheme of ['light', 'dark'] as const) {
    const { page, problems, requests } = await open(f('better.html'), scheme);
    try {
      assert.deepEqual(problems, [], 'no console error or warning (a CSP violation would be one)');
      assert.equal(await page.locator('script').count(), 0);
      assert.match(await visibleText(page, 'header'), /NOT WORSE ACR VPC preflight diff Exit code 0: nothing got worse\. Verdict FAIL → PASS/);
      const article = page.locator('article[data-rule="sg-ingress"]');
      assert.ok(await article.isVisible(), 'the changed rule is on screen');
      const text = await article.innerText();
      assert.match(text.replace(/\s+/g, ' '), /sg-ingress .*GOT BETTER FAIL → PASS/, 'before → after as words, not only colour');
      const row = article.locator('tr[data-fact="cloud.gitlabSecurityGroups"][data-kind="removed"]');
      assert.ok(await row.isVisible(), 'the security-group change is a visible row under the rule');
      assert.match((await row.innerText()).replace(/\s+/g, ' '), new RegExp(`REMOVED sg-bp1base rule ${DROP_TEXT.replace(/[()/.]/g, '\\$&')}`));
      // every rule the JSON diff names, and the summary it counts
      for (const r of expected.ruleChanges) assert.ok(await page.locator(`article[data-rule="${r.ruleId}"] h3`).isVisible(), `${r.ruleId} is on the page`);
      assert.equal(await page.locator('article[data-rule]').count(), expected.ruleChanges.length);
      assert.match(await visibleText(page, '#summary'), new RegExp(`Got worse ${expected.summary.worse} Got better ${expected.summary.better} Other status changes ${expected.summary.otherChanges} Unchanged ${expected.summary.unchanged}`, 'i'));
      await page.screenshot({ path: join(OUT, `diff-${WORLD}.${scheme}.png`), fullPage: true });
      assert.deepEqual(requests, [], 'no network request of any kind');
    } finally {
      await page.close();
    }
  }
});

test('diff html in Chromium: the reverse is WORSE; a bundle with itself says no changes', { skip: noBrowser, timeout: 60_000 }, async () => {
  {
    const { page, problems, requests } = await open(f('worse.html'), 'light');
    try {
      assert.deepEqual([problems, requests], [[], []]);
      assert.match(await visibleText(page, 'header'), /WORSE ACR VPC preflight diff Exit code 1: 1 rule went from pass, warn or skip to fail or error/);
      assert.equal(await page.locator('article[data-rule="sg-ingress"]').getAttribute('data-change'), 'worse');
      assert.match(await visibleText(page, 'article[data-rule="sg-ingress"]'), /GOT WORSE PASS → FAIL/);
      assert.match(await visibleText(page, 'article[data-rule="sg-ingress"] tr[data-kind="added"]'), /ADDED sg-bp1base rule/);
    } finally {
      await page.close();
    }
  }
  const { page, problems, requests } = await open(f('same.html'), 'light');
  try {
    assert.deepEqual([problems, requests], [[], []]);
    assert.match(await visibleText(page, 'header'), /NO CHANGES ACR VPC preflight diff Exit code 0: no changes/);
    assert.ok(await page.getByText('No rule changed status.').isVisible());
    assert.ok(await page.getByText('No other fact changes.').isVisible());
    assert.equal(await page.locator('article[data-rule]').count(), 0);
    await page.screenshot({ path: join(OUT, `diff-${WORLD}-same.png`), fullPage: true });
  } finally {
    await page.close();
  }
});

test('diff html in Chromium: print fits A4 and the PDF holds the rule and the security-group change', { skip: noBrowser, timeout: 60_000 }, async () => {
  const { page, problems, requests } = await open(f('better.html'), 'light');
  try {
    await page.setViewportSize({ width: 700, height: 1000 }); // A4 less the page margins, at 96 dpi
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('article[data-rule="sg-ingress"] tr[data-kind="removed"]').isVisible());
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `print layout overflows the page by ${overflow}px`);
    const pdfFile = join(OUT, `diff-${WORLD}.pdf`);
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
    if (pdftotext) {
      const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      for (const s of ['sg-ingress', 'GOTBETTER', 'sg-bp1baserule', DROP_TEXT.replace(/\s+/g, '')]) assert.ok(text.includes(s), `${s} is in the PDF`);
    }
    assert.deepEqual([problems, requests], [[], []]);
  } finally {
    await page.close();
  }
  assert.ok(readFileSync(f('better.html'), 'utf8').includes('sg-bp1base rule'));
});
