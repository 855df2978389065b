// reverse-cidr-overlap: no VPC, vSwitch or data-center CIDR overlaps 100.104.0.0/16, the range ACR's
// build cluster uses; replies to an overlapping prefix would be routed locally instead.
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import { REVERSE_RANGE, cidrOverlapsRange, cidrToRange, intersect, isCidr, rangesToCidrs, type Range } from '../src/net/cidr.js';

export const rule: Rule = {
  id: 'reverse-cidr-overlap',
  title: 'No VPC, vSwitch or data-center CIDR overlaps 100.104.0.0/16',
  severity: 'error',
  description: 'ACR reaches GitLab from 100.104.0.0/16. If the VPC, one of its vSwitches or a data-center network uses addresses in that range, replies to the builder are routed to the local network instead of back to ACR.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.vpc', 'cloud.vSwitches'],
  messages: {
    ok: 'None of {{count}} VPC, vSwitch and data-center CIDRs overlaps 100.104.0.0/16.',
    overlap: '{{n}} CIDR(s) overlap 100.104.0.0/16: {{list}}. Replies to {{shadowed}} would stay local instead of returning to ACR.',
  },
  remediation: {
    fix: 'Re-address the overlapping networks ({{list}}) out of 100.104.0.0/16: a vSwitch cannot be re-addressed, so create a new one in another range and move resources; for a data-center network, renumber it or keep it out of the routes exchanged with the VPC.',
  },
  check(ctx): RuleOutcome {
    const vpc = ctx.need(ctx.facts.cloud.vpc, 'VPC');
    const vsws = ctx.need(ctx.facts.cloud.vSwitches, 'vSwitches of the VPC');
    const dc = ctx.facts.input.datacenter?.cidrs ?? [];
    // grouped, not one [cidr, from] pair per prefix: datacenter.cidrs may hold 100,000 prefixes
    const groups: { cidrs: readonly string[]; from: string }[] = [
      { cidrs: [vpc.cidrBlock], from: `VPC ${vpc.vpcId}` },
      { cidrs: vpc.secondaryCidrBlocks, from: `VPC ${vpc.vpcId} secondary` },
      { cidrs: vpc.userCidrs, from: `VPC ${vpc.vpcId} user CIDR` },
      ...vsws.map((v) => ({ cidrs: [v.cidrBlock], from: `vSwitch ${v.vSwitchId}` })),
      { cidrs: dc, from: 'datacenter.cidrs' },
    ];
    // one pass, each prefix compared with the single reverse range: O(n); the shadowed part of
    // 100.104.0.0/16 is then an interval union (O(k log k) in the k overlapping prefixes)
    const hits: { cidr: string; from: string; range: Range }[] = [];
    const unreadable: string[] = [];
    let compared = 0;
    for (const { cidrs, from } of groups) {
      for (const cidr of cidrs) {
        if (!cidr) continue;
        compared++;
        if (!isCidr(cidr)) {
          unreadable.push(`${cidr} (${from})`);
          continue;
        }
        if (cidrOverlapsRange(cidr, REVERSE_RANGE)) hits.push({ cidr, from, range: cidrToRange(cidr) });
      }
    }
    const counts = { vpc: 1 + vpc.secondaryCidrBlocks.length + vpc.userCidrs.length, vSwitches: vsws.length, datacenter: dc.length };
    const evidence: Evidence[] = [{ label: 'prefixes compared with 100.104.0.0/16', value: counts, source: 'vpc:DescribeVpcAttribute + vpc:DescribeVSwitches + config datacenter.cidrs' }];
    if (unreadable.length) evidence.push({ label: 'not IPv4 CIDRs (ignored)', value: unreadable.slice(0, 100), source: 'facts' });
    if (!hits.length) return { status: 'pass', messageId: 'ok', data: { count: compared }, evidence };
    const shadowed = rangesToCidrs(intersect(hits.map((h) => h.range), [REVERSE_RANGE]));
    const named = hits.map((h) => `${h.cidr} (${h.from})`);
    const shown = named.length > 20 ? [...named.slice(0, 20), `… ${named.length - 20} more`] : named;
    evidence.push({ label: 'overlapping prefixes', value: hits.slice(0, 1000).map((h) => ({ cidr: h.cidr, from: h.from })), source: 'vpc:DescribeVpcAttribute + vpc:DescribeVSwitches + config datacenter.cidrs' });
    evidence.push({ label: 'part of 100.104.0.0/16 claimed locally', value: shadowed.slice(0, 100), source: 'computed' });
    return {
      status: 'fail',
      messageId: 'overlap',
      data: { n: hits.length, list: shown.join(', '), shadowed: shadowed.length > 8 ? `${shadowed.slice(0, 8).join(', ')} … (${shadowed.length} prefixes)` : shadowed.join(', ') },
      evidence,
      remediationId: 'fix',
      hops: [{ hop: 'vpc', direction: 'reply', id: vpc.vpcId, verdict: 'drop', detail: `overlaps 100.104.0.0/16: ${shown.slice(0, 3).join(', ')}` }],
    };
  },
};
