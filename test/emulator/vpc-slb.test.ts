// The real @alicloud/vpc20160428 client and the generic openapi-core call (slb) against the emulator.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { rpcCaller, startTestEmulator, vpcClient } from '../helpers/emulator.js';

describe('emulator: vpc with the real SDK (IDC world)', () => {
  let em: EmulatorHandle;
  let vpc: Awaited<ReturnType<typeof vpcClient>>;
  before(async () => {
    em = await startTestEmulator('idc-healthy');
    vpc = await vpcClient(em);
  });
  after(async () => {
    await em?.stop();
  });

  it('DescribeVpcs / DescribeVpcAttribute / DescribeVSwitches / DescribeVSwitchAttributes', async () => {
    const v = await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));
    assert.equal(v.body!.totalCount, 1);
    const one = v.body!.vpcs!.vpc![0]!;
    assert.equal(one.cidrBlock, '192.168.0.0/16');
    assert.deepEqual(one.vSwitchIds!.vSwitchId, ['vsw-bp1gitlab', 'vsw-bp1build']);
    const a = await vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-bp1demo' }));
    assert.equal(a.body!.status, 'Available');
    const s = await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-bp1demo', pageSize: 1, pageNumber: 2 }));
    assert.equal(s.body!.totalCount, 2);
    assert.equal(s.body!.pageNumber, 2);
    assert.equal(s.body!.vSwitches!.vSwitch![0]!.vSwitchId, 'vsw-bp1build');
    const attr = await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-bp1gitlab' }));
    assert.equal(attr.body!.zoneId, 'cn-hangzhou-h');
    assert.equal(attr.body!.networkAclId, 'nacl-bp1gitlab');
    await assert.rejects(
      vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-nope' })),
      (e: any) => e.code === 'InvalidVSwitchId.NotFound' && e.statusCode === 404,
    );
    await assert.rejects(vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', pageSize: 51 })), (e: any) => e.code === 'InvalidParameter');
  });

  it('network ACLs: string paging fields, entries in order, bound vSwitches', async () => {
    const l = await vpc.describeNetworkAcls(new $Vpc.DescribeNetworkAclsRequest({ regionId: 'cn-hangzhou', resourceId: 'vsw-bp1gitlab', resourceType: 'VSwitch' }));
    assert.equal(l.body!.totalCount, '1');
    assert.equal(l.body!.pageNumber, '1');
    const acl = l.body!.networkAcls!.networkAcl![0]!;
    assert.deepEqual(acl.resources!.resource!.map((r) => r.resourceId), ['vsw-bp1gitlab']);
    const a = await vpc.describeNetworkAclAttributes(new $Vpc.DescribeNetworkAclAttributesRequest({ regionId: 'cn-hangzhou', networkAclId: 'nacl-bp1gitlab' }));
    const ing = a.body!.networkAclAttribute!.ingressAclEntries!.ingressAclEntry!;
    assert.deepEqual(ing.map((e) => [e.policy, e.protocol, e.port, e.sourceCidrIp]), [
      ['accept', 'tcp', '443/443', '100.104.0.0/16'],
      ['accept', 'all', '-1/-1', '192.168.0.0/16'],
      ['drop', 'all', '-1/-1', '0.0.0.0/0'],
    ]);
    assert.equal(a.body!.networkAclAttribute!.egressAclEntries!.egressAclEntry![0]!.destinationCidrIp, '0.0.0.0/0');
  });

  it('VBR, route tables and route entries (MaxResult paging, filters, next-hop related info)', async () => {
    const vbrs = await vpc.describeVirtualBorderRouters(
      new $Vpc.DescribeVirtualBorderRoutersRequest({ regionId: 'cn-hangzhou', filter: [new $Vpc.DescribeVirtualBorderRoutersRequestFilter({ key: 'VbrId', value: ['vbr-bp1idc'] })] }),
    );
    const vbr = vbrs.body!.virtualBorderRouterSet!.virtualBorderRouterType![0]!;
    assert.equal(vbr.routeTableId, 'vtb-bp1vbr');
    assert.equal(vbr.vlanInterfaceId, 'ri-bp1vbrvlan');
    const none = await vpc.describeVirtualBorderRouters(
      new $Vpc.DescribeVirtualBorderRoutersRequest({ regionId: 'cn-hangzhou', filter: [new $Vpc.DescribeVirtualBorderRoutersRequestFilter({ key: 'Status', value: ['terminated'] })] }),
    );
    assert.equal(none.body!.totalCount, 0);
    const rt = await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: 'cn-hangzhou', routerType: 'VBR', routerId: 'vbr-bp1idc' }));
    assert.deepEqual(rt.body!.routerTableList!.routerTableListType!.map((t) => t.routeTableId), ['vtb-bp1vbr']);
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const pg = await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: 'cn-hangzhou', routeTableId: 'vtb-bp1vbr', maxResult: 2, ...(token ? { nextToken: token } : {}) }));
      ids.push(...pg.body!.routeEntrys!.routeEntry!.map((e) => e.destinationCidrBlock!));
      token = pg.body!.nextToken || undefined;
      pages++;
    } while (token && pages < 5);
    assert.equal(pages, 2);
    assert.deepEqual(ids, ['10.20.0.0/16', '192.168.0.0/16', '100.104.0.0/16']);
    const e = await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: 'cn-hangzhou', routeTableId: 'vtb-bp1vbr', destinationCidrBlock: '100.104.0.0/16' }));
    const entry = e.body!.routeEntrys!.routeEntry!;
    assert.equal(entry.length, 1);
    assert.equal(entry[0]!.status, 'Available');
    const hop = entry[0]!.nextHops!.nextHop![0]!;
    assert.equal(hop.nextHopType, 'RouterInterface');
    assert.equal(hop.nextHopId, 'ri-bp1vbr2vpc');
    assert.equal(hop.nextHopRelatedInfo!.instanceId, 'vpc-bp1demo');
    assert.equal(hop.nextHopRelatedInfo!.instanceType, 'VPC');
    await assert.rejects(
      vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: 'cn-hangzhou', routeTableId: 'vtb-nope' })),
      (err: any) => err.code === 'InvalidRouteTableId.NotFound',
    );
  });

  it('BGP peers and networks, router interfaces', async () => {
    const peers = await vpc.describeBgpPeers(new $Vpc.DescribeBgpPeersRequest({ regionId: 'cn-hangzhou', routerId: 'vbr-bp1idc' }));
    const peer = peers.body!.bgpPeers!.bgpPeer![0]!;
    assert.equal(peer.bgpStatus, 'Established');
    assert.equal(peer.peerAsn, '65010');
    const nets = await vpc.describeBgpNetworks(new $Vpc.DescribeBgpNetworksRequest({ regionId: 'cn-hangzhou', routerId: 'vbr-bp1idc' }));
    assert.deepEqual(nets.body!.bgpNetworks!.bgpNetwork!.map((n) => n.dstCidrBlock), ['100.104.0.0/16', '192.168.0.0/16']);
    const ri = await vpc.describeRouterInterfaces(
      new $Vpc.DescribeRouterInterfacesRequest({ regionId: 'cn-hangzhou', filter: [new $Vpc.DescribeRouterInterfacesRequestFilter({ key: 'RouterId', value: ['vbr-bp1idc'] })] }),
    );
    const set = ri.body!.routerInterfaceSet!.routerInterfaceType!;
    assert.deepEqual(set.map((r) => [r.routerInterfaceId, r.oppositeRouterType, r.oppositeVpcInstanceId]), [['ri-bp1vbr2vpc', 'VRouter', 'vpc-bp1demo']]);
  });
});

