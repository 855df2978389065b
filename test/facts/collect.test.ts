// Targeted collection in-process against the emulator (real SDK runtime, verified signatures): the
// number of calls does not grow with the account, a GitLab on a secondary ENI is found, permission
// errors name the RAM action, and the deadline turns slow calls into timeout facts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createCloudApi } from '../../src/cloud/client.js';
import { credentialsFor } from '../../src/cloud/credentials.js';
import { loadConfig } from '../../src/config/load.js';
import { collectFacts } from '../../src/facts/collect.js';
import type { Facts } from '../../src/facts/types.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-collect-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret, ACR_PREFLIGHT_LOOPBACK_ONLY: '1' };
let n = 0;

async function collect(configName: string, world: Record<string, any>, opts: { noProbes?: boolean; deadlineMs?: number } = {}): Promise<{ facts: Facts; calls: { product: string; action: string }[]; ms: number }> {
  const em = await startTestEmulator(world);
  try {
    const cfg = prepareConfig(configName, em, join(dir, String(++n)));
    const loaded = loadConfig({ file: cfg, env, cwd: dir });
    const api = await createCloudApi({ region: loaded.config.region, endpoint: em.cloudUrl, credentials: credentialsFor({ env }), env, seed: 1 });
    const calls: { product: string; action: string }[] = [];
    const t0 = Date.now();
    const facts = await collectFacts(loaded, {
      api,
      env,
      noProbes: opts.noProbes ?? true,
      ...(opts.deadlineMs ? { signal: AbortSignal.timeout(opts.deadlineMs) } : {}),
      onCall: (c) => calls.push({ product: c.product, action: c.action }),
    });
    return { facts, calls, ms: Date.now() - t0 };
  } finally {
    await em.stop();
  }
}

const tally = (calls: { product: string; action: string }[]) => {
  const m: Record<string, number> = {};
  for (const c of calls) m[`${c.product}:${c.action}`] = (m[`${c.product}:${c.action}`] ?? 0) + 1;
  return m;
};

test('the calls do not grow with the account: 600 instances, 600 groups, 40 VPCs, 100 SLBs more give the same calls', async () => {
  const small = await collect('demo', loadFixtureWorld('demo'));
  const big = loadFixtureWorld('demo');
  const r = big.regions['cn-hangzhou'];
  for (let v = 0; v < 40; v++) {
    r.vpcs.push({ VpcId: `vpc-other${v}`, CidrBlock: `10.${v}.0.0/16`, Status: 'Available' });
    r.vSwitches.push({ VSwitchId: `vsw-other${v}`, VpcId: `vpc-other${v}`, ZoneId: 'cn-hangzhou-h', CidrBlock: `10.${v}.1.0/24` });
  }
  for (let i = 0; i < 600; i++) {
    const sameVpc = i % 2 === 0;
    r.securityGroups.push({ SecurityGroupId: `sg-bulk${i}`, VpcId: sameVpc ? 'vpc-bp1demo' : `vpc-other${i % 40}`, SecurityGroupType: 'normal', Permissions: [{ Direction: 'ingress', Policy: 'accept', Priority: 1, IpProtocol: 'TCP', PortRange: '443/443', SourceCidrIp: '0.0.0.0/0' }] });
    r.instances.push({
      InstanceId: `i-bulk${i}`, ZoneId: 'cn-hangzhou-h', Status: 'Running',
      VpcAttributes: sameVpc ? { VpcId: 'vpc-bp1demo', VSwitchId: 'vsw-bp1gitlab', PrivateIpAddress: [`192.168.1.${(i % 200) + 20}`] } : { VpcId: `vpc-other${i % 40}`, VSwitchId: `vsw-other${i % 40}`, PrivateIpAddress: [`10.${i % 40}.1.${(i % 200) + 20}`] },
      SecurityGroupIds: [`sg-bulk${i}`],
    });
  }
  r.loadBalancers = Array.from({ length: 100 }, (_, i) => ({ LoadBalancerId: `lb-bulk${i}`, Address: `192.168.2.${i + 1}`, AddressType: 'intranet', VpcId: 'vpc-bp1demo', Listeners: [], BackendServers: [] }));
  const large = await collect('demo', big);
  assert.deepEqual(tally(large.calls), tally(small.calls));
  assert.equal(large.calls.length, small.calls.length);
  // the verdict-relevant facts are the same
  assert.deepEqual((large.facts.cloud.gitlabEnis as any).value, (small.facts.cloud.gitlabEnis as any).value);
  assert.deepEqual((large.facts.cloud.gitlabSecurityGroups as any).value.map((g: any) => g.securityGroupId), ['sg-bp1gitlab', 'sg-bp1base']);
});

