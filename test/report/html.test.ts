// The HTML page as a pure function: every value from the cloud or GitLab comes out inert (text and
// attribute contexts), nothing in it points outside the page, the CSP admits exactly its stylesheet,
// and the diagram lays out 12 hops with long ids on a grid without overlap. The real-browser checks
// are in test/system/html-browser.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Hop, HopKind, Report } from '../../src/engine/types.js';
import { renderHtml } from '../../src/report/html.js';
import { blockedLines, diagramModel, GEOMETRY } from '../../src/report/html-diagram.js';
import { esc, wrapText } from '../../src/report/html-kit.js';
import type { ReportContext } from '../../src/report/types.js';
import { failingReport, passingReport } from './fixtures.js';

const EVIL = `<script>alert(1)</script>" onmouseover="alert(2)' onfocus='alert(3)<img src=https://evil.example/x.png>`;
/** fields whose values are closed vocabularies (typed enums), not text from outside */
const ENUM_KEYS = new Set(['status', 'severity', 'verdict', 'hop', 'direction', 'kind', 'failOn', 'schemaVersion', 'exitCode', 'command']);

/** every string value of a report (outside the enums) with EVIL appended: ids, messages, evidence, waivers, hops */
function poison<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (ENUM_KEYS.has(key) ? v : `${v}${EVIL}`) as T;
  if (Array.isArray(v)) return v.map((x) => poison(x, key)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, poison(x, k)])) as T;
  return v;
}

const CONTEXT: ReportContext = {
  command: 'analyze',
  target: { region: 'cn-hangzhou', acrInstanceId: 'cri-demo1234', vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabEndpoint: 'https://192.168.1.10' },
  bundleFile: 'bundle.json',
  collectedBy: 'acr-vpc-preflight 0.1.0',
};

const hop = (kind: HopKind, direction: Hop['direction'], id: string, verdict: Hop['verdict'], detail: string, ruleId?: string): Hop => ({
  hop: kind,
  direction,
  id,
  verdict,
  detail,
  ...(ruleId ? { ruleId } : {}),
});

/** the failing fixture with a path of every kind: a drop in the middle, an unknown, a reply lane */
function withPath(r: Report): Report {
  return {
    ...r,
    path: [
      hop('builder-eni', 'request', 'sg-acrlink', 'allow', 'egress admits 192.168.1.10:443', 'link-present'),
      hop('security-group', 'request', 'sg-bp1gitlab', 'drop', '100.104.128.0/17 not admitted on tcp/443: sg-bp1gitlab rule sgr-9: drop ALL -1/-1 from 100.104.128.0/17, priority 1', 'sg-ingress'),
      hop('network-acl-in', 'request', 'nacl-bp1', 'allow', 'admits 100.104.0.0/16'),
      hop('host', 'reply', 'gitlab.internal', 'unknown', 'via eth1'),
      hop('gitlab', 'request', 'https://192.168.1.10', 'allow', 'HTTP 200'),
      hop('network-acl-out', 'reply', 'nacl-bp1', 'drop', 'replies dropped'),
    ],
  };
}

/** all start tags of a document (values are escaped, so `>` inside a tag is never data) */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2] ?? '' }));

