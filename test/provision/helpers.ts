// Test helpers for provision: a CloudApi over the real openapi-core client against the emulator,
// the shared test world named as a config names it, a small live check (reads the emulator through
// the same API into that world, judges with the shared test rules), and a runtime with a recording
// event sink.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudApi, Product } from '../../src/cloud/api.js';
import { assertAnswer, toCallError } from '../../src/cloud/client.js';
import type { Config } from '../../src/config/types.js';
import { runRules } from '../../src/engine/runner.js';
import type { Rule } from '../../src/engine/types.js';
import type { Facts, SecurityGroup, SgPermission } from '../../src/facts/types.js';
import { makeFacts, NOW, ok, ZONES, type FactsEdit } from '../helpers/facts.js';
import { PROVISION_RULES } from '../helpers/rules.js';
import { DEFAULT_OPTIONS, type ProvisionOptions, type ProvisionRuntime } from '../../src/provision/context.js';
import { Journal, journalKey } from '../../src/provision/journal.js';
import type { CheckRun } from '../../src/provision/state.js';
import type { PlanTarget, ProvisionEvent } from '../../src/provision/types.js';
import { sleep } from '../../src/provision/util.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { rpcCaller } from '../helpers/emulator.js';

export async function emulatorApi(em: EmulatorHandle): Promise<CloudApi & { calls: string[] }> {
  const rpc = await rpcCaller(em);
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    get requestCount() {
      return n;
    },
    async call(product: Product, action: string, params: Record<string, unknown>) {
      n++;
      calls.push(action);
      const p = product === 'cr' ? params : { RegionId: 'cn-hangzhou', ...params };
      // answers are judged as the real client judges them (CR's IsSuccess:false is an error)
      try {
        return assertAnswer(product, await rpc(product, action, p));
      } catch (e) {
        throw toCallError(product, action, e);
      }
    },
  };
}

