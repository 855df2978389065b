// What the collectors read of each API answer: one zod schema per action, with only the fields we
// read, under their wire names (as in the official SDK response models, fixtures/contract/*.json).
// The TypeScript types of the answers are inferred from these schemas, so the normalisers
// (src/facts/normalise/) read typed values and a field they read cannot be left out of the check.
//
// Required is only what the API documents as always present: the wrapped list of a list action
// (present, possibly empty) and the fields a verdict is made of. Everything else we read is
// optional, but when present it must have its type. Without this check an answer that lost its list
// (or whose fields came back as the wrong type) would read as "no rules", "no entries" or status
// "UNKNOWN", and a rule would give a confident verdict on nothing. A mismatch makes the fact
// unavailable (api-error, code MalformedResponse) with the action and the field path, so the rules
// that need it end in `error` with the reason.
import * as z from 'zod';
import type { Product } from '../cloud/api.js';

// ---- leaves: each carries the "expected ..." its refusal names --------------------------------
const str = z.string({ error: 'expected string' });
/** a number; a few answers send numbers as strings */
const num = z.union([z.number(), z.string()], { error: 'expected number or string' });
/** a boolean; a few answers send "true"/"false" */
const bool = z.union([z.boolean(), z.string()], { error: 'expected boolean or string' });
const opt = <T extends z.ZodType>(t: T) => t.nullish();
const obj = <S extends z.ZodRawShape>(shape: S) => z.object(shape, { error: 'expected an object' });
const arr = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected a list' });
/** a wrapped list inside an item ({ SecurityGroupId: [...] }): either level may be absent */
const inner = <K extends string, T extends z.ZodType>(key: K, item: T) => opt(obj({ [key]: opt(arr(item)) } as { [P in K]: z.ZodOptional<z.ZodNullable<z.ZodArray<T>>> }));
/** the wrapped list of a list action ({ Outer: { Inner: [...] } }): always present, possibly empty */
const listOf = <K extends string, T extends z.ZodType>(key: K, item: T) => obj({ [key]: arr(item) } as { [P in K]: z.ZodArray<T> });
/** the paging fields the pager reads: the cursor of NextToken lists, the total of numbered lists */
const byToken = { NextToken: opt(str) };
const byNumber = { TotalCount: opt(num) };

// ---- ecs -------------------------------------------------------------------------------------------
const Instance = obj({
  InstanceId: str,
  ZoneId: opt(str),
  VpcAttributes: opt(obj({ VpcId: opt(str), VSwitchId: opt(str), PrivateIpAddress: inner('IpAddress', str) })),
  SecurityGroupIds: inner('SecurityGroupId', str),
  NetworkInterfaces: inner('NetworkInterface', obj({ Type: opt(str), NetworkInterfaceId: opt(str) })),
});
const NetworkInterface = obj({
  NetworkInterfaceId: str,
  InstanceId: opt(str),
  VpcId: opt(str),
  VSwitchId: opt(str),
  ZoneId: opt(str),
  PrivateIpAddress: opt(str),
  PrivateIpSets: inner('PrivateIpSet', obj({ PrivateIpAddress: opt(str) })),
  SecurityGroupIds: inner('SecurityGroupId', str),
  ServiceManaged: opt(bool),
});
const SecurityGroup = obj({ SecurityGroupId: str, SecurityGroupName: opt(str), VpcId: opt(str), SecurityGroupType: opt(str), ServiceManaged: opt(bool) });
const Permission = obj({
  Direction: str,
  Policy: str,
  IpProtocol: str,
  Priority: num,
  PortRange: opt(str),
  SecurityGroupRuleId: opt(str),
  SourceCidrIp: opt(str),
  SourcePrefixListId: opt(str),
  SourceGroupId: opt(str),
  DestCidrIp: opt(str),
  DestPrefixListId: opt(str),
  DestGroupId: opt(str),
  Description: opt(str),
  PortRangeListId: opt(str),
  SourcePortRange: opt(str),
});

// ---- vpc -------------------------------------------------------------------------------------------
const VSwitch = obj({ VSwitchId: str, ZoneId: str, CidrBlock: str, VpcId: opt(str), NetworkAclId: opt(str), Status: opt(str) });
const aclEntry = { NetworkAclEntryId: opt(str), NetworkAclEntryName: opt(str), Policy: str, Protocol: str, Port: opt(str), EntryType: opt(str) };
const IngressAclEntry = obj({ ...aclEntry, SourceCidrIp: opt(str) });
const EgressAclEntry = obj({ ...aclEntry, DestinationCidrIp: opt(str) });
const Vbr = obj({
  VbrId: str,
  Status: opt(str),
  RouteTableId: opt(str),
  VlanInterfaceId: opt(str),
  PhysicalConnectionId: opt(str),
  LocalGatewayIp: opt(str),
  PeerGatewayIp: opt(str),
});
const RouteEntry = obj({
  DestinationCidrBlock: str,
  RouteEntryId: opt(str),
  Status: opt(str),
  Type: opt(str),
  NextHops: inner('NextHop', obj({ NextHopType: opt(str), NextHopId: opt(str) })),
});

