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
//
// Built with zod/mini, lazily: an answer's schema is built the first time an answer of its action is
// parsed (or when warmResponseSchemas asks for it, while the first requests are in flight), once
// per process; nothing is built when the module loads.
import '../util/zod-mode.js';
import * as z from 'zod/mini';
import type { Product } from '../cloud/api.js';

// ---- leaves: each carries the "expected ..." its refusal names; one instance each, shared by every answer
function buildLeaves() {
  const str = z.string({ error: 'expected string' });
  /** a number; a few answers send numbers as strings */
  const num = z.union([z.number(), z.string()], { error: 'expected number or string' });
  /** a boolean; a few answers send "true"/"false" */
  const bool = z.union([z.boolean(), z.string()], { error: 'expected boolean or string' });
  return { str, num, bool, optStr: z.nullish(str), optNum: z.nullish(num), optBool: z.nullish(bool) };
}
let leafSchemas: ReturnType<typeof buildLeaves> | undefined;
const leaves = () => (leafSchemas ??= buildLeaves());

const opt = <T extends z.ZodMiniType>(t: T) => z.nullish(t);
const obj = <S extends z.core.$ZodLooseShape>(shape: S) => z.object(shape, { error: 'expected an object' });
const arr = <T extends z.ZodMiniType>(item: T) => z.array(item, { error: 'expected a list' });
/** a wrapped list inside an item ({ SecurityGroupId: [...] }): either level may be absent */
const inner = <K extends string, T extends z.ZodMiniType>(key: K, item: T) => opt(obj({ [key]: opt(arr(item)) } as { [P in K]: z.ZodMiniOptional<z.ZodMiniNullable<z.ZodMiniArray<T>>> }));
/** the wrapped list of a list action ({ Outer: { Inner: [...] } }): always present, possibly empty */
const listOf = <K extends string, T extends z.ZodMiniType>(key: K, item: T) => obj({ [key]: arr(item) } as { [P in K]: z.ZodMiniArray<T> });
/** the paging fields the pager reads: the cursor of NextToken lists, the total of numbered lists */
const byToken = () => ({ NextToken: leaves().optStr });
const byNumber = () => ({ TotalCount: leaves().optNum });

// ---- the items: each a builder (an answer's schema builds the items it holds) ---------------------
// ecs
function Instance() {
  const { str, optStr } = leaves();
  return obj({
    InstanceId: str,
    ZoneId: optStr,
    VpcAttributes: opt(obj({ VpcId: optStr, VSwitchId: optStr, PrivateIpAddress: inner('IpAddress', str) })),
    SecurityGroupIds: inner('SecurityGroupId', str),
    NetworkInterfaces: inner('NetworkInterface', obj({ Type: optStr, NetworkInterfaceId: optStr })),
  });
}
function NetworkInterface() {
  const { str, optStr, optBool } = leaves();
  return obj({
    NetworkInterfaceId: str,
    InstanceId: optStr,
    VpcId: optStr,
    VSwitchId: optStr,
    ZoneId: optStr,
    PrivateIpAddress: optStr,
    PrivateIpSets: inner('PrivateIpSet', obj({ PrivateIpAddress: optStr })),
    SecurityGroupIds: inner('SecurityGroupId', str),
    ServiceManaged: optBool,
  });
}
function SecurityGroup() {
  const { str, optStr, optBool } = leaves();
  return obj({ SecurityGroupId: str, SecurityGroupName: optStr, VpcId: optStr, SecurityGroupType: optStr, ServiceManaged: optBool });
}
function Permission() {
  const { str, num, optStr } = leaves();
  return obj({
    Direction: str,
    Policy: str,
    IpProtocol: str,
    Priority: num,
    PortRange: optStr,
    SecurityGroupRuleId: optStr,
    SourceCidrIp: optStr,
    SourcePrefixListId: optStr,
    SourceGroupId: optStr,
    DestCidrIp: optStr,
    DestPrefixListId: optStr,
    DestGroupId: optStr,
    Description: optStr,
    PortRangeListId: optStr,
    SourcePortRange: optStr,
  });
}

