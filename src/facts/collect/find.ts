// Round 1, find: the resources named in the config, and the interface or load balancer that holds
// GitLab's address, found by that address (never by listing the account). All in parallel, each fact
// its own promise: what the next round reads of it starts as soon as that fact is in.
import type { AcrInstance, AcrRepository, Eni, Fact, RegionVpc, Vbr, Vpc, VSwitch } from '../types.js';
import type { LoadBalancerItem, SecurityGroupItem } from '../responses.js';
import { closest } from '../../util/nearest.js';
import { normInstance, normRepository } from '../normalise/cr.js';
import { enisHoldingAddress, normManagedEni } from '../normalise/ecs.js';
import { normRegionVpc, normVbr, normVpc, normVSwitch } from '../normalise/vpc.js';
import { afterSent } from '../../util/while-waiting.js';
import { gated, unselected, type Run } from './context.js';
import { codedError, codeOf, factFromError, okF, un } from './facts.js';

export interface Found {
  acrInstance: Fact<AcrInstance>;
  vpc: Fact<Vpc>;
  linkVSwitch: Fact<VSwitch>;
  vSwitches: Fact<VSwitch[]>;
  enis: Fact<Eni[]>;
  /** the load balancers whose address is GitLab's, as listed (expanded in the next rounds) */
  loadBalancersRaw: Fact<LoadBalancerItem[]>;
  vbr: Fact<Vbr>;
  managedGroupsRaw: Fact<SecurityGroupItem[]>;
  managedEnis: Fact<Eni[]>;
  repository: Fact<AcrRepository | null>;
}

/** Each fact of a round as its own promise (none rejects: a failed read is an unavailable fact). */
export type Pending<T> = { [K in keyof T]: Promise<T[K]> };

/** All of a round, once every fact of it is in. */
export async function settled<T extends object>(p: Pending<T>): Promise<T> {
  const keys = Object.keys(p) as (keyof T)[];
  const values = await Promise.all(keys.map((k) => p[k]));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as T;
}

/**
 * `address`: GitLab's IPv4 address; `noAddress`: the fact for lookups by address when it has none.
 * GitLab's interface and load balancer go out first: the access path, and with it the chain to the
 * last round (ENI → groups → prefix lists), waits for them. The other calls start once those
 * requests are sent, in the order round 2 needs their answers (vSwitches, the managed groups, the
 * repository, the VBR), then what only the rules read (the instance, the VPC, the managed ENIs).
 */
export function find(run: Run, address: string | undefined, noAddress: (source: string) => Fact<never>): Pending<Found> {
  const { cloud } = run;
  const enis = address ? findEnis(run, address) : Promise.resolve(noAddress('ecs:DescribeInstances'));
  const loadBalancersRaw = address
    ? cloud.fact('slb:DescribeLoadBalancers', async () =>
        (await cloud.byNumber('slb:DescribeLoadBalancers', { Address: address }, (b) => b.LoadBalancers.LoadBalancer)).filter((l) => String(l.Address) === address),
      )
    : Promise.resolve(noAddress('slb:DescribeLoadBalancers'));
  const rest = afterSent([enis, loadBalancersRaw], () => findRest(run));
  const pick = <K extends keyof Rest>(k: K): Rest[K] => rest.then((r) => r[k]) as Rest[K];
  return {
    enis,
    loadBalancersRaw,
    vSwitches: pick('vSwitches'),
    linkVSwitch: pick('linkVSwitch'),
    managedGroupsRaw: pick('managedGroupsRaw'),
    repository: pick('repository'),
    vbr: pick('vbr'),
    acrInstance: pick('acrInstance'),
    vpc: pick('vpc'),
    managedEnis: pick('managedEnis'),
  };
}

type Rest = Omit<Pending<Found>, 'enis' | 'loadBalancersRaw'>;

/** Round 1 but the access path's calls. */
function findRest(run: Run): Rest {
  const { config, cloud } = run;
  const { vpcId, vSwitchId } = config.vpc;
  const vSwitches = cloud.fact('vpc:DescribeVSwitches', async () => (await cloud.byNumber('vpc:DescribeVSwitches', { VpcId: vpcId }, (b) => b.VSwitches.VSwitch)).map(normVSwitch));
  const linkVSwitch = cloud.fact('vpc:DescribeVSwitchAttributes', async () => {
    const b = await cloud.read('vpc:DescribeVSwitchAttributes', { VSwitchId: vSwitchId });
    if (!b.VSwitchId) throw codedError(`vSwitch ${vSwitchId} not found`, 'InvalidVSwitchId.NotFound');
    return normVSwitch(b);
  });
  const managedGroupsRaw = gated(run, ['cloud.managedSecurityGroups'], () =>
    cloud.fact('ecs:DescribeSecurityGroups', () => cloud.byToken('ecs:DescribeSecurityGroups', { VpcId: vpcId, ServiceManaged: true }, (b) => b.SecurityGroups.SecurityGroup)),
  );
  const repository = findRepository(run);
  const vbr = findVbr(run);
  const acrInstance = gated(run, ['cloud.acrInstance'], () =>
    cloud.fact('cr:GetInstance', async () => normInstance(await cloud.read('cr:GetInstance', { InstanceId: config.acr.instanceId }), config.acr.instanceId)),
  );
  const vpc = gated(run, ['cloud.vpc'], () =>
    cloud.fact('vpc:DescribeVpcAttribute', async () => {
      const b = await cloud.read('vpc:DescribeVpcAttribute', { VpcId: vpcId });
      if (!b.VpcId && !b.CidrBlock) throw codedError(`VPC ${vpcId} not found`, 'InvalidVpcId.NotFound');
      return normVpc(b, vpcId);
    }),
  );
  const managedEnis = gated(run, ['cloud.managedEnis'], () =>
    cloud.fact('ecs:DescribeNetworkInterfaces', async () =>
      (await cloud.byToken('ecs:DescribeNetworkInterfaces', { VSwitchId: vSwitchId, ServiceManaged: true }, (b) => b.NetworkInterfaceSets.NetworkInterfaceSet)).map((n) =>
        normManagedEni(n, vpcId, vSwitchId),
      ),
    ),
  );
  return { vSwitches, linkVSwitch, managedGroupsRaw, repository, vbr, acrInstance, vpc, managedEnis };
}

