// sg-ingress: the union of the GitLab ENI's security groups admits TCP from all of 100.104.0.0/16
// to every GitLab port.
import type { ApiCall, FactPatch, Fix, Hop, Rule, RuleOutcome } from '../src/engine/types.js';
import type { PrefixList, SecurityGroup, SgPermission } from '../src/facts/types.js';
import { REVERSE_RANGE, REVERSE_RANGE_CIDR, size } from '../src/net/cidr.js';
import { cidrList, describeRule, evaluateIngress, type SgEvaluation } from './lib/sg.js';

export const rule: Rule = {
  id: 'sg-ingress',
  title: 'GitLab security groups admit 100.104.0.0/16',
  severity: 'error',
  description:
    'ACR builds reach GitLab from 100.104.0.0/16. Every security group on the GitLab ECS network interface is evaluated together: lower priority wins, drop beats accept at equal priority, and traffic no rule admits is denied.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.gitlabEnis', 'cloud.gitlabSecurityGroups', 'cloud.prefixLists'],
  paths: ['ecs'],
  messages: {
    admitted: 'Security groups {{groups}} admit 100.104.0.0/16 on tcp/{{ports}}.',
    notAdmitted: 'Security groups {{groups}} do not admit {{uncovered}} on tcp/{{port}} ({{share}} of 100.104.0.0/16): {{deciders}}.{{alsoPorts}}',
    prefixListMissing: 'Security group rules reference prefix list {{prefixLists}}, which could not be read; cannot decide.',
    portListUnread: 'Security group rules take their ports from port list {{portLists}}, which this tool does not read; cannot decide whether they match tcp/{{port}}.',
    noGroups: 'The GitLab network interface {{eni}} has no security groups in the collected facts.',
    groupsMissing: 'The GitLab network interface {{eni}} is in security groups {{missing}}, whose rules are not in the collected facts; cannot decide.',
  },
  remediation: {
    authorize:
      'Add an inbound rule for 100.104.0.0/16 on tcp/{{port}} to {{targetGroup}}:\n' +
      '  aliyun ecs AuthorizeSecurityGroup --RegionId {{region}} --SecurityGroupId {{targetGroup}} --Permissions.1.IpProtocol TCP --Permissions.1.PortRange {{port}}/{{port}} --Permissions.1.SourceCidrIp 100.104.0.0/16 --Permissions.1.Policy accept --Permissions.1.Priority 1\n' +
      'Console: ECS → Security Groups → {{targetGroup}} → Inbound → Add Rule. Or run `acr-preflight provision --fix`.',
    removeDrop:
      'A drop rule at priority 1 decides ({{decider}}); an accept rule cannot outrank it. Remove or narrow that rule so it no longer matches {{uncovered}} on tcp/{{port}}, then add an accept rule for 100.104.0.0/16:\n' +
      '  aliyun ecs RevokeSecurityGroup --RegionId {{region}} --SecurityGroupId {{dropGroup}} --SecurityGroupRuleId.1 {{dropRule}}',
    prefixList: 'Grant ecs:DescribePrefixListAttributes, or replace the prefix-list rule with a CIDR rule for 100.104.0.0/16.',
    portList: 'Add a rule with a literal port range for 100.104.0.0/16 on tcp/{{port}} at a higher priority (lower number) than the port-list rules, or waive this rule after checking port list {{portLists}} in the ECS console.',
    collect: 'Collect again with ecs:DescribeSecurityGroupAttribute allowed on {{missing}}; a support bundle must include every group of the interface.',
  },
  check(ctx): RuleOutcome {
    const enis = ctx.need(ctx.facts.cloud.gitlabEnis, 'GitLab ECS network interface');
    const groups = ctx.need(ctx.facts.cloud.gitlabSecurityGroups, 'GitLab security groups');
    const prefixLists = ctx.need(ctx.facts.cloud.prefixLists, 'prefix lists');
    const eni = enis[0]!;
    const eniName = eni.networkInterfaceId ?? eni.instanceId ?? '?';
    if (eni.securityGroupIds.length === 0) return { status: 'error', messageId: 'noGroups', data: { eni: eniName } };
    // exactly the interface's groups: one unread group could hold the deciding drop
    const missingGroups = eni.securityGroupIds.filter((id) => !groups.some((g) => g.securityGroupId === id));
    if (missingGroups.length) {
      return { status: 'error', messageId: 'groupsMissing', data: { eni: eniName, missing: missingGroups.join(', ') }, remediationId: 'collect' };
    }
    const used = groups.filter((g) => eni.securityGroupIds.includes(g.securityGroupId));
    const groupIds = used.map((g) => g.securityGroupId).join(', ');
    const evals: SgEvaluation[] = ctx.gitlabPorts.map((port) => evaluateIngress(used, prefixLists, port, [REVERSE_RANGE], ctx.path.address));
    const evidence = evals.flatMap((ev) =>
      ev.decisions.map((d) => ({
        label: `tcp/${ev.port} ${d.policy === 'accept' ? 'admitted' : 'denied'}: ${cidrList(d.ranges)}`,
        value: describeRule(d.rule),
        source: d.rule ? `ecs:DescribeSecurityGroupAttribute ${d.rule.securityGroupId}` : 'security-group default',
      })),
    );
    const missing = [...new Set(evals.flatMap((e) => e.missingPrefixLists))];
    if (missing.length) {
      // a rule we cannot expand might admit or drop any part of the range: undecidable
      return { status: 'error', messageId: 'prefixListMissing', data: { prefixLists: missing.join(', ') }, evidence, remediationId: 'prefixList' };
    }
    const portListed = evals.find((e) => e.unresolvedPortLists.length > 0);
    if (portListed) {
      return { status: 'error', messageId: 'portListUnread', data: { portLists: portListed.unresolvedPortLists.join(', '), port: portListed.port }, evidence, remediationId: 'portList' };
    }
    const failingAll = evals.filter((e) => e.denied.length > 0);
    const failing = failingAll[0];
    if (!failing) {
      return {
        status: 'pass',
        messageId: 'admitted',
        data: { groups: groupIds, ports: ctx.gitlabPorts.join(', ') },
        evidence,
        hops: [{ hop: 'security-group', direction: 'request', id: groupIds, verdict: 'allow', detail: `100.104.0.0/16 admitted on tcp/${ctx.gitlabPorts.join(', ')}` }],
      };
    }
    // each denied sub-range with what decided it: a drop rule, or no rule at all (default deny)
    const deciding = failing.decisions.filter((d) => d.policy !== 'accept');
    const explicit = deciding.find((d) => d.rule);
    const decider = explicit ? describeRule(explicit.rule) : describeRule(undefined);
    const deciders = deciding.map((d) => `${cidrList(d.ranges)} ${d.rule ? `dropped by ${describeRule(d.rule)}` : 'matched by no rule (default deny)'}`).join('; ');
    const others = failingAll.slice(1).map((e) => `tcp/${e.port}`);
    const alsoPorts = others.length ? ` Not admitted on ${others.join(', ')} either (see evidence).` : '';
    const uncovered = cidrList(failing.denied);
    const share = `${Math.round((size(failing.denied) / size([REVERSE_RANGE])) * 1000) / 10}%`;
    const writable = used.find((g) => !g.serviceManaged);
    const data: Record<string, string | number> = {
      groups: groupIds,
      port: failing.port,
      ports: failingAll.map((e) => e.port).join(', '),
      uncovered,
      share,
      decider,
      deciders,
      alsoPorts,
      region: ctx.facts.input.region,
      targetGroup: writable?.securityGroupId ?? used[0]!.securityGroupId,
    };
    const blockingDropAt1 = deciding.find((d) => d.rule && d.rule.priority <= 1);
    const hops: Hop[] = [
      { hop: 'security-group', direction: 'request', id: groupIds, verdict: 'drop', detail: `${uncovered} not admitted on tcp/${failing.port}: ${deciders}` },
    ];
    const fixes = writable ? [admitFix(ctx.facts.input.region, writable.securityGroupId, used, prefixLists, failingAll, ctx.path.address)] : [];
    if (blockingDropAt1?.rule) {
      data.dropGroup = blockingDropAt1.rule.securityGroupId;
      data.dropRule = blockingDropAt1.rule.ruleId ?? '(rule id)';
      return { status: 'fail', messageId: 'notAdmitted', data, evidence, remediationId: 'removeDrop', hops, fixes };
    }
    return { status: 'fail', messageId: 'notAdmitted', data, evidence, remediationId: 'authorize', hops, fixes };
  },
};

