// Round 3, expand: what round 2 points at — the prefix lists the GitLab security groups admit, the
// access control lists of the SLB's listeners, and where each SLB backend sits (its vSwitch and that
// vSwitch's network ACL). Then the load balancer fact is assembled from all three rounds.
import type { Fact, LoadBalancer, PrefixList, SecurityGroup, SlbAcl, SlbBackendNetwork, Unavailable } from '../types.js';
import { instanceVSwitch, normPrefixList } from '../normalise/ecs.js';
import { aclOn, listenerAclIds, normLoadBalancer } from '../normalise/slb.js';
import { str } from '../normalise/values.js';
import { unselected, type Run } from './context.js';
import { readNetworkAcl, type Placement, type SlbParts } from './describe.js';
import type { Found, Pending } from './find.js';
import { okF, passOn, un } from './facts.js';

export interface Expanded {
  prefixLists: Fact<PrefixList[]>;
  slbAcls: Fact<SlbAcl>[];
  slbBackendNetworks: Fact<SlbBackendNetwork[]>;
}

/** Each read starts when what it expands is in: the prefix lists with GitLab's groups, the SLB parts with the listeners. */
export function expand(run: Run, placement: Promise<Placement>, groups: Promise<Fact<SecurityGroup[]>>, slbPartsP: Promise<Fact<SlbParts> | undefined>): Pending<Expanded> {
  const { cloud } = run;
  const prefixLists = placement.then(async (at): Promise<Fact<PrefixList[]>> => {
    if (!at.eni) return at.notEcs('ecs:DescribePrefixListAttributes');
    if (!run.want('cloud.prefixLists')) return unselected<PrefixList[]>();
    const g = await groups;
    const plIds = g.state === 'ok' ? [...new Set(g.value.flatMap((x) => x.permissions.map((p) => p.sourcePrefixListId).filter((id): id is string => Boolean(id))))] : [];
    return cloud.fact('ecs:DescribePrefixListAttributes', () => Promise.all(plIds.map(async (id) => normPrefixList(id, await cloud.read('ecs:DescribePrefixListAttributes', { PrefixListId: id })))));
  });
  const slbAcls = slbPartsP.then((slbParts) => {
    const aclIds = slbParts && slbParts.state === 'ok' ? [...new Set(slbParts.value.listeners.filter(aclOn).flatMap(listenerAclIds))] : [];
    return Promise.all(
      aclIds.map((id) =>
        cloud.fact('slb:DescribeAccessControlListAttribute', async (): Promise<SlbAcl> => {
          const entries = await cloud.byNumber('slb:DescribeAccessControlListAttribute', { AclId: id }, (b) => b.AclEntrys.AclEntry, { pageSize: 50, numberKey: 'Page', totalKey: 'TotalAclEntry' });
          return { aclId: id, entries: entries.map((e) => String(e.AclEntryIP)) };
        }),
      ),
    );
  });
  const slbBackendNetworks = Promise.all([placement, slbPartsP]).then(
    ([at, slbParts]): Promise<Fact<SlbBackendNetwork[]>> | Fact<SlbBackendNetwork[]> =>
      slbParts && slbParts.state === 'ok'
        ? cloud.fact('vpc:DescribeNetworkAclAttributes', () => backendNetworks(run, slbParts.value))
        : slbParts
          ? passOn<SlbBackendNetwork[]>(slbParts)
          : (un('not-applicable', `GitLab ${at.address ?? run.input.gitlab.host} is not behind an SLB`, 'slb:DescribeHealthStatus') as Fact<SlbBackendNetwork[]>),
  );
  return { prefixLists, slbAcls, slbBackendNetworks };
}

/**
 * SLB path: traffic an SLB forwards to ECS is filtered by the backend vSwitch's network ACL too.
 * Each backend: ServerId → DescribeInstances VpcAttributes.VSwitchId → DescribeVSwitchAttributes
 * NetworkAclId → DescribeNetworkAclAttributes (each vSwitch and ACL read once).
 */
async function backendNetworks(run: Run, parts: SlbParts): Promise<SlbBackendNetwork[]> {
  const { cloud } = run;
  const serverIds = [...new Set(parts.health.map((h) => String(h.ServerId ?? '')).filter(Boolean))];
  const instanceIds = serverIds.filter((id) => id.startsWith('i-'));
  const vswOf = new Map<string, string>();
  for (let i = 0; i < instanceIds.length; i += 100) {
    const chunk = instanceIds.slice(i, i + 100);
    const insts = await cloud.byToken('ecs:DescribeInstances', { InstanceIds: JSON.stringify(chunk) }, (b) => b.Instances.Instance);
    for (const inst of insts) {
      const vsw = instanceVSwitch(inst);
      if (vsw) vswOf.set(String(inst.InstanceId), vsw);
    }
  }
  const vswIds = [...new Set(vswOf.values())];
  const aclOfVsw = new Map<string, string | undefined>();
  await Promise.all(
    vswIds.map(async (id) => {
      const b = await cloud.read('vpc:DescribeVSwitchAttributes', { VSwitchId: id });
      aclOfVsw.set(id, str(b.NetworkAclId));
    }),
  );
  const aclIds = [...new Set([...aclOfVsw.values()].filter((x): x is string => Boolean(x)))];
  const acls = new Map(await Promise.all(aclIds.map(async (id) => [id, await readNetworkAcl(run, id)] as const)));
  return serverIds.map((serverId) => {
    const vSwitchId = vswOf.get(serverId);
    if (!vSwitchId) return { serverId };
    const aclId = aclOfVsw.get(vSwitchId);
    return { serverId, vSwitchId, networkAcl: aclId ? acls.get(aclId)! : null };
  });
}

/** The load balancer fact: the one that holds GitLab's address, whole, or why it cannot be read whole. */
export function loadBalancersFact(found: Found, at: Placement, slbParts: Fact<SlbParts> | undefined, slbAcls: Fact<SlbAcl>[]): Fact<LoadBalancer[]> {
  const raw = found.loadBalancersRaw;
  if (raw.state === 'unavailable') return raw;
  // no load balancer has GitLab's address (slbParts is read only for the one that has it)
  if (!at.loadBalancer || !slbParts) return okF([], 'slb:DescribeLoadBalancers');
  if (slbParts.state === 'unavailable') return slbParts;
  // an ACL we cannot read leaves the listener undecided: say why (RAM action, timeout, ...)
  const unreadable = slbAcls.find((a): a is Unavailable => a.state === 'unavailable');
  if (unreadable) return unreadable;
  const { listeners, health } = slbParts.value;
  return okF([normLoadBalancer(at.loadBalancer, { listeners, health, acls: slbAcls.flatMap((a) => (a.state === 'ok' ? [a.value] : [])) })], 'slb:DescribeLoadBalancers');
}
