// The gate through the spawned CLI: exit codes for every --fail-on × outcome combination, mixed
// outcomes, waivers (valid, expired, --no-waivers), --only/--skip, several outputs in one run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ROOT, runCli } from '../helpers/cli.js';
import { sarifValidator } from '../report/sarif-schema.js';
import { CONFIG, OUTCOME_RULE, outcomeFacts, TempDir, withNaclError, type Outcome } from './snapshots.js';
import { RULES } from '../../rules/index.js';

const tmp = new TempDir();
after(() => tmp.remove());

const snap: Record<Outcome, string> = {
  pass: tmp.write('pass.json', outcomeFacts('pass')),
  warn: tmp.write('warn.json', outcomeFacts('warn')),
  fail: tmp.write('fail.json', outcomeFacts('fail')),
  error: tmp.write('error.json', outcomeFacts('error')),
};

const EXPECTED: Record<Outcome, Record<'fail' | 'warn', number>> = {
  pass: { fail: 0, warn: 0 },
  warn: { fail: 0, warn: 1 },
  fail: { fail: 1, warn: 1 },
  error: { fail: 3, warn: 3 },
};

async function analyze(args: string[]) {
  const r = await runCli(['analyze', ...args], { cwd: tmp.path });
  return r;
}

for (const outcome of ['pass', 'warn', 'fail', 'error'] as const) {
  for (const failOn of ['fail', 'warn'] as const) {
    test(`gate: ${outcome} at --fail-on ${failOn} exits ${EXPECTED[outcome][failOn]}`, async () => {
      const rule = OUTCOME_RULE[outcome];
      const r = await analyze([snap[outcome], '--only', rule, '--fail-on', failOn, '--format', 'json']);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.results.map((x: any) => [x.ruleId, x.status]), [[rule, outcome]], r.stdout);
      assert.equal(r.code, EXPECTED[outcome][failOn], r.stderr);
      assert.equal(report.exitCode, r.code);
      assert.equal(report.verdict, r.code === 0 ? 'pass' : r.code === 1 ? 'fail' : 'incomplete');
    });
  }
}

test('gate: mixed outcomes — fail beats error; error beats warn unless --fail-on warn', async () => {
  const failErr = tmp.write('fail-error.json', withNaclError('fail'));
  const r = await analyze([failErr, '--only', 'sg-ingress,nacl-ingress', '--format', 'json']);
  assert.deepEqual(JSON.parse(r.stdout).results.map((x: any) => x.status), ['fail', 'error']);
  assert.equal(r.code, 1);
  const warnErr = tmp.write('warn-error.json', withNaclError('warn'));
  assert.equal((await analyze([warnErr, '--only', 'link-present,nacl-ingress'])).code, 3);
  assert.equal((await analyze([warnErr, '--only', 'link-present,nacl-ingress', '--fail-on', 'warn'])).code, 1);
});

test('gate: a valid waiver stops a failure from blocking; an expired one does not; --no-waivers audits', async () => {
  const valid = tmp.write('valid.yaml', `${CONFIG}waivers:\n  - { rule: sg-ingress, reason: NET-42 pending, owner: net team, expires: 2999-12-31 }\n`);
  const expired = tmp.write('expired.yaml', `${CONFIG}waivers:\n  - { rule: sg-ingress, reason: NET-42 pending, owner: net team, expires: 2000-01-01 }\n`);
  const ok = await analyze([snap.fail, '--only', 'sg-ingress', '-c', valid, '--format', 'json']);
  assert.equal(ok.code, 0, ok.stderr);
  const res = JSON.parse(ok.stdout).results[0];
  assert.equal(res.status, 'fail');
  assert.deepEqual(res.waived, { reason: 'NET-42 pending', owner: 'net team', expires: '2999-12-31' });
  assert.equal(JSON.parse(ok.stdout).summary.waived, 1);
  const late = await analyze([snap.fail, '--only', 'sg-ingress', '-c', expired, '--format', 'text']);
  assert.equal(late.code, 1);
  assert.match(late.stdout, /the waiver by net team expired on 2000-01-01 and no longer waives/);
  assert.match(late.stderr, /warning: .*expired\.yaml:6: waivers\[0\]: the waiver for sg-ingress \(owner net team\) expired on 2000-01-01/);
  const audit = await analyze([snap.fail, '--only', 'sg-ingress', '-c', valid, '--no-waivers', '--format', 'json']);
  assert.equal(audit.code, 1);
  assert.equal(JSON.parse(audit.stdout).results[0].waived, undefined);
});

test('gate: --skip removes a rule; unknown ids are usage errors with the nearest id', async () => {
  const r = await analyze([snap.fail, '--skip', 'sg-ingress', '--format', 'json']);
  assert.ok(!JSON.parse(r.stdout).results.some((x: any) => x.ruleId === 'sg-ingress'));
  const bad = await analyze([snap.fail, '--only', 'sg-ingres']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^acr-preflight: --only: unknown rule id "sg-ingres" \(did you mean sg-ingress\?\)/);
  const badFailOn = await analyze([snap.fail, '--fail-on', 'error']);
  assert.equal(badFailOn.code, 2);
  assert.match(badFailOn.stderr, /--fail-on must be warn or fail/);
});

