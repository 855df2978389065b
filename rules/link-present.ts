// link-present: the console's "Manage Link" created ACR's managed security group in the VPC, and its
// egress admits GitLab and every extra endpoint. Absent is a warning (provision guides it);
// present but wrong is a failure.
import type { SecurityGroup, SgPermission } from '../src/facts/types.js';
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import { containsAddress, isCidr, isIPv4 } from '../src/net/cidr.js';
import { portInRange, protocolCoversTcp } from './lib/ports.js';

/**
 * Does the egress of these groups admit TCP to ip:port? The rules of all groups are applied together:
 * smaller priority first, drop wins a tie; with no matching rule, the group type's default decides
 * (enterprise: deny; basic/normal: allow outbound). Destinations given as prefix lists or groups are
 * not expanded (the link's managed group lists plain CIDRs).
 */
export function egressAdmits(groups: SecurityGroup[], ip: string, port: number): { ok: boolean; by: string } {
  const rules = groups
    .flatMap((g) => g.permissions.map((p) => ({ ...p, securityGroupId: g.securityGroupId })))
    .filter((p: SgPermission) => p.direction === 'egress' && protocolCoversTcp(p.ipProtocol) && portInRange(port, p.portRange))
    .filter((p) => p.destCidrIp && isCidr(p.destCidrIp) && containsAddress(p.destCidrIp, ip))
    .sort((a, b) => a.priority - b.priority || (a.policy === b.policy ? 0 : a.policy === 'drop' ? -1 : 1));
  const first = rules[0];
  if (first) return { ok: first.policy === 'accept', by: `${first.securityGroupId}: ${first.policy} ${first.ipProtocol} ${first.portRange} to ${first.destCidrIp} (priority ${first.priority})` };
  const basic = groups.length > 0 && groups.every((g) => g.type === 'normal');
  return { ok: basic, by: basic ? 'no matching rule: basic groups allow outbound by default' : 'no matching rule: enterprise groups deny by default' };
}