export function demoConfig(over: Partial<Config> = {}): Config {
  return {
    region: 'cn-hangzhou',
    acr: { instanceId: 'cri-demo1234', namespace: 'team', repository: 'app' },
    vpc: { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build' },
    gitlab: { endpoint: 'https://192.168.1.10', username: 'builder', token: 'env:GITLAB_TOKEN', project: 'group/app' },
    build: { rules: [{ pushType: 'GIT_BRANCH', pushName: 'main', imageTag: 'latest', dockerfileLocation: '/', dockerfileName: 'Dockerfile' }] },
    ...over,
  };
}

/**
 * The shared test world (ECS path) named as the config names it: region, instance, repository, VPC,
 * link vSwitch, GitLab endpoint and extra endpoints; GitLab's ENI carries the demo world's groups.
 */
export function worldFacts(c: Config, ...edits: FactsEdit[]): Facts {
  const host = new URL(c.gitlab.endpoint).hostname;
  return makeFacts(
    {
      input: {
        region: c.region,
        acr: { instanceId: c.acr.instanceId, namespace: c.acr.namespace!, repository: c.acr.repository! },
        vpc: c.vpc,
        gitlab: { endpoint: c.gitlab.endpoint, host, username: c.gitlab.username, project: c.gitlab.project },
        extraEndpoints: c.extraEndpoints ?? [],
      },
    },
    (f) => {
      f.cloud.acrInstance = ok({ instanceId: c.acr.instanceId, status: 'RUNNING', regionId: c.region }, 'cr:GetInstance');
      f.cloud.vpc = ok({ vpcId: c.vpc.vpcId, cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: [], userCidrs: [] }, 'vpc:DescribeVpcAttribute');
      f.cloud.linkVSwitch = ok({ vSwitchId: c.vpc.vSwitchId, vpcId: c.vpc.vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.10.0/24' }, 'vpc:DescribeVSwitchAttributes');
      f.cloud.gitlabEnis = ok([{ instanceId: 'i-bp1gitlab', vpcId: c.vpc.vpcId, vSwitchId: 'vsw-bp1gitlab', privateIpAddresses: [host], securityGroupIds: ['sg-bp1gitlab', 'sg-bp1base'] }], 'ecs:DescribeInstances');
      f.gitlab.addresses = ok([host], 'dns');
    },
    ...edits,
  );
}

export function targetOf(c: Config): PlanTarget {
  const t = { region: c.region, instanceId: c.acr.instanceId, namespace: c.acr.namespace!, repository: c.acr.repository!, project: c.gitlab.project };
  return { ...t, key: journalKey(t) };
}

function perm(p: Record<string, any>): SgPermission {
  return {
    direction: p.Direction,
    policy: String(p.Policy).toLowerCase() as 'accept' | 'drop',
    priority: Number(p.Priority),
    ipProtocol: String(p.IpProtocol).toUpperCase(),
    portRange: p.PortRange,
    ...(p.SourceCidrIp ? { sourceCidrIp: p.SourceCidrIp } : {}),
    ...(p.DestCidrIp ? { destCidrIp: p.DestCidrIp } : {}),
  };
}

/**
 * The shared test world for the config, with what provision acts on read from the emulator through
 * the API: the VPC's security groups (GitLab's and the link's managed ones) and the link's ENIs.
 */
export async function readFacts(api: CloudApi, c: Config): Promise<Facts> {
  const sgList = await api.call('ecs', 'DescribeSecurityGroups', { VpcId: c.vpc.vpcId, MaxResults: 100 });
  const groups: SecurityGroup[] = [];
  for (const g of sgList.SecurityGroups.SecurityGroup as Record<string, any>[]) {
    const attr = await api.call('ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: g.SecurityGroupId });
    groups.push({
      securityGroupId: g.SecurityGroupId,
      vpcId: g.VpcId,
      type: g.SecurityGroupType === 'enterprise' ? 'enterprise' : 'normal',
      serviceManaged: Boolean(g.ServiceManaged),
      permissions: (attr.Permissions.Permission as Record<string, any>[]).map(perm),
    });
  }
  const enis = await api.call('ecs', 'DescribeNetworkInterfaces', { VSwitchId: c.vpc.vSwitchId, ServiceManaged: true, MaxResults: 100 });
  const managedEnis = (enis.NetworkInterfaceSets.NetworkInterfaceSet as Record<string, any>[]).map((n) => ({
    networkInterfaceId: n.NetworkInterfaceId,
    vpcId: n.VpcId,
    vSwitchId: n.VSwitchId,
    privateIpAddresses: [n.PrivateIpAddress],
    securityGroupIds: [],
    serviceManaged: true,
  }));
  return worldFacts(c, (f) => {
    f.cloud.gitlabSecurityGroups = ok(groups.filter((g) => !g.serviceManaged), 'ecs:DescribeSecurityGroupAttribute');
    f.cloud.managedSecurityGroups = ok(groups.filter((g) => g.serviceManaged), 'ecs:DescribeSecurityGroups');
    f.cloud.managedEnis = ok(managedEnis, 'ecs:DescribeNetworkInterfaces');
  });
}

export function emulatorCheck(api: CloudApi, c: Config, rules: Rule[] = PROVISION_RULES): (o: { only?: string[] }) => Promise<CheckRun> {
  return async ({ only }) => {
    const facts = await readFacts(api, c);
    const report = runRules(facts, { rules, ...(only ? { only } : {}), now: NOW, zones: ZONES });
    return { facts, report };
  };
}

export interface TestRuntime extends ProvisionRuntime {
  events: ProvisionEvent[];
  dir: string;
  cleanup(): void;
}

export function makeRuntime(
  api: CloudApi,
  c: Config,
  o: { options?: Partial<ProvisionOptions>; dir?: string; signal?: AbortSignal; check?: ProvisionRuntime['check']; onEvent?: (e: ProvisionEvent) => void } = {},
): TestRuntime {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'acrp-prov-'));
  const target = targetOf(c);
  const events: ProvisionEvent[] = [];
  const check = emulatorCheck(api, c);
  return {
    api,
    config: c,
    target,
    journal: Journal.open(dir, target.key),
    signal: o.signal ?? new AbortController().signal,
    options: { ...DEFAULT_OPTIONS, guidedPoll: { minMs: 50, maxMs: 200 }, buildPoll: { minMs: 50, maxMs: 200 }, ...o.options },
    emit: (e) => {
      events.push(e);
      o.onEvent?.(e);
    },
    check: o.check ?? ((x) => check(x)),
    sleep,
    now: () => Date.now(),
    events,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** cr write actions in the emulator audit */
export const WRITES = /^(Create|Update|Delete|Cancel|Authorize|Revoke|Modify)/;
export function writes(em: EmulatorHandle): string[] {
  return em.audit().filter((a) => WRITES.test(a.action)).map((a) => a.action);
}