// vpc
function vSwitchShape() {
  const { str, optStr } = leaves();
  return { VSwitchId: str, ZoneId: str, CidrBlock: str, VpcId: optStr, NetworkAclId: optStr, Status: optStr };
}
const VSwitch = () => obj(vSwitchShape());
function aclEntry() {
  const { str, optStr } = leaves();
  return { NetworkAclEntryId: optStr, NetworkAclEntryName: optStr, Policy: str, Protocol: str, Port: optStr, EntryType: optStr };
}
const IngressAclEntry = () => obj({ ...aclEntry(), SourceCidrIp: leaves().optStr });
const EgressAclEntry = () => obj({ ...aclEntry(), DestinationCidrIp: leaves().optStr });
function Vbr() {
  const { str, optStr } = leaves();
  return obj({
    VbrId: str,
    Status: optStr,
    RouteTableId: optStr,
    VlanInterfaceId: optStr,
    PhysicalConnectionId: optStr,
    LocalGatewayIp: optStr,
    PeerGatewayIp: optStr,
  });
}
function RouteEntry() {
  const { str, optStr } = leaves();
  return obj({
    DestinationCidrBlock: str,
    RouteEntryId: optStr,
    Status: optStr,
    Type: optStr,
    NextHops: inner('NextHop', obj({ NextHopType: optStr, NextHopId: optStr })),
  });
}

// slb
function LoadBalancer() {
  const { str, optStr } = leaves();
  return obj({ LoadBalancerId: str, Address: str, AddressType: optStr, VpcId: optStr, VSwitchId: optStr, LoadBalancerStatus: optStr });
}
function Listener() {
  const { str, num, optStr, optNum } = leaves();
  return obj({
    ListenerPort: num,
    ListenerProtocol: str,
    Status: optStr,
    AclStatus: optStr,
    AclType: optStr,
    AclId: optStr,
    /** a plain list in the model; older answers wrap it (AclIds.AclId) */
    AclIds: opt(z.union([arr(str), obj({ AclId: opt(arr(str)) })], { error: 'expected a list of ACL ids' })),
    BackendServerPort: optNum,
  });
}
function BackendServer() {
  const { str, optStr, optNum } = leaves();
  return obj({ ServerHealthStatus: str, ServerId: optStr, ServerIp: optStr, Port: optNum, ListenerPort: optNum });
}

/** `fields` (a resource's) are required once the answer names the resource by `when`; an empty answer is "no such resource" */
function requiredOnceNamed<T extends Record<string, unknown>>(when: (b: T) => boolean, fields: readonly (keyof T & string)[]) {
  return z.superRefine<T>((b, ctx) => {
    if (!when(b)) return;
    for (const k of fields) if (b[k] == null) ctx.addIssue({ code: 'custom', path: [k], message: 'expected string' });
  });
}

