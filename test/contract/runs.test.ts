// Contract (b) and (c) over real runs: `check` on every fixture world, `provision` through link,
// bind and build, and `provision --fix`, in-process against the emulator with the real SDK runtime.
// (b) every field a collector or provision step reads of an answer is in the official model;
// (c) every request parameter sent (the emulator's audit) is in the request model and not deprecated.
// Each answer seen is also held against the model (a), writes included.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { AuditEntry } from '../../src/emulator/index.js';
import { CONFIGS_DIR, control, DEMO_GITLAB_TOKEN, loadFixtureWorld, prepareConfig, rpcCaller, startTestEmulator } from '../helpers/emulator.js';
import { readProblem, recordReads, requestProblems, responseProblems } from './model.js';
import { demoEnv, recordCloudApis, runInProcess, type Recording } from './in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = demoEnv(dir);

export function readProblems(rec: Pick<Recording, 'reads'>): string[] {
  const out: string[] = [];
  for (const [key, paths] of rec.reads) {
    const [product, action] = key.split(':') as [string, string];
    for (const p of paths) {
      const why = readProblem(product, action, p);
      if (why) out.push(why);
    }
  }
  return [...new Set(out)].sort();
}

export function auditProblems(entries: AuditEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => requestProblems(e.product, e.action, e.params)))].sort();
}

const allReads = new Map<string, Set<string>>();
const allAudit: AuditEntry[] = [];
const allAnswers: Recording['answers'] = [];
const ran: string[] = [];

async function run(world: Record<string, any>, configName: string, argv: (cfg: string) => string[], opts: { edit?: (c: Record<string, any>) => void; before?: (em: Awaited<ReturnType<typeof startTestEmulator>>) => Promise<void> } = {}) {
  const em = await startTestEmulator(world);
  const rec = recordCloudApis();
  try {
    const sub = join(dir, `${ran.length}-${configName}`);
    const cfg = prepareConfig(configName, em, sub);
    const c = parse(readFileSync(cfg, 'utf8')) as Record<string, any>;
    opts.edit?.(c);
    // a loaded machine must not turn a slow GitLab probe into a refused provision
    c.probe = { ...(c.probe ?? {}), timeoutMs: 20_000 };
    writeFileSync(cfg, stringify(c));
    await opts.before?.(em);
    const r = await runInProcess(argv(cfg), { env, cwd: sub });
    ran.push(`${configName}: ${argv('cfg').join(' ')} → ${r.code}`);
    for (const [k, s] of rec.reads) {
      const all = allReads.get(k) ?? new Set<string>();
      for (const p of s) all.add(p);
      allReads.set(k, all);
    }
    allAudit.push(...em.audit());
    allAnswers.push(...rec.answers);
    return { ...r, audit: em.audit() };
  } finally {
    rec.stop();
    await em.stop();
  }
}

