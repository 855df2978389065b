// vpc 2016-04-28: VPCs, vSwitches, network ACLs, VBRs, route tables/entries, BGP, router interfaces.
// Size: one handler per documented VPC action the tool calls, sharing the response shapers below.
import { InvalidParameter, NotFound } from '../errors.js';
import { numberPage, tokenPage } from '../paginate.js';
import type { Params } from '../params.js';
import { aclEntryId, WORLD_EPOCH, type RegionStore } from '../store.js';
import type { AclEntryWorld, NetworkAclWorld, RouteEntryWorld, RouteTableWorld } from '../world.js';
import { isoSeconds, rest } from './shape.js';
import type { Handler, ProductSpec } from './types.js';

const created = isoSeconds(WORLD_EPOCH);

function paged<T>(all: T[], p: Params, max = 50): { items: T[]; PageNumber: number; PageSize: number; TotalCount: number } {
  const pg = numberPage(all, p, { pageParam: 'PageNumber', def: 10, max });
  return { items: pg.items, PageNumber: pg.page, PageSize: pg.size, TotalCount: pg.total };
}

function vpcBody(store: RegionStore, v: RegionStore['vpcs'][number]): Record<string, unknown> {
  return {
    VpcName: '',
    Description: '',
    IsDefault: false,
    Status: 'Available',
    CreationTime: created,
    RegionId: store.regionId,
    VRouterId: `vrt-${v.VpcId.replace(/^vpc-/, '')}`,
    ResourceGroupId: '',
    ...rest(v, ['SecondaryCidrBlocks', 'UserCidrs']),
    SecondaryCidrBlocks: { SecondaryCidrBlock: [...(v.SecondaryCidrBlocks ?? [])] },
    UserCidrs: { UserCidr: [...(v.UserCidrs ?? [])] },
    VSwitchIds: { VSwitchId: store.vSwitches.filter((s) => s.VpcId === v.VpcId).map((s) => s.VSwitchId) },
  };
}

function systemRouteTable(store: RegionStore, vpcId: string): RouteTableWorld | undefined {
  return store.routeTables.find((t) => t.RouterType === 'VRouter' && t.VpcId === vpcId && (t.RouteTableType ?? 'System') === 'System');
}

function vswBody(store: RegionStore, s: RegionStore['vSwitches'][number]): Record<string, unknown> {
  const rtId = s.RouteTableId ?? systemRouteTable(store, s.VpcId)?.RouteTableId ?? `vtb-${s.VpcId.replace(/^vpc-/, '')}`;
  const rt = store.routeTables.find((t) => t.RouteTableId === rtId);
  const len = Number(s.CidrBlock.split('/')[1] ?? 32);
  return {
    VSwitchName: '',
    Description: '',
    Status: 'Available',
    IsDefault: false,
    CreationTime: created,
    AvailableIpAddressCount: Math.max(0, 2 ** (32 - len) - 4),
    NetworkAclId: '',
    ResourceGroupId: '',
    ...rest(s, ['RouteTableId']),
    RouteTable: { RouteTableId: rtId, RouteTableType: rt?.RouteTableType ?? 'System' },
  };
}

function aclEntries(acl: NetworkAclWorld, dir: 'ingress' | 'egress'): Record<string, unknown>[] {
  const list: AclEntryWorld[] = dir === 'ingress' ? acl.IngressAclEntries : acl.EgressAclEntries;
  return list.map((e, i) => ({
    NetworkAclEntryName: '',
    Description: '',
    EntryType: 'custom',
    IpVersion: 'IPV4',
    ...e,
    NetworkAclEntryId: aclEntryId(acl.NetworkAclId, dir, i, e),
    Policy: e.Policy.toLowerCase(),
    Protocol: e.Protocol.toLowerCase(),
    Port: e.Port ?? '-1/-1',
    ...(dir === 'ingress' ? { SourceCidrIp: e.SourceCidrIp ?? '0.0.0.0/0' } : { DestinationCidrIp: e.DestinationCidrIp ?? '0.0.0.0/0' }),
  }));
}