export const rule: Rule = {
  id: 'link-present',
  title: "ACR's build link exists and its egress reaches GitLab",
  severity: 'warning',
  description: 'Manage Link (console only) makes ACR create a service-managed security group and network interface in the chosen VPC and vSwitch; the group admits outbound traffic only to the private IPs entered in the dialog. It must reach GitLab and every extraEndpoints entry.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.managedSecurityGroups', 'cloud.managedEnis'],
  messages: {
    ok: 'Link present: managed group {{groups}} admits {{targets}}.',
    absent: 'Not linked yet: no ACR-managed security group in {{vpc}} — `acr-preflight provision` will guide the Manage Link step.',
    missingTargets: 'The link\'s managed group {{groups}} does not admit {{missing}}: {{notEntered}} entered in Manage Link.',
    noAddress: 'The GitLab address is unknown ({{reason}}), so the link\'s egress cannot be checked.',
    noEni: 'Managed group {{groups}} admits {{targets}}, but no ACR network interface is in vSwitch {{vSwitch}}: the link may have been made for another vSwitch.',
  },
  remediation: {
    link: 'Console: Container Registry → instance → Repositories → Code Source → GitLab → Manage Link: VPC {{vpc}}, vSwitch {{vSwitch}}, GitLab private IP {{gitlab}}, other IPs {{extra}}. Or run `acr-preflight provision`.',
    vswitch: 'Open Manage Link and check the vSwitch of the link: it must be {{vSwitch}} (the one in preflight.yaml), or set vpc.vSwitchId to the vSwitch the link uses.',
    relink: 'Edit the link in Manage Link and add {{missing}} to the GitLab IP / other IPs (the managed group cannot be edited directly).',
  },
  check(ctx): RuleOutcome {
    const all = ctx.need(ctx.facts.cloud.managedSecurityGroups, 'managed security groups');
    const enisFact = ctx.facts.cloud.managedEnis;
    const enis = enisFact.state === 'ok' ? enisFact.value : [];
    const i = ctx.facts.input;
    const base = { vpc: i.vpc.vpcId, vSwitch: i.vpc.vSwitchId, gitlab: ctx.path.address ?? i.gitlab.host, port: i.gitlab.port, extra: i.extraEndpoints.map((e) => e.slice(0, e.lastIndexOf(':'))).join(', ') || 'none' };
    if (all.length === 0) {
      return { status: 'warn', messageId: 'absent', data: base, remediationId: 'link', hops: [{ hop: 'builder-eni', direction: 'request', id: i.vpc.vSwitchId, verdict: 'unknown', detail: 'not linked yet' }] };
    }
    if (!ctx.path.address) return { status: 'error', messageId: 'noAddress', data: { ...base, reason: ctx.path.reason } };
    // the groups on the link's ENIs are the ones that filter its traffic; without an ENI, all managed groups of the VPC
    const onEni = new Set(enis.flatMap((e) => e.securityGroupIds));
    const attached = all.filter((g) => onEni.has(g.securityGroupId));
    const groups = attached.length ? attached : all;
    const targets: [string, number][] = [
      [ctx.path.address, i.gitlab.port],
      ...i.extraEndpoints.map((e): [string, number] => {
        const k = e.lastIndexOf(':');
        return [e.slice(0, k), Number(e.slice(k + 1))];
      }),
    ];
    const ids = groups.map((g) => g.securityGroupId).join(', ');
    const decisions = targets.map(([ip, port]) => ({ target: `${ip}:${port}`, ...(isIPv4(ip) ? egressAdmits(groups, ip, port) : { ok: false, by: 'not an IPv4 address' }) }));
    const evidence: Evidence[] = [
      { label: 'managed groups', value: all.map((g) => ({ id: g.securityGroupId, type: g.type, onLinkEni: onEni.has(g.securityGroupId), egress: g.permissions.filter((p) => p.direction === 'egress').map((p) => `${p.policy} ${p.ipProtocol} ${p.portRange} to ${p.destCidrIp ?? p.destPrefixListId ?? p.destGroupId ?? '?'} (priority ${p.priority})`) })), source: ctx.facts.cloud.managedSecurityGroups.source },
      { label: `managed network interfaces in ${i.vpc.vSwitchId}`, value: enisFact.state === 'ok' ? enis.map((e) => `${e.networkInterfaceId ?? '?'} ${e.privateIpAddresses.join(' ')} groups ${e.securityGroupIds.join(' ')}`) : `unavailable: ${enisFact.message}`, source: enisFact.source },
      { label: 'egress decisions', value: decisions.map((d) => `${d.target}: ${d.ok ? 'admitted' : 'not admitted'} (${d.by})`), source: 'computed' },
    ];
    const missing = decisions.filter((d) => !d.ok).map((d) => d.target);
    if (missing.length) {
      return { status: 'fail', messageId: 'missingTargets', data: { ...base, groups: ids, missing: missing.join(', '), notEntered: missing.length === 1 ? 'it was not' : 'they were not' }, evidence, remediationId: 'relink', hops: [{ hop: 'builder-eni', direction: 'request', id: ids, verdict: 'drop', detail: `egress misses ${missing.join(', ')}` }] };
    }
    const list = decisions.map((d) => d.target).join(', ');
    if (enisFact.state === 'ok' && enis.length === 0) {
      return { status: 'warn', messageId: 'noEni', data: { ...base, groups: ids, targets: list }, evidence, remediationId: 'vswitch', hops: [{ hop: 'builder-eni', direction: 'request', id: ids, verdict: 'unknown', detail: `no ACR network interface in ${i.vpc.vSwitchId}` }] };
    }
    return { status: 'pass', messageId: 'ok', data: { ...base, groups: ids, targets: list }, evidence, hops: [{ hop: 'builder-eni', direction: 'request', id: ids, verdict: 'allow', detail: `egress admits ${list}` }] };
  },
};
