// Shared by the RAM end-to-end tests (ram.test.ts: check; ram-provision.test.ts: provision): the
// scenarios, an emulator per case with the caller's RAM policy, and a small pool to run cases side by side.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ACTIONS, minimalPolicy } from '../../src/cloud/actions.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { control, DEMO_GITLAB_TOKEN, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { demoEnv, runInProcess } from './in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-ram-'));
export const emulators: EmulatorHandle[] = [];
after(async () => {
  for (const em of emulators) await em.stop();
  rmSync(dir, { recursive: true, force: true });
});
export const env = demoEnv(dir);
export async function stopEm(em: EmulatorHandle): Promise<void> {
  emulators.splice(emulators.indexOf(em), 1);
  await em.stop();
}
export type Policy = ReturnType<typeof minimalPolicy>;
export const without = (p: Policy, ram: string): Policy => ({ ...p, Statement: p.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== ram) })) });
export const setRam = async (em: EmulatorHandle, doc: unknown) => assert.equal((await fetch(`${em.cloudUrl}/__emulator/ram`, { method: 'PUT', body: JSON.stringify(doc) })).status, 200);

export interface Scenario {
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

export const CHECKS: Scenario[] = [
  { name: 'ecs', world: () => loadFixtureWorld('demo'), config: 'demo', args: ['check', '--format', 'json'] },
  { name: 'slb', world: () => loadFixtureWorld('slb-healthy'), config: 'slb-healthy', args: ['check', '--format', 'json'] },
  { name: 'idc', world: () => loadFixtureWorld('idc-healthy'), config: 'idc-healthy', args: ['check', '--format', 'json'] },
  // a misspelt VPC: vpc-vswitch lists the region's VPCs to name the nearest ids
  { name: 'vpc typo', world: () => loadFixtureWorld('demo'), config: 'demo', edit: (c) => { c.vpc.vpcId = 'vpc-bp1demx'; }, args: ['check', '--format', 'json'] },
];

export const PROVISIONS: Scenario[] = [
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
  // the other API calls of proven fixes (provision --fix applies only verified ones)
  {
    name: 'fix: a drop wins a priority tie',
    world: () => {
      const w = fastBuilds(loadFixtureWorld('demo'));
      const sg = w.regions['cn-hangzhou'].securityGroups.find((s: any) => s.SecurityGroupId === 'sg-bp1gitlab');
      sg.Permissions.push({ SecurityGroupRuleId: 'sgr-tie-drop', Direction: 'ingress', Policy: 'drop', Priority: 1, IpProtocol: 'TCP', PortRange: '443/443', SourceCidrIp: '100.104.64.0/18' });
      return w;
    },
    config: 'demo',
    args: ['provision', '--yes', '--fix', '--wait-timeout', '20'],
  },
  { name: 'fix: the network ACL drops the reply', world: () => fastBuilds(loadFixtureWorld('ecs-nacl-reply-blocked')), config: 'ecs-nacl-reply-blocked', console: true, args: ['provision', '--yes', '--fix', '--wait-timeout', '20'] },
  { name: 'fix: the SLB whitelist misses the range', world: () => fastBuilds(loadFixtureWorld('slb-acl-white-missing')), config: 'slb-acl-white-missing', console: true, args: ['provision', '--yes', '--fix', '--wait-timeout', '20'] },
  {
    name: 'fix: an SLB blacklist blocks part of the range',
    world: () => {
      const w = fastBuilds(loadFixtureWorld('slb-healthy'));
      const r = w.regions['cn-hangzhou'];
      r.accessControlLists = [...(r.accessControlLists ?? []), { AclId: 'acl-contract-black', AclEntrys: [{ AclEntryIP: '100.104.7.0/24' }] }];
      for (const lb of r.loadBalancers) for (const l of lb.Listeners) Object.assign(l, { AclStatus: 'on', AclType: 'black', AclId: 'acl-contract-black' });
      return w;
    },
    config: 'slb-healthy',
    console: true,
    args: ['provision', '--yes', '--fix', '--wait-timeout', '20'],
  },
];

export async function setup(s: Scenario, ram: unknown): Promise<{ em: EmulatorHandle; cfg: string; cwd: string }> {
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


/** run fn over items, at most n at a time (the cases wait on builds and polls more than they compute) */
export async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
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
export async function calledBy(scenarios: Scenario[], policy: Policy, ok: (s: Scenario, code: number) => boolean): Promise<Map<string, Scenario[]>> {
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

