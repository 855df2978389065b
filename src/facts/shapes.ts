// What the collectors need of each answer, checked before they read it. The normalisers default
// what may legitimately be absent; without this check an answer that lost its list (or whose fields
// came back as the wrong type) would read as "no rules", "no entries" or status "UNKNOWN", and a rule
// would give a confident verdict on nothing. A mismatch makes the fact unavailable ("api-error",
// code MalformedResponse), so the rules that need it end in `error` with the reason.
//
// Only what the API documents as always present is required: the wrapped list of a list action
// (present, possibly empty) and the fields a verdict is made of.

type Kind = 'string' | 'string|number';

interface Shape {
  /** top-level fields and their types */
  fields?: Record<string, Kind>;
  /** the answer's list: wrapped (outer.inner) or, for a few actions, a plain array under outer */
  list?: { path: [string, string?]; item?: Record<string, Kind>; optionalItem?: Record<string, Kind> };
  /** fields that may be absent but, when present, have this type */
  optional?: Record<string, Kind>;
}

const PERMISSION: Record<string, Kind> = { Direction: 'string', Policy: 'string', IpProtocol: 'string', Priority: 'string|number' };
const ACL_ENTRY: Record<string, Kind> = { Policy: 'string', Protocol: 'string' };

export const SHAPES: Readonly<Record<string, Shape>> = {
  'cr:GetInstance': { fields: { InstanceId: 'string', InstanceStatus: 'string' }, optional: { InstanceName: 'string', InstanceSpecification: 'string' } },
  'vpc:DescribeVpcAttribute': { fields: { VpcId: 'string', CidrBlock: 'string' } },
  // NetworkAclId: the DescribeVSwitchAttributes reference prints it as a number in its example (an id, read as text)
  'vpc:DescribeVSwitchAttributes': { fields: { VSwitchId: 'string', ZoneId: 'string', CidrBlock: 'string' }, optional: { VpcId: 'string', NetworkAclId: 'string|number' } },
  'vpc:DescribeVpcs': { list: { path: ['Vpcs', 'Vpc'], item: { VpcId: 'string' } } },
  'vpc:DescribeVSwitches': { list: { path: ['VSwitches', 'VSwitch'], item: { VSwitchId: 'string', ZoneId: 'string', CidrBlock: 'string' }, optionalItem: { NetworkAclId: 'string' } } },
  'ecs:DescribeInstances': { list: { path: ['Instances', 'Instance'], item: { InstanceId: 'string' } } },
  'ecs:DescribeNetworkInterfaces': { list: { path: ['NetworkInterfaceSets', 'NetworkInterfaceSet'], item: { NetworkInterfaceId: 'string' }, optionalItem: { VSwitchId: 'string', PrivateIpAddress: 'string' } } },
  'ecs:DescribeSecurityGroups': { list: { path: ['SecurityGroups', 'SecurityGroup'], item: { SecurityGroupId: 'string' }, optionalItem: { SecurityGroupType: 'string' } } },
  'ecs:DescribeSecurityGroupAttribute': {
    fields: { SecurityGroupId: 'string' },
    list: { path: ['Permissions', 'Permission'], item: PERMISSION, optionalItem: { PortRange: 'string', SourceCidrIp: 'string', DestCidrIp: 'string', SourcePrefixListId: 'string', SourcePortRange: 'string' } },
  },
  'ecs:DescribePrefixListAttributes': { list: { path: ['Entries', 'Entry'], item: { Cidr: 'string' } } },
  'slb:DescribeLoadBalancers': { list: { path: ['LoadBalancers', 'LoadBalancer'], item: { LoadBalancerId: 'string', Address: 'string' } } },
  'slb:DescribeLoadBalancerListeners': { list: { path: ['Listeners'], item: { ListenerPort: 'string|number', ListenerProtocol: 'string' }, optionalItem: { Status: 'string', AclStatus: 'string', AclType: 'string' } } },
  'slb:DescribeHealthStatus': { list: { path: ['BackendServers', 'BackendServer'], item: { ServerHealthStatus: 'string' } } },
  'slb:DescribeAccessControlListAttribute': { list: { path: ['AclEntrys', 'AclEntry'], item: { AclEntryIP: 'string' } } },
  'vpc:DescribeVirtualBorderRouters': { list: { path: ['VirtualBorderRouterSet', 'VirtualBorderRouterType'], item: { VbrId: 'string' }, optionalItem: { Status: 'string', RouteTableId: 'string', VlanInterfaceId: 'string' } } },
  'vpc:DescribeRouteEntryList': { list: { path: ['RouteEntrys', 'RouteEntry'], item: { DestinationCidrBlock: 'string' }, optionalItem: { Status: 'string', Type: 'string' } } },
  'vpc:DescribeBgpPeers': { list: { path: ['BgpPeers', 'BgpPeer'], item: { BgpPeerId: 'string' }, optionalItem: { BgpStatus: 'string' } } },
  'vpc:DescribeBgpNetworks': { list: { path: ['BgpNetworks', 'BgpNetwork'], item: { DstCidrBlock: 'string' } } },
};

