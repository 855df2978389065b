// Text and markdown reports: what a person reads. Plus the JSON contract's key order and the
// GitHub annotations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/report/text.js';
import { renderMarkdown, cell } from '../../src/report/markdown.js';
import { renderJson } from '../../src/report/json.js';
import { githubAnnotations, escapeData, escapeProperty } from '../../src/report/annotations.js';
import { failingReport, passingReport } from './fixtures.js';

test('text: groups in blocking order, evidence, fix, docs, and the blocking hop marked', () => {
  const t = renderText(failingReport());
  const order = ['Failed (1)', 'Could not decide (1)', 'Warnings (1)', 'Skipped (1)', 'Passed (1)', 'Waived'].map((h) => t.indexOf(h));
  assert.ok(order.every((i) => i >= 0), t);
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.match(t, /FAIL +sg-ingress +GitLab security groups admit/);
  assert.match(t, /evidence: uncovered ranges: 100\.104\.128\.0\/17 \(ecs:DescribeSecurityGroupAttribute sg-gitlab\)/);
  assert.match(t, /fix: Add an inbound rule to sg-gitlab/);
  assert.match(t, /→ security-group +sg-gitlab +DROP .*<-- blocks here/);
  assert.doesNotMatch(t, /→ gitlab .*blocks here/);
  assert.match(t, /waived: by platform team until 2026-12-31: link is made/);
  assert.match(t, /note: the waiver by net team expired on 2026-11-01 and no longer waives/);
  assert.match(t, /\nFAIL: 1 passed, 1 warning, 1 failed, 1 undecided, 1 skipped, 1 waived \(fail-on fail, exit 1\)\n$/);
  assert.doesNotMatch(t, /\x1b\[/, 'no colour unless asked');
});

test('text: colour only when allowed; never in GitLab CI flavour, which adds foldable sections', () => {
  assert.match(renderText(failingReport(), { color: true }), /\x1b\[31m/);
  const gl = renderText(failingReport(), { color: true, ci: 'gitlab' });
  assert.doesNotMatch(gl, /\x1b\[\d+m/);
  assert.match(gl, /\x1b\[0Ksection_start:\d+:acr_preflight_pass\[collapsed=true\]\r\x1b\[0KPassed \(1\)/);
  assert.match(gl, /\x1b\[0Ksection_end:\d+:acr_preflight_pass\r\x1b\[0K/);
  assert.doesNotMatch(gl, /section_start:\d+:acr_preflight_fail/, 'failures stay visible');
});

test('text: a passing report says PASS with exit 0', () => {
  assert.match(renderText(passingReport()), /\nPASS: 5 passed, 0 warnings, 0 failed, 0 undecided, 1 skipped, 0 waived \(fail-on fail, exit 0\)\n$/);
});

test('markdown: verdict, counts, each open finding with why and fix, waived table, expired waiver noted', () => {
  const md = renderMarkdown(failingReport());
  assert.match(md, /^## ❌ ACR VPC preflight: failed\n/);
  assert.match(md, /\| ❌ fail \| 1 \|/);
  assert.match(md, /\| 🔕 waived \| 1 \|/);
  assert.match(md, /### ❌ `sg-ingress` — GitLab security groups admit 100\.104\.0\.0\/16\n\nSecurity group sg-gitlab does not admit/);
  assert.match(md, /\*\*Fix:\*\* Add an inbound rule to sg-gitlab/);
  assert.ok(md.indexOf('`sg-ingress`') < md.indexOf('`gitlab-token`') && md.indexOf('`gitlab-token`') < md.indexOf('### ⚠️ `gitlab-tls`'), 'fail, error, warn order');
  assert.match(md, /\| `link-present` \| ⚠️ warn \| platform team \| 2026-12-31 \| link is made by the platform team next sprint \|/);
  assert.match(md, /> \*\*Waiver expired:\*\* the waiver by net team expired on 2026-11-01/);
  assert.match(md, /\\<and\\>/, 'angle brackets escaped so they are not read as HTML');
  assert.doesNotMatch(md.split('## Waived')[0]!, /### .*link-present/, 'waived findings are not listed as open');
  assert.match(renderMarkdown(passingReport()), /^## ✅ ACR VPC preflight: passed\n/);
});

test('markdown: table cells never break the table', () => {
  assert.equal(cell('a | b\nc'), 'a \\| b<br>c');
});

test('json: documented keys first, in the documented order', () => {
  const doc = JSON.parse(renderJson(failingReport()));
  assert.deepEqual(Object.keys(doc).slice(0, 7), ['schemaVersion', 'tool', 'verdict', 'exitCode', 'summary', 'results', 'path']);
  assert.deepEqual(Object.keys(doc.summary), ['pass', 'warn', 'fail', 'skip', 'error', 'waived']);
  assert.deepEqual(Object.keys(doc.results[0]).slice(0, 9), ['ruleId', 'status', 'severity', 'title', 'message', 'evidence', 'remediation', 'docs', 'durationMs']);
  assert.deepEqual(Object.keys(doc.path[0]).slice(0, 4), ['hop', 'id', 'verdict', 'detail']);
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.exitCode, 1);
  const link = doc.results.find((r: any) => r.ruleId === 'link-present');
  assert.deepEqual(link.waived, { reason: 'link is made by the platform team next sprint', owner: 'platform team', expires: '2026-12-31' });
  assert.equal(doc.results.find((r: any) => r.ruleId === 'gitlab-tls').waiverExpired.expires, '2026-11-01');
});

test('annotations: ::error for fail and undecided, ::warning for warn, ::notice for waived; escaped', () => {
  const lines = githubAnnotations(failingReport()).trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines.find((l) => l.includes('sg-ingress'))!, /^::error title=acr-preflight sg-ingress%3A GitLab security groups admit 100.104.0.0\/16::Security group sg-gitlab .*%0AFix: /);
  assert.match(lines.find((l) => l.includes('gitlab-token'))!, /^::error title=acr-preflight could not decide gitlab-token/);
  assert.match(lines.find((l) => l.includes('gitlab-tls'))!, /^::warning title=.*expired on 2026-11-01/);
  assert.match(lines.find((l) => l.includes('link-present'))!, /^::notice title=acr-preflight waived link-present/);
  assert.equal(githubAnnotations(passingReport()), '');
  assert.equal(escapeData('50%\r\nx'), '50%25%0D%0Ax');
  assert.equal(escapeProperty('a:b,c'), 'a%3Ab%2Cc');
});

test('markdown: indented command lines of a fix become a shell code block', async () => {
  const { remediationMd } = await import('../../src/report/markdown.js');
  const fix = 'Add an inbound rule to sg-1:\n  aliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1 --PortRange 443/443\nConsole: ECS → Security Groups → sg-1. Or run `acr-preflight provision --fix`.';
  assert.deepEqual(remediationMd(fix), [
    '**Fix:** Add an inbound rule to sg-1:',
    '',
    '```sh',
    'aliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1 --PortRange 443/443',
    '```',
    '',
    'Console: ECS → Security Groups → sg-1. Or run `acr-preflight provision --fix`.',
  ]);
  assert.deepEqual(remediationMd('Just do it.'), ['**Fix:** Just do it.']);
});