// ---- the answers: one builder per action -------------------------------------------------------------
const BUILD = {
  'ecs:DescribeInstances': () => obj({ ...byToken(), Instances: listOf('Instance', Instance()) }),
  'ecs:DescribeNetworkInterfaces': () => obj({ ...byToken(), NetworkInterfaceSets: listOf('NetworkInterfaceSet', NetworkInterface()) }),
  'ecs:DescribeSecurityGroups': () => obj({ ...byToken(), SecurityGroups: listOf('SecurityGroup', SecurityGroup()) }),
  'ecs:DescribeSecurityGroupAttribute': () => {
    const { str, optStr } = leaves();
    return obj({
      NextToken: optStr,
      SecurityGroupId: str,
      SecurityGroupName: optStr,
      VpcId: optStr,
      InnerAccessPolicy: optStr,
      Permissions: listOf('Permission', Permission()),
    });
  },
  'ecs:DescribePrefixListAttributes': () => {
    const { str, optStr } = leaves();
    return obj({ PrefixListName: optStr, AddressFamily: optStr, Entries: listOf('Entry', obj({ Cidr: str })) });
  },

  // an empty answer is the API's "no such VPC / vSwitch": the collector reports it as not found;
  // an answer that names the resource carries the fields a verdict is made of
  'vpc:DescribeVpcAttribute': () => {
    const { str, optStr } = leaves();
    const o = obj({
      VpcId: optStr,
      CidrBlock: optStr,
      SecondaryCidrBlocks: inner('SecondaryCidrBlock', str),
      UserCidrs: inner('UserCidr', str),
      Status: optStr,
    });
    return o.check(requiredOnceNamed<z.output<typeof o>>((b) => b.VpcId !== undefined || b.CidrBlock !== undefined, ['VpcId', 'CidrBlock']));
  },
  // NetworkAclId: the DescribeVSwitchAttributes reference prints it as a number in its example (an id, read as text)
  'vpc:DescribeVSwitchAttributes': () => {
    const { optStr, optNum } = leaves();
    const o = obj({ ...vSwitchShape(), VSwitchId: optStr, ZoneId: optStr, CidrBlock: optStr, NetworkAclId: optNum });
    return o.check(requiredOnceNamed<z.output<typeof o>>((b) => b.VSwitchId !== undefined, ['VSwitchId', 'ZoneId', 'CidrBlock']));
  },
  'vpc:DescribeVpcs': () => {
    const { str } = leaves();
    return obj({ ...byNumber(), Vpcs: listOf('Vpc', obj({ VpcId: str, VSwitchIds: inner('VSwitchId', str) })) });
  },
  'vpc:DescribeVSwitches': () => obj({ ...byNumber(), VSwitches: listOf('VSwitch', VSwitch()) }),
  'vpc:DescribeNetworkAclAttributes': () => {
    const { optStr } = leaves();
    return obj({
      NetworkAclAttribute: obj({
        NetworkAclId: optStr,
        VpcId: optStr,
        Status: optStr,
        IngressAclEntries: listOf('IngressAclEntry', IngressAclEntry()),
        EgressAclEntries: listOf('EgressAclEntry', EgressAclEntry()),
      }),
    });
  },
  'vpc:DescribeVirtualBorderRouters': () => obj({ ...byNumber(), VirtualBorderRouterSet: listOf('VirtualBorderRouterType', Vbr()) }),
  'vpc:DescribeRouteEntryList': () => obj({ ...byToken(), RouteEntrys: listOf('RouteEntry', RouteEntry()) }),
  'vpc:DescribeBgpPeers': () => {
    const { str, optStr } = leaves();
    return obj({
      ...byNumber(),
      BgpPeers: listOf('BgpPeer', obj({ BgpPeerId: str, RouterId: optStr, BgpStatus: optStr, PeerIpAddress: optStr, PeerAsn: optStr })),
    });
  },
  'vpc:DescribeBgpNetworks': () => {
    const { str, optStr } = leaves();
    return obj({ ...byNumber(), BgpNetworks: listOf('BgpNetwork', obj({ DstCidrBlock: str, RouterId: optStr, Status: optStr })) });
  },

  'slb:DescribeLoadBalancers': () => obj({ ...byNumber(), LoadBalancers: listOf('LoadBalancer', LoadBalancer()) }),
  'slb:DescribeLoadBalancerListeners': () => obj({ ...byToken(), Listeners: arr(Listener()) }),
  'slb:DescribeHealthStatus': () => obj({ BackendServers: listOf('BackendServer', BackendServer()) }),
  'slb:DescribeAccessControlListAttribute': () => {
    const { str, optNum } = leaves();
    return obj({ TotalAclEntry: optNum, AclEntrys: listOf('AclEntry', obj({ AclEntryIP: str })) });
  },

  'cr:GetInstance': () => {
    const { str, optStr } = leaves();
    return obj({ InstanceId: str, InstanceStatus: str, InstanceName: optStr, InstanceSpecification: optStr });
  },
  'cr:GetRepository': () => {
    const { str, optStr } = leaves();
    return obj({ RepoId: str, RepoName: optStr, RepoNamespaceName: optStr });
  },
  'cr:GetRepoSourceCodeRepo': () => {
    const { optStr, optBool } = leaves();
    return obj({
      CodeRepoType: optStr,
      CodeRepoNamespaceName: optStr,
      CodeRepoName: optStr,
      CodeRepoDomain: optStr,
      OverseaBuild: optBool,
      AutoBuild: optBool,
    });
  },
} as const;