test('gate: several --format/--output pairs in one run; stdout carries only the last, unpaired one', async () => {
  const r = await analyze([snap.fail, '--format', 'json', '--output', 'r.json', '--format', 'sarif', '--output', 'r.sarif', '--format', 'junit', '--output', 'r.xml', '--format', 'markdown', '--output', 'r.md', '--format', 'text']);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(readFileSync(join(tmp.path, 'r.json'), 'utf8')).verdict, 'fail');
  assert.equal(JSON.parse(readFileSync(join(tmp.path, 'r.sarif'), 'utf8')).version, '2.1.0');
  assert.match(readFileSync(join(tmp.path, 'r.xml'), 'utf8'), /<testcase name="sg-ingress"[^>]*>\s*<failure/);
  assert.match(readFileSync(join(tmp.path, 'r.md'), 'utf8'), /`sg-ingress`/);
  assert.match(r.stdout, /\nFAIL: /);
  assert.doesNotMatch(r.stdout, /^\{/);
  const two = await analyze([snap.fail, '--format', 'json', '--format', 'text']);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /only one report can go to stdout/);
});

test('gate: GitHub Actions annotations on stderr, GitLab sections on stdout', async () => {
  const gh = await runCli(['analyze', snap.fail, '--only', 'sg-ingress,link-present'], { cwd: tmp.path, env: { GITHUB_ACTIONS: 'true' } });
  assert.match(gh.stderr, /^::error title=acr-preflight sg-ingress%3A /m);
  assert.doesNotMatch(gh.stdout, /^::/m);
  const gl = await runCli(['analyze', snap.pass, '--only', 'sg-ingress'], { cwd: tmp.path, env: { GITLAB_CI: 'true', CI: 'true' } });
  assert.match(gl.stdout, /\x1b\[0Ksection_start:\d+:acr_preflight_pass\[collapsed=true\]/);
});

// The shared scenario snapshots (fixtures/facts/) through every rule of the registry.
const SCENARIOS: Record<string, Record<'fail' | 'warn', number>> = {
  'healthy-ecs': { fail: 0, warn: 0 },
  'healthy-slb': { fail: 0, warn: 0 },
  'healthy-idc': { fail: 0, warn: 0 },
  'fresh-unlinked': { fail: 0, warn: 1 }, // only warnings: not linked, not bound yet
  'sg-partial-drop': { fail: 1, warn: 1 },
  'nacl-reply-blocked': { fail: 1, warn: 1 },
  'slb-whitelist-missing': { fail: 1, warn: 1 },
  'idc-route-back-to-idc': { fail: 1, warn: 1 },
  'token-no-api-scope': { fail: 1, warn: 1 },
  'forbidden-sg': { fail: 3, warn: 3 }, // a rule could not decide, nothing failed
};

for (const [name, codes] of Object.entries(SCENARIOS)) {
  test(`gate: fixtures/facts/${name}.json exits ${codes.fail} at --fail-on fail and ${codes.warn} at --fail-on warn`, async () => {
    const file = join(ROOT, 'fixtures', 'facts', `${name}.json`);
    for (const failOn of ['fail', 'warn'] as const) {
      const r = await analyze([file, '--fail-on', failOn, '--format', 'json']);
      const report = JSON.parse(r.stdout);
      const s = report.summary;
      const expected = s.fail > 0 || (failOn === 'warn' && s.warn > 0) ? 1 : s.error > 0 ? 3 : 0;
      assert.equal(expected, codes[failOn], `the scenario's statuses changed: ${JSON.stringify(s)}`);
      assert.equal(r.code, codes[failOn], r.stderr);
      assert.equal(report.exitCode, r.code);
    }
  });
}

test('gate: every format of every scenario is well-formed (SARIF schema, JUnit XML)', async () => {
  const validate = sarifValidator();
  for (const name of Object.keys(SCENARIOS)) {
    const file = join(ROOT, 'fixtures', 'facts', `${name}.json`);
    const r = await analyze([file, '--format', 'sarif', '--output', `${name}.sarif`, '--format', 'junit', '--output', `${name}.xml`, '--format', 'markdown', '--output', `${name}.md`, '--format', 'json']);
    const sarif = JSON.parse(readFileSync(join(tmp.path, `${name}.sarif`), 'utf8')) as any;
    assert.ok(validate(sarif), `${name}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
    const problems = JSON.parse(r.stdout).results.filter((x: any) => ['warn', 'fail', 'error'].includes(x.status));
    assert.equal(sarif.runs[0].results.length, problems.length, name);
    assert.equal(sarif.runs[0].tool.driver.rules.length, RULES.length);
    const xml = readFileSync(join(tmp.path, `${name}.xml`), 'utf8');
    assert.equal(XMLValidator.validate(xml), true, name);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml);
    assert.equal(doc.testsuites.testsuite.testcase.length, RULES.length, name);
    for (const p of problems) assert.match(readFileSync(join(tmp.path, `${name}.md`), 'utf8'), new RegExp(`\`${p.ruleId}\``), name);
  }
});

test('gate: a waiver scoped to a resource waives only findings that name it', async () => {
  const file = join(ROOT, 'fixtures', 'facts', 'sg-partial-drop.json');
  const report = JSON.parse((await analyze([file, '--format', 'json'])).stdout);
  const sg = report.results.find((x: any) => x.ruleId === 'sg-ingress');
  const sgId = JSON.stringify(sg.evidence).match(/sg-[a-z0-9]+/)![0];
  const scoped = tmp.write('scoped.yaml', `${CONFIG}waivers:\n  - { rule: sg-ingress, reason: NET-42, owner: net team, expires: 2999-12-31, scope: ${sgId} }\n`);
  const other = tmp.write('other.yaml', `${CONFIG}waivers:\n  - { rule: sg-ingress, reason: NET-42, owner: net team, expires: 2999-12-31, scope: sg-someotherthing }\n`);
  assert.equal((await analyze([file, '-c', scoped])).code, 0);
  assert.equal((await analyze([file, '-c', other])).code, 1);
});
