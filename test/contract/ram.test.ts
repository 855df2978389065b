// RAM as data: the tool's action table against the emulator's own reading of the reference pages,
// and end to end against an emulator that enforces the caller's policy. A policy that is exactly
// `acr-preflight policy` passes `check` with no `error`; exactly `policy --provision` runs provision
// through link, bind and build with the whole log; without any one of its actions the rule or step
// that needs it ends in `error` naming that RAM action (one emulator per scenario, the policy swapped
// through PUT /__emulator/ram, the CLI run in-process for the per-action cases).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ACTIONS, minimalPolicy } from '../../src/cloud/actions.js';
import { PRODUCTS as SERVED } from '../../src/emulator/cloud-server.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { RAM_ACTIONS } from '../../src/emulator/ram-actions.js';
import { runCli } from '../helpers/cli.js';
import { control, DEMO_GITLAB_TOKEN, loadFixtureWorld, prepareConfig, rpcCaller, startTestEmulator } from '../helpers/emulator.js';
import { demoEnv, runInProcess } from './in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-ram-'));
const emulators: EmulatorHandle[] = [];
after(async () => {
  for (const em of emulators) await em.stop();
  rmSync(dir, { recursive: true, force: true });
});
const env = demoEnv(dir);
async function stopEm(em: EmulatorHandle): Promise<void> {
  emulators.splice(emulators.indexOf(em), 1);
  await em.stop();
}
type Policy = ReturnType<typeof minimalPolicy>;
const without = (p: Policy, ram: string): Policy => ({ ...p, Statement: p.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== ram) })) });
const setRam = async (em: EmulatorHandle, doc: unknown) => assert.equal((await fetch(`${em.cloudUrl}/__emulator/ram`, { method: 'PUT', body: JSON.stringify(doc) })).status, 200);

