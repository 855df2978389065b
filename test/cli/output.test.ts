// --format/--output pairing, atomic writes, stdout discipline, CI flavours.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseOutputPlan, writeOutputs, writeFileAtomic } from '../../src/cli/output.js';
import { parseGateOptions, gateRunOptions } from '../../src/cli/gate-options.js';
import type { CommandIO } from '../../src/cli/commands.js';
import { PreflightError, UsageError } from '../../src/errors.js';
import { failingReport } from '../report/fixtures.js';
import { REPORT_RULES } from '../helpers/rules.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-preflight-out-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e.line();
  }
  assert.fail('expected a UsageError');
}

function fakeIO(env: NodeJS.ProcessEnv = {}, tty = false): { io: CommandIO; out: () => string; err: () => string } {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { io: { stdout, stderr, stdin: new PassThrough(), env, cwd: dir }, out: () => o, err: () => e };
}

test('output plan: default text to stdout; pairs in order; the format without an output goes to stdout', () => {
  assert.deepEqual(parseOutputPlan({}, dir), [{ format: 'text' }]);
  const plan = parseOutputPlan({ format: ['json', 'sarif', 'text'], output: ['r.json', 'r.sarif'] }, dir);
  assert.deepEqual(plan, [
    { format: 'json', file: join(dir, 'r.json'), label: 'r.json' },
    { format: 'sarif', file: join(dir, 'r.sarif'), label: 'r.sarif' },
    { format: 'text' },
  ]);
  assert.deepEqual(parseOutputPlan({ output: ['report.xml'] }, dir), [{ format: 'junit', file: join(dir, 'report.xml'), label: 'report.xml' }]);
  assert.deepEqual(parseOutputPlan({ format: ['markdown'], output: ['-'] }, dir), [{ format: 'markdown' }]);
  assert.deepEqual(parseOutputPlan({ format: ['sarif'], output: ['x.sarif.json'] }, dir)[0]!.format, 'sarif');
  assert.deepEqual(parseOutputPlan({ output: ['report.html'] }, dir), [{ format: 'html', file: join(dir, 'report.html'), label: 'report.html' }]);
  assert.match(usage(() => parseOutputPlan({ format: ['html'], output: ['r.md'] }, dir)), /--format html is paired with --output r\.md, which looks like markdown/);
});

test('output plan: refusals are usage errors with what to do', () => {
  assert.equal(usage(() => parseOutputPlan({ format: ['json', 'text'] }, dir)), 'only one report can go to stdout, but json and text have no --output — give each --format but one an --output FILE');
  assert.match(usage(() => parseOutputPlan({ format: ['jsno'] }, dir)), /unknown --format "jsno" \(did you mean json\?\)/);
  assert.match(usage(() => parseOutputPlan({ format: ['text', 'json'], output: ['r.json'] }, dir)), /--format text is paired with --output r\.json, which looks like json — the n-th --output belongs to the n-th --format/);
  assert.match(usage(() => parseOutputPlan({ output: ['report.out'] }, dir)), /--output report\.out has no --format/);
  assert.match(usage(() => parseOutputPlan({ format: ['json', 'json'], output: ['a.json', 'a.json'] }, dir)), /is given twice/);
});

test('writeOutputs: files written atomically, stdout only the report, a note per file on stderr', async () => {
  const { io, out, err } = fakeIO();
  const plan = parseOutputPlan({ format: ['json', 'junit', 'markdown'], output: ['r.json', 'r.xml'] }, dir);
  await writeOutputs(failingReport(), plan, { io, rules: REPORT_RULES });
  assert.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).verdict, 'fail');
  assert.match(readFileSync(join(dir, 'r.xml'), 'utf8'), /^<\?xml/);
  assert.match(out(), /^## ❌ ACR VPC preflight: failed/);
  assert.match(err(), /wrote json report to r\.json/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
});