/** DescribeNetworkAclAttributes nests its answer in NetworkAclAttribute (or not): checked apart. */
function aclProblem(body: Record<string, unknown>): string | undefined {
  const a = (isObj(body.NetworkAclAttribute) ? body.NetworkAclAttribute : body) as Record<string, unknown>;
  for (const [outer, inner] of [['IngressAclEntries', 'IngressAclEntry'], ['EgressAclEntries', 'EgressAclEntry']] as const) {
    const p = listProblem(a, [outer, inner], ACL_ENTRY, {});
    if (p) return `NetworkAclAttribute.${p}`;
  }
  return undefined;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function kindProblem(v: unknown, kind: Kind): string | undefined {
  const ok = typeof v === 'string' || (kind === 'string|number' && typeof v === 'number');
  return ok ? undefined : `expected ${kind.replace('|', ' or ')}, got ${typeName(v)}`;
}

function fieldsProblem(o: Record<string, unknown>, required: Record<string, Kind>, optional: Record<string, Kind>, at: string): string | undefined {
  for (const [k, kind] of Object.entries(required)) {
    const p = kindProblem(o[k], kind);
    if (p) return `${at}${k}: ${p}`;
  }
  for (const [k, kind] of Object.entries(optional)) {
    if (o[k] === undefined || o[k] === null) continue;
    const p = kindProblem(o[k], kind);
    if (p) return `${at}${k}: ${p}`;
  }
  return undefined;
}

function listProblem(body: Record<string, unknown>, path: [string, string?], item: Record<string, Kind>, optionalItem: Record<string, Kind>): string | undefined {
  const [outer, inner] = path;
  const o = body[outer];
  let items: unknown;
  let where = outer;
  if (inner) {
    where = `${outer}.${inner}`;
    if (!isObj(o)) return `${outer}: expected the wrapped list ${where}, got ${typeName(o)}`;
    items = o[inner];
  } else items = o;
  if (!Array.isArray(items)) return `${where}: expected a list, got ${typeName(items)}`;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (!isObj(it)) return `${where}[${i}]: expected an object, got ${typeName(it)}`;
    const p = fieldsProblem(it, item, optionalItem, `${where}[${i}].`);
    if (p) return p;
  }
  return undefined;
}

/** The first way `body` differs from what the collectors read of `product:action`, or undefined. */
export function shapeProblem(product: string, action: string, body: Record<string, unknown>): string | undefined {
  const key = `${product}:${action}`;
  if (key === 'vpc:DescribeNetworkAclAttributes') return aclProblem(body);
  const s = SHAPES[key];
  if (!s) return undefined;
  // an empty success for a resource that is not there: the collector reports it as not found
  if ((key === 'vpc:DescribeVpcAttribute' && body.VpcId === undefined && body.CidrBlock === undefined) || (key === 'vpc:DescribeVSwitchAttributes' && body.VSwitchId === undefined)) return undefined;
  const f = fieldsProblem(body, s.fields ?? {}, s.optional ?? {}, '');
  if (f) return f;
  if (s.list) return listProblem(body, s.list.path, s.list.item ?? {}, s.list.optionalItem ?? {});
  return undefined;
}
