// reverse-cidr-overlap: no VPC, vSwitch or data-center CIDR overlaps 100.104.0.0/16, the range ACR's
// build cluster uses; replies to an overlapping prefix would be routed locally instead.
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import { REVERSE_RANGE, cidrToRange, isCidr } from '../src/net/cidr.js';

export const rule: Rule = {
  id: 'reverse-cidr-overlap',
  title: 'No VPC, vSwitch or data-center CIDR overlaps 100.104.0.0/16',
  severity: 'error',
  description: 'ACR reaches GitLab from 100.104.0.0/16. If the VPC, one of its vSwitches or a data-center network uses addresses in that range, replies to the builder are routed to the local network instead of back to ACR.',
  needs: ['cloud.vpc', 'cloud.vSwitches'],
  messages: {
    ok: 'None of {{count}} VPC, vSwitch and data-center CIDRs overlaps 100.104.0.0/16.',
    overlap: '{{n}} CIDR(s) overlap 100.104.0.0/16: {{list}}.',
  },
  remediation: {
    fix: 'Re-address the overlapping networks ({{list}}) out of 100.104.0.0/16: a vSwitch cannot be re-addressed, so create a new one in another range and move resources; for a data-center network, renumber it or keep it out of the routes exchanged with the VPC.',
  },
  check(ctx): RuleOutcome {
    const vpc = ctx.need(ctx.facts.cloud.vpc, 'VPC');
    const vsws = ctx.need(ctx.facts.cloud.vSwitches, 'vSwitches of the VPC');
    const sources: [string, string][] = [
      [vpc.cidrBlock, `VPC ${vpc.vpcId}`],
      ...vpc.secondaryCidrBlocks.map((c): [string, string] => [c, `VPC ${vpc.vpcId} secondary`]),
      ...vpc.userCidrs.map((c): [string, string] => [c, `VPC ${vpc.vpcId} user CIDR`]),
      ...vsws.map((v): [string, string] => [v.cidrBlock, `vSwitch ${v.vSwitchId}`]),
      ...(ctx.facts.input.datacenter?.cidrs ?? []).map((c): [string, string] => [c, 'datacenter.cidrs']),
    ];
    const hits: string[] = [];
    for (const [cidr, where] of sources) {
      if (!isCidr(cidr)) continue;
      const r = cidrToRange(cidr);
      if (r.start <= REVERSE_RANGE.end && REVERSE_RANGE.start <= r.end) hits.push(`${cidr} (${where})`);
    }
    if (!hits.length) return { status: 'pass', messageId: 'ok', data: { count: sources.length } };
    const shown = hits.length > 20 ? [...hits.slice(0, 20), `… ${hits.length - 20} more`] : hits;
    const evidence: Evidence[] = [{ label: 'overlapping prefixes', value: hits.slice(0, 1000), source: 'config + vpc:DescribeVpcAttribute + vpc:DescribeVSwitches' }];
    return {
      status: 'fail',
      messageId: 'overlap',
      data: { n: hits.length, list: shown.join(', ') },
      evidence,
      remediationId: 'fix',
      hops: [{ hop: 'vpc', direction: 'reply', id: vpc.vpcId, verdict: 'drop', detail: `overlaps 100.104.0.0/16: ${shown.slice(0, 3).join(', ')}` }],
    };
  },
};
