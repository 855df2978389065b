// Round 2, describe: what the found resources are made of — the GitLab interface's security groups
// and its vSwitch's network ACL, the SLB's listeners and backends' health, the VBR's routes and BGP,
// the link vSwitch's managed security groups, the repository's source binding. All in parallel, each
// read starting as soon as the round-1 facts it needs are in (the managed groups and the binding do
// not wait for the access path).
import type { BgpNetwork, BgpPeer, Eni, Fact, NetworkAcl, RouteEntry, SecurityGroup, SourceBinding, Unavailable, Vbr, VSwitch } from '../types.js';
import type { BackendServerItem, ListenerItem, LoadBalancerItem } from '../responses.js';
import { normSourceBinding } from '../normalise/cr.js';
import { normSecurityGroup } from '../normalise/ecs.js';
import { normBgpNetwork, normBgpPeer, normNetworkAcl, normRouteEntry } from '../normalise/vpc.js';
import { unselected, type Run } from './context.js';
import type { Found, Pending } from './find.js';
import { codeOf, factFromError, okF, passOn, un } from './facts.js';

/** Where GitLab sits, as round 1 found it (decided by src/facts/access-path.ts). */
export interface Placement {
  address: string | undefined;
  /** the interface that holds the address (ECS path) */
  eni: Eni | undefined;
  /** the load balancer that has the address (SLB path) */
  loadBalancer: LoadBalancerItem | undefined;
  /** the fact of the ECS-only facts when GitLab is not on ECS */
  notEcs: (source: string) => Unavailable;
}

export interface SlbParts {
  id: string;
  listeners: ListenerItem[];
  health: BackendServerItem[];
}

export interface Described {
  gitlabVSwitch: Fact<VSwitch>;
  gitlabSecurityGroups: Fact<SecurityGroup[]>;
  gitlabNetworkAcl: Fact<NetworkAcl | null>;
  /** undefined: GitLab is not behind an SLB */
  slbParts: Fact<SlbParts> | undefined;
  vbrRouteEntries: Fact<RouteEntry[]>;
  bgpPeers: Fact<BgpPeer[]>;
  bgpNetworks: Fact<BgpNetwork[]>;
  managedSecurityGroups: Fact<SecurityGroup[]>;
  sourceBinding: Fact<SourceBinding | null>;
}

export async function readNetworkAcl(run: Run, id: string): Promise<NetworkAcl> {
  return normNetworkAcl(await run.cloud.read('vpc:DescribeNetworkAclAttributes', { NetworkAclId: id }), id);
}

/** The security groups with these ids, every rule of each (all pages). */
async function describeGroups(run: Run, ids: string[]): Promise<Fact<SecurityGroup[]>> {
  const source = 'ecs:DescribeSecurityGroupAttribute';
  if (!ids.length) return okF([], source);
  const { cloud } = run;
  try {
    const [meta, ...attrs] = await Promise.all([
      cloud.byToken('ecs:DescribeSecurityGroups', { SecurityGroupIds: JSON.stringify(ids) }, (b) => b.SecurityGroups.SecurityGroup),
      ...ids.map((id) => cloud.byToken('ecs:DescribeSecurityGroupAttribute', { SecurityGroupId: id, Direction: 'all' }, (b) => [b], { pageSize: 1000 })),
    ]);
    return okF(
      ids.map((id, i) => normSecurityGroup(id, meta.find((g) => g.SecurityGroupId === id), attrs[i]!)),
      source,
    );
  } catch (err) {
    return factFromError(err, source);
  }
}

/** The vSwitch of GitLab's interface: from the VPC's vSwitches, or the link vSwitch. */
function gitlabVSwitchOf(run: Run, found: Pick<Found, 'vSwitches' | 'linkVSwitch'>, at: Placement): Fact<VSwitch> {
  const { vSwitches, linkVSwitch } = found;
  const eni = at.eni;
  if (!eni) return at.notEcs('vpc:DescribeVSwitches');
  const inVpc = vSwitches.state === 'ok' ? vSwitches.value.find((v) => v.vSwitchId === eni.vSwitchId) : undefined;
  if (inVpc) return okF(inVpc, 'vpc:DescribeVSwitches');
  if (linkVSwitch.state === 'ok' && linkVSwitch.value.vSwitchId === eni.vSwitchId) return linkVSwitch;
  if (vSwitches.state === 'unavailable') return passOn(vSwitches);
  return un('not-found', `vSwitch ${eni.vSwitchId} of the GitLab ENI is not in ${run.config.vpc.vpcId}`, 'vpc:DescribeVSwitches');
}

