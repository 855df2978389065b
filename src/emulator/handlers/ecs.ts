// ecs 2014-05-26: the instance / ENI / security-group reads the checks need, and AuthorizeSecurityGroup.
import { InvalidParameter, NotFound } from '../errors.js';
import { isCidr } from '../../net/cidr.js';
import { numberPage, tokenPage, usesLegacyPaging } from '../paginate.js';
import type { Params } from '../params.js';
import { primaryEniId, WORLD_EPOCH, type Sg } from '../store.js';
import type { InstanceWorld, NetworkInterfaceWorld, PermissionWorld } from '../world.js';
import { isoSeconds, rest } from './shape.js';
import type { Handler, ProductSpec } from './types.js';



/** ECS list paging: NextToken/MaxResults, or the deprecated PageNumber/PageSize when those are sent. */
function ecsPage<T>(all: T[], p: Params, token: { def: number; min: number; max: number }, legacyMax: number): Record<string, unknown> & { items: T[] } {
  if (usesLegacyPaging(p)) {
    const pg = numberPage(all, p, { pageParam: 'PageNumber', def: 10, max: legacyMax });
    return { items: pg.items, PageNumber: pg.page, PageSize: pg.size, TotalCount: pg.total };
  }
  const t = tokenPage(all, p, token);
  return { items: t.items, NextToken: t.nextToken };
}

function instanceBody(i: InstanceWorld, regionId: string): Record<string, unknown> {
  const ips = i.VpcAttributes.PrivateIpAddress;
  return {
    InstanceName: i.InstanceId,
    InstanceNetworkType: 'vpc',
    RegionId: regionId,
    CreationTime: isoSeconds(WORLD_EPOCH).replace(/:\d\dZ$/, 'Z'), // DescribeInstances prints minutes: 2026-01-05T08:00Z
    ...rest(i, ['VpcAttributes', 'SecurityGroupIds', 'NetworkInterfaceId']),
    VpcAttributes: {
      VpcId: i.VpcAttributes.VpcId,
      VSwitchId: i.VpcAttributes.VSwitchId,
      NatIpAddress: '',
      PrivateIpAddress: { IpAddress: [...ips] },
    },
    SecurityGroupIds: { SecurityGroupId: [...i.SecurityGroupIds] },
    NetworkInterfaces: {
      NetworkInterface: [
        {
          NetworkInterfaceId: primaryEniId(i),
          Type: 'Primary',
          PrimaryIpAddress: ips[0],
          MacAddress: macFor(primaryEniId(i)),
          PrivateIpSets: { PrivateIpSet: ips.map((ip, k) => ({ PrivateIpAddress: ip, Primary: k === 0 })) },
        },
      ],
    },
    PublicIpAddress: { IpAddress: [] },
    InnerIpAddress: { IpAddress: [] },
    EipAddress: { AllocationId: '', IpAddress: '', InternetChargeType: '' },
  };
}