test('html: every value from the cloud or GitLab is escaped in text and attribute contexts', () => {
  const html = renderHtml(poison(withPath(failingReport())), { context: poison(CONTEXT) });
  assert.doesNotMatch(html, /<script/i, 'no script element, not even from a value');
  assert.ok(!html.includes(EVIL), 'the raw value never appears');
  assert.ok(!html.includes(`" onmouseover="`), 'a double quote in a value cannot close an attribute');
  assert.ok(!html.includes(`' onfocus='`), 'nor a single quote');
  assert.ok(html.includes(esc(EVIL)), 'the value is shown, escaped');
  for (const t of tags(html)) {
    // attribute names only: values are quoted and cannot hold a quote
    assert.doesNotMatch(t.attrs.replace(/"[^"]*"/g, '""'), /\son[a-z]+\s*=/i, `no event handler attribute on <${t.name}>`);
    assert.ok(!['script', 'img', 'iframe', 'object', 'embed', 'link', 'base', 'form', 'input', 'image', 'use', 'foreignobject'].includes(t.name), `no <${t.name}>`);
  }
  // a poisoned id keeps working as a fragment link: anchors are slugs of [a-z0-9-]
  for (const m of html.matchAll(/\s(?:id|href)="#?([^"]*)"/g)) assert.match(m[1]!, /^[a-z0-9-]+$/, `fragment ${m[1]}`);
});

test('html: nothing in the page points outside it (src, href, url(), CSS imports)', () => {
  for (const report of [passingReport(), withPath(failingReport()), poison(withPath(failingReport()))]) {
    const html = renderHtml(report, { context: CONTEXT });
    for (const t of tags(html)) {
      assert.doesNotMatch(t.attrs.replace(/"[^"]*"/g, '""'), /\s(?:src|srcset|action|formaction|xlink:href|poster|data)\s*=/i, `<${t.name}${t.attrs}>`);
      for (const h of t.attrs.matchAll(/\shref="([^"]*)"/g)) assert.match(h[1]!, /^#[a-z0-9-]+$/, `href ${h[1]} is a fragment`);
      // outside the quoted values (titles and labels may quote a URL as text), no URL at all
      assert.doesNotMatch(t.attrs.replace(/"[^"]*"/g, '""'), /https?:|\/\//i, `no URL inside <${t.name}>`);
      assert.doesNotMatch(t.attrs, /="\s*(?:https?:|\/\/)/i, `no attribute of <${t.name}> is a URL`);
    }
    for (const u of html.matchAll(/url\(([^)]*)\)/g)) assert.match(u[1]!, /^#[a-z]+$/, `url(${u[1]}) is a fragment`);
    assert.doesNotMatch(html, /@import|@font-face/);
  }
});

test('html: a strict CSP admits exactly the one stylesheet by its hash; no inline style attributes', () => {
  const html = renderHtml(withPath(failingReport()), { context: CONTEXT });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
  assert.ok(csp, 'CSP meta tag');
  assert.match(csp, /^default-src 'none'; /);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|script-src|\*/);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  assert.equal(styles.length, 1);
  const hash = createHash('sha256').update(styles[0]![1]!, 'utf8').digest('base64');
  assert.ok(csp.includes(`style-src 'sha256-${hash}'`), 'the hash is the stylesheet’s');
  for (const t of tags(html)) assert.doesNotMatch(t.attrs, /\sstyle\s*=/i, `style attribute on <${t.name}> (the CSP would block it)`);
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style>'), 'the policy comes before the stylesheet');
});

test('html: header shows the verdict as CI sees it, the target, and analyze provenance', () => {
  const r = withPath(failingReport());
  const html = renderHtml(r, { context: CONTEXT });
  assert.match(html, /<span class="vword">FAIL<\/span>/);
  assert.ok(html.includes(`Exit code ${r.exitCode}: the gate tripped (--fail-on ${r.failOn})`));
  for (const v of ['cn-hangzhou', 'cri-demo1234', 'vpc-bp1demo', 'vsw-bp1build', 'https://192.168.1.10', 'bundle.json']) assert.ok(html.includes(`<code>${v}</code>`), v);
  assert.match(html, /Facts collected<\/dt><dd>2026-11-28 12:00:00 UTC by acr-vpc-preflight 0\.1\.0/);
  assert.match(html, /Judged at<\/dt><dd>2026-11-28 12:00:00 UTC by acr-vpc-preflight \S+ \(analyze\)/);
  // without a context (a caller that has none) the page still renders, without target rows
  const bare = renderHtml(passingReport());
  assert.match(bare, /<span class="vword">PASS<\/span>/);
  assert.doesNotMatch(bare, /<dt>ACR instance<\/dt>/);
});

test('html: every hop is a node, the first drop is marked blocked with what decided it', () => {
  const r = withPath(failingReport());
  const html = renderHtml(r, { context: CONTEXT });
  const hops = [...html.matchAll(/<g class="node[^"]*"[^>]*data-hop="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual([...hops].sort((a, b) => a - b), r.path.map((_, i) => i));
  const blocked = [...html.matchAll(/data-hop="(\d+)" data-blocked="true"/g)].map((m) => Number(m[1]));
  assert.deepEqual(blocked, [1], 'only the first drop, as the JSON path names it');
  assert.match(html, /BLOCKED HERE/);
  const decided = blockedLines(diagramModel(r));
  assert.equal(decided[0], 'Blocked here: Security groups sg-bp1gitlab (request direction)');
  assert.equal(decided[1], `What decided: ${r.path[1]!.detail}`, 'the deciding rule: group, rule id, policy, priority, and the uncovered range');
  assert.match(html, /<g class="callout" data-callout="true">.*What decided: 100\.104\.128\.0\/17 not admitted/);
  assert.match(html, /<tr id="hop-2" data-hop="1" class="blocked">/, 'the path table marks the same hop');
  // the endpoints of each lane
  assert.equal([...html.matchAll(/data-kind="builder"/g)].length, 2, 'builder as the request source and the reply destination');
});

test('html: hops of a skipped or undecided rule are drawn as such; a passing path has no blocked mark', () => {
  const r = passingReport();
  const skipped = { ...r.results[0]!, ruleId: 'host-route', status: 'skip' as const, messageId: 'notConfigured', message: 'GitLab host not configured' };
  const undecided = { ...r.results[0]!, ruleId: 'sg-ingress', status: 'error' as const, messageId: 'forbidden', message: 'ecs:DescribeSecurityGroupAttribute denied' };
  const notHere = { ...r.results[0]!, ruleId: 'slb-listener', status: 'skip' as const, messageId: '$notApplicable', message: 'not an SLB path' };
  const report: Report = { ...r, results: [...r.results, skipped, undecided, notHere], path: [hop('gitlab', 'request', 'https://192.168.1.10', 'allow', 'HTTP 200', 'gitlab-reachable')] };
  const html = renderHtml(report, { context: CONTEXT });
  assert.match(html, /data-kind="host" data-state="skip"/);
  assert.match(html, /data-kind="security-group" data-state="error"/);
  assert.doesNotMatch(html, /data-kind="slb"/, 'a hop of another access path is not drawn');
  assert.doesNotMatch(html, /data-blocked|BLOCKED HERE/);
});

test('html: 12 hops with long ids lay out on the grid without overlap, text cut to fit, full id in the title', () => {
  const long = (n: number) => `sg-${'x'.repeat(60)}-${n}, sg-${'y'.repeat(40)}-${n}`;
  const kinds: [HopKind, Hop['direction']][] = [
    ['builder-eni', 'request'], ['vpc', 'request'], ['slb', 'request'], ['security-group', 'request'], ['network-acl-in', 'request'], ['gitlab', 'request'],
    ['host', 'reply'], ['network-acl-out', 'reply'], ['idc-router', 'reply'], ['vbr', 'reply'], ['vpc', 'reply'], ['host', 'reply'],
  ];
  const r: Report = { ...failingReport(), path: kinds.map(([k, d], i) => hop(k, d, long(i), i === 9 ? 'drop' : 'allow', `detail ${'z'.repeat(200)} ${i}`)) };
  const html = renderHtml(r, { context: CONTEXT });
  const svg = /<svg viewBox="0 0 (\d+) (\d+)"[\s\S]*?<\/svg>/.exec(html)!;
  const [w, h] = [Number(svg[1]), Number(svg[2])];
  const boxes = [...svg[0].matchAll(/<rect class="(box|tag)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ x: +m[2]!, y: +m[3]!, w: +m[4]!, h: +m[5]! }));
  const callout = /<g class="callout"[^>]*><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg[0])!;
  boxes.push({ x: +callout[1]!, y: +callout[2]!, w: +callout[3]!, h: +callout[4]! });
  assert.equal(boxes.filter((b) => b.w === GEOMETRY.nodeW).length, 12 + 2, '12 hops and the builder at both ends');
  for (const b of boxes) assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= w && b.y + b.h <= h, `inside the viewBox: ${JSON.stringify(b)}`);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, `boxes ${i} and ${j} overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
    }
  }
  for (const m of svg[0].matchAll(/<text x="[\d.]+" y="[\d.]+" class="(n[lidv])">([^<]*)<\/text>/g)) {
    const text = m[2]!.replace(/&[a-z#0-9]+;/g, '_');
    assert.ok(text.length <= 30, `node text fits its box: ${m[1]} "${text}"`);
  }
  assert.ok(svg[0].includes(`<title>VBR return route: ${esc(long(9))}`), 'the full id is in the title');
});

test('html: failing and warning rules first (open), passed and skipped folded, waivers with owner and expiry, every rule in print', () => {
  const base = failingReport();
  const r: Report = { ...base, results: base.results.map((x, i) => (i === 0 ? { ...x, remediation: 'Add the rule:\n  aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou\nThen check again.' } : x)) };
  const html = renderHtml(r, { context: CONTEXT });
  const order = [...html.matchAll(/<details class="rule r-(\w+)" id="rule-[a-z0-9-]+" data-rule="([^"]+)" data-status="\w+"( data-waived="true")?( open)?>/g)];
  const problems = r.results.filter((x) => ['fail', 'error', 'warn'].includes(x.status));
  assert.ok(problems.length > 0 && problems.some((x) => x.waived), 'the fixture has open and waived problems');
  const firstRest = order.findIndex((m) => m[1] === 'pass' || m[1] === 'skip');
  assert.equal(firstRest, problems.length, 'problems come before passed and skipped');
  for (const m of order.slice(0, firstRest)) assert.equal(Boolean(m[4]), !m[3], `${m[2]}: an open problem is unfolded, a waived one folded`);
  for (const m of order.slice(firstRest)) assert.ok(!m[4], `${m[2]} folded`);
  assert.match(html, /<details class="group screen-only">/);
  for (const x of r.results.filter((y) => y.waived)) assert.ok(html.includes(`waived by ${esc(x.waived!.owner)} until ${x.waived!.expires}`), `${x.ruleId} waiver`);
  for (const x of r.results.filter((y) => y.waiverExpired)) assert.match(html, /Waiver expired:/);
  for (const x of r.results.filter((y) => !problems.includes(y))) assert.ok(html.includes(`data-print-rule="${x.ruleId}"`), `${x.ruleId} in the print table`);
  // commands to copy
  assert.match(html, /<pre class="cmd" tabindex="0" aria-label="command to copy"><code>aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou<\/code><\/pre><p>Then check again\.<\/p>/);
});

test('html: wrapText breaks at separators and ellipsizes the last line', () => {
  assert.deepEqual(wrapText('sg-aaaa, sg-bbbb, sg-cccc', 10, 2), ['sg-aaaa,', 'sg-bbbb, …']);
  assert.deepEqual(wrapText('short', 10, 2), ['short']);
  assert.deepEqual(wrapText('x'.repeat(25), 10, 3), ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  for (const l of wrapText('a'.repeat(100), 24, 2)) assert.ok(l.length <= 24);
});
