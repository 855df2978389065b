// VPC answers as facts: pure functions of the typed answers (src/facts/responses.ts).
import type { BgpNetwork, BgpPeer, NaclEntry, NetworkAcl, RegionVpc, RouteEntry, Vbr, Vpc, VSwitch } from '../types.js';
import type { EgressAclEntryItem, IngressAclEntryItem, BgpNetworkItem, BgpPeerItem, NetworkAclAttributesResponse, RouteEntryItem, VbrItem, VpcAttributeResponse } from '../responses.js';
import { optional } from './values.js';

/** A DescribeVpcAttribute answer that names the VPC (the caller reports an empty answer as not found). */
export function normVpc(b: VpcAttributeResponse, vpcId: string): Vpc {
  return {
    vpcId: String(b.VpcId ?? vpcId),
    cidrBlock: String(b.CidrBlock ?? ''),
    secondaryCidrBlocks: (b.SecondaryCidrBlocks?.SecondaryCidrBlock ?? []).map(String),
    userCidrs: (b.UserCidrs?.UserCidr ?? []).map(String),
    ...optional('status', b.Status),
  };
}

/** A vSwitch of DescribeVSwitches, or a DescribeVSwitchAttributes answer that names one. */
export function normVSwitch(v: { VSwitchId?: string | null; VpcId?: string | null; ZoneId?: string | null; CidrBlock?: string | null; NetworkAclId?: string | number | null; Status?: string | null }): VSwitch {
  return {
    vSwitchId: String(v.VSwitchId),
    vpcId: String(v.VpcId ?? ''),
    zoneId: String(v.ZoneId ?? ''),
    cidrBlock: String(v.CidrBlock ?? ''),
    ...optional('networkAclId', v.NetworkAclId),
    ...optional('status', v.Status),
  };
}

export function normRegionVpc(v: { VpcId: string; VSwitchIds?: { VSwitchId?: string[] | null } | null }): RegionVpc {
  return { vpcId: String(v.VpcId), vSwitchIds: (v.VSwitchIds?.VSwitchId ?? []).map(String) };
}

/** An entry of either direction; `cidr`: SourceCidrIp of an ingress entry, DestinationCidrIp of an egress one. */
function normAclEntry(e: IngressAclEntryItem | EgressAclEntryItem, cidr: string | null | undefined): NaclEntry {
  return {
    ...optional('entryId', e.NetworkAclEntryId),
    ...optional('name', e.NetworkAclEntryName),
    policy: String(e.Policy ?? 'accept').toLowerCase() === 'drop' ? 'drop' : 'accept',
    protocol: String(e.Protocol ?? 'all').toLowerCase(),
    port: String(e.Port ?? '-1/-1'),
    cidr: String(cidr ?? ''),
    ...optional('entryType', e.EntryType),
  };
}

export function normNetworkAcl(b: NetworkAclAttributesResponse, id: string): NetworkAcl {
  const a = b.NetworkAclAttribute;
  return {
    networkAclId: String(a.NetworkAclId ?? id),
    ...optional('vpcId', a.VpcId),
    ...optional('status', a.Status),
    ingress: a.IngressAclEntries.IngressAclEntry.map((e) => normAclEntry(e, e.SourceCidrIp)),
    egress: a.EgressAclEntries.EgressAclEntry.map((e) => normAclEntry(e, e.DestinationCidrIp)),
  };
}

export function normVbr(v: VbrItem): Vbr {
  return {
    vbrId: String(v.VbrId),
    status: String(v.Status ?? 'unknown'),
    ...optional('routeTableId', v.RouteTableId),
    ...optional('vlanInterfaceId', v.VlanInterfaceId),
    ...optional('physicalConnectionId', v.PhysicalConnectionId),
    ...optional('localGatewayIp', v.LocalGatewayIp),
    ...optional('peerGatewayIp', v.PeerGatewayIp),
  };
}

export function normRouteEntry(e: RouteEntryItem): RouteEntry {
  return {
    ...optional('routeEntryId', e.RouteEntryId),
    destinationCidrBlock: String(e.DestinationCidrBlock ?? ''),
    status: String(e.Status ?? 'Available'),
    type: String(e.Type ?? 'Custom'),
    nextHops: (e.NextHops?.NextHop ?? []).map((h) => ({ nextHopType: String(h.NextHopType ?? ''), nextHopId: String(h.NextHopId ?? '') })),
  };
}

export function normBgpPeer(p: BgpPeerItem, vbrId: string): BgpPeer {
  return {
    bgpPeerId: String(p.BgpPeerId),
    routerId: String(p.RouterId ?? vbrId),
    bgpStatus: String(p.BgpStatus ?? 'Unknown'),
    ...optional('peerIpAddress', p.PeerIpAddress),
    ...optional('peerAsn', p.PeerAsn),
  };
}

export function normBgpNetwork(n: BgpNetworkItem, vbrId: string): BgpNetwork {
  return { routerId: String(n.RouterId ?? vbrId), dstCidrBlock: String(n.DstCidrBlock ?? ''), ...optional('status', n.Status) };
}
