// nacl-ingress: the network ACL on GitLab's vSwitch admits the request from 100.104.0.0/16 and,
// because ACLs are stateless, the reply back to it.
import type { Evidence, Hop, Rule, RuleOutcome } from '../src/engine/types.js';
import { REVERSE_RANGE, normalize } from '../src/net/cidr.js';
import { admittedFully, describeEntry, evaluateAcl, type AclDecision } from './lib/acl.js';
import { EPHEMERAL } from './lib/ports.js';
import { cidrList } from './lib/sg.js';

function notAdmitted(decisions: AclDecision[]) {
  const bad = decisions.filter((d) => !admittedFully(d));
  return { bad, ranges: normalize(bad.flatMap((d) => d.ranges)) };
}

export const rule: Rule = {
  id: 'nacl-ingress',
  title: "GitLab vSwitch network ACL admits the request and the reply",
  severity: 'error',
  description:
    'Network ACLs are stateless and evaluated in order, first match wins. The ACL bound to the GitLab vSwitch must admit inbound TCP from 100.104.0.0/16 to the GitLab port and outbound replies to 100.104.0.0/16 on the ephemeral ports.',
  needs: ['cloud.gitlabVSwitch', 'cloud.gitlabNetworkAcl'],
  paths: ['ecs'],
  messages: {
    noAcl: 'vSwitch {{vSwitch}} has no network ACL bound; nothing to block.',
    admitted: 'Network ACL {{acl}} admits requests from 100.104.0.0/16 on tcp/{{ports}} and replies to it.',
    requestBlocked: 'Network ACL {{acl}} drops requests from {{ranges}} to tcp/{{port}}: {{decider}}.',
    replyBlocked: 'Network ACL {{acl}} drops replies to {{ranges}} (stateless: egress to the builder\'s ephemeral ports {{ephemeral}}): {{decider}}.',
  },
  remediation: {
    request:
      'Add an inbound entry before {{decider_short}}: accept tcp {{port}}/{{port}} from 100.104.0.0/16.\n' +
      '  Console: VPC → Network ACL → {{acl}} → Inbound Rules → Manage Inbound Rules (entries are evaluated top-down; put it first).\n' +
      '  API: vpc UpdateNetworkAclEntries --NetworkAclId {{acl}} --UpdateIngressAclEntries true (the full ordered list, with the new entry first).',
    reply:
      'Add an outbound entry before {{decider_short}}: accept tcp 1024/65535 (or all ports) to 100.104.0.0/16.\n' +
      '  Console: VPC → Network ACL → {{acl}} → Outbound Rules → Manage Outbound Rules (put it first).\n' +
      '  API: vpc UpdateNetworkAclEntries --NetworkAclId {{acl}} --UpdateEgressAclEntries true.',
  },
  check(ctx): RuleOutcome {
    const vsw = ctx.need(ctx.facts.cloud.gitlabVSwitch, "GitLab's vSwitch");
    const acl = ctx.need(ctx.facts.cloud.gitlabNetworkAcl, "GitLab vSwitch's network ACL");
    if (!acl) {
      return {
        status: 'pass',
        messageId: 'noAcl',
        data: { vSwitch: vsw.vSwitchId },
        hops: [
          { hop: 'network-acl-in', direction: 'request', id: vsw.vSwitchId, verdict: 'allow', detail: 'no network ACL' },
          { hop: 'network-acl-out', direction: 'reply', id: vsw.vSwitchId, verdict: 'allow', detail: 'no network ACL' },
        ],
      };
    }
    const hops: Hop[] = [];
    const evidence: Evidence[] = [];
    for (const port of ctx.gitlabPorts) {
      const req = evaluateAcl(acl.ingress, [REVERSE_RANGE], [port, port]);
      evidence.push(...req.map((d) => ({ label: `request tcp/${port} from ${cidrList(d.ranges)}`, value: describeEntry(d, 'ingress'), source: `vpc:DescribeNetworkAclAttributes ${acl.networkAclId}` })));
      const { bad, ranges } = notAdmitted(req);
      if (bad.length) {
        const decider = describeEntry(bad[0]!, 'ingress');
        hops.push({ hop: 'network-acl-in', direction: 'request', id: acl.networkAclId, verdict: 'drop', detail: decider });
        return {
          status: 'fail',
          messageId: 'requestBlocked',
          data: { acl: acl.networkAclId, ranges: cidrList(ranges), port, decider, decider_short: bad[0]!.entry ? `entry ${bad[0]!.index! + 1}` : 'the end of the list' },
          evidence,
          remediationId: 'request',
          hops,
        };
      }
    }
    hops.push({ hop: 'network-acl-in', direction: 'request', id: acl.networkAclId, verdict: 'allow', detail: `admits 100.104.0.0/16 on tcp/${ctx.gitlabPorts.join(', ')}` });
    const reply = evaluateAcl(acl.egress, [REVERSE_RANGE], EPHEMERAL);
    evidence.push(...reply.map((d) => ({ label: `reply to ${cidrList(d.ranges)}`, value: describeEntry(d, 'egress'), source: `vpc:DescribeNetworkAclAttributes ${acl.networkAclId}` })));
    const { bad, ranges } = notAdmitted(reply);
    if (bad.length) {
      const decider = describeEntry(bad[0]!, 'egress');
      hops.push({ hop: 'network-acl-out', direction: 'reply', id: acl.networkAclId, verdict: 'drop', detail: decider });
      return {
        status: 'fail',
        messageId: 'replyBlocked',
        data: { acl: acl.networkAclId, ranges: cidrList(ranges), ephemeral: `${EPHEMERAL[0]}-${EPHEMERAL[1]}`, decider, decider_short: bad[0]!.entry ? `entry ${bad[0]!.index! + 1}` : 'the end of the list' },
        evidence,
        remediationId: 'reply',
        hops,
      };
    }
    hops.push({ hop: 'network-acl-out', direction: 'reply', id: acl.networkAclId, verdict: 'allow', detail: 'replies to 100.104.0.0/16 admitted' });
    return { status: 'pass', messageId: 'admitted', data: { acl: acl.networkAclId, ports: ctx.gitlabPorts.join(', ') }, evidence, hops };
  },
};