// ---- slb -------------------------------------------------------------------------------------------
const LoadBalancer = obj({ LoadBalancerId: str, Address: str, AddressType: opt(str), VpcId: opt(str), VSwitchId: opt(str), LoadBalancerStatus: opt(str) });
const Listener = obj({
  ListenerPort: num,
  ListenerProtocol: str,
  Status: opt(str),
  AclStatus: opt(str),
  AclType: opt(str),
  AclId: opt(str),
  /** a plain list in the model; older answers wrap it (AclIds.AclId) */
  AclIds: opt(z.union([arr(str), obj({ AclId: opt(arr(str)) })], { error: 'expected a list of ACL ids' })),
  BackendServerPort: opt(num),
});
const BackendServer = obj({ ServerHealthStatus: str, ServerId: opt(str), ServerIp: opt(str), Port: opt(num), ListenerPort: opt(num) });

// ---- the answers ---------------------------------------------------------------------------------
export const RESPONSES = {
  'ecs:DescribeInstances': obj({ ...byToken, Instances: listOf('Instance', Instance) }),
  'ecs:DescribeNetworkInterfaces': obj({ ...byToken, NetworkInterfaceSets: listOf('NetworkInterfaceSet', NetworkInterface) }),
  'ecs:DescribeSecurityGroups': obj({ ...byToken, SecurityGroups: listOf('SecurityGroup', SecurityGroup) }),
  'ecs:DescribeSecurityGroupAttribute': obj({
    NextToken: opt(str),
    SecurityGroupId: str,
    SecurityGroupName: opt(str),
    VpcId: opt(str),
    InnerAccessPolicy: opt(str),
    Permissions: listOf('Permission', Permission),
  }),
  'ecs:DescribePrefixListAttributes': obj({ PrefixListName: opt(str), AddressFamily: opt(str), Entries: listOf('Entry', obj({ Cidr: str })) }),

  // an empty answer is the API's "no such VPC / vSwitch": the collector reports it as not found;
  // an answer that names the resource carries the fields a verdict is made of
  'vpc:DescribeVpcAttribute': obj({
    VpcId: opt(str),
    CidrBlock: opt(str),
    SecondaryCidrBlocks: inner('SecondaryCidrBlock', str),
    UserCidrs: inner('UserCidr', str),
    Status: opt(str),
  }).superRefine((b, ctx) => {
    if (b.VpcId === undefined && b.CidrBlock === undefined) return;
    for (const k of ['VpcId', 'CidrBlock'] as const) if (b[k] == null) ctx.addIssue({ code: 'custom', path: [k], message: 'expected string' });
  }),
  // NetworkAclId: the DescribeVSwitchAttributes reference prints it as a number in its example (an id, read as text)
  'vpc:DescribeVSwitchAttributes': obj({ ...VSwitch.shape, VSwitchId: opt(str), ZoneId: opt(str), CidrBlock: opt(str), NetworkAclId: opt(num) }).superRefine((b, ctx) => {
    if (b.VSwitchId === undefined) return;
    for (const k of ['VSwitchId', 'ZoneId', 'CidrBlock'] as const) if (b[k] == null) ctx.addIssue({ code: 'custom', path: [k], message: 'expected string' });
  }),
  'vpc:DescribeVpcs': obj({ ...byNumber, Vpcs: listOf('Vpc', obj({ VpcId: str, VSwitchIds: inner('VSwitchId', str) })) }),
  'vpc:DescribeVSwitches': obj({ ...byNumber, VSwitches: listOf('VSwitch', VSwitch) }),
  'vpc:DescribeNetworkAclAttributes': obj({
    NetworkAclAttribute: obj({
      NetworkAclId: opt(str),
      VpcId: opt(str),
      Status: opt(str),
      IngressAclEntries: listOf('IngressAclEntry', IngressAclEntry),
      EgressAclEntries: listOf('EgressAclEntry', EgressAclEntry),
    }),
  }),
  'vpc:DescribeVirtualBorderRouters': obj({ ...byNumber, VirtualBorderRouterSet: listOf('VirtualBorderRouterType', Vbr) }),
  'vpc:DescribeRouteEntryList': obj({ ...byToken, RouteEntrys: listOf('RouteEntry', RouteEntry) }),
  'vpc:DescribeBgpPeers': obj({
    ...byNumber,
    BgpPeers: listOf('BgpPeer', obj({ BgpPeerId: str, RouterId: opt(str), BgpStatus: opt(str), PeerIpAddress: opt(str), PeerAsn: opt(str) })),
  }),
  'vpc:DescribeBgpNetworks': obj({ ...byNumber, BgpNetworks: listOf('BgpNetwork', obj({ DstCidrBlock: str, RouterId: opt(str), Status: opt(str) })) }),

  'slb:DescribeLoadBalancers': obj({ ...byNumber, LoadBalancers: listOf('LoadBalancer', LoadBalancer) }),
  'slb:DescribeLoadBalancerListeners': obj({ ...byToken, Listeners: arr(Listener) }),
  'slb:DescribeHealthStatus': obj({ BackendServers: listOf('BackendServer', BackendServer) }),
  'slb:DescribeAccessControlListAttribute': obj({ TotalAclEntry: opt(num), AclEntrys: listOf('AclEntry', obj({ AclEntryIP: str })) }),

  'cr:GetInstance': obj({ InstanceId: str, InstanceStatus: str, InstanceName: opt(str), InstanceSpecification: opt(str) }),
  'cr:GetRepository': obj({ RepoId: str, RepoName: opt(str), RepoNamespaceName: opt(str) }),
  'cr:GetRepoSourceCodeRepo': obj({
    CodeRepoType: opt(str),
    CodeRepoNamespaceName: opt(str),
    CodeRepoName: opt(str),
    CodeRepoDomain: opt(str),
    OverseaBuild: opt(bool),
    AutoBuild: opt(bool),
  }),
} as const;