function aclBody(store: RegionStore, acl: NetworkAclWorld): Record<string, unknown> {
  return {
    NetworkAclName: '',
    Description: '',
    Status: 'Available',
    CreationTime: created,
    RegionId: store.regionId,
    OwnerId: 1234567890123456,
    ...rest(acl, ['IngressAclEntries', 'EgressAclEntries']),
    IngressAclEntries: { IngressAclEntry: aclEntries(acl, 'ingress') },
    EgressAclEntries: { EgressAclEntry: aclEntries(acl, 'egress') },
    Resources: {
      Resource: store.vSwitches
        .filter((s) => s.NetworkAclId === acl.NetworkAclId)
        .map((s) => ({ ResourceId: s.VSwitchId, ResourceType: 'VSwitch', Status: 'BINDED' })),
    },
    Tags: { Tag: [] },
  };
}

function acl(store: RegionStore, id: string): NetworkAclWorld {
  const a = store.networkAcls.find((x) => x.NetworkAclId === id);
  if (!a) throw new NotFound('InvalidNetworkAclId.NotFound', 'NetworkAclId', id);
  return a;
}

/** Filter.N.Key / Filter.N.Value.M: filters AND'ed, values OR'ed (DescribeVirtualBorderRouters, DescribeRouterInterfaces) */
function filters(p: Params, allowed: string[]): { key: string; values: string[] }[] {
  return p.objects('Filter').map((f, i) => {
    const key = f.Key;
    if (!key) throw new InvalidParameter(`Filter.${i + 1}.Key`, 'is required');
    if (!allowed.includes(key)) throw new InvalidParameter(`Filter.${i + 1}.Key`, `"${key}" is not one of ${allowed.join(', ')}`);
    const values = Object.entries(f)
      .filter(([k]) => /^Value\.\d+$/.test(k))
      .sort((a, b) => Number(a[0].slice(6)) - Number(b[0].slice(6)))
      .map(([, v]) => v);
    return { key, values };
  });
}

function matches(o: Record<string, unknown>, fs: { key: string; values: string[] }[], map: Record<string, string> = {}): boolean {
  return fs.every((f) => f.values.length === 0 || f.values.includes(String(o[map[f.key] ?? f.key] ?? '')));
}

const DescribeVpcs: Handler = ({ p, store }) => {
  const ids = p.csv('VpcId', 20);
  const name = p.str('VpcName');
  const isDefault = p.bool('IsDefault');
  const all = store.vpcs.filter(
    (v) => (!ids || ids.includes(v.VpcId)) && (!name || v.VpcName === name) && (isDefault === undefined || (v.IsDefault ?? false) === isDefault),
  );
  const { items, ...pg } = paged(all, p);
  return { ...pg, Vpcs: { Vpc: items.map((v) => vpcBody(store, v)) } };
};

const DescribeVpcAttribute: Handler = ({ p, store }) => {
  const v = store.vpc(p.req('VpcId'));
  return { ...vpcBody(store, v), CloudResources: { CloudResourceSetType: [] }, SupportIpv4Gateway: false, Ipv4GatewayId: '' };
};

const DescribeVSwitches: Handler = ({ p, store }) => {
  const vpcId = p.str('VpcId');
  const id = p.str('VSwitchId');
  const zone = p.str('ZoneId');
  const name = p.str('VSwitchName');
  const all = store.vSwitches.filter(
    (s) => (!vpcId || s.VpcId === vpcId) && (!id || s.VSwitchId === id) && (!zone || s.ZoneId === zone) && (!name || s.VSwitchName === name),
  );
  const { items, ...pg } = paged(all, p);
  return { ...pg, VSwitches: { VSwitch: items.map((s) => vswBody(store, s)) } };
};

const DescribeVSwitchAttributes: Handler = ({ p, store }) => {
  const s = store.vSwitch(p.req('VSwitchId'));
  return vswBody(store, s);
};