test("the tool's action table and the emulator's reading of the reference pages agree", () => {
  const differences: string[] = [];
  for (const a of ACTIONS) {
    const e = RAM_ACTIONS[`${a.product}:${a.action}`];
    if (!e) differences.push(`${a.product}:${a.action}: the tool calls it, the emulator's map lacks it`);
    else if (e.ram !== a.ram) differences.push(`${a.product}:${a.action}: the tool says ${a.ram}, the emulator ${e.ram}`);
    assert.match(a.source, /^https:\/\/(www\.alibabacloud\.com|help\.aliyun\.com)\//, `${a.action} cites its page`);
  }
  assert.deepEqual(differences, []);
  const served = SERVED.flatMap((s) => Object.keys(s.actions).map((x) => `${s.product}:${x}`));
  assert.deepEqual(served.filter((k) => !RAM_ACTIONS[k]), [], 'every served action has its RAM action');
});

test('a refusal is the documented error: cr 403 NoPrivilege, ECS/VPC/SLB 403 Forbidden.RAM', async () => {
  const w = loadFixtureWorld('demo');
  w.ram = ['ecs:DescribeInstances', 'cr:GetInstance'];
  const em = await startTestEmulator(w);
  emulators.push(em);
  const rpc = await rpcCaller(em);
  assert.equal((await rpc('ecs', 'DescribeInstances', { RegionId: 'cn-hangzhou' })).Instances.Instance.length > 0, true);
  assert.equal((await rpc('cr', 'GetInstance', { InstanceId: 'cri-demo1234' })).IsSuccess, true);
  const refused = async (product: string, action: string, params: Record<string, unknown>) => {
    try {
      await rpc(product, action, params);
    } catch (err) {
      return [(err as { statusCode?: number }).statusCode, (err as { code?: string }).code];
    }
    return 'allowed';
  };
  assert.deepEqual(await refused('cr', 'GetRepoSourceCodeRepo', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01' }), [403, 'NoPrivilege']);
  assert.deepEqual(await refused('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  assert.deepEqual(await refused('vpc', 'DescribeVSwitches', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  assert.deepEqual(await refused('slb', 'DescribeLoadBalancers', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  // a policy document with a Deny and wildcards
  await setRam(em, { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*'], Resource: '*' }, { Effect: 'Deny', Action: 'ecs:DescribeInstances', Resource: '*' }] });
  assert.deepEqual(await refused('ecs', 'DescribeInstances', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  assert.equal(await refused('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou' }), 'allowed');
});

interface Scenario {
  name: string;
  world: () => Record<string, any>;
  config: string;
  edit?: (c: Record<string, any>) => void;
  /** console steps through the emulator's control endpoints */
  console?: boolean;
  /** run a whole provision first (with the whole policy), then leave a build trigger pending for --resume */
  resumeAfterTrigger?: boolean;
  args: string[];
}

function fastBuilds(w: Record<string, any>, durationMs = 800): Record<string, any> {
  w.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs, pendingMs: 100 };
  return w;
}
const fresh = (c: Record<string, any>) => {
  c.acr.namespace = 'contract';
  c.acr.repository = 'fresh';
};

const CHECKS: Scenario[] = [
  { name: 'ecs', world: () => loadFixtureWorld('demo'), config: 'demo', args: ['check', '--format', 'json'] },
  { name: 'slb', world: () => loadFixtureWorld('slb-healthy'), config: 'slb-healthy', args: ['check', '--format', 'json'] },
  { name: 'idc', world: () => loadFixtureWorld('idc-healthy'), config: 'idc-healthy', args: ['check', '--format', 'json'] },
];

const PROVISIONS: Scenario[] = [
  { name: 'from nothing', world: () => fastBuilds(loadFixtureWorld('ecs-healthy-unlinked')), config: 'ecs-healthy-unlinked', edit: fresh, console: true, args: ['provision', '--yes', '--wait-timeout', '20'] },
  {
    name: 'rebind',
    world: () => {
      const w = fastBuilds(loadFixtureWorld('demo'));
      w.regions['cn-hangzhou'].cr.sourceCodeRepos = [{ InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', CodeRepoType: 'GITLAB', CodeRepoNamespaceName: 'group', CodeRepoName: 'secret', AutoBuild: false, OverseaBuild: false, DisableCacheBuild: false }];
      return w;
    },
    config: 'demo',
    args: ['provision', '--yes', '--wait-timeout', '20'],
  },
  { name: 'timeout', world: () => fastBuilds(loadFixtureWorld('demo'), 600_000), config: 'demo', args: ['provision', '--yes', '--wait-timeout', '20', '--timeout', '2'] },
  {
    name: 'fix',
    world: () => {
      const w = fastBuilds(loadFixtureWorld('demo'));
      const sg = w.regions['cn-hangzhou'].securityGroups.find((s: any) => s.SecurityGroupId === 'sg-bp1gitlab');
      sg.Permissions = sg.Permissions.filter((p: any) => p.SourceCidrIp !== '100.104.0.0/16');
      return w;
    },
    config: 'demo',
    args: ['provision', '--yes', '--fix', '--wait-timeout', '20'],
  },
  { name: 'resume', world: () => fastBuilds(loadFixtureWorld('demo')), config: 'demo', resumeAfterTrigger: true, args: ['provision', '--yes', '--resume', '--wait-timeout', '20'] },
];

async function setup(s: Scenario, ram: unknown): Promise<{ em: EmulatorHandle; cfg: string; cwd: string }> {
  const w = s.world();
  w.ram = ram;
  const em = await startTestEmulator(w);
  emulators.push(em);
  const cwd = mkdtempSync(join(dir, `${s.name.replace(/\W/g, '-')}-`));
  const cfg = prepareConfig(s.config, em, cwd);
  const c = parse(readFileSync(cfg, 'utf8')) as Record<string, any>;
  s.edit?.(c);
  // cases run side by side on a shared machine: a slow GitLab probe must not read as a refusal
  c.probe = { ...(c.probe ?? {}), timeoutMs: 20_000 };
  writeFileSync(cfg, stringify(c));
  if (s.console) {
    assert.equal((await control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' })).status, 200);
    assert.equal((await control(em, 'console/bind', { endpoint: 'https://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo', instanceId: 'cri-demo1234' })).status, 200);
  }
  if (s.resumeAfterTrigger) {
    await setRam(em, minimalPolicy({ provision: true }));
    const first = await runInProcess(['provision', '--yes', '--wait-timeout', '20', '-c', cfg], { env, cwd });
    assert.equal(first.code, 0, first.stderr);
    // an interrupted run: the trigger's begin line without its end
    const jdir = join(cwd, '.acr-preflight');
    const file = join(jdir, readdirSync(jdir).find((f) => f.endsWith('.jsonl'))!);
    const begin = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'begin' && e.op === 'trigger-build');
    appendFileSync(file, JSON.stringify({ ...begin, id: 'interrupted:1', run: 'interrupted', at: new Date().toISOString() }) + '\n');
    await setRam(em, ram);
  }
  return { em, cfg, cwd };
}

test('spawned CLI: a world whose policy is exactly `acr-preflight policy` passes check with no error', async () => {
  const policy = JSON.parse((await runCli(['policy'])).stdout) as Policy;
  for (const s of CHECKS) {
    const { em, cfg, cwd } = await setup(s, policy);
    const r = await runCli([...s.args, '-c', cfg], { cwd, env });
    const report = JSON.parse(r.stdout) as { results: { ruleId: string; status: string; message: string }[] };
    assert.deepEqual(report.results.filter((x) => x.status === 'error').map((x) => `${x.ruleId}: ${x.message}`), [], s.name);
    assert.deepEqual(em.audit().filter((a) => a.status === 403), [], `${s.name}: nothing refused`);
  }
});

test('spawned CLI: exactly `policy --provision` provisions through link, bind and build with the whole log', async () => {
  const policy = JSON.parse((await runCli(['policy', '--provision'])).stdout) as Policy;
  const s = PROVISIONS[0]!;
  const { em, cfg, cwd } = await setup(s, policy);
  const r = await runCli([...s.args, '-c', cfg], { cwd, env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(em.audit().filter((a) => a.status === 403), []);
  const logLines = em.state.region('cn-hangzhou').cr.buildRecords[0]!.lines.map((l) => l.Message);
  assert.ok(logLines.length > 0);
  const out = r.stdout + r.stderr;
  for (const line of logLines) assert.ok(out.includes(line), `the log line "${line}" is shown`);
});

/** run fn over items, at most n at a time (the cases wait on builds and polls more than they compute) */
async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/** which RAM actions each scenario's run calls, with the whole policy */
async function calledBy(scenarios: Scenario[], policy: Policy, ok: (s: Scenario, code: number) => boolean): Promise<Map<string, Scenario[]>> {
  const by = new Map<string, Scenario[]>();
  await pool(scenarios, 3, async (s) => {
    const { em, cfg, cwd } = await setup(s, policy);
    const r = await runInProcess([...s.args, '-c', cfg], { env, cwd });
    assert.ok(ok(s, r.code), `${s.name}: exit ${r.code}: ${r.stderr}`);
    for (const a of em.audit()) {
      const ram = ACTIONS.find((y) => y.product === a.product && y.action === a.action)?.ram;
      if (!ram) continue;
      const list = by.get(ram) ?? [];
      if (!list.includes(s)) list.push(s);
      by.set(ram, list);
    }
    await stopEm(em);
  });
  return by;
}

test('without any one action of `policy`, the rule that needs it ends in error naming the RAM action', async () => {
  const policy = minimalPolicy({ provision: false });
  const checks = CHECKS.map((s) => ({ ...s, args: [...s.args, '--no-probes'] }));
  const by = await calledBy(checks, policy, (_s, code) => [0, 1].includes(code));
  const missing = await pool(policy.Statement.flatMap((s) => s.Action), 3, async (ram): Promise<string | undefined> => {
    // the scenarios whose path needs it (the SLB reads matter on the SLB path, the BGP reads on the IDC path)
    const callers = by.get(ram) ?? [];
    if (!callers.length) return `${ram}: no check scenario calls it`;
    const seen: string[] = [];
    for (const s of callers) {
      const { em, cfg, cwd } = await setup(s, without(policy, ram));
      const r = await runInProcess([...s.args, '-c', cfg], { env, cwd });
      await stopEm(em);
      const report = JSON.parse(r.stdout) as { results: { ruleId: string; status: string; message: string }[] };
      if (report.results.some((x) => x.status === 'error' && x.message.includes(ram))) return undefined;
      seen.push(`${s.name}: ${report.results.map((x) => `${x.ruleId}=${x.status}`).join(' ')}`);
    }
    return `${ram}: no rule ended in error naming it (${seen.join('; ')})`;
  });
  assert.deepEqual(missing.filter(Boolean), []);
});

test('without any one action of `policy --provision`, the step that needs it ends in error naming the RAM action', async () => {
  const policy = minimalPolicy({ provision: true });
  const checkOnly = new Set(minimalPolicy({ provision: false }).Statement.flatMap((s) => s.Action));
  const provisionOnly = policy.Statement.flatMap((s) => s.Action).filter((a) => !checkOnly.has(a));
  const by = await calledBy(PROVISIONS, policy, (s, code) => s.name === 'timeout' || code === 0);
  const missing = await pool(provisionOnly, 3, async (ram): Promise<string | undefined> => {
    const s = by.get(ram)?.[0];
    if (!s) return `${ram}: no provision scenario calls it`;
    const { em, cfg, cwd } = await setup(s, without(policy, ram));
    const r = await runInProcess([...s.args, '-c', cfg], { env, cwd });
    await stopEm(em);
    const out = r.stdout + r.stderr;
    return r.code !== 0 && out.includes(ram) ? undefined : `${ram} (${s.name}): exit ${r.code}, ${out.trim().split('\n').slice(-3).join(' | ')}`;
  });
  assert.deepEqual(missing.filter(Boolean), []);
});
