// SARIF output validated against the SARIF 2.1.0 JSON schema (shipped under fixtures/, see
// fixtures/sarif-schema-2.1.0.md for how it was made), plus the mapping of statuses to kind/level,
// descriptors from the registry, and waivers as suppressions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSarif, toSarifObject } from '../../src/report/sarif.js';
import { RULES } from '../../rules/index.js';
import { sarifValidator } from './sarif-schema.js';
import { failingReport, passingReport, NOW } from './fixtures.js';
import { REPORT_RULES } from '../helpers/rules.js';

const validate = sarifValidator();

function sarif(report = failingReport()) {
  return JSON.parse(renderSarif(report, { rules: REPORT_RULES, artifactUri: 'preflight.yaml' })) as any;
}

test('sarif: passing and failing reports are valid SARIF 2.1.0', () => {
  for (const r of [passingReport(), failingReport(), failingReport({ failOn: 'warn' }), failingReport({ waivers: [] })]) {
    const doc = JSON.parse(renderSarif(r, { rules: REPORT_RULES }));
    const ok = validate(doc);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3), null, 2));
  }
});

test('sarif: the schema validator rejects a broken log (the check can fail)', () => {
  const doc = sarif();
  doc.runs[0].results[0].level = 'fatal';
  assert.equal(validate(doc), false);
  const doc2 = sarif();
  delete doc2.version;
  assert.equal(validate(doc2), false);
});

test('sarif: one descriptor per registry rule, from its metadata', () => {
  const doc = sarif();
  const rules = doc.runs[0].tool.driver.rules as any[];
  assert.deepEqual(rules.map((r) => r.id), REPORT_RULES.map((r) => r.id));
  const sg = rules.find((r) => r.id === 'sg-ingress');
  assert.equal(sg.name, 'SgIngress');
  assert.equal(sg.shortDescription.text, 'GitLab security groups admit 100.104.0.0/16');
  assert.match(sg.fullDescription.text, /union of the GitLab ENI security groups/);
  assert.match(sg.helpUri, /\/rules\/sg-ingress\.md$/);
  assert.match(sg.help.text, /Add an inbound rule to <sg>: accept TCP <port>/);
  assert.equal(sg.defaultConfiguration.level, 'error');
  assert.equal(rules.find((r) => r.id === 'gitlab-tls').defaultConfiguration.level, 'warning');
});

test('sarif: one result per non-passing rule; kind and level from status and severity', () => {
  const doc = sarif();
  const results = doc.runs[0].results as any[];
  const by = Object.fromEntries(results.map((r) => [r.ruleId, r]));
  assert.deepEqual(Object.keys(by).sort(), ['gitlab-tls', 'gitlab-token', 'link-present', 'sg-ingress']);
  assert.deepEqual([by['sg-ingress'].kind, by['sg-ingress'].level], ['fail', 'error']);
  assert.deepEqual([by['gitlab-tls'].kind, by['gitlab-tls'].level], ['fail', 'warning']);
  assert.deepEqual([by['gitlab-token'].kind, by['gitlab-token'].level], ['open', 'none']);
  for (const r of results) {
    assert.equal(doc.runs[0].tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'preflight.yaml');
  }
  assert.match(by['sg-ingress'].message.text, /does not admit 100\.104\.128\.0\/17.*Fix: Add an inbound rule/);
  assert.equal(sarif(passingReport()).runs[0].results.length, 0);
});

test('sarif: a waived result is suppressed (accepted, with reason, owner, expiry); an expired one is not', () => {
  const results = sarif().runs[0].results as any[];
  const link = results.find((r) => r.ruleId === 'link-present');
  assert.equal(link.suppressions.length, 1);
  assert.equal(link.suppressions[0].kind, 'external');
  assert.equal(link.suppressions[0].status, 'accepted');
  assert.match(link.suppressions[0].justification, /platform team next sprint \(owner: platform team; expires 2026-12-31\)/);
  const tls = results.find((r) => r.ruleId === 'gitlab-tls');
  assert.equal(tls.suppressions, undefined);
  assert.equal(tls.properties.waiverExpired.expires, '2026-11-01');
  assert.match(tls.message.text, /expired on 2026-11-01/);
});