/** "product:Action" of every answer the collectors read */
export type ActionKey = keyof typeof BUILD;
type Schemas = { readonly [K in ActionKey]: ReturnType<(typeof BUILD)[K]> };
export type ResponseOf<K extends ActionKey> = z.output<Schemas[K]>;

/** Every action whose answer the collectors read, in the order above. */
export const ACTION_KEYS = Object.keys(BUILD) as readonly ActionKey[];

const built = new Map<ActionKey, z.ZodMiniType>();

/** The schema of `key`'s answer, built on first use. */
export function responseSchema<K extends ActionKey>(key: K): Schemas[K] {
  let s = built.get(key);
  if (!s) {
    s = BUILD[key]();
    built.set(key, s);
  }
  return s as Schemas[K];
}

/** Build (once) the schemas of these actions' answers now, e.g. while their requests are in flight. */
export function warmResponseSchemas(keys: readonly ActionKey[]): void {
  for (const k of keys) responseSchema(k);
}

/** The actions whose answer schemas this process has built so far (in build order). */
export function builtResponseSchemas(): ActionKey[] {
  return [...built.keys()];
}

/** Every answer's schema by action; each is built when it is first read. */
export const RESPONSES: Schemas = Object.defineProperties(
  {},
  Object.fromEntries(ACTION_KEYS.map((k) => [k, { enumerable: true, get: () => responseSchema(k) }])),
) as Schemas;

// the answers and the items the normalisers take
export type GetInstanceResponse = ResponseOf<'cr:GetInstance'>;
export type GetRepositoryResponse = ResponseOf<'cr:GetRepository'>;
export type GetRepoSourceCodeRepoResponse = ResponseOf<'cr:GetRepoSourceCodeRepo'>;
type Item<F extends () => z.ZodMiniType> = z.output<ReturnType<F>>;
export type InstanceItem = Item<typeof Instance>;
export type NetworkInterfaceItem = Item<typeof NetworkInterface>;
export type SecurityGroupItem = Item<typeof SecurityGroup>;
export type SecurityGroupAttributeResponse = ResponseOf<'ecs:DescribeSecurityGroupAttribute'>;
export type PermissionItem = Item<typeof Permission>;
export type PrefixListAttributesResponse = ResponseOf<'ecs:DescribePrefixListAttributes'>;
export type VpcAttributeResponse = ResponseOf<'vpc:DescribeVpcAttribute'>;
export type VSwitchItem = Item<typeof VSwitch>;
export type NetworkAclAttributesResponse = ResponseOf<'vpc:DescribeNetworkAclAttributes'>;
export type IngressAclEntryItem = Item<typeof IngressAclEntry>;
export type EgressAclEntryItem = Item<typeof EgressAclEntry>;
export type VbrItem = Item<typeof Vbr>;
export type RouteEntryItem = Item<typeof RouteEntry>;
export type BgpPeerItem = ResponseOf<'vpc:DescribeBgpPeers'>['BgpPeers']['BgpPeer'][number];
export type BgpNetworkItem = ResponseOf<'vpc:DescribeBgpNetworks'>['BgpNetworks']['BgpNetwork'][number];
export type LoadBalancerItem = Item<typeof LoadBalancer>;
export type ListenerItem = Item<typeof Listener>;
export type BackendServerItem = Item<typeof BackendServer>;

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
  const r = responseSchema(key).safeParse(body);
  if (r.success) return r.data as ResponseOf<K>;
  const [product, action] = key.split(':') as [Product, string];
  const issue = r.error.issues[0]!;
  const at = pathText(issue.path);
  throw new MalformedResponse(product, action, `${at ? `${at}: ` : ''}${issue.message}, got ${typeName(valueAt(body, issue.path))}`);
}
