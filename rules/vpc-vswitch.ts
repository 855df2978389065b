// vpc-vswitch: the configured VPC exists in the region, and the link vSwitch exists and belongs to it.
// A typo in either id fails here, naming the nearest existing ids; the rules that read the VPC or the
// vSwitch declare `dependsOn: ['vpc-vswitch']` and skip instead of judging a resource that is not there.
import type { Evidence, Rule, RuleContext, RuleOutcome } from '../src/engine/types.js';
import type { Fact, RegionVpc } from '../src/facts/types.js';
import { closest } from '../src/util/nearest.js';

const notFound = (f: Fact<unknown>) => f.state === 'unavailable' && f.reason === 'not-found';

/** "vpc-a, vpc-b (3 in the region)", or why the list is unknown. */
function nearestText(id: string, candidates: string[] | string, where: string): string {
  if (typeof candidates === 'string') return `unknown (${candidates})`;
  if (!candidates.length) return `none: ${where} has none`;
  const near = closest(id, candidates);
  return `${near.join(', ')}${candidates.length > near.length ? ` (of ${candidates.length} in ${where})` : ''}`;
}

export const rule: Rule = {
  id: 'vpc-vswitch',
  title: 'The VPC exists in the region and the link vSwitch belongs to it',
  severity: 'error',
  description: 'vpc.vpcId must name a VPC of the configured region and vpc.vSwitchId a vSwitch of that VPC: ACR places its build network interface there. A misspelt id fails here with the nearest existing ids; the rules that need the VPC or the vSwitch then skip.',
  needs: ['cloud.vpc', 'cloud.linkVSwitch', 'cloud.vSwitches', 'cloud.regionVpcs'],
  messages: {
    ok: 'VPC {{vpc}} ({{cidr}}) is in {{region}}; vSwitch {{vSwitch}} ({{zone}}) belongs to it.',
    vpcNotFound: 'VPC {{vpc}} does not exist in {{region}}. Nearest existing VPC ids: {{nearest}}.',
    vpcNotFoundVSwitchElsewhere: 'VPC {{vpc}} does not exist in {{region}}; the vSwitch {{vSwitch}} belongs to {{actualVpc}}. Nearest existing VPC ids: {{nearest}}.',
    vSwitchNotFound: 'vSwitch {{vSwitch}} does not exist in {{where}}. Nearest existing vSwitch ids: {{nearest}}.',
    bothNotFound: 'Neither VPC {{vpc}} nor vSwitch {{vSwitch}} exists in {{region}}. Nearest existing VPC ids: {{nearest}}; vSwitch ids: {{nearestVSwitch}}.',
    contradictory: 'Could not decide: {{what}} {{id}} is listed in {{where}}, but its own description came back empty ({{detail}}).',
    vSwitchElsewhere: 'vSwitch {{vSwitch}} belongs to {{actualVpc}}, not to the configured VPC {{vpc}}. vSwitches of {{vpc}}: {{nearest}}.',
  },
  remediation: {
    fix: 'Correct vpc.vpcId / vpc.vSwitchId in preflight.yaml (or ACR_PREFLIGHT_VPC_VPC_ID / ACR_PREFLIGHT_VPC_VSWITCH_ID) to ids from the VPC console of {{region}}, e.g. `aliyun vpc DescribeVSwitches --RegionId {{region}} --VpcId <the VPC id>`.',
    pair: 'Use a vSwitch of {{vpc}} for the link, or set vpc.vpcId to {{actualVpc}} if that is the VPC GitLab is in.',
  },
  check(ctx: RuleContext): RuleOutcome {
    const { cloud, input } = ctx.facts;
    const base = { vpc: input.vpc.vpcId, vSwitch: input.vpc.vSwitchId, region: input.region };
    const regional = cloud.regionVpcs;
    const evidence: Evidence[] = [];
    if (regional) evidence.push({ label: `VPCs of ${input.region}`, value: regional.state === 'ok' ? regional.value : `unavailable: ${regional.message}`, source: regional.source });
    const vpcIds: string[] | string = !regional ? 'the region was not listed' : regional.state === 'ok' ? regional.value.map((v: RegionVpc) => v.vpcId) : regional.message;
    const regionVSwitchIds: string[] | string = typeof vpcIds === 'string' ? vpcIds : (regional as { value: RegionVpc[] }).value.flatMap((v) => v.vSwitchIds);

    const vpcMissing = notFound(cloud.vpc);
    const vswMissing = notFound(cloud.linkVSwitch);
    // "not found" from one answer while a list names the id: the answers disagree, no typo to report
    const detail = (f: Fact<unknown>) => (f.state === 'unavailable' ? f.message : '');
    if (vpcMissing && typeof vpcIds !== 'string' && vpcIds.includes(base.vpc)) {
      return { status: 'error', messageId: 'contradictory', data: { ...base, what: 'VPC', id: base.vpc, where: `the VPCs of ${base.region}`, detail: detail(cloud.vpc) }, evidence };
    }
    if (vswMissing && !vpcMissing && cloud.vSwitches.state === 'ok' && cloud.vSwitches.value.some((v) => v.vSwitchId === base.vSwitch)) {
      return { status: 'error', messageId: 'contradictory', data: { ...base, what: 'vSwitch', id: base.vSwitch, where: `the vSwitches of ${base.vpc}`, detail: detail(cloud.linkVSwitch) }, evidence };
    }
    if (vpcMissing && vswMissing) {
      return { status: 'fail', messageId: 'bothNotFound', data: { ...base, nearest: nearestText(base.vpc, vpcIds, base.region), nearestVSwitch: nearestText(base.vSwitch, regionVSwitchIds, base.region) }, evidence, remediationId: 'fix' };
    }
    if (vpcMissing) {
      const nearest = nearestText(base.vpc, vpcIds, base.region);
      if (cloud.linkVSwitch.state === 'ok') {
        return { status: 'fail', messageId: 'vpcNotFoundVSwitchElsewhere', data: { ...base, actualVpc: cloud.linkVSwitch.value.vpcId, nearest }, evidence, remediationId: 'fix' };
      }
      return { status: 'fail', messageId: 'vpcNotFound', data: { ...base, nearest }, evidence, remediationId: 'fix' };
    }
    const vpc = ctx.need(cloud.vpc, 'VPC');
    const inVpc: string[] | string = cloud.vSwitches.state === 'ok' ? cloud.vSwitches.value.map((v) => v.vSwitchId) : cloud.vSwitches.message;
    evidence.push({ label: 'VPC', value: vpc, source: cloud.vpc.source });
    if (cloud.vSwitches.state === 'ok') evidence.push({ label: `vSwitches of ${vpc.vpcId}`, value: inVpc, source: cloud.vSwitches.source });
    if (vswMissing) {
      return { status: 'fail', messageId: 'vSwitchNotFound', data: { ...base, where: `VPC ${base.vpc}`, nearest: nearestText(base.vSwitch, inVpc, `VPC ${base.vpc}`) }, evidence, remediationId: 'fix' };
    }
    const vsw = ctx.need(cloud.linkVSwitch, 'link vSwitch');
    evidence.push({ label: 'link vSwitch', value: vsw, source: cloud.linkVSwitch.source });
    if (vsw.vpcId && vsw.vpcId !== vpc.vpcId) {
      return { status: 'fail', messageId: 'vSwitchElsewhere', data: { ...base, actualVpc: vsw.vpcId, nearest: nearestText(base.vSwitch, inVpc, `VPC ${base.vpc}`) }, evidence, remediationId: 'pair' };
    }
    return { status: 'pass', messageId: 'ok', data: { ...base, cidr: vpc.cidrBlock, zone: vsw.zoneId }, evidence };
  },
};
