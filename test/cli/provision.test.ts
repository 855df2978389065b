// `acr-preflight provision` end to end: the spawned CLI (real config loading, real cloud clients, real
// collectors and rules) against the in-process emulator; every write is read from its audit log.
// Needs `npx tsc -p .` first (dist/). Only loopback: the config maps GitLab with probe.connectTo.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { control, DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

const WRITES = /^(Create|Update|Delete|Cancel|Authorize|Revoke|Modify)/;
const emulators: EmulatorHandle[] = [];
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const em of emulators) await em.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function env(home: string): NodeJS.ProcessEnv {
  return {
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret,
    ACR_PREFLIGHT_LOOPBACK_ONLY: '1',
    HOME: home,
    CI: '',
  };
}

function demoWorld(edit: (r: Record<string, any>) => void = () => {}): Record<string, any> {
  const w = loadFixtureWorld('demo');
  w.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 1500, pendingMs: 100 };
  edit(w.regions['cn-hangzhou']);
  return w;
}

function unlink(r: Record<string, any>): void {
  r.securityGroups = r.securityGroups.filter((s: any) => !s.ServiceManaged);
  r.networkInterfaces = [];
  r.cr.codeSources = [];
}

async function setup(world: string | Record<string, any>, configName = 'demo') {
  const em = await startTestEmulator(world);
  emulators.push(em);
  const dir = mkdtempSync(join(tmpdir(), 'acrp-cli-prov-'));
  dirs.push(dir);
  const config = prepareConfig(configName, em, dir);
  const writes = () => em.audit().filter((a) => WRITES.test(a.action)).map((a) => a.action);
  return { em, dir, config, writes, env: env(dir) };
}