const DescribeNetworkAcls: Handler = ({ p, store }) => {
  const vpcId = p.str('VpcId');
  const id = p.str('NetworkAclId');
  const name = p.str('NetworkAclName');
  const resId = p.str('ResourceId');
  if (resId) p.oneOf('ResourceType', ['VSwitch']);
  const all = store.networkAcls.filter(
    (a) =>
      (!vpcId || a.VpcId === vpcId) &&
      (!id || a.NetworkAclId === id) &&
      (!name || a.NetworkAclName === name) &&
      (!resId || store.vSwitches.some((s) => s.VSwitchId === resId && s.NetworkAclId === a.NetworkAclId)),
  );
  const { items, PageNumber, PageSize, TotalCount } = paged(all, p);
  // documented quirk: PageNumber, PageSize and TotalCount are strings in this response
  return {
    PageNumber: String(PageNumber),
    PageSize: String(PageSize),
    TotalCount: String(TotalCount),
    NetworkAcls: { NetworkAcl: items.map((a) => aclBody(store, a)) },
  };
};

const DescribeNetworkAclAttributes: Handler = ({ p, store }) => ({
  NetworkAclAttribute: aclBody(store, acl(store, p.req('NetworkAclId'))),
});

const DescribeVirtualBorderRouters: Handler = ({ p, store }) => {
  const fs = filters(p, ['VbrId', 'PhysicalConnectionId', 'Status', 'Name', 'AccessPointId', 'eccId', 'type']);
  if (fs.length > 5) throw new InvalidParameter('Filter.N', 'at most 5 filters');
  const all = store.virtualBorderRouters.filter((v) => matches(v, fs));
  const { items, ...pg } = paged(all, p);
  return {
    ...pg,
    VirtualBorderRouterSet: {
      VirtualBorderRouterType: items.map((v) => ({
        Name: '',
        Description: '',
        CreationTime: created,
        VlanId: 100,
        LocalGatewayIp: '',
        PeerGatewayIp: '',
        PeeringSubnetMask: '255.255.255.252',
        PhysicalConnectionId: '',
        PhysicalConnectionStatus: 'Enabled',
        PhysicalConnectionBusinessStatus: 'Normal',
        AssociatedCens: { AssociatedCen: [] },
        ...v,
      })),
    },
  };
};

function routeTableOf(store: RegionStore, id: string): RouteTableWorld {
  const t = store.routeTables.find((x) => x.RouteTableId === id);
  if (!t) throw new NotFound('InvalidRouteTableId.NotFound', 'RouteTableId', id);
  return t;
}

const DescribeRouteTableList: Handler = ({ p, store }) => {
  const vpcId = p.str('VpcId');
  const routerType = vpcId ? 'VRouter' : (p.oneOf('RouterType', ['VRouter', 'VBR']) ?? undefined);
  const routerId = p.str('RouterId');
  const id = p.str('RouteTableId');
  const rtType = p.str('RouteTableType');
  const all = store.routeTables.filter(
    (t) =>
      (!vpcId || t.VpcId === vpcId) &&
      (!routerType || t.RouterType === routerType) &&
      (!routerId || t.RouterId === routerId) &&
      (!id || t.RouteTableId === id) &&
      (!rtType || (t.RouteTableType ?? 'System') === rtType),
  );
  const { items, ...pg } = paged(all, p);
  return {
    ...pg,
    RouterTableList: {
      RouterTableListType: items.map((t) => ({
        RouteTableName: '',
        Description: '',
        RouteTableType: 'System',
        Status: 'Available',
        CreationTime: created,
        AssociateType: 'VSwitch',
        ResourceGroupId: '',
        ...rest(t, ['RouteEntrys']),
        VpcId: t.VpcId ?? '',
        VSwitchIds: {
          VSwitchId: store.vSwitches.filter((s) => (s.RouteTableId ?? systemRouteTable(store, s.VpcId)?.RouteTableId) === t.RouteTableId).map((s) => s.VSwitchId),
        },
      })),
    },
  };
};

