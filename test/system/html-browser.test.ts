// The HTML report in a real browser: for the ECS, SLB and IDC fixture worlds (pass and fail), the
// spawned CLI checks the emulator and writes the JSON and the HTML report in one run; headless
// Chromium (the system package, driven by playwright-core; no browser download) opens the page and
// we check: no console error and no network request, every hop of the JSON path is a node of the
// diagram, the blocked node is the hop the JSON report names, no two boxes overlap, the page is
// keyboard-navigable, nothing overflows an A4 page in print, and the printed PDF holds every rule.
// Screenshots (light and dark) and PDFs are kept under test-output/html/ (ignored by git).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { launchBrowser, noBrowser, openPage, pdftotext } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

const OUT = join(ROOT, 'test-output', 'html');
const dir = mkdtempSync(join(tmpdir(), 'acrp-html-'));
const profile = mkdtempSync(join(tmpdir(), 'acrp-chromium-'));
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };

let browser: BrowserContext | undefined;
before(async () => {
  if (noBrowser) return;
  mkdirSync(OUT, { recursive: true });
  browser = await launchBrowser(profile);
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

/**
 * This test is about the page, not probe timing: a generous probe timeout keeps a loaded machine
 * from turning a passing world incomplete. Optionally a waiver for one rule.
 */
function tuneConfig(file: string, waive?: string): void {
  const c = parse(readFileSync(file, 'utf8')) as Record<string, any>;
  c.probe = { ...(c.probe ?? {}), timeoutMs: 30_000 };
  if (waive) c.waivers = [{ rule: waive, reason: 'accepted until the link exists', owner: 'platform team', expires: '2099-12-31' }];
  writeFileSync(file, stringify(c));
}

/** a waiver in some runs: the page marks the result waived, with owner and expiry, folded but printed */
const WAIVED: Record<string, string> = { 'ecs-sg-partial': 'link-present', 'idc-healthy': 'source-bound' };

const WORLDS: [world: string, path: 'ecs' | 'slb' | 'idc', verdict: 'pass' | 'fail', blockedKind?: string][] = [
  ['ecs-healthy-unlinked', 'ecs', 'pass'],
  ['ecs-sg-partial', 'ecs', 'fail', 'security-group'],
  ['slb-healthy', 'slb', 'pass'],
  ['slb-acl-white-missing', 'slb', 'fail', 'slb'],
  ['idc-healthy', 'idc', 'pass'],
  ['idc-route-back-to-idc', 'idc', 'fail', 'vbr'],
];

const open = (file: string, scheme: 'light' | 'dark') => openPage(browser!, file, scheme);

type Box = { x: number; y: number; width: number; height: number };
/** rendered boxes of the diagram, in one round trip */
const GEOMETRY_JS = `(() => {
  const r = (e) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
  const boxes = [...document.querySelectorAll('svg rect.box, svg rect.tag, svg [data-callout] rect')].map(r);
  const texts = [...document.querySelectorAll('svg g.node')].flatMap((g) => [...g.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: r(g.querySelector('rect.box')), t: r(t) })));
  return { boxes, texts };
})()`;
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const [world, path, verdict, blockedKind] of WORLDS) {
  test(`html in Chromium: ${world} (${path}, ${verdict})`, { skip: noBrowser, timeout: 180_000 }, async () => {
    const em = await startTestEmulator(world);
    let report: any;
    const html = join(dir, `${world}.html`);
    try {
      const cfg = prepareConfig(world, em, join(dir, world));
      tuneConfig(cfg, WAIVED[world]);
      const json = join(dir, `${world}.json`);
      const r = await runCli(['check', '-c', cfg, '--format', 'json', '--output', json, '--format', 'html', '--output', html], { env: ENV });
      assert.equal(r.code, verdict === 'pass' ? 0 : 1, r.stderr);
      report = JSON.parse(readFileSync(json, 'utf8'));
    } finally {
      await em.stop();
    }
    assert.equal(report.accessPath.kind, path);
    assert.equal(report.verdict, verdict);
    const size = statSync(html).size;
    assert.ok(size < 150 * 1024, `${size} bytes is under 150 KB`);
    const firstDrop = report.path.findIndex((h: any) => h.verdict === 'drop');
    if (blockedKind) assert.equal(report.path[firstDrop]?.hop, blockedKind, 'the world blocks where the fixture says');
    else assert.equal(firstDrop, -1);

    for (const scheme of ['light', 'dark'] as const) {
      const { page, problems, requests } = await open(html, scheme);
      try {
        assert.deepEqual(problems, [], 'no console error or warning (a CSP violation would be one)');
        for (const w of report.results.filter((x: any) => x.waived)) {
          const summary = (await page.locator(`details[data-rule="${w.ruleId}"][data-waived="true"] > summary`).textContent())!;
          assert.ok(summary.includes('WAIVED') && summary.includes(`waived by ${w.waived.owner} until ${w.waived.expires}`), summary);
        }
        assert.equal(await page.locator('script').count(), 0, 'no script at all');
        // every hop of the path model is a node; the blocked node is the JSON report's first drop
        const hops = await page.locator('svg g.node[data-hop]').evaluateAll((els: any[]) => els.map((e) => Number(e.getAttribute('data-hop'))));
        assert.deepEqual([...hops].sort((a, b) => a - b), report.path.map((_: unknown, i: number) => i), 'one node per hop');
        for (const [i, h] of report.path.entries()) {
          const node = page.locator(`svg g.node[data-hop="${i}"]`);
          assert.equal(await node.getAttribute('data-kind'), h.hop);
          assert.equal(await node.getAttribute('data-state'), h.verdict);
          assert.ok((await node.locator('title').textContent())!.includes(h.id), `hop ${i}: the full id ${h.id} is in the title`);
        }
        const blocked = await page.locator('svg [data-blocked="true"]').evaluateAll((els: any[]) => els.map((e) => Number(e.getAttribute('data-hop'))));
        assert.deepEqual(blocked, firstDrop >= 0 ? [firstDrop] : []);
        if (firstDrop >= 0) {
          assert.equal(await page.locator('svg text.tagt').textContent(), 'BLOCKED HERE');
          assert.ok(await page.locator('svg text.tagt').isVisible());
          const callout = (await page.locator('svg [data-callout]').textContent())!;
          assert.ok(callout.includes(`Blocked here:`) && callout.includes(report.path[firstDrop].id), callout);
          if (blockedKind === 'security-group') {
            const sg = report.results.find((x: any) => x.ruleId === 'sg-ingress');
            assert.ok(callout.includes(`Deciding rule: ${sg.data.decider}`), 'group, rule id, policy and priority');
            assert.ok(callout.includes(`Not admitted: ${sg.data.uncovered}`), 'the uncovered sub-ranges');
          }
        }
        // no two boxes (hop nodes, endpoints, the blocked tag, the callout) overlap as rendered, and
        // every line of node text stays inside its box
        const { boxes, texts } = (await page.evaluate(GEOMETRY_JS)) as { boxes: Box[]; texts: { text: string; box: Box; t: Box }[] };
        assert.ok(boxes.length >= report.path.length + 1);
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i]!, boxes[j]!), `boxes ${i} and ${j} overlap`);
        for (const { text, box, t } of texts) assert.ok(t.x >= box.x && t.x + t.width <= box.x + box.width + 0.5, `"${text}" fits its box`);
        await page.screenshot({ path: join(OUT, `${world}.${scheme}.png`), fullPage: true });
        // keyboard: the skip link first, then the diagram's nodes are reachable by Tab
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate('document.activeElement?.className'), 'skip-link');
        let reached = false;
        for (let i = 0; i < 12 && !reached; i++) {
          await page.keyboard.press('Tab');
          reached = (await page.evaluate("Boolean(document.activeElement?.closest('svg'))")) as boolean;
        }
        assert.ok(reached, 'a diagram node takes keyboard focus');
        assert.deepEqual(requests, [], 'no network request of any kind');
      } finally {
        await page.close();
      }
    }

    // print: every rule is visible, nothing is wider than an A4 page, the PDF holds every rule id
    const { page, problems, requests } = await open(html, 'light');
    try {
      await page.setViewportSize({ width: 700, height: 1000 }); // A4 less the page margins, at 96 dpi
      await page.emulateMedia({ media: 'print' });
      for (const res of report.results) {
        const shown = page.locator(`details[data-rule="${res.ruleId}"] > summary, [data-print-rule="${res.ruleId}"]`);
        let visible = false;
        for (const el of await shown.all()) visible ||= await el.isVisible();
        assert.ok(visible, `${res.ruleId} is visible in print`);
      }
      for (const res of report.results.filter((x: any) => ['fail', 'warn', 'error'].includes(x.status))) {
        // waived findings are folded on screen; print unfolds every finding
        assert.ok(await page.locator(`details[data-rule="${res.ruleId}"] .msg`).isVisible(), `${res.ruleId}${res.waived ? ' (waived, folded)' : ''}: its message prints`);
      }
      if (WAIVED[world]) assert.ok(report.results.some((x: any) => x.waived), 'the waiver applied');
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      assert.ok(overflow <= 0, `print layout overflows the page by ${overflow}px`);
      const pdfFile = join(OUT, `${world}.pdf`);
      await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
      assert.ok(statSync(pdfFile).size > 1000);
      if (pdftotext) {
        const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        for (const res of report.results) assert.ok(text.includes(res.ruleId), `${res.ruleId} is in the PDF`);
        assert.ok(text.includes(verdict.toUpperCase()), 'the verdict is in the PDF');
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(requests, []);
    } finally {
      await page.close();
    }
  });
}