/** spawn the CLI and follow its stderr */
function spawnCli(args: string[], o: { cwd: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd, env: { ...process.env, NO_COLOR: '1', ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  void done.then(() => clearTimeout(timer));
  return {
    child,
    done,
    out: () => stdout,
    err: () => stderr,
    /** resolves when `pred` holds (polled), bounded */
    async until(pred: () => boolean, what: string, ms = 30_000) {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr}`);
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before ${what}; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

function journalOf(dir: string): string {
  const d = join(dir, '.acr-preflight');
  if (!existsSync(d)) return '';
  // one file per target, account and cloud endpoint: cn-hangzhou__cri-demo1234__team__app__<scope>.jsonl
  const f = readdirSync(d).find((n) => n.startsWith('cn-hangzhou__cri-demo1234__team__app__') && n.endsWith('.jsonl'));
  return f ? readFileSync(join(d, f), 'utf8') : '';
}

describe('provision (spawned CLI, emulator)', () => {
  test('--plan-only: golden text, JSON plan, zero writes; a saved plan applies only while fresh', async () => {
    const s = await setup(demoWorld());
    const text = await runCli(['provision', '-c', s.config, '--plan-only'], { cwd: s.dir, env: s.env });
    assert.equal(text.code, 0, text.stderr);
    const golden = join(ROOT, 'fixtures', 'golden', 'plan-cli-demo.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text.stdout);
    assert.ok(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1`);
    assert.equal(text.stdout, readFileSync(golden, 'utf8'), 'plan-cli-demo.txt differs (UPDATE_GOLDEN=1 to accept)');
    const json = await runCli(['provision', '-c', s.config, '--plan-only', '--format', 'json'], { cwd: s.dir, env: s.env });
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout);
    assert.equal(plan.kind, 'acr-preflight-plan');
    assert.match(plan.fingerprint, /^sha256:[0-9a-f]{64}$/);
    assert.ok(!json.stdout.includes(DEMO_GITLAB_TOKEN));
    assert.deepEqual(s.writes(), []);

    const saved = join(s.dir, 'plan.json');
    writeFileSync(saved, json.stdout);
    // the state changes: a build rule appears
    await (await import('../helpers/emulator.js')).rpcCaller(s.em).then((c) => c('cr', 'CreateRepoBuildRule', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest' }));
    const n = s.writes().length;
    const stale = await runCli(['provision', '-c', s.config, '--plan', saved, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(stale.code, 1, stale.stderr);
    assert.match(stale.stderr, /the plan no longer matches .*buildRules:  → crbr-\w+=GIT_BRANCH:main:latest; nothing was written/);
    assert.equal(s.writes().length, n, 'a stale plan writes nothing');
  });

  test('a saved plan runs only what was reviewed: a config change to a planned call is refused; console progress is not', async () => {
    const s = await setup(demoWorld(unlink));
    const made = await runCli(['provision', '-c', s.config, '--plan-only', '--format', 'json'], { cwd: s.dir, env: s.env });
    assert.equal(made.code, 0, made.stderr);
    const saved = join(s.dir, 'plan.json');
    writeFileSync(saved, made.stdout);
    // the reviewed plan creates the rule with Dockerfile; the config now says Dockerfile.evil
    const edited = readFileSync(s.config, 'utf8').replace(/dockerfileName: Dockerfile\b/, 'dockerfileName: Dockerfile.evil');
    assert.notEqual(edited, readFileSync(s.config, 'utf8'), 'the fixture config names its Dockerfile');
    const evil = join(s.dir, 'evil.yaml');
    writeFileSync(evil, edited);
    const refused = await runCli(['provision', '-c', evil, '--plan', saved, '--yes', '--wait-timeout', '20'], { cwd: s.dir, env: s.env });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /the plan no longer matches .*step build-rule:GIT_BRANCH:main:latest: .*DockerfileName=Dockerfile → .*DockerfileName=Dockerfile\.evil/);
    assert.deepEqual(s.writes(), []);
    // the person does "Manage Link" after reviewing the plan: the saved plan still applies
    const link = await control(s.em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' });
    assert.equal(link.status, 200);
    const bind = await control(s.em, 'console/bind', { endpoint: 'https://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo', instanceId: 'cri-demo1234' });
    assert.equal(bind.status, 200, JSON.stringify(bind.body));
    const ok = await runCli(['provision', '-c', s.config, '--plan', saved, '--yes', '--wait-timeout', '20'], { cwd: s.dir, env: s.env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /ok found: security group sg-\w+, ENI eni-\w+/);
    assert.doesNotMatch(ok.stderr, /Create the build link/, 'no console prompt for a step already done');
    assert.deepEqual(s.writes(), ['CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']);
  });

  test('happy path: one rule, one build, the log streamed, exit 0; the rerun creates nothing', async () => {
    const s = await setup(demoWorld());
    const r = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(s.writes(), ['CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']);
    assert.match(r.stderr, /\[GIT_CLONE\]/);
    assert.match(r.stderr, /\[IMAGE_PUSH\]/);
    assert.match(r.stderr, /build success/);
    assert.match(r.stdout, /Provision succeeded: done: team\/app:latest SUCCESS/);
    assert.ok(!r.stdout.includes(DEMO_GITLAB_TOKEN) && !r.stderr.includes(DEMO_GITLAB_TOKEN));

    const again = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(s.writes().length, 3, 'no second CreateRepoSourceCodeRepo / CreateRepoBuildRule / build');
    assert.match(again.stdout, /Everything is in place/);
  });

  test('the gate refuses a failing world with zero write calls', async () => {
    const s = await setup('ecs-sg-partial', 'ecs-sg-partial');
    const r = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /provision refused: the checks fail \(.*sg-ingress fail/);
    assert.deepEqual(s.writes(), []);
    assert.ok(s.em.audit().length > 0, 'it did read');
  });

  test('non-interactive without --yes: exit 2 with the hint, zero writes', async () => {
    const s = await setup(demoWorld());
    const r = await runCli(['provision', '-c', s.config], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not interactive.*--yes/);
    assert.deepEqual(s.writes(), []);
    // --format json: a document on stdout for this outcome too, not an empty stdout
    const j = await runCli(['provision', '-c', s.config, '--format', 'json'], { cwd: s.dir, env: s.env });
    assert.equal(j.code, 2);
    const doc = JSON.parse(j.stdout);
    // exit 2: the error document every command writes with --format json
    assert.deepEqual([doc.verdict, doc.exitCode], ['error', 2]);
    assert.match(doc.error.hint, /--yes/);
  });

  test('non-interactive with the link missing: exit 1 with the console values, unless --wait-timeout', async () => {
    const s = await setup(demoWorld(unlink));
    const r = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Manage Link/);
    assert.match(r.stderr, /GitLab private IP\s+192\.168\.1\.10/);
    assert.deepEqual(s.writes(), []);
  });

  test('guided link and bind completed mid-wait through the console endpoints', async () => {
    const s = await setup(demoWorld(unlink));
    const p = spawnCli(['provision', '-c', s.config, '--yes', '--wait-timeout', '30'], { cwd: s.dir, env: s.env });
    await p.until(() => /waiting for the console step/.test(p.err()) && /not linked yet/.test(p.err()), 'the link prompt');
    assert.match(p.err(), /vsw-bp1build/);
    // provision's own words for an absent link, not the rule's advice to run provision
    assert.match(p.err(), /not linked yet: no ACR-managed security group in vpc-bp1demo so far/);
    assert.doesNotMatch(p.err(), /`acr-preflight provision` will/);
    assert.equal((await control(s.em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' })).status, 200);
    await p.until(() => /Bind Account/.test(p.err()) && /waiting for "Bind Account"/.test(p.err()), 'the bind prompt');
    assert.match(p.err(), /GITLAB_TOKEN/);
    assert.ok(!p.err().includes(DEMO_GITLAB_TOKEN), 'the token is never printed');
    const b = await control(s.em, 'console/bind', { endpoint: 'https://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo', instanceId: 'cri-demo1234' });
    assert.equal(b.status, 200);
    const { code } = await p.done;
    assert.equal(code, 0, p.err());
    assert.match(p.err(), /link verified/);
    assert.match(p.err(), /account and binding verified/);
    assert.equal(s.writes().filter((a) => a === 'CreateBuildRecordByRule').length, 1);
  });

  test('kill -9 right after the build was triggered, then --resume: no second build, the build\'s outcome', async () => {
    const s = await setup(demoWorld((r) => (r.cr.builds.durationMs = 4000)));
    const p = spawnCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    await p.until(() => /"type":"end"[^\n]*"op":"trigger-build"/.test(journalOf(s.dir)), 'the trigger-build end line');
    p.child.kill('SIGKILL');
    const { signal } = await p.done;
    assert.equal(signal, 'SIGKILL');
    assert.equal(s.writes().filter((a) => a === 'CreateBuildRecordByRule').length, 1);

    const plain = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(plain.code, 2, plain.stderr);
    assert.match(plain.stderr, /pending operation.*--resume/);

    const r = await runCli(['provision', '-c', s.config, '--yes', '--resume'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(s.writes().filter((a) => a === 'CreateBuildRecordByRule').length, 1, 'no second build');
    assert.match(r.stdout, /SUCCESS/);
    assert.match(r.stderr, /re-attaching to build/);
  });

  test('a GIT_CLONE failure shows the network rules next to the log; exit 1', async () => {
    const s = await setup(demoWorld((r) => Object.assign(r.cr.builds, { outcome: 'FAILED', failStage: 'GIT_CLONE' })));
    const r = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\[GIT_CLONE\]/);
    assert.match(r.stderr, /re-running the network checks/);
    assert.match(r.stderr, /sg-ingress: pass/);
    assert.match(r.stdout, /FAILED/);
  });

  test('--timeout cancels the build with CancelRepoBuildRecord; exit 1', async () => {
    const s = await setup(demoWorld((r) => (r.cr.builds.durationMs = 60_000)));
    const r = await runCli(['provision', '-c', s.config, '--yes', '--timeout', '2', '--format', 'json'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(s.writes().includes('CancelRepoBuildRecord'));
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, false);
    assert.equal(out.error.code, 'ERR_BUILD_TIMEOUT');
    assert.equal(out.builds[0].status, 'CANCELED');
    assert.ok(out.steps.some((x: any) => x.state === 'failed'));
  });
});
