// The gate through the spawned CLI: exit codes for every --fail-on × outcome combination, mixed
// outcomes, waivers (valid, expired, --no-waivers), --only/--skip, several outputs in one run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { CONFIG, OUTCOME_RULE, outcomeFacts, TempDir, withNaclError, type Outcome } from './snapshots.js';

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