/**
 * The fix for every failing port at once: an accept for 100.104.0.0/16 at priority 1 in a group we
 * may write, and, since a drop wins a tie, the removal of every drop rule at priority 1 that decides
 * part of the range on those ports (no priority is higher than 1).
 */
function admitFix(region: string, group: string, groups: SecurityGroup[], prefixLists: PrefixList[], failing: SgEvaluation[], address: string | undefined): Fix {
  const drops = [...new Map(failing.flatMap((e) => e.decisions).filter((d) => d.policy === 'drop' && d.rule && d.rule.priority <= 1 && d.rule.ruleId).map((d) => [d.rule!.ruleId!, d.rule!])).values()];
  // with those drops gone, an accept is still needed on the ports the groups then do not admit
  const dropIds = new Set(drops.map((d) => d.ruleId));
  const without = groups.map((g) => ({ ...g, permissions: g.permissions.filter((p) => !(p.ruleId && dropIds.has(p.ruleId))) }));
  const ports = failing.map((e) => e.port).filter((port) => evaluateIngress(without, prefixLists, port, [REVERSE_RANGE], address).denied.length > 0);
  const accept = (port: number): SgPermission => ({
    direction: 'ingress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: `${port}/${port}`, sourceCidrIp: REVERSE_RANGE_CIDR, description: 'ACR build in VPC (acr-preflight)',
  });
  const patches: FactPatch[] = [
    ...drops.map((r): FactPatch => ({ op: 'remove-sg-rule', securityGroupId: r.securityGroupId, ruleId: r.ruleId! })),
    ...ports.map((port): FactPatch => ({ op: 'add-sg-rule', securityGroupId: group, rule: accept(port) })),
  ];
  const authorize: ApiCall[] = ports.length
    ? [{
        product: 'ecs',
        action: 'AuthorizeSecurityGroup',
        params: {
          RegionId: region,
          SecurityGroupId: group,
          ...Object.fromEntries(ports.flatMap((port, i) => {
            const n = `Permissions.${i + 1}`;
            return [[`${n}.IpProtocol`, 'TCP'], [`${n}.PortRange`, `${port}/${port}`], [`${n}.SourceCidrIp`, REVERSE_RANGE_CIDR], [`${n}.Policy`, 'accept'], [`${n}.Priority`, '1'], [`${n}.Description`, 'ACR build in VPC (acr-preflight)']];
          })),
        },
      }]
    : [];
  const calls: ApiCall[] = [
    ...[...new Set(drops.map((r) => r.securityGroupId))].map((sg): ApiCall => ({
      product: 'ecs',
      action: 'RevokeSecurityGroup',
      params: { RegionId: region, SecurityGroupId: sg, ...Object.fromEntries(drops.filter((r) => r.securityGroupId === sg).map((r, i) => [`SecurityGroupRuleId.${i + 1}`, r.ruleId!])) },
    })),
    ...authorize,
  ];
  const removing = drops.length ? `remove the drop rule${drops.length > 1 ? 's' : ''} ${drops.map((r) => `${r.securityGroupId}/${r.ruleId}`).join(', ')} (a drop wins a priority tie), then ` : '';
  const admitting = ports.length ? `admit ${REVERSE_RANGE_CIDR} on tcp/${ports.join(', tcp/')} in ${group} at priority 1` : 'let the accept rules already there decide';
  const title = `${removing}${admitting}`;
  return { title: title[0]!.toUpperCase() + title.slice(1), why: `admit ${REVERSE_RANGE_CIDR} on tcp/${failing.map((e) => e.port).join(', ')} to GitLab (sg-ingress)`, patches, calls };
}
