// The GitHub Action (action.yml at the repository root), tested as far as a machine without GitHub
// can: it parses, every input/step output it references exists, its shell steps are valid bash and
// take inputs through the environment only, and its gate and verdict steps, run for real with the
// files GitHub would give them (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP), produce the
// summary, the JUnit and SARIF files, the outputs and the step result, against the emulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BIN, ROOT } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

interface Step { id?: string; name?: string; uses?: string; run?: string; shell?: string; if?: string; env?: Record<string, string>; with?: Record<string, string>; 'working-directory'?: string }
const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const action = parse(text) as { name: string; inputs: Record<string, { default?: string; description: string }>; outputs: Record<string, { value: string }>; runs: { using: string; steps: Step[] } };
const steps = action.runs.steps;
const step = (id: string) => steps.find((s) => s.id === id)!;

let tmp: string;
let pathDir: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'acrp-action-'));
  // `acr-preflight` on PATH as the install step leaves it (here: the repository's build)
  pathDir = join(tmp, 'bin');
  mkdirSync(pathDir);
  writeFileSync(join(pathDir, 'acr-preflight'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(pathDir, 'acr-preflight'), 0o755);
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('action.yml is a composite action whose references all resolve', () => {
  assert.equal(action.runs.using, 'composite');
  for (const k of ['config', 'fail-on', 'formats']) assert.ok(action.inputs[k], `input ${k}`);
  for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description, `input ${name} is described`);
  const usedInputs = [...text.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]!);
  assert.ok(usedInputs.length > 0);
  for (const i of usedInputs) assert.ok(action.inputs[i], `inputs.${i} is declared`);
  for (const name of Object.keys(action.inputs)) assert.ok(usedInputs.includes(name), `input ${name} is used`);
  const ids = new Set(steps.map((s) => s.id).filter(Boolean));
  for (const m of text.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    assert.ok(ids.has(m[1]), `step ${m[1]} exists`);
    assert.match(step(m[1]!).run ?? '', new RegExp(`echo "${m[2]}=`), `step ${m[1]} writes output ${m[2]}`);
  }
  const uses = steps.filter((s) => s.uses).map((s) => s.uses!.replace(/@.*/, ''));
  assert.deepEqual(uses.sort(), ['actions/setup-node', 'actions/upload-artifact', 'github/codeql-action/upload-sarif']);
});

test('every run step is bash, valid, and takes inputs through env (no ${{ }} inside a script)', () => {
  const runs = steps.filter((s) => s.run);
  assert.ok(runs.length >= 3);
  for (const s of runs) {
    assert.equal(s.shell, 'bash', `${s.name}: shell`);
    assert.doesNotMatch(s.run!, /\$\{\{/, `${s.name}: expressions are passed as env, not pasted into the script`);
    const r = spawnSync('bash', ['-n'], { input: s.run, encoding: 'utf8' });
    assert.equal(r.status, 0, `${s.name}: bash -n: ${r.stderr}`);
  }
});

/** Run a step's script as the runner would: bash -e, with the step's env (inputs filled in). */
async function runStep(s: Step, inputs: Record<string, string>, ctx: { cwd: string; outputs?: Record<string, string> }) {
  const files = mkdtempSync(join(tmp, 'step-'));
  const output = join(files, 'output');
  const summary = join(files, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const expr = (v: string) =>
    v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, k: string) => inputs[k] ?? action.inputs[k]?.default ?? '')
      .replace(/\$\{\{\s*steps\.[\w-]+\.outputs\.([\w-]+)\s*\}\}/g, (_m, k: string) => ctx.outputs?.[k] ?? '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${pathDir}:${process.env.PATH}`,
    RUNNER_TEMP: files,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ACTIONS: 'true',
    HOME: tmp,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret,
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
  };
  for (const [k, v] of Object.entries(s.env ?? {})) env[k] = expr(v);
  // asynchronously: the emulator runs in this process
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], { cwd: ctx.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(t);
      resolve({ status, stdout, stderr });
    });
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(summary, 'utf8') };
}

test('the gate step on a failing world: summary, JUnit, SARIF, exit-code 1; the verdict step fails the job', { timeout: 120_000 }, async (t) => {
  const em = await startTestEmulator('ecs-sg-partial');
  t.after(() => em.stop());
  const work = join(tmp, 'repo');
  const config = prepareConfig('ecs-sg-partial', em, work);
  const g = await runStep(step('gate'), { config, formats: 'junit, sarif,json' }, { cwd: work });
  assert.equal(g.status, 0, `the gate step itself succeeds so the upload steps run: ${g.stderr}`);
  assert.equal(g.outputs['exit-code'], '1', g.stderr);
  assert.match(g.summary, /sg-ingress/, 'the markdown report is the job summary');
  assert.match(g.summary, /preflight: failed/);
  const dir = g.outputs['report-dir']!;
  assert.match(readFileSync(join(dir, 'acr-preflight-junit.xml'), 'utf8'), /<failure[^>]*type="fail"/);
  const sarif = JSON.parse(readFileSync(g.outputs.sarif!, 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'sg-ingress'));
  assert.equal(JSON.parse(readFileSync(join(dir, 'acr-preflight.json'), 'utf8')).verdict, 'fail');
  assert.match(g.stderr, /::error/, 'annotations on the runner');
  assert.match(g.stdout, /sg-ingress/, 'the text report in the log');

  const v = await runStep(step('verdict'), {}, { cwd: work, outputs: g.outputs });
  assert.equal(v.status, 1);
  assert.match(v.stdout, /::error title=acr-preflight::the gate tripped/);
});

test('the gate step on a passing world with extra args: exit-code 0, the verdict step passes', { timeout: 120_000 }, async (t) => {
  const em = await startTestEmulator('demo');
  t.after(() => em.stop());
  const work = join(tmp, 'repo-pass');
  const config = prepareConfig('demo', em, work);
  const g = await runStep(step('gate'), { config, formats: 'junit', args: '--no-probes --skip source-bound' }, { cwd: work });
  assert.equal(g.outputs['exit-code'], '0', g.stderr);
  assert.ok(existsSync(join(g.outputs['report-dir']!, 'acr-preflight-junit.xml')));
  assert.equal(g.outputs.sarif, undefined, 'no SARIF asked for, none to upload');
  assert.match(g.summary, /preflight: passed/);
  const v = await runStep(step('verdict'), {}, { cwd: work, outputs: g.outputs });
  assert.equal(v.status, 0, v.stdout);
});

test('the gate step refuses an unknown format with one annotation and exit-code 2', async () => {
  const g = await runStep(step('gate'), { formats: 'junit,pdf' }, { cwd: tmp });
  assert.equal(g.status, 2);
  assert.equal(g.outputs['exit-code'], '2');
  assert.match(g.stdout, /::error title=acr-preflight::formats: unknown format "pdf"/);
});