test('writeOutputs: a missing directory is one clear error, nothing half-written, stdout untouched', async () => {
  const { io, out } = fakeIO();
  // refused up front, before anything is collected
  assert.throws(() => parseOutputPlan({ format: ['json', 'text'], output: [join(dir, 'no', 'such', 'r.json')] }, dir), (e: unknown) => e instanceof PreflightError && /--output .*r\.json: the directory .*such does not exist/.test(e.line()));
  // and if it vanishes in between, writing is still one clear error
  const plan = [{ format: 'json' as const, file: join(dir, 'no', 'such', 'r.json'), label: 'r.json' }, { format: 'text' as const }];
  await assert.rejects(() => writeOutputs(failingReport(), plan, { io }), (e: unknown) => e instanceof PreflightError && /cannot write .*r\.json \(ENOENT\) — does the directory exist\?/.test(e.line()));
  assert.equal(out(), '');
});

test('writeFileAtomic: replaces an existing file whole', () => {
  const p = join(dir, 'atomic.txt');
  writeFileAtomic(p, 'one');
  writeFileAtomic(p, 'two');
  assert.equal(readFileSync(p, 'utf8'), 'two');
});

test('writeOutputs: GitHub Actions annotations on stderr; GitLab sections and no colour on stdout', async () => {
  const gh = fakeIO({ GITHUB_ACTIONS: 'true' });
  await writeOutputs(failingReport(), [{ format: 'json' }], { io: gh.io });
  assert.doesNotMatch(gh.out(), /::error/, 'stdout stays pure JSON');
  JSON.parse(gh.out());
  assert.match(gh.err(), /^::error title=acr-preflight sg-ingress/m);
  const gl = fakeIO({ GITLAB_CI: 'true' }, true);
  await writeOutputs(failingReport(), [{ format: 'text' }], { io: gl.io, color: true });
  assert.match(gl.out(), /section_start:\d+:acr_preflight_pass/);
  assert.doesNotMatch(gl.out(), /\x1b\[3\dm/);
  const tty = fakeIO({}, true);
  await writeOutputs(failingReport(), [{ format: 'text' }], { io: tty.io, color: true });
  assert.match(tty.out(), /\x1b\[31m/);
  const pipe = fakeIO({}, false);
  await writeOutputs(failingReport(), [{ format: 'text' }], { io: pipe.io, color: true });
  assert.doesNotMatch(pipe.out(), /\x1b\[/, 'no colour into a pipe');
});

test('gate options: --fail-on, --only, --skip, --no-waivers', () => {
  const ids = ['sg-ingress', 'nacl-ingress', 'gitlab-tls'];
  assert.deepEqual(parseGateOptions({}, ids), { failOn: 'fail', noWaivers: false });
  assert.deepEqual(parseGateOptions({ 'fail-on': 'warn', only: 'sg-ingress, nacl-ingress', 'no-waivers': true }, ids), { failOn: 'warn', noWaivers: true, only: ['sg-ingress', 'nacl-ingress'] });
  assert.match(usage(() => parseGateOptions({ 'fail-on': 'error' }, ids)), /--fail-on must be warn or fail, got "error"/);
  assert.match(usage(() => parseGateOptions({ skip: 'sg-ingres' }, ids)), /--skip: unknown rule id "sg-ingres" \(did you mean sg-ingress\?\)/);
  assert.match(usage(() => parseGateOptions({ only: ',' }, ids)), /--only needs rule ids/);
  assert.match(usage(() => parseGateOptions({ only: 'gitlab-tls', skip: 'gitlab-tls' }, ids)), /leave no rule to run/);
  const w = [{ rule: 'gitlab-tls', reason: 'r', owner: 'o', expires: '2027-01-01' }];
  assert.deepEqual(gateRunOptions(parseGateOptions({}, ids), w).waivers, w);
  assert.deepEqual(gateRunOptions(parseGateOptions({ 'no-waivers': true }, ids), w).waivers, []);
});

test('artifactUriFor: repository-relative inside the working directory, a file URI outside', async () => {
  const { artifactUriFor } = await import('../../src/cli/output.js');
  assert.equal(artifactUriFor('/repo/ci/preflight.yaml', '/repo'), 'ci/preflight.yaml');
  assert.equal(artifactUriFor('preflight.yaml', '/repo'), 'preflight.yaml');
  assert.equal(artifactUriFor('/etc/acr preflight.yaml', '/repo'), 'file:///etc/acr%20preflight.yaml');
});