/** NextHopRelatedInfo is derived: a router interface leads to its opposite VPC, a VBR's own VlanInterfaceId to its physical connection */
function relatedInfo(store: RegionStore, t: RouteTableWorld, hopType: string, hopId: string): Record<string, unknown> | undefined {
  if (hopType === 'RouterInterface') {
    const ri = store.routerInterfaces.find((r) => r.RouterInterfaceId === hopId);
    if (ri) {
      const vpc = ri.OppositeVpcInstanceId ?? (ri.OppositeRouterType === 'VRouter' ? ri.OppositeRouterId : undefined);
      if (vpc) return { InstanceId: vpc, InstanceType: 'VPC', RegionId: store.regionId };
    }
    const vbr = store.virtualBorderRouters.find((v) => v.VlanInterfaceId === hopId);
    if (vbr && t.RouterType === 'VBR') return { InstanceId: vbr.PhysicalConnectionId ?? '', InstanceType: 'PCONN', RegionId: store.regionId };
  }
  return undefined;
}

function routeEntryBody(store: RegionStore, t: RouteTableWorld, e: RouteEntryWorld, i: number): Record<string, unknown> {
  return {
    RouteEntryName: '',
    Description: '',
    IpVersion: 'ipv4',
    Origin: e.Type === 'System' ? 'SystemCreate' : e.Type === 'BGP' ? 'RoutePropagation' : 'CustomCreate',
    ...e,
    RouteEntryId: e.RouteEntryId ?? `rte-${t.RouteTableId.replace(/^[a-z]+-/, '')}-${i + 1}`,
    RouteTableId: t.RouteTableId,
    NextHops: {
      NextHop: e.NextHops.map((h) => {
        const info = relatedInfo(store, t, h.NextHopType, h.NextHopId);
        return { NextHopRegionId: store.regionId, Enabled: 1, Weight: 100, ...h, ...(info ? { NextHopRelatedInfo: info } : {}) };
      }),
    },
  };
}

const DescribeRouteEntryList: Handler = ({ p, store }) => {
  const t = routeTableOf(store, p.req('RouteTableId'));
  const dest = p.str('DestinationCidrBlock');
  const destList = p.list('DestCidrBlockList');
  const type = p.str('RouteEntryType');
  const hopType = p.str('NextHopType');
  const hopId = p.str('NextHopId');
  const entryId = p.str('RouteEntryId');
  const ipv = p.str('IpVersion');
  if (ipv && !/^ipv4$/i.test(ipv)) return { NextToken: '', TotalCount: 0, RouteEntrys: { RouteEntry: [] } };
  const all = t.RouteEntrys.map((e, i) => routeEntryBody(store, t, e, i)).filter((e) => {
    const hops = (e.NextHops as { NextHop: { NextHopType: string; NextHopId: string }[] }).NextHop;
    return (
      (!dest || e.DestinationCidrBlock === dest) &&
      (!destList.length || destList.includes(String(e.DestinationCidrBlock))) &&
      (!type || e.Type === type) &&
      (!hopType || hops.some((h) => h.NextHopType === hopType)) &&
      (!hopId || hops.some((h) => h.NextHopId === hopId)) &&
      (!entryId || e.RouteEntryId === entryId)
    );
  });
  // documented quirk: the page size parameter is MaxResult (singular), 1-100, default 10
  const tp = tokenPage(all, p, { sizeParam: 'MaxResult', def: 10, min: 1, max: 100 });
  return { NextToken: tp.nextToken, TotalCount: all.length, RouteEntrys: { RouteEntry: tp.items } };
};

const DescribeBgpPeers: Handler = ({ p, store }) => {
  const routerId = p.str('RouterId');
  const groupId = p.str('BgpGroupId');
  const peerId = p.str('BgpPeerId');
  const all = store.bgpPeers.filter(
    (b) => (!routerId || b.RouterId === routerId) && (!groupId || b.BgpGroupId === groupId) && (!peerId || b.BgpPeerId === peerId),
  );
  const { items, ...pg } = paged(all, p);
  return {
    ...pg,
    BgpPeers: {
      BgpPeer: items.map((b) => ({
        Status: 'Available',
        IpVersion: 'IPv4',
        EnableBfd: false,
        AdvertisedRouteCount: store.bgpNetworks.filter((n) => n.RouterId === b.RouterId).length,
        ReceivedRouteCount: 0,
        RegionId: store.regionId,
        ...b,
        PeerAsn: b.PeerAsn !== undefined ? String(b.PeerAsn) : '',
        BgpGroupId: b.BgpGroupId ?? `bgpg-${b.RouterId.replace(/^vbr-/, '')}`,
      })),
    },
  };
};