function macFor(id: string): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const b = [0x00, 0x16, 0x3e, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function eniBody(n: NetworkInterfaceWorld): Record<string, unknown> {
  const ips = n.PrivateIpSets?.length ? n.PrivateIpSets : [n.PrivateIpAddress];
  return {
    ...rest(n, ['PrivateIpSets', 'SecurityGroupIds', 'ServiceManaged']),
    ServiceManaged: n.ServiceManaged ?? false,
    MacAddress: macFor(n.NetworkInterfaceId),
    CreationTime: isoSeconds(WORLD_EPOCH),
    OwnerId: '1234567890123456',
    ResourceGroupId: '',
    ...(n.InstanceId ? { Attachment: { InstanceId: n.InstanceId, DeviceIndex: n.Type === 'Primary' ? 0 : 1 } } : {}),
    PrivateIpSets: {
      PrivateIpSet: ips.map((ip) => ({ PrivateIpAddress: ip, Primary: ip === n.PrivateIpAddress })),
    },
    SecurityGroupIds: { SecurityGroupId: [...n.SecurityGroupIds] },
    Tags: { Tag: [] },
  };
}

function permissionBody(p: PermissionWorld, createTime: string): Record<string, unknown> {
  const policy = (p.Policy ?? 'accept').toLowerCase();
  return {
    SourcePortRange: '',
    SourceGroupId: '',
    SourceGroupName: '',
    SourceGroupOwnerAccount: '',
    SourcePrefixListName: '',
    Ipv6SourceCidrIp: '',
    Ipv6DestCidrIp: '',
    DestGroupId: '',
    DestGroupName: '',
    DestGroupOwnerAccount: '',
    DestPrefixListName: '',
    PortRangeListId: '',
    PortRangeListName: '',
    NicType: 'intranet',
    Description: '',
    CreateTime: createTime,
    ...p,
    Direction: p.Direction,
    Policy: policy === 'accept' ? 'Accept' : 'Drop',
    Priority: String(p.Priority ?? 1),
    IpProtocol: p.IpProtocol.toUpperCase(),
    PortRange: p.PortRange ?? '-1/-1',
    SourceCidrIp: p.SourceCidrIp ?? '',
    SourcePrefixListId: p.SourcePrefixListId ?? '',
    DestCidrIp: p.DestCidrIp ?? '',
    DestPrefixListId: p.DestPrefixListId ?? '',
  };
}

function sgSummary(sg: Sg): Record<string, unknown> {
  return {
    SecurityGroupName: sg.SecurityGroupId,
    Description: '',
    ResourceGroupId: '',
    ...rest(sg, ['Permissions', 'InnerAccessPolicy']),
    ServiceManaged: sg.ServiceManaged,
    RuleCount: sg.Permissions.length,
    GroupToGroupRuleCount: sg.Permissions.filter((p) => p.SourceGroupId).length,
    Tags: { Tag: [] },
  };
}

const DescribeInstances: Handler = ({ p, store, regionId }) => {
  const ids = p.jsonList('InstanceIds');
  const ips = p.jsonList('PrivateIpAddresses');
  const vpcId = p.str('VpcId');
  const vswId = p.str('VSwitchId');
  const zone = p.str('ZoneId');
  const sgId = p.str('SecurityGroupId');
  const status = p.oneOf('Status', ['Pending', 'Running', 'Starting', 'Stopping', 'Stopped']);
  const all = store.instances.filter(
    (i) =>
      (!ids || ids.includes(i.InstanceId)) &&
      (!ips || i.VpcAttributes.PrivateIpAddress.some((x) => ips.includes(x))) &&
      (!vpcId || i.VpcAttributes.VpcId === vpcId) &&
      (!vswId || i.VpcAttributes.VSwitchId === vswId) &&
      (!zone || i.ZoneId === zone) &&
      (!sgId || i.SecurityGroupIds.includes(sgId)) &&
      (!status || i.Status === status),
  );
  const { items, ...page } = ecsPage(all, p, { def: 10, min: 1, max: 100 }, 100);
  return { ...page, TotalCount: all.length, Instances: { Instance: items.map((i) => instanceBody(i, regionId)) } };
};

const DescribeNetworkInterfaces: Handler = ({ p, store }) => {
  const ids = p.list('NetworkInterfaceId');
  const privIps = p.list('PrivateIpAddress');
  const primaryIp = p.str('PrimaryIpAddress');
  const managed = p.bool('ServiceManaged');
  const type = p.oneOf('Type', ['Primary', 'Secondary']);
  const f = {
    VpcId: p.str('VpcId'),
    VSwitchId: p.str('VSwitchId'),
    InstanceId: p.str('InstanceId'),
    Status: p.str('Status'),
  };
  const sgId = p.str('SecurityGroupId');
  if (ids.length > 100) throw new InvalidParameter('NetworkInterfaceId.N', 'at most 100 ids');
  const all = store.allNetworkInterfaces().filter(
    (n) =>
      (!ids.length || ids.includes(n.NetworkInterfaceId)) &&
      // documented as the ENI's secondary IPs; we also match the primary (lenient: callers use PrimaryIpAddress for it)
      (!privIps.length || [n.PrivateIpAddress, ...(n.PrivateIpSets ?? [])].some((x) => privIps.includes(x))) &&
      (!primaryIp || n.PrivateIpAddress === primaryIp) &&
      (managed === undefined || (n.ServiceManaged ?? false) === managed) &&
      (!type || n.Type === type) &&
      (!f.VpcId || n.VpcId === f.VpcId) &&
      (!f.VSwitchId || n.VSwitchId === f.VSwitchId) &&
      (!f.InstanceId || n.InstanceId === f.InstanceId) &&
      (!f.Status || n.Status === f.Status) &&
      // documented: matches secondary ENIs only (primary ENIs: DescribeInstances SecurityGroupId)
      (!sgId || (n.Type === 'Secondary' && n.SecurityGroupIds.includes(sgId))),
  );
  const { items, ...page } = ecsPage(all, p, { def: 10, min: 10, max: 500 }, 1000);
  return {
    ...page,
    TotalCount: all.length,
    NetworkInterfaceSets: {
      NetworkInterfaceSet: items.map(eniBody),
    },
  };
};

const DescribeSecurityGroups: Handler = ({ p, store, regionId }) => {
  const ids = p.jsonList('SecurityGroupIds');
  const id = p.str('SecurityGroupId');
  const vpcId = p.str('VpcId');
  const type = p.oneOf('SecurityGroupType', ['normal', 'enterprise']);
  const managed = p.bool('ServiceManaged');
  const name = p.str('SecurityGroupName');
  p.oneOf('NetworkType', ['vpc', 'classic']);
  const all = store.securityGroups.filter(
    (s) =>
      (!ids || ids.includes(s.SecurityGroupId)) &&
      (!id || s.SecurityGroupId === id) &&
      (!vpcId || s.VpcId === vpcId) &&
      (!type || s.SecurityGroupType === type) &&
      (managed === undefined || s.ServiceManaged === managed) &&
      (!name || s.SecurityGroupName === name) &&
      p.str('NetworkType') !== 'classic',
  );
  const { items, ...page } = ecsPage(all, p, { def: 10, min: 1, max: 100 }, 50);
  return { ...page, RegionId: regionId, SecurityGroups: { SecurityGroup: items.map(sgSummary) } };
};

const DescribeSecurityGroupAttribute: Handler = ({ p, store, regionId }) => {
  const sg = store.sg(p.req('SecurityGroupId'));
  const dir = p.oneOf('Direction', ['ingress', 'egress', 'all']) ?? 'all';
  p.oneOf('NicType', ['internet', 'intranet']);
  const perms = sg.Permissions.filter((x) => dir === 'all' || x.Direction === dir);
  const t = tokenPage(perms, p, { def: 500, min: 10, max: 1000 });
  return {
    RegionId: regionId,
    SecurityGroupId: sg.SecurityGroupId,
    SecurityGroupName: sg.SecurityGroupName ?? sg.SecurityGroupId,
    Description: sg.Description ?? '',
    VpcId: sg.VpcId,
    InnerAccessPolicy: sg.InnerAccessPolicy ?? (sg.SecurityGroupType === 'enterprise' ? 'Drop' : 'Accept'),
    NextToken: t.nextToken,
    Permissions: { Permission: t.items.map((x) => permissionBody(x, sg.CreationTime)) },
  };
};

const DescribePrefixListAttributes: Handler = ({ p, store }) => {
  const id = p.req('PrefixListId');
  const pl = store.prefixLists.find((x) => x.PrefixListId === id);
  if (!pl) throw new NotFound('InvalidPrefixListId.NotFound', 'PrefixListId', id);
  return {
    PrefixListName: pl.PrefixListId,
    Description: '',
    CreationTime: isoSeconds(WORLD_EPOCH),
    MaxEntries: Math.max(pl.Entries.length, 20),
    ...rest(pl, ['Entries']),
    Entries: { Entry: pl.Entries.map((e) => ({ Description: '', ...e })) },
  };
};

/** one rule from the flat parameters or from Permissions.N.* (both are documented) */
function rulesFromParams(p: Params): PermissionWorld[] {
  const objs = p.objects('Permissions');
  const raw = objs.length
    ? objs
    : [
        Object.fromEntries(
          ['IpProtocol', 'PortRange', 'SourceCidrIp', 'SourcePrefixListId', 'SourceGroupId', 'Policy', 'Priority', 'Description', 'DestCidrIp', 'SourcePortRange', 'NicType']
            .filter((k) => p.has(k))
            .map((k) => [k, p.str(k)!]),
        ),
      ];
  return raw.map((r, i) => {
    const where = objs.length ? `Permissions.${i + 1}.` : '';
    if (!r.IpProtocol) throw new InvalidParameter(`${where}IpProtocol`, 'is required', 'MissingIpProtocol');
    const proto = r.IpProtocol.toUpperCase();
    if (!['TCP', 'UDP', 'ICMP', 'ICMPV6', 'GRE', 'ALL'].includes(proto) && !/^\d{1,3}$/.test(proto)) {
      throw new InvalidParameter(`${where}IpProtocol`, `"${r.IpProtocol}" is not TCP, UDP, ICMP, ICMPv6, GRE or ALL`, 'InvalidIpProtocol.Malformed');
    }
    const port = r.PortRange ?? (proto === 'TCP' || proto === 'UDP' ? undefined : '-1/-1');
    const m = port ? /^(-?\d+)\/(-?\d+)$/.exec(port) : null;
    if (!m || ((proto === 'TCP' || proto === 'UDP') && (Number(m[1]) < 1 || Number(m[2]) > 65535 || Number(m[1]) > Number(m[2])))) {
      throw new InvalidParameter(`${where}PortRange`, `"${port ?? ''}" is not start/end within 1-65535`, 'InvalidPortRange.Malformed');
    }
    const policy = (r.Policy ?? 'accept').toLowerCase();
    if (policy !== 'accept' && policy !== 'drop') throw new InvalidParameter(`${where}Policy`, 'accept or drop', 'InvalidPolicy.Malformed');
    const prio = Number(r.Priority ?? 1);
    if (!Number.isInteger(prio) || prio < 1 || prio > 100) throw new InvalidParameter(`${where}Priority`, '1-100', 'InvalidPriority.Malformed');
    if (!r.SourceCidrIp && !r.SourcePrefixListId && !r.SourceGroupId) {
      throw new InvalidParameter(`${where}SourceCidrIp`, 'one of SourceCidrIp, SourcePrefixListId or SourceGroupId is required', 'MissingParameter');
    }
    // the code names follow the *.Malformed pattern of the others; that ECS uses exactly these is our choice
    for (const k of ['SourceCidrIp', 'DestCidrIp'] as const) {
      if (r[k] && !isCidr(r[k])) throw new InvalidParameter(`${where}${k}`, `"${r[k]}" is not an IPv4 address or CIDR`, `Invalid${k}.Malformed`);
    }
    if (r.SourcePortRange && !/^(-1\/-1|\d{1,5}\/\d{1,5})$/.test(r.SourcePortRange)) {
      throw new InvalidParameter(`${where}SourcePortRange`, `"${r.SourcePortRange}" is not start/end`, 'InvalidSourcePortRange.Malformed');
    }
    const rule: PermissionWorld = { Direction: 'ingress', IpProtocol: proto, PortRange: port, Policy: policy, Priority: prio };
    if (r.SourceCidrIp) rule.SourceCidrIp = r.SourceCidrIp;
    if (r.SourcePrefixListId) rule.SourcePrefixListId = r.SourcePrefixListId;
    if (r.SourceGroupId) rule.SourceGroupId = r.SourceGroupId;
    if (r.Description) rule.Description = r.Description;
    if (r.DestCidrIp) rule.DestCidrIp = r.DestCidrIp;
    if (r.SourcePortRange) rule.SourcePortRange = r.SourcePortRange;
    return rule;
  });
}

const AuthorizeSecurityGroup: Handler = ({ p, store }) => {
  const id = p.req('SecurityGroupId');
  store.authorize(id, rulesFromParams(p));
  return {};
};

/** RevokeSecurityGroup by rule ids (SecurityGroupRuleId.N, the documented form of a revoke by id) */
const RevokeSecurityGroup: Handler = ({ p, store }) => {
  const id = p.req('SecurityGroupId');
  const ruleIds = p.list('SecurityGroupRuleId');
  if (!ruleIds.length) throw new InvalidParameter('SecurityGroupRuleId.N', 'this emulator revokes rules by SecurityGroupRuleId only', 'MissingParameter');
  store.revoke(id, ruleIds);
  return {};
};

export const ECS: ProductSpec = {
  product: 'ecs',
  version: '2014-05-26',
  title: 'Ecs',
  regionRequired: true,
  actions: {
    DescribeInstances,
    DescribeNetworkInterfaces,
    DescribeSecurityGroups,
    DescribeSecurityGroupAttribute,
    DescribePrefixListAttributes,
    AuthorizeSecurityGroup,
    RevokeSecurityGroup,
  },
};