test('GitLab on a secondary ENI: found by its address, with that ENI\'s security groups', async () => {
  const w = loadFixtureWorld('demo');
  const r = w.regions['cn-hangzhou'];
  r.instances[0].VpcAttributes.PrivateIpAddress = ['192.168.1.9'];
  r.networkInterfaces.push({ NetworkInterfaceId: 'eni-bp1gitlab2', Type: 'Secondary', Status: 'InUse', InstanceId: 'i-bp1gitlab', VpcId: 'vpc-bp1demo', VSwitchId: 'vsw-bp1gitlab', ZoneId: 'cn-hangzhou-h', PrivateIpAddress: '192.168.1.10', SecurityGroupIds: ['sg-bp1gitlab'] });
  const { facts } = await collect('demo', w);
  const enis = (facts.cloud.gitlabEnis as any).value;
  assert.equal(enis.length, 1);
  assert.equal(enis[0].networkInterfaceId, 'eni-bp1gitlab2');
  assert.deepEqual(enis[0].securityGroupIds, ['sg-bp1gitlab']);
  assert.deepEqual((facts.cloud.gitlabSecurityGroups as any).value.map((g: any) => g.securityGroupId), ['sg-bp1gitlab']);
  assert.equal((facts.cloud.gitlabVSwitch as any).value.vSwitchId, 'vsw-bp1gitlab');
  assert.equal((facts.cloud.prefixLists as any).value[0].prefixListId, 'pl-bp1office');
});

test('SLB path: ECS facts not applicable; an unreadable listener ACL names its RAM action', async () => {
  const ok = await collect('slb-acl-white-missing', loadFixtureWorld('slb-acl-white-missing'));
  assert.equal(ok.facts.cloud.gitlabSecurityGroups.state, 'unavailable');
  assert.equal((ok.facts.cloud.gitlabSecurityGroups as any).reason, 'not-applicable');
  const lb = (ok.facts.cloud.loadBalancers as any).value[0];
  assert.ok(lb.listeners.length >= 1 && lb.acls.length >= 1, JSON.stringify(lb));
  const w = loadFixtureWorld('slb-acl-white-missing');
  w.faults = { ...(w.faults ?? {}), deny: ['slb:DescribeAccessControlListAttribute'] };
  const denied = await collect('slb-acl-white-missing', w);
  const f = denied.facts.cloud.loadBalancers as any;
  assert.equal(f.state, 'unavailable');
  assert.equal(f.reason, 'forbidden');
  assert.equal(f.ramAction, 'slb:DescribeAccessControlListAttribute');
  assert.equal(f.code, 'Forbidden.RAM');
});

test('IDC path: VBR, its route entries and BGP read; the SSH router read is not configured', async () => {
  const { facts, calls } = await collect('idc-healthy', loadFixtureWorld('idc-healthy'));
  assert.equal(facts.cloud.vbr.state, 'ok');
  assert.ok((facts.cloud.vbrRouteEntries as any).value.some((e: any) => e.destinationCidrBlock === '100.104.0.0/16'));
  assert.equal(facts.cloud.bgpPeers.state, 'ok');
  assert.equal((facts.cloud.gitlabSecurityGroups as any).reason, 'not-applicable');
  assert.ok(calls.some((c) => c.action === 'DescribeRouteEntryList'));
  assert.deepEqual((facts.cloud.loadBalancers as any).value, []);
  assert.ok(!calls.some((c) => c.action === 'DescribePrefixListAttributes'), 'no ECS expansion on the IDC path');
});

test('the deadline: slow calls become timeout facts and collection ends on time', async () => {
  const w = loadFixtureWorld('demo');
  w.faults = { latencyMs: 4000 };
  const { facts, ms } = await collect('demo', w, { deadlineMs: 600 });
  assert.ok(ms < 3500, `took ${ms} ms`);
  for (const k of ['acrInstance', 'vpc', 'linkVSwitch', 'gitlabEnis'] as const) {
    const f = facts.cloud[k] as any;
    assert.equal(f.state, 'unavailable', k);
    assert.equal(f.reason, 'timeout', `${k}: ${f.message}`);
  }
});

test('--no-probes: GitLab and SSH facts are not-configured with the hint', async () => {
  const { facts } = await collect('demo', loadFixtureWorld('demo'), { noProbes: true });
  for (const f of [facts.gitlab.probeLocal, facts.gitlab.token, facts.hosts.gitlabHost] as any[]) {
    assert.equal(f.state, 'unavailable');
    assert.equal(f.reason, 'not-configured');
  }
  assert.match((facts.gitlab.token as any).hint, /--no-probes/);
});

