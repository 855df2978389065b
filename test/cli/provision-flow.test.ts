// Provision that says one thing at a time (spawned CLI, emulator): a run without a terminal decides
// up front that a console step ends it, and says why once; --fix --yes does not claim nothing will
// be written; --resume with no journal says so; the journal is keyed to the account and the cloud
// endpoint and is not trusted about resources that no longer exist.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, DEMO_STS, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

const WRITES = /^(Create|Update|Delete|Cancel|Authorize|Revoke|Modify)/;
const emulators: EmulatorHandle[] = [];
const dirs: string[] = [];
after(async () => {
  for (const em of emulators) await em.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function env(home: string, creds: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = DEMO_KEY): NodeJS.ProcessEnv {
  return {
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
    ALIBABA_CLOUD_ACCESS_KEY_ID: creds.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: creds.accessKeySecret,
    ...(creds.securityToken ? { ALIBABA_CLOUD_SECURITY_TOKEN: creds.securityToken } : {}),
    ACR_PREFLIGHT_LOOPBACK_ONLY: '1',
    HOME: home,
    CI: '',
  };
}

function world(name: string, edit: (r: Record<string, any>) => void = () => {}): Record<string, any> {
  const w = loadFixtureWorld(name);
  w.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 800, pendingMs: 100 };
  edit(w.regions['cn-hangzhou']);
  return w;
}

async function setup(w: Record<string, any>, configName = 'demo', dir?: string, ports?: { port: number; gitlabPort: number }) {
  const em = await startTestEmulator(w, ports ?? {});
  emulators.push(em);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'acrp-prov-flow-'));
    dirs.push(dir);
  }
  const config = prepareConfig(configName, em, dir);
  // a loaded machine must not turn the gate into "undecided" (the GitLab probes' default is 5 s)
  const cfg = parse(readFileSync(config, 'utf8')) as Record<string, any>;
  cfg.probe = { ...(cfg.probe ?? {}), timeoutMs: 30_000 };
  writeFileSync(config, stringify(cfg));
  const writes = () => em.audit().filter((a) => WRITES.test(a.action)).map((a) => a.action);
  return { em, dir, config, writes, env: env(dir) };
}

const count = (text: string, s: string) => text.split(s).length - 1;

describe('provision says one thing at a time', () => {
  test('no terminal, link missing: decided up front, one line, no wait, no write', async () => {
    const s = await setup(
      world('demo', (r) => {
        r.securityGroups = r.securityGroups.filter((g: any) => !g.ServiceManaged);
        r.networkInterfaces = [];
        r.cr.codeSources = [];
      }),
    );
    const t0 = Date.now();
    const r = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(Date.now() - t0 < 60_000);
    assert.match(r.stdout, /Applying the steps above now \(--yes\)\. This run has no terminal to wait on: it stops at step link/);
    assert.doesNotMatch(r.stdout + r.stderr, /Waiting until/);
    assert.doesNotMatch(r.stdout, /Nothing has been written yet/);
    const all = r.stdout + r.stderr;
    assert.equal(count(all, 'is needed in the ACR console'), 1, all);
    assert.match(all, /"Manage Link" is needed in the ACR console .* provision --yes --resume .*--wait-timeout/);
    // the values to enter, once
    assert.equal(count(all, 'GitLab private IP  192.168.1.10'), 1, all);
    assert.deepEqual(s.writes(), []);
  });

  test('no terminal, no GitLab account bound: the bind step stops at once, the reason printed once', async () => {
    const s = await setup(world('demo', (r) => (r.cr.codeSources = [])));
    const r = await runCli(['provision', '-c', s.config, '--yes'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 1, r.stderr);
    const all = r.stdout + r.stderr;
    assert.doesNotMatch(all, /Waiting until the binding succeeds/);
    assert.equal(count(all, 'SOURCE_CODE_ACCOUNT_NOT_BOUND'), 1, all);
    assert.equal(count(all, '"Bind Account" is needed in the ACR console'), 1, all);
    assert.match(r.stdout, /bind\s+FAILED\s+needs the console step shown above/);
    assert.ok(all.length < 9000, `${all.length} characters`);
  });

  test('--fix --yes says it applies now, then applies the fix', async () => {
    // the demo world without the ingress rule for ACR's build range: sg-ingress fails, fixably
    const s = await setup(
      world('demo', (r) => {
        const g = r.securityGroups.find((x: any) => x.SecurityGroupId === 'sg-bp1gitlab');
        g.Permissions = g.Permissions.filter((p: any) => p.SourceCidrIp !== '100.104.0.0/16');
      }),
    );
    const r = await runCli(['provision', '-c', s.config, '--yes', '--fix'], { cwd: s.dir, env: s.env });
    assert.doesNotMatch(r.stdout, /Nothing has been written yet/);
    assert.match(r.stdout, /Applying the steps above now \(--yes\)/);
    assert.ok(s.writes().includes('AuthorizeSecurityGroup'), `writes: ${s.writes().join(', ')}; ${r.stderr}`);
    // without --yes the plan says what is true then
    const plan = await runCli(['provision', '-c', s.config, '--plan-only'], { cwd: s.dir, env: s.env });
    assert.doesNotMatch(plan.stdout, /Nothing has been written yet|Applying/);
  });

  test('--resume with no journal says so in one line and provisions from the current state', async () => {
    const s = await setup(world('demo'));
    const r = await runCli(['provision', '-c', s.config, '--yes', '--resume'], { cwd: s.dir, env: s.env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => /--resume/.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /no journal for this target and account here \(.*\.acr-preflight\/.*\.jsonl\): nothing to resume/);
    const again = await runCli(['provision', '-c', s.config, '--yes', '--resume'], { cwd: s.dir, env: s.env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /--resume: nothing is pending in /);
  });

  test('the journal is keyed to account and endpoint, and not trusted about resources that are gone', async () => {
    const first = await setup(world('demo'));
    const built = await runCli(['provision', '-c', first.config, '--yes'], { cwd: first.dir, env: first.env });
    assert.equal(built.code, 0, built.stderr);
    const again = await runCli(['provision', '-c', first.config, '--plan-only'], { cwd: first.dir, env: first.env });
    assert.match(again.stdout, /built already by provision: .* SUCCESS/);
    // another account (the STS identity of the same world): its own journal, so no "built already"
    const other = await runCli(['provision', '-c', first.config, '--plan-only'], { cwd: first.dir, env: env(first.dir, DEMO_STS) });
    assert.equal(other.code, 0, other.stderr);
    assert.doesNotMatch(other.stdout, /built already|ended SUCCESS/);
    assert.equal(readdirSync(join(first.dir, '.acr-preflight')).length, 1, 'a plan-only run writes no journal');
    // the world changed under the same endpoint: the build rule the journal names is gone
    const url = new URL(first.em.cloudUrl);
    const gitlabPort = first.em.gitlabPort;
    await first.em.stop();
    emulators.splice(emulators.indexOf(first.em), 1);
    const second = await setup(world('demo'), 'demo', first.dir, { port: Number(url.port), gitlabPort });
    const plan = await runCli(['provision', '-c', second.config, '--plan-only'], { cwd: second.dir, env: second.env });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /no build rule with this push type/);
    assert.doesNotMatch(plan.stdout, /built already|the last build of this rule .* ended SUCCESS/);
    assert.match(plan.stdout, /note: the journal .* has \d+ operation\(s\) about resources that are gone \(build rule crbr-\w+ no longer exists\): ignored/);
  });
});