describe('emulator: slb through the generic client', () => {
  let em: EmulatorHandle;
  let call: Awaited<ReturnType<typeof rpcCaller>>;
  before(async () => {
    em = await startTestEmulator('slb-acl-white-missing');
    call = await rpcCaller(em);
  });
  after(async () => {
    await em?.stop();
  });

  it('DescribeLoadBalancers by Address; listeners as a plain array; attributes per protocol', async () => {
    const r = await call('slb', 'DescribeLoadBalancers', { RegionId: 'cn-hangzhou', Address: '192.168.1.100', AddressType: 'intranet' });
    assert.equal(r.TotalCount, 1);
    assert.equal(r.LoadBalancers.LoadBalancer[0].LoadBalancerId, 'lb-bp1gitlab');
    const none = await call('slb', 'DescribeLoadBalancers', { RegionId: 'cn-hangzhou', Address: '192.168.1.101' });
    assert.deepEqual(none.LoadBalancers.LoadBalancer, []);
    const l = await call('slb', 'DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: ['lb-bp1gitlab'] });
    assert.ok(Array.isArray(l.Listeners));
    assert.deepEqual(l.Listeners.map((x: any) => [x.ListenerPort, x.Status, x.AclStatus, x.AclType ?? null]), [[443, 'running', 'on', 'white'], [22, 'stopped', 'off', null]]);
    const page1 = await call('slb', 'DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', MaxResults: 1 });
    assert.equal(page1.Listeners.length, 1);
    assert.ok(page1.NextToken);
    const tcp = await call('slb', 'DescribeLoadBalancerTCPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1gitlab', ListenerPort: 443 });
    assert.equal(tcp.AclId, 'acl-bp1build');
    assert.deepEqual(tcp.AclIds.AclId, ['acl-bp1build']);
    assert.equal(tcp.BackendServerPort, 443);
    await assert.rejects(call('slb', 'DescribeLoadBalancerHTTPSListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1gitlab', ListenerPort: 443 }), (e: any) => e.code === 'InvalidParameter');
    await assert.rejects(call('slb', 'DescribeHealthStatus', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-nope' }), (e: any) => e.code === 'InvalidLoadBalancerId.NotFound');
  });

  it('ACL attribute pages with Page/PageSize; health status per listener', async () => {
    const p1 = await call('slb', 'DescribeAccessControlListAttribute', { RegionId: 'cn-hangzhou', AclId: 'acl-bp1build', Page: 1, PageSize: 1 });
    const p2 = await call('slb', 'DescribeAccessControlListAttribute', { RegionId: 'cn-hangzhou', AclId: 'acl-bp1build', Page: 2, PageSize: 1 });
    assert.equal(p1.TotalAclEntry, 2);
    assert.deepEqual([...p1.AclEntrys.AclEntry, ...p2.AclEntrys.AclEntry].map((e: any) => e.AclEntryIP), ['192.168.0.0/16', '172.16.8.0/24']);
    assert.deepEqual(p1.RelatedListeners.RelatedListener, [{ LoadBalancerId: 'lb-bp1gitlab', ListenerPort: 443, Protocol: 'tcp', AclType: 'white' }]);
    await assert.rejects(call('slb', 'DescribeAccessControlListAttribute', { RegionId: 'cn-hangzhou', AclId: 'acl-nope' }), (e: any) => e.code === 'AclNotExist');
    const h = await call('slb', 'DescribeHealthStatus', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1gitlab', ListenerPort: 443 });
    assert.deepEqual(h.BackendServers.BackendServer.map((b: any) => [b.ServerId, b.Port, b.ServerHealthStatus]), [['i-bp1gitlab', 443, 'normal']]);
  });
});
