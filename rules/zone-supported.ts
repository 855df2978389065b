// zone-supported: the link vSwitch's zone is in the dated table of zones that support VPC builds.
// The ACR page lists the zone as a prerequisite ("A VPC and a vSwitch created in a zone that supports
// VPC mode"), so a zone outside the table of a listed region fails; the message gives the table's
// date and the `zones:` override for a zone Alibaba has enabled since. A region the table does not
// list at all stays a warning: the tool cannot tell.
import type { Fix, Rule, RuleOutcome } from '../src/engine/types.js';
import type { VSwitch } from '../src/facts/types.js';

export const rule: Rule = {
  id: 'zone-supported',
  title: 'Link vSwitch is in a zone that supports VPC builds',
  severity: 'error',
  description: 'ACR attaches its build network interface in the vSwitch chosen for the link; the ACR documentation lists the zones that support VPC build mode as a prerequisite. A zone outside the dated table of a listed region fails (a zone enabled since is added with the zones: config key); a region the table does not list is a warning.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.linkVSwitch'],
  messages: {
    ok: 'vSwitch {{vSwitch}} is in {{zone}}, a supported zone for VPC builds in {{region}} (table of {{date}}).',
    chineseOnly: 'vSwitch {{vSwitch}} is in {{zone}}, which only the Chinese documentation lists as supporting VPC builds (table of {{date}}).',
    notListed: 'vSwitch {{vSwitch}} is in {{zone}}, which is not a VPC-build zone of {{region}} in the table of {{date}} (listed: {{listed}}); if Alibaba has enabled {{zone}} since, add it to preflight.yaml: zones: { {{region}}: [{{zone}}] }.',
    regionNotListed: 'vSwitch {{vSwitch}} is in {{zone}}; region {{region}} is not in our table of VPC-build zones at all (table of {{date}}), so whether it supports VPC builds is unknown.',
  },
  remediation: {
    choose: 'Pick a vSwitch in a listed zone of {{region}} ({{listed}}) for the link. If Alibaba has enabled {{zone}} since {{date}}, add it to preflight.yaml: zones: { {{region}}: [{{zone}}] }.',
    region:
      'Region {{region}} is not in the dated VPC-build zone table ({{date}}). Check the current "Build a container image in a VPC" page of the ACR documentation (in your console language): ' +
      'if Alibaba lists {{zone}} there, add it to preflight.yaml: zones: { {{region}}: [{{zone}}] }. If the region is not listed, VPC builds are not available there: use an ACR instance and VPC in a listed region.',
    confirm: 'Confirm {{zone}} in the current "Build a container image in a VPC" page of your console language, or pick a listed zone.',
  },
  check(ctx): RuleOutcome {
    const vsw = ctx.need(ctx.facts.cloud.linkVSwitch, 'link vSwitch');
    const region = ctx.facts.input.region;
    const entry = ctx.zones.regions[region];
    const listed = entry?.zones.length ? entry.zones.join(', ') : entry?.chineseDocsOnly?.length ? `none confirmed; Chinese docs only: ${entry.chineseDocsOnly.join(', ')}` : 'none';
    const data = { vSwitch: vsw.vSwitchId, zone: vsw.zoneId, region, date: ctx.zones.retrieved, listed };
    const evidence = [{ label: 'zone table', value: { source: ctx.zones.source, retrieved: ctx.zones.retrieved, zones: entry?.zones ?? [] }, source: 'rules/data/vpc-build-zones.json' }];
    if (entry?.zones.includes(vsw.zoneId)) return { status: 'pass', messageId: 'ok', data, evidence };
    if (entry?.chineseDocsOnly?.includes(vsw.zoneId)) return { status: 'warn', messageId: 'chineseOnly', data, evidence, remediationId: 'confirm' };
    if (!entry || (entry.zones.length === 0 && !entry.chineseDocsOnly?.length)) return { status: 'warn', messageId: 'regionNotListed', data, evidence, remediationId: 'region' };
    return { status: 'fail', messageId: 'notListed', data, evidence, remediationId: 'choose', fixes: zoneFixes(ctx.facts.cloud.vSwitches.state === 'ok' ? ctx.facts.cloud.vSwitches.value : [], vsw, entry.zones) };
  },
};

/** Link another vSwitch of the same VPC that is in a listed zone (the first of each zone). */
function zoneFixes(all: VSwitch[], current: VSwitch, zones: string[]): Fix[] {
  const byZone = new Map<string, VSwitch>();
  for (const v of all) if (v.vpcId === current.vpcId && v.vSwitchId !== current.vSwitchId && zones.includes(v.zoneId) && !byZone.has(v.zoneId)) byZone.set(v.zoneId, v);
  return [...byZone.values()].slice(0, 1).map((v) => ({
    title: `Link vSwitch ${v.vSwitchId} (${v.zoneId}) instead of ${current.vSwitchId}`,
    why: `${v.zoneId} is a listed VPC-build zone (zone-supported)`,
    patches: [{ op: 'use-vswitch', vSwitchId: v.vSwitchId }],
    steps: [`set vpc.vSwitchId: ${v.vSwitchId} in preflight.yaml`, `choose ${v.vSwitchId} in the ACR console's Manage Link dialog (provision guides it)`],
  }));
}
