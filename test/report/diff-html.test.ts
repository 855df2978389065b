// The diff page as a pure function: every value (file names, versions, rule titles and messages, the
// fact changes) comes out inert, the page is the kit's (one stylesheet admitted by its hash, no
// script, nothing pointing outside), every changed rule is there with the fact changes that explain
// it, and the four diff formats name the same changed rules. The real-browser checks are in
// test/system/html-diff-browser.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loadSaved, type SavedInput } from '../../src/app/bundles.js';
import { diffSaved } from '../../src/app/diff.js';
import { renderDiffHtml } from '../../src/report/diff-html.js';
import { DIFF_RENDERERS } from '../../src/report/diff.js';
import { esc } from '../../src/report/html-kit.js';
import { ROOT } from '../helpers/cli.js';
import { changedRuleIds } from '../helpers/diff.js';

const EVIL = `<script>alert(1)</script>" onmouseover="alert(2)' onfocus='alert(3)<img src=https://evil.example/x.png>`;

const fixture = (name: string) => ({ label: `fixtures/facts/${name}.json`, input: loadSaved(`fixtures/facts/${name}.json`, ROOT) });
/** pairs of fixture snapshots with changes of several kinds: security groups, ACL, routes, SLB, token, permissions */
const PAIRS: [before: string, after: string][] = [
  ['healthy-ecs', 'sg-partial-drop'],
  ['sg-partial-drop', 'healthy-ecs'],
  ['healthy-ecs', 'nacl-reply-blocked'],
  ['healthy-ecs', 'token-no-api-scope'],
  ['sg-partial-drop', 'forbidden-sg'],
  ['healthy-idc', 'idc-route-back-to-idc'],
  ['healthy-slb', 'slb-whitelist-missing'],
  ['healthy-ecs', 'healthy-slb'],
];

/** all start tags of a document (values are escaped, so `>` inside a tag is never data) */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2] ?? '' }));

/** every string of the diff (but the kinds, which are a closed vocabulary) with EVIL appended */
function poison<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (['kind', 'mode', 'input'].includes(key) ? v : `${v}${EVIL}`) as T;
  if (Array.isArray(v)) return v.map((x) => poison(x, key)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, poison(x, k)])) as T;
  return v;
}