const CONFIGS = readdirSync(CONFIGS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

test('check on every fixture world, provision through link, bind and build, and provision --fix', async () => {
  for (const name of CONFIGS) {
    const r = await run(loadFixtureWorld(name), name, (cfg) => ['check', '-c', cfg, '--no-probes', '--format', 'json']);
    assert.ok([0, 1, 3].includes(r.code), `${name}: check exit ${r.code}: ${r.stderr}`);
  }
  // provision from nothing: a namespace and repository of its own, the console steps done first
  const world = loadFixtureWorld('ecs-healthy-unlinked');
  world.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 800, pendingMs: 100 };
  const prov = await run(world, 'ecs-healthy-unlinked', (cfg) => ['provision', '-c', cfg, '--yes', '--wait-timeout', '20'], {
    edit: (c) => {
      c.acr.namespace = 'contract';
      c.acr.repository = 'fresh';
    },
    before: async (em) => {
      assert.equal((await control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' })).status, 200);
      assert.equal((await control(em, 'console/bind', { endpoint: 'https://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo', instanceId: 'cri-demo1234' })).status, 200);
    },
  });
  assert.equal(prov.code, 0, prov.stderr);
  const writes = prov.audit.filter((a) => /^(Create|Update|Cancel|Authorize)/.test(a.action)).map((a) => a.action);
  for (const w of ['CreateNamespace', 'CreateRepository', 'CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']) assert.ok(writes.includes(w), `${w} ran: ${writes.join(', ')}`);
  assert.ok(prov.audit.some((a) => a.action === 'ListRepoBuildRecordLog'), 'the build log was read');
  // the sg-ingress fix through provision --fix
  const open = loadFixtureWorld('demo');
  open.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 800, pendingMs: 100 };
  const sg = open.regions['cn-hangzhou'].securityGroups.find((s: any) => s.SecurityGroupId === 'sg-bp1gitlab');
  sg.Permissions = sg.Permissions.filter((p: any) => p.SourceCidrIp !== '100.104.0.0/16');
  const fix = await run(open, 'demo', (cfg) => ['provision', '-c', cfg, '--yes', '--fix', '--wait-timeout', '20']);
  assert.equal(fix.code, 0, fix.stderr);
  const auth = fix.audit.filter((a) => a.action === 'AuthorizeSecurityGroup');
  assert.ok(auth.length >= 1, `provision --fix called AuthorizeSecurityGroup (exit ${fix.code}): ${fix.stderr}`);
  assert.ok(auth.every((a) => Object.keys(a.params).some((k) => k.startsWith('Permissions.1.'))));

  // (b) reads
  assert.deepEqual(readProblems({ reads: allReads }), []);
  assert.ok((allReads.get('cr:GetInstance')?.size ?? 0) > 0 && (allReads.get('cr:ListRepoBuildRecordLog')?.size ?? 0) > 0, 'reads were recorded');
  // (c) requests
  assert.deepEqual(auditProblems(allAudit), []);
  // (a) the answers the runs saw, writes included
  assert.deepEqual([...new Set(allAnswers.flatMap((a) => responseProblems(a.product, a.action, a.body)))], []);
});

test('negative (b): a read of a field the model lacks is named', async () => {
  const em = await startTestEmulator(loadFixtureWorld('slb-healthy'));
  try {
    const rpc = await rpcCaller(em);
    const reads = new Map<string, Set<string>>([['slb:DescribeHealthStatus', new Set()]]);
    const body = recordReads(await rpc('slb', 'DescribeHealthStatus', { RegionId: 'cn-hangzhou', LoadBalancerId: em.world.regions['cn-hangzhou']!.loadBalancers[0]!.LoadBalancerId }), reads.get('slb:DescribeHealthStatus')!);
    // what a collector finding a backend's vSwitch by the undocumented EniHost would do
    const hosts = (body.BackendServers.BackendServer as Record<string, any>[]).map((b) => [b.ServerId, b.EniHost]);
    assert.ok(hosts.length > 0);
    assert.deepEqual(readProblems({ reads }), ['slb:DescribeHealthStatus: the code reads BackendServers.BackendServer[].EniHost, which the model does not have']);
  } finally {
    await em.stop();
  }
});

test('negative (c): a deprecated or unknown request parameter is named', async () => {
  const em = await startTestEmulator(loadFixtureWorld('demo'));
  try {
    const rpc = await rpcCaller(em);
    await rpc('cr', 'CreateNamespace', { InstanceId: 'cri-demo1234', NamespaceName: 'planted', AutoCreateRepo: false, DefaultRepoType: 'PRIVATE' });
    await rpc('cr', 'GetInstance', { InstanceId: 'cri-demo1234', RegionId: 'cn-hangzhou' });
    await rpc('ecs', 'AuthorizeSecurityGroup', { RegionId: 'cn-hangzhou', SecurityGroupId: 'sg-bp1gitlab', IpProtocol: 'TCP', PortRange: '8443/8443', SourceCidrIp: '100.104.0.0/16', Policy: 'accept' });
    assert.deepEqual(auditProblems(em.audit()), [
      'cr:CreateNamespace: the request sends DefaultRepoType, which the model marks deprecated',
      'cr:GetInstance: the request sends RegionId, which the request model does not have',
      'ecs:AuthorizeSecurityGroup: the request sends IpProtocol, which the model marks deprecated',
      'ecs:AuthorizeSecurityGroup: the request sends Policy, which the model marks deprecated',
      'ecs:AuthorizeSecurityGroup: the request sends PortRange, which the model marks deprecated',
      'ecs:AuthorizeSecurityGroup: the request sends SourceCidrIp, which the model marks deprecated',
    ]);
  } finally {
    await em.stop();
  }
});