test('html in Chromium: analyze of a fact bundle renders the same way, with its provenance', { skip: noBrowser, timeout: 120_000 }, async () => {
  const html = join(dir, 'analyze.html');
  const r = await runCli(['analyze', 'fixtures/facts/sg-partial-drop.json', '--format', 'html', '--output', html]);
  assert.equal(r.code, 1, r.stderr);
  const { page, problems, requests } = await open(html, 'light');
  try {
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
    const provenance = (await page.locator('header').textContent())!;
    assert.match(provenance, /Facts collected\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by acr-vpc-preflight/);
    assert.match(provenance, /Judged at\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by acr-vpc-preflight \S+ \(analyze\)/);
    assert.match(provenance, /fixtures\/facts\/sg-partial-drop\.json/);
    assert.equal(await page.locator('svg [data-blocked="true"]').getAttribute('data-kind'), 'security-group');
    await page.screenshot({ path: join(OUT, 'analyze-sg-partial-drop.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

test('html in Chromium: a security-group rule id, description and token name with markup come out inert', { skip: noBrowser, timeout: 120_000 }, async () => {
  const EVIL = `x<script>document.title='pwned'</script>"><img src=x onerror="document.title='img'">`;
  const world = loadFixtureWorld('ecs-sg-partial');
  const base = world.regions['cn-hangzhou'].securityGroups.find((g: any) => g.SecurityGroupId === 'sg-bp1base');
  for (const p of base.Permissions) Object.assign(p, { SecurityGroupRuleId: `sgr-${EVIL}`, Description: EVIL });
  for (const u of world.gitlab.users) for (const t of u.tokens) t.name = EVIL;
  const em = await startTestEmulator(world);
  const html = join(dir, 'hostile.html');
  const json = join(dir, 'hostile.json');
  try {
    const cfg = prepareConfig('ecs-sg-partial', em, join(dir, 'hostile'));
    tuneConfig(cfg);
    const r = await runCli(['check', '-c', cfg, '--format', 'json', '--output', json, '--format', 'html', '--output', html], { env: ENV });
    assert.equal(r.code, 1, r.stderr);
  } finally {
    await em.stop();
  }
  const report = JSON.parse(readFileSync(json, 'utf8'));
  assert.ok(JSON.stringify(report).includes('<script>'), 'the hostile values reached the report');
  const { page, problems, requests } = await open(html, 'light');
  try {
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [], 'the injected <img src=x> made no request: it is text');
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img').count(), 0);
    assert.match(await page.title(), /^FAIL/, 'no injected script ran');
    assert.ok((await page.locator('svg [data-callout]').textContent())!.includes(`sgr-${EVIL}`), 'the rule id shows as text in the callout');
    assert.ok((await page.locator('main').textContent())!.includes(EVIL));
    await page.screenshot({ path: join(OUT, 'hostile-values.png'), fullPage: true });
  } finally {
    await page.close();
  }
});
