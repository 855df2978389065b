// The provision command flow in-process (confirmation on a terminal, non-interactive refusal, plan
// formats, saved plans, pending journal) over the emulator with the test check.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import type { CommandContext } from '../../src/cli/context.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { parseProvisionFlags, runProvisionCommand } from '../../src/cli/provision.js';
import { Journal } from '../../src/provision/journal.js';
import { loadFixtureWorld, startTestEmulator } from '../helpers/emulator.js';
import { demoConfig, emulatorApi, emulatorCheck, targetOf, writes } from './helpers.js';

const emulators: EmulatorHandle[] = [];
const dirs: string[] = [];
after(async () => {
  for (const em of emulators) await em.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sink(tty: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; text: string };
  s.isTTY = tty;
  s.text = '';
  s.on('data', (d) => (s.text += d));
  return s;
}

async function setup() {
  const w = loadFixtureWorld('demo');
  w.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 300, pendingMs: 50 };
  const em = await startTestEmulator(w);
  emulators.push(em);
  const api = await emulatorApi(em);
  const config = demoConfig();
  const check = emulatorCheck(api, config);
  const cwd = mkdtempSync(join(tmpdir(), 'acrp-cmd-'));
  dirs.push(cwd);
  const deps = { api, config, check: (o: { only?: string[] }) => check(o) };
  const ctx = (values: CommandContext['values'], o: { tty?: boolean; input?: string } = {}) => {
    const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
    stdin.isTTY = Boolean(o.tty);
    if (o.input !== undefined) stdin.end(o.input);
    const c: CommandContext = {
      values,
      positionals: [],
      io: { stdout: sink(false), stderr: sink(Boolean(o.tty)), stdin, env: {}, cwd },
      signal: new AbortController().signal,
      debug: false,
      color: false,
    };
    return c as CommandContext & { io: { stdout: { text: string }; stderr: { text: string } } };
  };
  return { em, deps, ctx, cwd, config };
}

describe('provision command (in-process)', () => {
  test('flags: bad --timeout / --format are usage errors', () => {
    assert.throws(() => parseProvisionFlags({ timeout: 'soon' }), /--timeout: "soon" is not a positive number/);
    assert.throws(() => parseProvisionFlags({ format: 'sarif' }), /not a provision format/);
    assert.throws(() => parseProvisionFlags({ plan: 'p.json', 'plan-only': true }), /do not go together/);
    const f = parseProvisionFlags({ 'wait-timeout': '30' });
    assert.equal(f.waitTimeoutMs, 30_000);
    assert.equal(f.waitTimeoutExplicit, true);
  });

  test('on a terminal: asks, "n" writes nothing (exit 1), "y" applies (exit 0)', async () => {
    const { em, deps, ctx } = await setup();
    const no = ctx({}, { tty: true, input: 'n\n' });
    assert.equal(await runProvisionCommand(no, deps, parseProvisionFlags(no.values)), 1);
    assert.match(no.io.stderr.text, /Apply this plan \(3 step\(s\)\)\? \[y\/N\]/);
    assert.match(no.io.stderr.text, /declined/);
    assert.deepEqual(writes(em), []);
    const yes = ctx({}, { tty: true, input: 'y\n' });
    assert.equal(await runProvisionCommand(yes, deps, parseProvisionFlags(yes.values)), 0, yes.io.stderr.text);
    assert.deepEqual(writes(em), ['CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']);
    assert.match(yes.io.stdout.text, /^Provision plan:/);
    assert.match(yes.io.stdout.text, /Provision succeeded/);
    assert.match(yes.io.stdout.text, /build:GIT_BRANCH:main:latest\s+done now\s+SUCCESS/);
  });

  test('Ctrl-C at the confirmation is an interruption (not a "no"), and nothing is written', async () => {
    const { em, deps, ctx } = await setup();
    const c = ctx({}, { tty: true });
    const ac = new AbortController();
    (c as { signal: AbortSignal }).signal = ac.signal;
    const run = runProvisionCommand(c, deps, parseProvisionFlags(c.values));
    for (let i = 0; i < 400 && !/\[y\/N\]/.test(c.io.stderr.text); i++) await new Promise((r) => setTimeout(r, 25));
    assert.match(c.io.stderr.text, /\[y\/N\]/);
    ac.abort();
    await assert.rejects(run, (e: any) => e.name === 'AbortError');
    assert.doesNotMatch(c.io.stderr.text, /declined/);
    assert.deepEqual(writes(em), []);
  });

  test('not a terminal and no --yes: usage error (exit 2) after the plan, zero writes', async () => {
    const { em, deps, ctx } = await setup();
    const c = ctx({});
    await assert.rejects(runProvisionCommand(c, deps, parseProvisionFlags(c.values)), (e: any) => e.exitCode === 2 && /--yes/.test(e.line()));
    assert.match(c.io.stdout.text, /Provision plan:/);
    assert.deepEqual(writes(em), []);
  });

  test('--plan-only --format json; --plan FILE applies a fresh saved plan', async () => {
    const { em, deps, ctx, cwd } = await setup();
    const p = ctx({ 'plan-only': true, format: 'json' });
    assert.equal(await runProvisionCommand(p, deps, parseProvisionFlags(p.values)), 0);
    const plan = JSON.parse(p.io.stdout.text);
    assert.equal(plan.steps.length, 6);
    writeFileSync(join(cwd, 'plan.json'), p.io.stdout.text);
    const a = ctx({ plan: 'plan.json', yes: true, format: 'json' });
    assert.equal(await runProvisionCommand(a, deps, parseProvisionFlags(a.values)), 0, a.io.stderr.text);
    const out = JSON.parse(a.io.stdout.text);
    assert.equal(out.ok, true);
    assert.equal(out.builds[0].status, 'SUCCESS');
    assert.equal(writes(em).length, 3);
    // the same saved plan again: the state moved on, refused
    const again = ctx({ plan: 'plan.json', yes: true });
    await assert.rejects(runProvisionCommand(again, deps, parseProvisionFlags(again.values)), (e: any) => e.code === 'ERR_STALE_PLAN' && e.exitCode === 1);
    writeFileSync(join(cwd, 'bad.json'), '{"kind":"other"}');
    const bad = ctx({ plan: 'bad.json', yes: true });
    await assert.rejects(runProvisionCommand(bad, deps, parseProvisionFlags(bad.values)), /not a provision plan/);
  });

  test('a pending operation refuses without --resume (exit 2); --plan-only still shows it', async () => {
    const { deps, ctx, cwd, config } = await setup();
    Journal.open(cwd, targetOf(config).key).begin('create-build-rule', 'GIT_BRANCH:main:latest');
    const c = ctx({ yes: true });
    await assert.rejects(runProvisionCommand(c, deps, parseProvisionFlags(c.values)), (e: any) => e.code === 'ERR_PENDING' && e.exitCode === 2);
    const p = ctx({ 'plan-only': true });
    assert.equal(await runProvisionCommand(p, deps, parseProvisionFlags(p.values)), 0);
    assert.match(p.io.stdout.text, /1 pending operation\(s\).*--resume/);
    const r = ctx({ yes: true, resume: true });
    assert.equal(await runProvisionCommand(r, deps, parseProvisionFlags(r.values)), 0, r.io.stderr.text);
    assert.match(r.io.stdout.text, /resume: create-build-rule GIT_BRANCH:main:latest: the rule does not exist: it was not created/);
  });
});
