// Translations of cloud network configuration (as our facts describe it) into what a Linux kernel
// enforces, for the differential tests. Each function is the whole translation of one concept, so
// that where the kernel cannot say a thing the way Alibaba documents it, the translation is in one
// place with the documentation beside it.
//
// Kernel vocabulary: nftables chains (first match, terminal verdicts) and routing tables
// (longest prefix match), inside network namespaces the tests create.
import type { NaclEntry, SecurityGroup, SgPermission } from '../../src/facts/types.js';

/**
 * Alibaba documents security-group evaluation by priority, not by position:
 *   "The valid values of Priority range from 1 to 100. A smaller value indicates a higher
 *    priority." and "When multiple security group rules have the same priority, drop rules take
 *    precedence." (ECS API AuthorizeSecurityGroup, operation description,
 *    https://www.alibabacloud.com/help/doc-detail/25554.htm)
 *   "When an instance belongs to multiple security groups, rules from all groups are aggregated,
 *    sorted, and applied together" (https://www.alibabacloud.com/help/en/ecs/user-guide/security-group-rules)
 * A first-match firewall has only position. The same decisions come from one list holding the
 * ingress rules of every group, in ascending priority, drops before accepts at equal priority.
 * (The order among rules of equal priority and equal policy does not matter: they agree.)
 */
export function firstMatchOrder(groups: readonly SecurityGroup[]): SgPermission[] {
  return groups
    .flatMap((g) => g.permissions)
    .filter((p) => p.direction === 'ingress')
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.priority - b.p.priority || rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
}
const rank = (p: SgPermission) => (p.policy === 'drop' ? 0 : 1);

const range = (r: string) => {
  const [a, b] = r.split('/').map(Number);
  return a === -1 ? undefined : a === b ? String(a) : `${a}-${b}`;
};

/** The nft match for an ECS IpProtocol (TCP, UDP, ICMP, ALL, or a number) and its port range. */
function sgProtocol(p: SgPermission): string[] {
  const proto = p.ipProtocol.toUpperCase();
  if (proto === 'ALL' || proto === '-1') return [];
  const name = proto === '6' ? 'tcp' : proto === '17' ? 'udp' : proto.toLowerCase();
  const out = [`meta l4proto ${name}`];
  if (name === 'tcp' || name === 'udp') {
    const ports = range(p.portRange);
    if (ports) out.push(`${name} dport ${ports}`);
    const sports = p.sourcePortRange ? range(p.sourcePortRange) : undefined;
    if (sports) out.push(`${name} sport ${sports}`);
  }
  return out;
}

/**
 * Security groups of GitLab's interface as an nft table in GitLab's namespace. Only traffic from
 * the builder range to `port` is judged here (everything else passes untouched); what no rule
 * matches is denied, as for both group kinds when the source is not a member
 * ("Basic security groups allow inbound internal traffic from instances in the same group ...
 * Enterprise security groups deny both inbound and outbound traffic by default", same page).
 * Denials answer with a TCP reset so a probe learns at once (the verdict is the same: no connection).
 */
export function securityGroupsToNft(groups: readonly SecurityGroup[], prefixLists: Record<string, string[]>, port: number): string {
  const lines: string[] = [];
  for (const p of firstMatchOrder(groups)) {
    const verdict = p.policy === 'drop' ? 'jump deny' : 'accept';
    const l4 = sgProtocol(p);
    const sources = p.sourceCidrIp ? [p.sourceCidrIp] : p.sourcePrefixListId ? (prefixLists[p.sourcePrefixListId] ?? []) : [];
    // a prefix list is a set of sources with one verdict: one line per entry, same position
    for (const src of sources) lines.push(`    ${[`ip saddr ${src}`, ...l4].join(' ')} ${verdict}`);
  }
  return [
    'table inet sg {',
    '  chain deny {',
    '    meta l4proto tcp reject with tcp reset',
    '    drop',
    '  }',
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    '    ip saddr != 100.104.0.0/16 accept',
    `    tcp dport != ${port} accept`,
    ...lines,
    '    jump deny',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * A network ACL as nft: stateless, entries in order, first match decides, unmatched traffic is
 * dropped. "Rules are evaluated in ascending priority order starting from 1. ... The first matching
 * rule applies its allow or deny policy, and evaluation stops." "For both inbound and outbound
 * rules, the port range always matches the destination port of the traffic." "Network ACL rules
 * are stateless. An inbound allow rule does not automatically permit return traffic" (VPC, Network
 * ACLs, https://www.alibabacloud.com/help/en/vpc/network-acl-overview). Inbound entries judge the
 * request (source address, destination port = GitLab's); outbound entries judge GitLab's reply
 * (destination address, destination port = the builder's source port).
 */
export function networkAclToNft(ingress: readonly NaclEntry[], egress: readonly NaclEntry[]): string {
  const entry = (e: NaclEntry, addr: 'saddr' | 'daddr', deny: string) => {
    const proto = e.protocol.toLowerCase();
    const l4 = proto === 'all' || proto === '-1' ? [] : [`meta l4proto ${proto}`];
    const ports = proto === 'tcp' || proto === 'udp' ? range(e.port) : undefined;
    if (ports) l4.push(`${proto} dport ${ports}`);
    return `    ${[`ip ${addr} ${e.cidr}`, ...l4].join(' ')} ${e.policy === 'accept' ? 'accept' : deny}`;
  };
  return [
    'table inet acl {',
    '  chain deny-in {',
    '    meta l4proto tcp reject with tcp reset',
    '    drop',
    '  }',
    '  chain in {',
    '    type filter hook input priority -10; policy accept;',
    '    ip saddr != 100.104.0.0/16 accept',
    ...ingress.map((e) => entry(e, 'saddr', 'jump deny-in')),
    '    jump deny-in',
    '  }',
    '  chain out {',
    '    type filter hook output priority -10; policy accept;',
    '    ip daddr != 100.104.0.0/16 accept',
    ...egress.map((e) => entry(e, 'daddr', 'drop')),
    '    drop',
    '  }',
    '}',
    '',
  ].join('\n');
}

export type RouteToward = 'vpc' | 'idc';

/**
 * VBR route entries for the reply direction as `ip -batch` commands for the router namespace: a
 * route toward the VPC forwards to the builder side, one whose next hop is the VBR's own VLAN
 * interface sends the reply back into the data center, where it is lost (modelled as unreachable).
 * Routing is longest prefix match, as the kernel's.
 */
export function vbrRoutesToBatch(entries: readonly { cidr: string; toward: RouteToward }[], table: number, builderGateway: string): string {
  return [
    `route flush table ${table}`,
    ...entries.map((e) => (e.toward === 'vpc' ? `route add ${e.cidr} via ${builderGateway} table ${table}` : `route add unreachable ${e.cidr} table ${table}`)),
    '',
  ].join('\n');
}

/** Data-center prefixes on GitLab's side: a reply to an address inside one stays in the data center (lost). */
export function datacenterRoutesToBatch(cidrs: readonly string[], table: number): string {
  return [`route flush table ${table}`, ...cidrs.map((c) => `route add blackhole ${c} table ${table}`), ''].join('\n');
}