const DescribeBgpNetworks: Handler = ({ p, store }) => {
  const routerId = p.str('RouterId');
  const all = store.bgpNetworks.filter((n) => !routerId || n.RouterId === routerId);
  const { items, ...pg } = paged(all, p);
  return { ...pg, BgpNetworks: { BgpNetwork: items.map((n) => ({ Status: 'Enabled', VpcId: '', ...n })) } };
};

const DescribeRouterInterfaces: Handler = ({ p, store }) => {
  const fs = filters(p, [
    'RouterInterfaceId',
    'RouterId',
    'RouterType',
    'OppositeInterfaceId',
    'OppositeRouterId',
    'OppositeRouterType',
    'OppositeInterfaceOwnerId',
    'Status',
    'Name',
    'AccessPointId',
  ]);
  const all = store.routerInterfaces.filter((r) => matches(r, fs));
  const { items, ...pg } = paged(all, p);
  return {
    ...pg,
    RouterInterfaceSet: {
      RouterInterfaceType: items.map((r) => ({
        Name: '',
        Description: '',
        Role: 'InitiatingSide',
        BusinessStatus: 'Normal',
        Spec: 'Large.2',
        CreationTime: created,
        OppositeInterfaceStatus: 'Active',
        ...r,
      })),
    },
  };
};

/** UpdateNetworkAclEntries: each direction flagged Update*AclEntries is replaced by the given ordered list */
const UpdateNetworkAclEntries: Handler = ({ p, store }) => {
  const a = acl(store, p.req('NetworkAclId'));
  for (const [flag, list, addr] of [['UpdateIngressAclEntries', 'IngressAclEntries', 'SourceCidrIp'], ['UpdateEgressAclEntries', 'EgressAclEntries', 'DestinationCidrIp']] as const) {
    if (!p.bool(flag)) continue;
    const entries = p.objects(list).map((e, i): AclEntryWorld => {
      const where = `${list}.${i + 1}.`;
      const policy = (e.Policy ?? '').toLowerCase();
      if (policy !== 'accept' && policy !== 'drop') throw new InvalidParameter(`${where}Policy`, 'accept or drop');
      const protocol = (e.Protocol ?? '').toLowerCase();
      if (!['tcp', 'udp', 'icmp', 'gre', 'all'].includes(protocol)) throw new InvalidParameter(`${where}Protocol`, 'tcp, udp, icmp, gre or all');
      const port = e.Port ?? '-1/-1';
      if (!/^(-1\/-1|\d{1,5}\/\d{1,5})$/.test(port)) throw new InvalidParameter(`${where}Port`, `"${port}" is not start/end`);
      const cidrValue = e[addr];
      if (!cidrValue) throw new InvalidParameter(`${where}${addr}`, 'is required');
      return { Policy: policy, Protocol: protocol, Port: port, [addr]: cidrValue, ...(e.NetworkAclEntryName ? { NetworkAclEntryName: e.NetworkAclEntryName } : {}), ...(e.Description ? { Description: e.Description } : {}) } as AclEntryWorld;
    });
    if (list === 'IngressAclEntries') a.IngressAclEntries = entries;
    else a.EgressAclEntries = entries;
  }
  return {};
};

export const VPC: ProductSpec = {
  product: 'vpc',
  version: '2016-04-28',
  title: 'Vpc',
  regionRequired: true,
  actions: {
    DescribeVpcs,
    DescribeVpcAttribute,
    DescribeVSwitches,
    DescribeVSwitchAttributes,
    DescribeNetworkAcls,
    DescribeNetworkAclAttributes,
    DescribeVirtualBorderRouters,
    DescribeRouteTableList,
    DescribeRouteEntryList,
    DescribeBgpPeers,
    DescribeBgpNetworks,
    DescribeRouterInterfaces,
    UpdateNetworkAclEntries,
  },
};