/**
 * DescribeInstances matches an instance's primary address; DescribeNetworkInterfaces matches
 * secondary addresses (PrivateIpAddress.N) and the primary address of any ENI, secondary ENIs
 * included (PrimaryIpAddress). All three run in parallel, each a single page.
 */
function findEnis(run: Run, address: string): Promise<Fact<Eni[]>> {
  const { cloud } = run;
  const { vpcId } = run.config.vpc;
  return cloud.fact('ecs:DescribeInstances', async () => {
    const [instances, bySecondary, byPrimary] = await Promise.all([
      cloud.byToken('ecs:DescribeInstances', { VpcId: vpcId, InstanceNetworkType: 'vpc', PrivateIpAddresses: JSON.stringify([address]) }, (b) => b.Instances.Instance),
      cloud.byToken('ecs:DescribeNetworkInterfaces', { VpcId: vpcId, 'PrivateIpAddress.1': address }, (b) => b.NetworkInterfaceSets.NetworkInterfaceSet),
      cloud.byToken('ecs:DescribeNetworkInterfaces', { VpcId: vpcId, PrimaryIpAddress: address }, (b) => b.NetworkInterfaceSets.NetworkInterfaceSet),
    ]);
    return enisHoldingAddress(address, vpcId, { instances, bySecondary, byPrimary });
  });
}

function findVbr(run: Run): Promise<Fact<Vbr>> {
  const { config, cloud } = run;
  const dc = config.datacenter;
  if (!dc) return Promise.resolve(un('not-applicable', 'no datacenter configured', 'config'));
  const vbrId = dc.vbrId;
  if (!vbrId) return Promise.resolve(un('not-configured', 'datacenter.vbrId is not set', 'config', { hint: 'set datacenter.vbrId to check the VBR return route' }));
  if (!run.want('cloud.vbr', 'cloud.vbrRouteEntries', 'cloud.bgpPeers', 'cloud.bgpNetworks')) return Promise.resolve(unselected<Vbr>());
  return cloud.fact('vpc:DescribeVirtualBorderRouters', async () => {
    const b = await cloud.read('vpc:DescribeVirtualBorderRouters', { 'Filter.1.Key': 'VbrId', 'Filter.1.Value.1': vbrId, PageSize: 50 });
    const v = b.VirtualBorderRouterSet.VirtualBorderRouterType.find((x) => x.VbrId === vbrId);
    if (v) return normVbr(v);
    // a typo: name the region's VBRs nearest to the configured id (one more read, only on this path)
    const all = await cloud.byNumber('vpc:DescribeVirtualBorderRouters', {}, (x) => x.VirtualBorderRouterSet.VirtualBorderRouterType).catch(() => undefined);
    const ids = all?.map((x) => String(x.VbrId)) ?? [];
    const near = all ? (ids.length ? `; nearest existing: ${closest(vbrId, ids).join(', ')}` : `; ${config.region} has no VBR`) : '';
    throw codedError(`VBR ${vbrId} does not exist in ${config.region}${near}`, 'InvalidVbrId.NotFound');
  });
}

/** The repository (null: it does not exist yet; provision creates it). */
async function findRepository(run: Run): Promise<Fact<AcrRepository | null>> {
  const { config, cloud } = run;
  if (!run.want('cloud.repository', 'cloud.sourceBinding')) return unselected();
  const { namespace, repository } = config.acr;
  if (!namespace || !repository) return un('not-configured', 'acr.namespace/acr.repository are not set', 'config', { hint: 'set acr.namespace and acr.repository' });
  try {
    const b = await cloud.read('cr:GetRepository', { InstanceId: config.acr.instanceId, RepoNamespaceName: namespace, RepoName: repository });
    return okF(normRepository(b, { namespace, repository }), 'cr:GetRepository');
  } catch (err) {
    if (/REPO_NOT_EXIST|NAMESPACE_NOT_EXIST/.test(codeOf(err))) return okF(null, 'cr:GetRepository');
    return factFromError(err, 'cr:GetRepository');
  }
}

/**
 * The region's VPCs with their vSwitch ids, read only when the configured VPC or link vSwitch does not
 * exist: a typo is then named with the nearest existing ids instead of leaving every rule undecided.
 */
export async function regionVpcsIfMissing(run: Run, vpc: Fact<Vpc>, linkVSwitch: Fact<VSwitch>): Promise<Fact<RegionVpc[]> | undefined> {
  const missing = (f: Fact<unknown>) => f.state === 'unavailable' && f.reason === 'not-found';
  if (!missing(vpc) && !missing(linkVSwitch)) return undefined;
  return run.cloud.fact('vpc:DescribeVpcs', async () => (await run.cloud.byNumber('vpc:DescribeVpcs', {}, (b) => b.Vpcs.Vpc)).map(normRegionVpc));
}