/** `found`: round 1, fact by fact; `placement`: where GitLab sits (decided from the ENI and SLB facts). */
export function describe(run: Run, found: Pending<Found>, placement: Promise<Placement>): Pending<Described> {
  const { cloud } = run;
  const gitlabSecurityGroups = placement.then(async (at): Promise<Fact<SecurityGroup[]>> => {
    if (!at.eni) return at.notEcs('ecs:DescribeSecurityGroupAttribute');
    if (!run.want('cloud.gitlabSecurityGroups', 'cloud.prefixLists')) return unselected<SecurityGroup[]>();
    const enis = await found.enis;
    return describeGroups(run, [...new Set(enis.state === 'ok' ? enis.value.flatMap((e) => e.securityGroupIds) : [])]);
  });
  const gitlabVSwitch = Promise.all([placement, found.vSwitches, found.linkVSwitch]).then(([at, vSwitches, linkVSwitch]) => gitlabVSwitchOf(run, { vSwitches, linkVSwitch }, at));
  const gitlabNetworkAcl = gitlabVSwitch.then(
    (v): Promise<Fact<NetworkAcl | null>> =>
      v.state !== 'ok'
        ? Promise.resolve(passOn<NetworkAcl | null>(v))
        : !run.want('cloud.gitlabNetworkAcl')
          ? Promise.resolve(unselected<NetworkAcl | null>())
          : v.value.networkAclId
            ? cloud.fact('vpc:DescribeNetworkAclAttributes', () => readNetworkAcl(run, v.value.networkAclId!))
            : Promise.resolve(okF<NetworkAcl | null>(null, 'vpc:DescribeVSwitches')),
  );
  const slbParts = placement.then((at) => (at.loadBalancer ? readSlbParts(run, at.loadBalancer) : undefined));
  // GitLab on an ECS interface or behind an SLB: the VBR return-route rules do not apply (docs/alibaba-api.md),
  // so the VBR route table (the one list read whole, possibly thousands of entries) is not read
  const fromVbr = <T>(source: Parameters<typeof cloud.fact>[0], read: (v: Vbr) => Promise<T>, ifNoTable?: (v: Vbr) => Fact<T> | undefined): Promise<Fact<T>> =>
    Promise.all([placement, found.vbr]).then(([at, vbr]) => {
      if (at.eni || at.loadBalancer) {
        return passOn<T>(un('not-applicable', `GitLab ${at.address} is ${at.eni ? 'on an ECS network interface' : 'behind an SLB'}: the data-center return route is not on its path`, 'config'));
      }
      if (vbr.state !== 'ok') return passOn<T>(vbr);
      return ifNoTable?.(vbr.value) ?? cloud.fact(source, () => read(vbr.value));
    });
  const vbrRouteEntries = fromVbr(
    'vpc:DescribeRouteEntryList',
    async (v): Promise<RouteEntry[]> => (await cloud.byToken('vpc:DescribeRouteEntryList', { RouteTableId: v.routeTableId }, (b) => b.RouteEntrys.RouteEntry, { pageKey: 'MaxResult' })).map(normRouteEntry),
    (v) => (v.routeTableId ? undefined : un('api-error', `VBR ${v.vbrId} has no route table id`, 'vpc:DescribeVirtualBorderRouters')),
  );
  const bgpPeers = fromVbr('vpc:DescribeBgpPeers', async ({ vbrId }): Promise<BgpPeer[]> => (await cloud.byNumber('vpc:DescribeBgpPeers', { RouterId: vbrId }, (b) => b.BgpPeers.BgpPeer)).map((p) => normBgpPeer(p, vbrId)));
  const bgpNetworks = fromVbr('vpc:DescribeBgpNetworks', async ({ vbrId }): Promise<BgpNetwork[]> => (await cloud.byNumber('vpc:DescribeBgpNetworks', { RouterId: vbrId }, (b) => b.BgpNetworks.BgpNetwork)).map((n) => normBgpNetwork(n, vbrId)));
  const managedSecurityGroups = found.managedGroupsRaw.then((raw) =>
    raw.state === 'ok'
      ? describeGroups(run, raw.value.map((g) => String(g.SecurityGroupId))).then((f) => (f.state === 'ok' ? okF(f.value.map((g) => ({ ...g, serviceManaged: true })), f.source) : f))
      : passOn<SecurityGroup[]>(raw),
  );
  const sourceBinding = found.repository.then((repository) =>
    repository.state !== 'ok' ? passOn<SourceBinding | null>(repository) : repository.value ? readSourceBinding(run, repository.value.repoId) : okF<SourceBinding | null>(null, 'cr:GetRepository'),
  );
  return { gitlabVSwitch, gitlabSecurityGroups, gitlabNetworkAcl, slbParts, vbrRouteEntries, bgpPeers, bgpNetworks, managedSecurityGroups, sourceBinding };
}

/** The SLB's listeners (all pages) and its backends' health. */
function readSlbParts(run: Run, lb: LoadBalancerItem): Promise<Fact<SlbParts>> {
  const { cloud } = run;
  const id = String(lb.LoadBalancerId);
  return cloud.fact('slb:DescribeLoadBalancerListeners', async () => {
    const [listeners, health] = await Promise.all([
      cloud.byToken('slb:DescribeLoadBalancerListeners', { 'LoadBalancerId.1': id }, (b) => b.Listeners),
      cloud.read('slb:DescribeHealthStatus', { LoadBalancerId: id }).then((b) => b.BackendServers.BackendServer),
    ]);
    return { id, listeners, health };
  });
}

/** The repository's source binding (null: none; the API says "not bound" as an error). */
async function readSourceBinding(run: Run, repoId: string): Promise<Fact<SourceBinding | null>> {
  try {
    const b = await run.cloud.read('cr:GetRepoSourceCodeRepo', { InstanceId: run.config.acr.instanceId, RepoId: repoId });
    return okF(normSourceBinding(b), 'cr:GetRepoSourceCodeRepo');
  } catch (err) {
    if (/NOT_EXIST|NotExist|NOT_BOUND/.test(codeOf(err))) return okF(null, 'cr:GetRepoSourceCodeRepo');
    return factFromError(err, 'cr:GetRepoSourceCodeRepo');
  }
}
