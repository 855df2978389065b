// ECS answers as facts: pure functions of the typed answers (src/facts/responses.ts).
import type { Eni, PrefixList, SecurityGroup, SgPermission } from '../types.js';
import type { InstanceItem, NetworkInterfaceItem, PermissionItem, PrefixListAttributesResponse, SecurityGroupAttributeResponse, SecurityGroupItem } from '../responses.js';
import { flag, optional, str } from './values.js';

export function normPermission(p: PermissionItem): SgPermission {
  const out: SgPermission = {
    direction: String(p.Direction ?? 'ingress').toLowerCase() === 'egress' ? 'egress' : 'ingress',
    policy: String(p.Policy ?? 'accept').toLowerCase() === 'drop' ? 'drop' : 'accept',
    priority: Number(p.Priority ?? 1) || 1,
    ipProtocol: String(p.IpProtocol ?? 'ALL').toUpperCase(),
    portRange: String(p.PortRange ?? '-1/-1'),
  };
  return {
    ...out,
    ...optional('ruleId', p.SecurityGroupRuleId),
    ...optional('sourceCidrIp', p.SourceCidrIp),
    ...optional('sourcePrefixListId', p.SourcePrefixListId),
    ...optional('sourceGroupId', p.SourceGroupId),
    ...optional('destCidrIp', p.DestCidrIp),
    ...optional('destPrefixListId', p.DestPrefixListId),
    ...optional('destGroupId', p.DestGroupId),
    ...optional('description', p.Description),
    ...optional('portRangeListId', p.PortRangeListId),
    ...optional('sourcePortRange', p.SourcePortRange),
  };
}

/**
 * One security group from its DescribeSecurityGroups entry (absent: not listed) and every page of
 * its DescribeSecurityGroupAttribute answer.
 */
export function normSecurityGroup(id: string, meta: SecurityGroupItem | undefined, pages: readonly SecurityGroupAttributeResponse[]): SecurityGroup {
  const first = pages[0];
  const name = str(meta?.SecurityGroupName ?? first?.SecurityGroupName);
  const vpcId = str(meta?.VpcId ?? first?.VpcId);
  return {
    securityGroupId: id,
    ...(name ? { securityGroupName: name } : {}),
    ...(vpcId ? { vpcId } : {}),
    type: String(meta?.SecurityGroupType ?? 'normal') === 'enterprise' ? 'enterprise' : 'normal',
    ...optional('innerAccessPolicy', first?.InnerAccessPolicy),
    ...(meta?.ServiceManaged != null ? { serviceManaged: flag(meta.ServiceManaged) } : {}),
    permissions: pages.flatMap((p) => p.Permissions.Permission).map(normPermission),
  };
}

/**
 * The interfaces that hold `address`, from the three lookups by address: DescribeInstances (an
 * instance's primary address), DescribeNetworkInterfaces by secondary address and by primary address
 * (any ENI, secondary ENIs included). An interface found twice is kept once.
 */
export function enisHoldingAddress(
  address: string,
  vpcId: string,
  found: { instances: readonly InstanceItem[]; bySecondary: readonly NetworkInterfaceItem[]; byPrimary: readonly NetworkInterfaceItem[] },
): Eni[] {
  const nics = [...found.byPrimary, ...found.bySecondary].filter((n, i, all) => !n.NetworkInterfaceId || all.findIndex((m) => m.NetworkInterfaceId === n.NetworkInterfaceId) === i);
  const out: Eni[] = [];
  for (const n of nics) {
    const ips = [str(n.PrivateIpAddress), ...(n.PrivateIpSets?.PrivateIpSet ?? []).map((p) => str(p.PrivateIpAddress))].filter((x): x is string => Boolean(x));
    if (!ips.includes(address)) continue;
    out.push({
      ...optional('networkInterfaceId', n.NetworkInterfaceId),
      ...optional('instanceId', n.InstanceId),
      vpcId: String(n.VpcId ?? vpcId),
      vSwitchId: String(n.VSwitchId ?? ''),
      ...optional('zoneId', n.ZoneId),
      privateIpAddresses: [...new Set(ips)],
      securityGroupIds: (n.SecurityGroupIds?.SecurityGroupId ?? []).map(String),
      ...(n.ServiceManaged != null ? { serviceManaged: flag(n.ServiceManaged) } : {}),
    });
  }
  for (const i of found.instances) {
    const ips = (i.VpcAttributes?.PrivateIpAddress?.IpAddress ?? []).map(String);
    if (!ips.includes(address)) continue;
    const primary = (i.NetworkInterfaces?.NetworkInterface ?? []).find((x) => String(x.Type ?? 'Primary') === 'Primary');
    const id = str(primary?.NetworkInterfaceId);
    if (id && out.some((e) => e.networkInterfaceId === id)) continue;
    out.push({
      ...(id ? { networkInterfaceId: id } : {}),
      instanceId: String(i.InstanceId),
      vpcId: String(i.VpcAttributes?.VpcId ?? vpcId),
      vSwitchId: String(i.VpcAttributes?.VSwitchId ?? ''),
      ...optional('zoneId', i.ZoneId),
      privateIpAddresses: ips,
      securityGroupIds: (i.SecurityGroupIds?.SecurityGroupId ?? []).map(String),
    });
  }
  return out;
}

/** A service-managed interface of the link vSwitch (the ENIs ACR creates there). */
export function normManagedEni(n: NetworkInterfaceItem, vpcId: string, vSwitchId: string): Eni {
  return {
    ...optional('networkInterfaceId', n.NetworkInterfaceId),
    vpcId: String(n.VpcId ?? vpcId),
    vSwitchId: String(n.VSwitchId ?? vSwitchId),
    privateIpAddresses: [str(n.PrivateIpAddress)].filter((x): x is string => Boolean(x)),
    securityGroupIds: (n.SecurityGroupIds?.SecurityGroupId ?? []).map(String),
    serviceManaged: true,
  };
}

/** The vSwitch of an instance (DescribeInstances VpcAttributes.VSwitchId), if it says. */
export const instanceVSwitch = (i: InstanceItem): string | undefined => str(i.VpcAttributes?.VSwitchId);

export function normPrefixList(id: string, b: PrefixListAttributesResponse): PrefixList {
  return { prefixListId: id, ...optional('prefixListName', b.PrefixListName), addressFamily: String(b.AddressFamily ?? 'IPv4'), entries: b.Entries.Entry.map((e) => String(e.Cidr)) };
}