test('diff html: every value is escaped in text and attribute contexts; no script, nothing outside the page', () => {
  const d = poison(diffSaved(fixture('healthy-ecs'), fixture('sg-partial-drop')));
  assert.ok(d.ruleChanges.length > 0 && d.ruleChanges[0]!.explainedBy.length > 0, 'the poisoned diff has rule and fact changes');
  const html = renderDiffHtml(d);
  assert.doesNotMatch(html, /<script/i, 'no script element, not even from a value');
  assert.ok(!html.includes(EVIL), 'the raw value never appears');
  assert.ok(!html.includes(`" onmouseover="`) && !html.includes(`' onfocus='`), 'a quote in a value cannot close an attribute');
  for (const v of [d.before.label, d.after.label, d.ruleChanges[0]!.title, d.ruleChanges[0]!.message!, d.ruleChanges[0]!.explainedBy[0]!.subject, d.ruleChanges[0]!.explainedBy[0]!.after ?? d.ruleChanges[0]!.explainedBy[0]!.before!]) {
    assert.ok(html.includes(esc(v)), `shown, escaped: ${v.slice(0, 40)}`);
  }
  for (const t of tags(html)) {
    const names = t.attrs.replace(/"[^"]*"/g, '""');
    assert.doesNotMatch(names, /\son[a-z]+\s*=/i, `no event handler on <${t.name}>`);
    assert.doesNotMatch(names, /\s(?:src|srcset|action|formaction|xlink:href|poster|data|style)\s*=/i, `<${t.name}${t.attrs}>`);
    assert.ok(!['script', 'img', 'iframe', 'object', 'embed', 'link', 'base', 'form', 'input'].includes(t.name), `no <${t.name}>`);
    for (const h of t.attrs.matchAll(/\shref="([^"]*)"/g)) assert.match(h[1]!, /^#[a-z0-9-]+$/, `href ${h[1]} is a fragment`);
  }
  for (const m of html.matchAll(/\sid="([^"]*)"/g)) assert.match(m[1]!, /^[a-z0-9-]+$/, `id ${m[1]}`);
  // the kit's policy: exactly its one stylesheet, by hash
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  assert.equal(styles.length, 1);
  assert.ok(csp?.startsWith("default-src 'none'; ") && csp.includes(`style-src 'sha256-${createHash('sha256').update(styles[0]![1]!, 'utf8').digest('base64')}'`), csp);
  assert.doesNotMatch(html, /@import|@font-face|url\(/);
});

test('diff html: every changed rule is there, before → after as words, with the fact changes that explain it in order', () => {
  for (const [b, a] of PAIRS) {
    const d = diffSaved(fixture(b), fixture(a));
    const html = renderDiffHtml(d);
    const articles = [...html.matchAll(/<article class="change c-(\w+)" id="rule-[a-z0-9-]+" data-rule="([^"]+)" data-change="(\w+)">([\s\S]*?)<\/article>/g)];
    assert.deepEqual(articles.map((m) => m[2]), d.ruleChanges.map((r) => r.ruleId), `${b} → ${a}: every changed rule, in order`);
    for (const [i, m] of articles.entries()) {
      const r = d.ruleChanges[i]!;
      const kind = r.worse ? 'worse' : r.better ? 'better' : 'other';
      assert.equal(m[3], kind);
      assert.ok(m[4]!.includes({ worse: 'GOT WORSE', better: 'GOT BETTER', other: 'CHANGED' }[kind]), 'the change is a word, not only a colour');
      const words = [...m[4]!.matchAll(/<p class="transition">([\s\S]*?)<\/p>/g)][0]![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
      const word = (s: typeof r.before) => (s ? `${s.status.toUpperCase()}${s.waived ? ' WAIVED' : ''}` : 'NOT RUN');
      assert.equal(words, `${word(r.before)} → ${word(r.after)}`);
      const rows = [...m[4]!.matchAll(/<tr data-fact="([^"]+)" data-kind="(\w+)"><td class="nw"><span class="kind">\w+<\/span><\/td><td>([^<]*)<\/td>/g)];
      assert.deepEqual(rows.map((x) => [x[1], x[2], x[3]]), r.explainedBy.map((c) => [c.fact, c.kind, esc(c.subject)]), `${r.ruleId}: its fact changes, in the text renderer's order`);
      if (!r.explainedBy.length) assert.match(m[4]!, /No change in the facts this rule reads/);
    }
    const other = /<section id="other"[\s\S]*?<\/section>/.exec(html)![0];
    assert.equal([...other.matchAll(/<tr data-fact=/g)].length, d.otherFactChanges.length, 'the other fact changes');
    for (const [k, n] of Object.entries(d.summary)) assert.match(html, new RegExp(`<div data-count="${k}"><dt>[^<]+</dt><dd>${n}</dd></div>`), `summary ${k}`);
    assert.match(html, d.worse ? /<span class="vword">WORSE<\/span>/ : /<span class="vword">NOT WORSE<\/span>/);
    assert.ok(html.includes(d.worse ? 'Exit code 1: ' : 'Exit code 0: nothing got worse.'));
  }
});

test('diff html: a snapshot diffed with itself says no changes; two JSON reports give statuses only', () => {
  const same = renderDiffHtml(diffSaved(fixture('sg-partial-drop'), fixture('sg-partial-drop')));
  assert.match(same, /<span class="vword">NO CHANGES<\/span>/);
  assert.match(same, /<p>No rule changed status\.<\/p>/);
  assert.match(same, /<p>No other fact changes\.<\/p>/);
  assert.match(same, /<title>NO CHANGES · ACR VPC preflight diff<\/title>/);

  const report = (verdict: string, exitCode: number, statuses: Record<string, string>): SavedInput => ({
    kind: 'report',
    report: { verdict, exitCode, collectedAt: '2026-12-01T08:00:00.000Z', tool: { version: '0.1.0' }, results: Object.entries(statuses).map(([ruleId, status]) => ({ ruleId, status, message: `${ruleId} is ${status}` })) },
  });
  const d = diffSaved(
    { label: 'check-before.json', input: report('pass', 0, { 'sg-ingress': 'pass', 'gitlab-tls': 'warn', 'zone-supported': 'pass' }) },
    { label: 'check-after.json', input: report('fail', 1, { 'sg-ingress': 'fail', 'gitlab-tls': '<blink>odd</blink>', 'zone-supported': 'pass' }) },
  );
  const html = renderDiffHtml(d);
  assert.equal(d.mode, 'reports');
  assert.deepEqual(new Set(d.ruleChanges.map((r) => r.ruleId)), new Set(['sg-ingress', 'gitlab-tls']));
  assert.deepEqual(changedRuleIds('html', html), d.ruleChanges.map((r) => r.ruleId));
  assert.match(html, /JSON reports hold no facts/);
  assert.ok(html.includes(esc('<BLINK>ODD</BLINK>')) && !html.includes('<blink>'), 'a status from a report file is a word, escaped');
  assert.match(html, /<div data-count="unchanged"><dt>Unchanged<\/dt><dd>1<\/dd><\/div>/);
  assert.match(html, /Collected<\/th><td>2026-12-01 08:00:00 UTC<\/td>/);
  assert.doesNotMatch(html, /<h4>Fact changes/, 'reports hold no facts to explain a change with');
});

test('diff: json, markdown, text and html name the same changed rules, in the same order', () => {
  for (const [b, a] of [...PAIRS, ['healthy-ecs', 'healthy-ecs'] as [string, string]]) {
    const d = diffSaved(fixture(b), fixture(a));
    const expected = d.ruleChanges.map((r) => r.ruleId);
    for (const [format, render] of Object.entries(DIFF_RENDERERS)) assert.deepEqual(changedRuleIds(format, render(d)), expected, `${b} → ${a}, ${format}`);
  }
});
