// Every served action, over a world, through the real SDK runtime (signed requests): the reads with
// every id the world holds, then (where the world has a bound GitLab account) the write sequence of
// a build, so that every answer the emulator can give is seen. Returns each call and its answer.
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { rpcCaller } from '../helpers/emulator.js';

export interface SweptCall {
  product: string;
  action: string;
  params: Record<string, unknown>;
  body?: Record<string, any>;
  error?: string;
}

export async function sweep(em: EmulatorHandle): Promise<SweptCall[]> {
  const rpc = await rpcCaller(em);
  const out: SweptCall[] = [];
  const call = async (product: string, action: string, params: Record<string, unknown>): Promise<Record<string, any> | undefined> => {
    try {
      const body = await rpc(product, action, params);
      out.push({ product, action, params, body });
      return body;
    } catch (err) {
      out.push({ product, action, params, error: `${(err as { code?: string }).code ?? ''} ${(err as Error).message}` });
      return undefined;
    }
  };
  for (const [regionId, r] of em.state.regions) {
    const R = { RegionId: regionId };
    await call('ecs', 'DescribeInstances', { ...R, MaxResults: 100 });
    await call('ecs', 'DescribeNetworkInterfaces', { ...R, MaxResults: 100 });
    await call('ecs', 'DescribeSecurityGroups', { ...R, MaxResults: 100 });
    for (const g of r.securityGroups) await call('ecs', 'DescribeSecurityGroupAttribute', { ...R, SecurityGroupId: g.SecurityGroupId, Direction: 'all' });
    for (const p of r.prefixLists) await call('ecs', 'DescribePrefixListAttributes', { ...R, PrefixListId: p.PrefixListId });
    await call('vpc', 'DescribeVpcs', { ...R, PageSize: 50 });
    for (const v of r.vpcs) await call('vpc', 'DescribeVpcAttribute', { ...R, VpcId: v.VpcId });
    await call('vpc', 'DescribeVSwitches', { ...R, PageSize: 50 });
    for (const s of r.vSwitches) await call('vpc', 'DescribeVSwitchAttributes', { ...R, VSwitchId: s.VSwitchId });
    await call('vpc', 'DescribeNetworkAcls', { ...R, PageSize: 50 });
    for (const a of r.networkAcls) await call('vpc', 'DescribeNetworkAclAttributes', { ...R, NetworkAclId: a.NetworkAclId });
    await call('vpc', 'DescribeVirtualBorderRouters', { ...R, PageSize: 50 });
    await call('vpc', 'DescribeRouteTableList', { ...R, PageSize: 50 });
    for (const t of r.routeTables) await call('vpc', 'DescribeRouteEntryList', { ...R, RouteTableId: t.RouteTableId, MaxResult: 100 });
    await call('vpc', 'DescribeBgpPeers', { ...R, PageSize: 50 });
    await call('vpc', 'DescribeBgpNetworks', { ...R, PageSize: 50 });
    await call('vpc', 'DescribeRouterInterfaces', { ...R, PageSize: 50 });
    await call('slb', 'DescribeLoadBalancers', { ...R, PageSize: 50 });
    for (const l of r.loadBalancers) {
      await call('slb', 'DescribeLoadBalancerListeners', { ...R, 'LoadBalancerId.1': l.LoadBalancerId, MaxResults: 100 });
      await call('slb', 'DescribeHealthStatus', { ...R, LoadBalancerId: l.LoadBalancerId });
      for (const x of l.Listeners) {
        const proto = x.ListenerProtocol === 'udp' ? undefined : x.ListenerProtocol.toUpperCase();
        if (proto) await call('slb', `DescribeLoadBalancer${proto}ListenerAttribute`, { ...R, LoadBalancerId: l.LoadBalancerId, ListenerPort: x.ListenerPort });
      }
    }
    for (const a of r.accessControlLists) await call('slb', 'DescribeAccessControlListAttribute', { ...R, AclId: a.AclId, PageSize: 50 });
    for (const i of r.cr.instances) {
      const I = { InstanceId: i.InstanceId };
      await call('cr', 'ListInstance', { PageSize: 30 });
      await call('cr', 'GetInstance', I);
      await call('cr', 'ListNamespace', { ...I, PageSize: 30 });
      await call('cr', 'ListRepository', { ...I, PageSize: 30 });
      for (const repo of r.cr.repositories.filter((x) => x.InstanceId === i.InstanceId)) {
        const P = { ...I, RepoId: repo.RepoId };
        await call('cr', 'GetRepository', { ...I, RepoNamespaceName: repo.RepoNamespaceName, RepoName: repo.RepoName });
        await call('cr', 'GetRepoSourceCodeRepo', P);
        await call('cr', 'ListRepoBuildRule', { ...P, PageSize: 30 });
        await call('cr', 'ListRepoBuildRecord', { ...P, PageSize: 30 });
      }
      // the writes of a build, where GitLab is bound to the instance
      const account = r.cr.codeSources.find((c) => c.CodeRepoType === 'GITLAB' && (!c.InstanceId || c.InstanceId === i.InstanceId));
      if (!account) continue;
      await call('cr', 'CreateNamespace', { ...I, NamespaceName: 'contract', AutoCreateRepo: false });
      const made = await call('cr', 'CreateRepository', { ...I, RepoNamespaceName: 'contract', RepoName: 'sweep', RepoType: 'PRIVATE', Summary: 'contract sweep' });
      const repoId = made?.RepoId as string | undefined;
      if (!repoId) continue;
      const P = { ...I, RepoId: repoId };
      const project = em.world.gitlab.projects[0]?.path_with_namespace ?? 'group/app';
      const [ns, name] = [project.slice(0, project.lastIndexOf('/')), project.slice(project.lastIndexOf('/') + 1)];
      await call('cr', 'CreateRepoSourceCodeRepo', { ...P, CodeRepoType: 'GITLAB', CodeRepoNamespaceName: ns, CodeRepoName: name, AutoBuild: false, OverseaBuild: false, DisableCacheBuild: false });
      await call('cr', 'UpdateRepoSourceCodeRepo', { ...P, CodeRepoType: 'GITLAB', CodeRepoNamespaceName: ns, CodeRepoName: name, AutoBuild: false });
      await call('cr', 'GetRepoSourceCodeRepo', P);
      const rule = await call('cr', 'CreateRepoBuildRule', { ...P, PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest', DockerfileLocation: '/', DockerfileName: 'Dockerfile' });
      await call('cr', 'ListRepoBuildRule', { ...P, PageSize: 30 });
      if (!rule?.BuildRuleId) continue;
      const rec = await call('cr', 'CreateBuildRecordByRule', { ...P, BuildRuleId: rule.BuildRuleId });
      const recordId = rec?.BuildRecordId as string | undefined;
      if (!recordId) continue;
      await call('cr', 'ListRepoBuildRecord', { ...P, PageSize: 30 });
      await call('cr', 'GetRepoBuildRecord', { ...I, BuildRecordId: recordId });
      await call('cr', 'GetRepoBuildRecordStatus', { ...P, BuildRecordId: recordId });
      await call('cr', 'ListRepoBuildRecordLog', { ...P, BuildRecordId: recordId, Offset: 0 });
      await call('cr', 'CancelRepoBuildRecord', { ...P, BuildRecordId: recordId });
    }
    const group = r.securityGroups.find((g) => !g.ServiceManaged);
    if (group) {
      await call('ecs', 'AuthorizeSecurityGroup', {
        ...R,
        SecurityGroupId: group.SecurityGroupId,
        'Permissions.1.IpProtocol': 'TCP',
        'Permissions.1.PortRange': '8443/8443',
        'Permissions.1.SourceCidrIp': '100.104.0.0/16',
        'Permissions.1.Policy': 'accept',
        'Permissions.1.Priority': '1',
        'Permissions.1.Description': 'contract sweep',
      });
      // the writes of provision --fix: revoke that rule by its id, replace an ACL's outbound list,
      // add and remove an SLB ACL entry
      const attr = await call('ecs', 'DescribeSecurityGroupAttribute', { ...R, SecurityGroupId: group.SecurityGroupId, Direction: 'ingress' });
      const added = (attr?.Permissions?.Permission ?? []).find((x: { Description?: string }) => x.Description === 'contract sweep');
      if (added?.SecurityGroupRuleId) await call('ecs', 'RevokeSecurityGroup', { ...R, SecurityGroupId: group.SecurityGroupId, 'SecurityGroupRuleId.1': added.SecurityGroupRuleId });
    }
    const nacl = r.networkAcls[0];
    if (nacl) {
      await call('vpc', 'UpdateNetworkAclEntries', { ...R, NetworkAclId: nacl.NetworkAclId, UpdateEgressAclEntries: true, 'EgressAclEntries.1.Policy': 'accept', 'EgressAclEntries.1.Protocol': 'all', 'EgressAclEntries.1.Port': '-1/-1', 'EgressAclEntries.1.DestinationCidrIp': '0.0.0.0/0', 'EgressAclEntries.1.NetworkAclEntryName': 'contract-sweep' });
    }
    const slbAcl = r.accessControlLists[0];
    if (slbAcl) {
      await call('slb', 'AddAccessControlListEntry', { ...R, AclId: slbAcl.AclId, AclEntrys: JSON.stringify([{ entry: '203.0.113.0/24', comment: 'contract sweep' }]) });
      await call('slb', 'RemoveAccessControlListEntry', { ...R, AclId: slbAcl.AclId, AclEntrys: JSON.stringify([{ entry: '203.0.113.0/24' }]) });
    }
  }
  return out;
}