test('sarif: fingerprints are stable across runs and distinct across rules', () => {
  const a = sarif().runs[0].results as any[];
  const b = sarif(failingReport({ now: new Date(NOW.getTime() + 3600_000) })).runs[0].results as any[];
  assert.deepEqual(a.map((r) => r.partialFingerprints), b.map((r) => r.partialFingerprints));
  const fps = new Set(a.map((r) => r.partialFingerprints['acrPreflightFinding/v1']));
  assert.equal(fps.size, a.length);
});

test('sarif: help markdown puts a fix\'s command lines in a code block', async () => {
  const rules = REPORT_RULES.map((r) => (r.id === 'sg-ingress' ? { ...r, remediation: { authorize: 'Add a rule to {{sg}}:\n  aliyun ecs AuthorizeSecurityGroup --SecurityGroupId {{sg}}\nThen rerun.' } } : r));
  const doc = toSarifObject(failingReport(), { rules }) as any;
  const sg = doc.runs[0].tool.driver.rules.find((r: any) => r.id === 'sg-ingress');
  assert.match(sg.help.markdown, /- Add a rule to \\<sg\\>:\n\n {2}```sh\n {2}aliyun ecs AuthorizeSecurityGroup --SecurityGroupId <sg>\n {2}```\n\n {2}Then rerun\./);
  assert.ok(validate(doc));
});

// Placeholders in help read <name> (text) and \<name\> (markdown prose, so a renderer does not drop
// it as an HTML tag; literal inside code); never the half-stripped {name} or a raw {{name}}.
const HALF_STRIPPED = /(?<!\{)\{[A-Za-z][A-Za-z0-9_]*\}(?!\})/;

test('sarif: help placeholders of every registry rule read <name>, never {name} or {{name}}', async () => {
  const doc = JSON.parse(renderSarif(failingReport(), { rules: RULES })) as any;
  const descriptors = doc.runs[0].tool.driver.rules as any[];
  for (const r of RULES) assert.ok(descriptors.some((d) => d.id === r.id), `descriptor for ${r.id}`);
  for (const d of descriptors) {
    for (const help of [d.help.text, d.help.markdown] as string[]) {
      assert.doesNotMatch(help, /\{\{|\}\}/, `${d.id}: raw placeholder`);
      assert.doesNotMatch(help, HALF_STRIPPED, `${d.id}: half-stripped placeholder`);
    }
    // outside code blocks and inline code, markdown escapes the angle brackets
    let inBlock = false;
    for (const line of (d.help.markdown as string).split('\n')) {
      if (/^\s*```/.test(line)) { inBlock = !inBlock; continue; }
      if (inBlock) continue;
      const prose = line.replace(/`[^`]*`/g, '');
      assert.doesNotMatch(prose, /(?<!\\)<[A-Za-z]/, `${d.id}: unescaped tag-like text in markdown: ${line}`);
    }
  }
  const sg = descriptors.find((r) => r.id === 'sg-ingress');
  assert.match(sg.help.text, /on tcp\/<port> to <targetGroup>:\n {2}aliyun ecs AuthorizeSecurityGroup --RegionId <region> --SecurityGroupId <targetGroup>/);
  assert.match(sg.help.markdown, /on tcp\/\\<port\\> to \\<targetGroup\\>:/);
  assert.match(sg.help.markdown, / {2}aliyun ecs AuthorizeSecurityGroup --RegionId <region> --SecurityGroupId <targetGroup> /);
  const zone = descriptors.find((r) => r.id === 'zone-supported');
  assert.match(zone.help.text, /zones: \{ <region>: \[<zone>\] \}/);
  const token = descriptors.find((r) => r.id === 'gitlab-token');
  assert.match(token.help.text, /personal access token for <username>/);
  const acr = descriptors.find((r) => r.id === 'acr-instance');
  assert.match(acr.help.markdown, /`aliyun cr ListInstance --RegionId <region>`/, 'literal inside inline code');
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3), null, 2));
});