test('a paging cursor that repeats, or a list past the page bound, is an error, never a partial list', async () => {
  const em = await startTestEmulator(loadFixtureWorld('idc-healthy'));
  try {
    const cfg = prepareConfig('idc-healthy', em, join(dir, String(++n)));
    const loaded = loadConfig({ file: cfg, env, cwd: dir });
    const real = await createCloudApi({ region: loaded.config.region, endpoint: em.cloudUrl, credentials: credentialsFor({ env }), env, seed: 1 });
    const run = async (edit: (body: Record<string, any>, page: number) => Record<string, any>) => {
      let pages = 0;
      let first: Record<string, any> | undefined;
      const api = {
        get requestCount() {
          return real.requestCount;
        },
        async call(product: any, action: string, params: Record<string, unknown>, o?: any) {
          if (action !== 'DescribeRouteEntryList') return real.call(product, action, params, o);
          // the first page from the emulator; every further page is that page again with a new cursor
          first ??= await real.call(product, action, params, o);
          return edit(first, ++pages);
        },
      };
      const facts = await collectFacts(loaded, { api, env, noProbes: true });
      return { fact: facts.cloud.vbrRouteEntries, pages };
    };
    const loop = await run((b) => ({ ...b, NextToken: 'same-token' }));
    assert.equal(loop.fact.state, 'unavailable');
    assert.match((loop.fact as any).message, /NextToken same-token came back twice/);
    assert.equal(loop.pages, 2);
    const endless = await run((b, page) => ({ ...b, NextToken: `t${page}` }));
    assert.equal(endless.fact.state, 'unavailable');
    assert.match((endless.fact as any).message, /more than 1000 pages; the list was not read whole/);
  } finally {
    await em.stop();
  }
});

test('the VBR route table is read only when GitLab may be in the data center', async () => {
  // the ECS world with a VBR configured (dependencies in the IDC): GitLab is on ECS, so the
  // return-route rules do not apply and the route table is not read
  const w = loadFixtureWorld('demo');
  const idc = loadFixtureWorld('idc-healthy');
  for (const k of ['virtualBorderRouters', 'routeTables', 'bgpPeers', 'bgpNetworks', 'routerInterfaces']) if (idc.regions['cn-hangzhou'][k]) w.regions['cn-hangzhou'][k] = idc.regions['cn-hangzhou'][k];
  const em = await startTestEmulator(w);
  try {
    const cfg = prepareConfig('demo', em, join(dir, String(++n)));
    const c = parse(readFileSync(cfg, 'utf8'));
    const ic = parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'configs', 'idc-healthy.yaml'), 'utf8'));
    c.datacenter = { cidrs: ic.datacenter.cidrs, vbrId: ic.datacenter.vbrId };
    writeFileSync(cfg, stringify(c));
    const loaded = loadConfig({ file: cfg, env, cwd: dir });
    const api = await createCloudApi({ region: loaded.config.region, endpoint: em.cloudUrl, credentials: credentialsFor({ env }), env, seed: 1 });
    const calls: string[] = [];
    const facts = await collectFacts(loaded, { api, env, noProbes: true, onCall: (x) => calls.push(x.action) });
    assert.ok(!calls.includes('DescribeRouteEntryList') && !calls.includes('DescribeBgpPeers'), calls.join(' '));
    assert.equal(facts.cloud.vbrRouteEntries.state, 'unavailable');
    assert.equal((facts.cloud.vbrRouteEntries as any).reason, 'not-applicable');
    assert.equal(facts.cloud.vbr.state, 'ok', 'the VBR itself is still described');
  } finally {
    await em.stop();
  }
  const { calls } = await collect('idc-healthy', loadFixtureWorld('idc-healthy'));
  assert.ok(calls.some((x) => x.action === 'DescribeRouteEntryList'), 'on the IDC path the route table is read');
});

test('the rounds are a flow: a slow call delays only what needs its answer, not the next round', async () => {
  // GetInstance (read by no later call) answers after 900 ms, GitLab's groups after 300 ms. Rounds
  // that wait for each other read the groups only after the slow instance read; as a flow the
  // groups' chain (ENI → groups → prefix lists) runs beside it and is done first.
  const w = loadFixtureWorld('demo');
  w.faults = { perAction: { GetInstance: { latencyMs: 900 }, DescribeSecurityGroupAttribute: { latencyMs: 300 } } };
  const { facts, calls } = await collect('demo', w);
  assert.equal(facts.cloud.acrInstance.state, 'ok');
  assert.equal(facts.cloud.gitlabSecurityGroups.state, 'ok');
  assert.equal(facts.cloud.prefixLists.state, 'ok');
  // `calls` is in the order the answers were read
  const done = (action: string) => calls.findIndex((c) => c.action === action);
  assert.ok(done('DescribeSecurityGroupAttribute') >= 0 && done('DescribeSecurityGroupAttribute') < done('GetInstance'), calls.map((c) => c.action).join(' '));
});