/** "product:Action" of every answer the collectors read */
export type ActionKey = keyof typeof RESPONSES;
export type ResponseOf<K extends ActionKey> = z.infer<(typeof RESPONSES)[K]>;

// the answers and the items the normalisers take
export type GetInstanceResponse = ResponseOf<'cr:GetInstance'>;
export type GetRepositoryResponse = ResponseOf<'cr:GetRepository'>;
export type GetRepoSourceCodeRepoResponse = ResponseOf<'cr:GetRepoSourceCodeRepo'>;
export type InstanceItem = z.infer<typeof Instance>;
export type NetworkInterfaceItem = z.infer<typeof NetworkInterface>;
export type SecurityGroupItem = z.infer<typeof SecurityGroup>;
export type SecurityGroupAttributeResponse = ResponseOf<'ecs:DescribeSecurityGroupAttribute'>;
export type PermissionItem = z.infer<typeof Permission>;
export type PrefixListAttributesResponse = ResponseOf<'ecs:DescribePrefixListAttributes'>;
export type VpcAttributeResponse = ResponseOf<'vpc:DescribeVpcAttribute'>;
export type VSwitchItem = z.infer<typeof VSwitch>;
export type NetworkAclAttributesResponse = ResponseOf<'vpc:DescribeNetworkAclAttributes'>;
export type IngressAclEntryItem = z.infer<typeof IngressAclEntry>;
export type EgressAclEntryItem = z.infer<typeof EgressAclEntry>;
export type VbrItem = z.infer<typeof Vbr>;
export type RouteEntryItem = z.infer<typeof RouteEntry>;
export type BgpPeerItem = ResponseOf<'vpc:DescribeBgpPeers'>['BgpPeers']['BgpPeer'][number];
export type BgpNetworkItem = ResponseOf<'vpc:DescribeBgpNetworks'>['BgpNetworks']['BgpNetwork'][number];
export type LoadBalancerItem = z.infer<typeof LoadBalancer>;
export type ListenerItem = z.infer<typeof Listener>;
export type BackendServerItem = z.infer<typeof BackendServer>;

export class MalformedResponse extends Error {
  readonly code = 'MalformedResponse';
  constructor(
    readonly product: Product,
    readonly action: string,
    problem: string,
  ) {
    super(`${product}:${action}: malformed answer: ${problem}`);
    this.name = 'MalformedResponse';
  }
}

function typeName(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Path segments as the wire shows them: Permissions.Permission[0].Direction */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v = body;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The answer of `product:action` as its typed value, or a MalformedResponse naming the first field path that differs. */
export function parseResponse<K extends ActionKey>(key: K, body: unknown): ResponseOf<K> {
  const r = RESPONSES[key].safeParse(body);
  if (r.success) return r.data as ResponseOf<K>;
  const [product, action] = key.split(':') as [Product, string];
  const issue = r.error.issues[0]!;
  const at = pathText(issue.path);
  throw new MalformedResponse(product, action, `${at ? `${at}: ` : ''}${issue.message}, got ${typeName(valueAt(body, issue.path))}`);
}
