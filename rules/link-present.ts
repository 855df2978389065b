// link-present: the console's "Manage Link" created ACR's managed security group in the VPC, and its
// egress admits GitLab and every extra endpoint. Absent is a warning (provision guides it);
// present but wrong is a failure.
import type { SecurityGroup, SgPermission } from '../src/facts/types.js';
import type { Rule, RuleOutcome } from '../src/engine/types.js';
import { containsAddress, isCidr, isIPv4 } from '../src/net/cidr.js';
import { portInRange, protocolCoversTcp } from './lib/ports.js';

/** Does the egress of these groups admit TCP to ip:port (priority order, drop wins ties, default deny)? */
export function egressAdmits(groups: SecurityGroup[], ip: string, port: number): { ok: boolean; by?: string } {
  const rules = groups
    .flatMap((g) => g.permissions.map((p) => ({ ...p, securityGroupId: g.securityGroupId })))
    .filter((p: SgPermission) => p.direction === 'egress' && protocolCoversTcp(p.ipProtocol) && portInRange(port, p.portRange))
    .filter((p) => p.destCidrIp && isCidr(p.destCidrIp) && containsAddress(p.destCidrIp, ip))
    .sort((a, b) => a.priority - b.priority || (a.policy === b.policy ? 0 : a.policy === 'drop' ? -1 : 1));
  const first = rules[0];
  if (!first) return { ok: false };
  return { ok: first.policy === 'accept', by: `${first.securityGroupId}: ${first.policy} ${first.ipProtocol} ${first.portRange} to ${first.destCidrIp}` };
}

export const rule: Rule = {
  id: 'link-present',
  title: "ACR's build link exists and its egress reaches GitLab",
  severity: 'warning',
  description: 'Manage Link (console only) makes ACR create a service-managed security group and network interface in the chosen VPC and vSwitch; the group admits outbound traffic only to the private IPs entered in the dialog. It must reach GitLab and every extraEndpoints entry.',
  needs: ['cloud.managedSecurityGroups', 'cloud.managedEnis'],
  messages: {
    ok: 'Link present: managed group {{groups}} admits {{targets}}.',
    absent: 'Not linked yet: no ACR-managed security group in {{vpc}} — `acr-preflight provision` will guide the Manage Link step.',
    missingTargets: 'The link\'s managed group {{groups}} does not admit {{missing}}: they were not entered in Manage Link.',
    noAddress: 'The GitLab address is unknown, so the link\'s egress cannot be checked.',
  },
  remediation: {
    link: 'Console: Container Registry → instance → Repositories → Code Source → GitLab → Manage Link: VPC {{vpc}}, vSwitch {{vSwitch}}, GitLab private IP {{gitlab}}, other IPs {{extra}}. Or run `acr-preflight provision`.',
    relink: 'Edit the link in Manage Link and add {{missing}} to the GitLab IP / other IPs (the managed group cannot be edited directly).',
  },
  check(ctx): RuleOutcome {
    const groups = ctx.need(ctx.facts.cloud.managedSecurityGroups, 'managed security groups');
    const enis = ctx.facts.cloud.managedEnis.state === 'ok' ? ctx.facts.cloud.managedEnis.value : [];
    const i = ctx.facts.input;
    const base = { vpc: i.vpc.vpcId, vSwitch: i.vpc.vSwitchId, gitlab: ctx.path.address ?? i.gitlab.host, extra: i.extraEndpoints.map((e) => e.split(':')[0]).join(', ') || 'none' };
    if (groups.length === 0) {
      return { status: 'warn', messageId: 'absent', data: base, remediationId: 'link', hops: [{ hop: 'builder-eni', direction: 'request', id: i.vpc.vSwitchId, verdict: 'unknown', detail: 'not linked yet' }] };
    }
    if (!ctx.path.address) return { status: 'error', messageId: 'noAddress', data: base };
    const targets: [string, number][] = [
      [ctx.path.address, i.gitlab.port],
      ...i.extraEndpoints.map((e): [string, number] => {
        const k = e.lastIndexOf(':');
        return [e.slice(0, k), Number(e.slice(k + 1))];
      }),
    ];
    const ids = groups.map((g) => g.securityGroupId).join(', ');
    const evidence = [
      { label: 'managed groups', value: groups.map((g) => ({ id: g.securityGroupId, egress: g.permissions.filter((p) => p.direction === 'egress').map((p) => `${p.policy} ${p.ipProtocol} ${p.portRange} to ${p.destCidrIp ?? p.destPrefixListId ?? '?'}`) })), source: ctx.facts.cloud.managedSecurityGroups.source },
      { label: 'managed network interfaces', value: enis.map((e) => `${e.networkInterfaceId ?? '?'} in ${e.vSwitchId}`), source: ctx.facts.cloud.managedEnis.source },
    ];
    const missing = targets.filter(([ip, port]) => !isIPv4(ip) || !egressAdmits(groups, ip, port).ok).map(([ip, port]) => `${ip}:${port}`);
    if (missing.length) {
      return { status: 'fail', messageId: 'missingTargets', data: { ...base, groups: ids, missing: missing.join(', ') }, evidence, remediationId: 'relink', hops: [{ hop: 'builder-eni', direction: 'request', id: ids, verdict: 'drop', detail: `egress misses ${missing.join(', ')}` }] };
    }
    const list = targets.map(([ip, port]) => `${ip}:${port}`).join(', ');
    return { status: 'pass', messageId: 'ok', data: { ...base, groups: ids, targets: list }, evidence, hops: [{ hop: 'builder-eni', direction: 'request', id: ids, verdict: 'allow', detail: `egress admits ${list}` }] };
  },
};
