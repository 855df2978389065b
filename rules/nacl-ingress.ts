// nacl-ingress: the network ACL on GitLab's vSwitch admits the request from 100.104.0.0/16 and,
// because ACLs are stateless, the reply back to it.
import type { ApiCall, Evidence, FactPatch, Fix, Hop, Rule, RuleOutcome } from '../src/engine/types.js';
import type { NaclEntry, NetworkAcl } from '../src/facts/types.js';
import { REVERSE_RANGE, REVERSE_RANGE_CIDR, normalize } from '../src/net/cidr.js';
import { admitted, describeEntry, evaluateAcl, mergePorts, portList, type AclDecision, type PortRange } from './lib/acl.js';
import { EPHEMERAL } from './lib/ports.js';
import { cidrList } from './lib/sg.js';

type Direction = 'ingress' | 'egress';

/** What one decision covers: "100.104.0.0/17" (one port in question) or "100.104.0.0/17 on ports 1024-32767". */
function scope(d: AclDecision, onePort: boolean): string {
  return onePort ? cidrList(d.ranges) : `${cidrList(d.ranges)} on ports ${portList(d.ports)}`;
}

/**
 * The drops among the decisions: the addresses and ports they cover, which entry dropped which
 * part (in list order, the implicit drop last), and where an accept entry has to go: before the
 * first entry that drops, or anywhere (appended) when only the implicit drop does.
 */
function dropped(decisions: AclDecision[], direction: Direction, onePort: boolean) {
  const bad = decisions.filter((d) => !admitted(d));
  const firstEntry = bad.find((d) => d.entry);
  return {
    bad,
    ranges: cidrList(normalize(bad.flatMap((d) => d.ranges))),
    ports: portList(mergePorts(bad.flatMap((d) => d.ports))),
    decider: bad.map((d) => (d.entry ? `${describeEntry(d, direction)} (decides ${scope(d, onePort)})` : `no ${direction} entry matches ${scope(d, onePort)} (implicit drop)`)).join('; '),
    /** 1-based position of the first dropping entry; 0 = only the implicit drop drops */
    position: firstEntry ? firstEntry.index! + 1 : 0,
    placement: firstEntry ? `before entry ${firstEntry.index! + 1}` : 'append',
  };
}

function evidenceOf(decisions: AclDecision[], direction: Direction, label: (d: AclDecision) => string, aclId: string): Evidence[] {
  return decisions.map((d) => ({ label: label(d), value: d.entry ? `${admitted(d) ? 'accepted' : 'dropped'} by ${describeEntry(d, direction)}` : `dropped: ${describeEntry(d, direction)}`, source: `vpc:DescribeNetworkAclAttributes ${aclId}` }));
}

export const rule: Rule = {
  id: 'nacl-ingress',
  title: "GitLab vSwitch network ACL admits the request and the reply",
  severity: 'error',
  description:
    'Network ACLs are stateless and evaluated in order, first match wins. The ACL bound to the GitLab vSwitch must admit inbound TCP from 100.104.0.0/16 to the GitLab port and outbound replies to 100.104.0.0/16 on the ephemeral ports.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.gitlabVSwitch', 'cloud.gitlabNetworkAcl'],
  paths: ['ecs'],
  messages: {
    noAcl: 'vSwitch {{vSwitch}} has no network ACL bound; nothing to block.',
    admitted: 'Network ACL {{acl}} admits requests from 100.104.0.0/16 on tcp/{{ports}} and replies to it.',
    requestBlocked: 'Network ACL {{acl}} drops requests from {{ranges}} to tcp/{{port}}: {{decider}}.',
    replyBlocked: 'Network ACL {{acl}} drops replies to {{ranges}} on tcp ports {{droppedPorts}} (stateless: egress to the builder\'s ephemeral ports {{ephemeral}} must be allowed): {{decider}}.',
  },
  remediation: {
    request:
      'Add an inbound entry above entry {{position}} (the first entry that drops this traffic): accept tcp {{port}}/{{port}} from 100.104.0.0/16.\n' +
      '  Console: VPC → Network ACL → {{acl}} → Inbound Rules → Manage Inbound Rules (entries are evaluated top-down, first match wins; putting it first is always safe).\n' +
      '  API: vpc UpdateNetworkAclEntries --NetworkAclId {{acl}} --UpdateIngressAclEntries true (the full ordered list, with the new entry first).',
    requestAppend:
      'Add an inbound entry: accept tcp {{port}}/{{port}} from 100.104.0.0/16. No entry matches this traffic today (it falls through to the implicit drop), so with first match any position works; appending it is enough.\n' +
      '  Console: VPC → Network ACL → {{acl}} → Inbound Rules → Manage Inbound Rules → add the entry.\n' +
      '  API: vpc UpdateNetworkAclEntries --NetworkAclId {{acl}} --UpdateIngressAclEntries true (the full ordered list: the current entries plus the new one).',
    reply:
      'Add an outbound entry above entry {{position}} (the first entry that drops these replies): accept tcp 1024/65535 (or all ports) to 100.104.0.0/16.\n' +
      '  Console: VPC → Network ACL → {{acl}} → Outbound Rules → Manage Outbound Rules (entries are evaluated top-down, first match wins; putting it first is always safe).\n' +
      '  API: vpc UpdateNetworkAclEntries --NetworkAclId {{acl}} --UpdateEgressAclEntries true (the full ordered list, with the new entry first).',
    replyAppend:
      'Add an outbound entry: accept tcp 1024/65535 (or all ports) to 100.104.0.0/16. No entry matches these replies today (they fall through to the implicit drop), so with first match any position works; appending it is enough.\n' +
      '  Console: VPC → Network ACL → {{acl}} → Outbound Rules → Manage Outbound Rules → add the entry.\n' +
      '  API: vpc UpdateNetworkAclEntries --NetworkAclId {{acl}} --UpdateEgressAclEntries true (the full ordered list: the current entries plus the new one).',
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
    const source = acl.networkAclId;
    const fixes = [admitFix(acl, ctx.gitlabPorts, ctx.facts.input.region)].filter((f): f is Fix => f !== undefined);
    for (const port of ctx.gitlabPorts) {
      const req = evaluateAcl(acl.ingress, [REVERSE_RANGE], [port, port]);
      evidence.push(...evidenceOf(req, 'ingress', (d) => `request tcp/${port} from ${cidrList(d.ranges)}`, source));
      const drop = dropped(req, 'ingress', true);
      if (drop.bad.length) {
        hops.push({ hop: 'network-acl-in', direction: 'request', id: acl.networkAclId, verdict: 'drop', detail: drop.decider });
        return {
          status: 'fail',
          messageId: 'requestBlocked',
          data: { acl: acl.networkAclId, ranges: drop.ranges, port, decider: drop.decider, placement: drop.placement, position: drop.position },
          evidence,
          remediationId: drop.placement === 'append' ? 'requestAppend' : 'request',
          hops,
          fixes,
        };
      }
    }
    hops.push({ hop: 'network-acl-in', direction: 'request', id: acl.networkAclId, verdict: 'allow', detail: `admits 100.104.0.0/16 on tcp/${ctx.gitlabPorts.join(', ')}` });
    const ephemeral: PortRange = EPHEMERAL;
    const reply = evaluateAcl(acl.egress, [REVERSE_RANGE], ephemeral);
    evidence.push(...evidenceOf(reply, 'egress', (d) => `reply to ${scope(d, false)}`, source));
    const drop = dropped(reply, 'egress', false);
    if (drop.bad.length) {
      hops.push({ hop: 'network-acl-out', direction: 'reply', id: acl.networkAclId, verdict: 'drop', detail: drop.decider });
      return {
        status: 'fail',
        messageId: 'replyBlocked',
        data: { acl: acl.networkAclId, ranges: drop.ranges, droppedPorts: drop.ports, ephemeral: portList([ephemeral]), decider: drop.decider, placement: drop.placement, position: drop.position },
        evidence,
        remediationId: drop.placement === 'append' ? 'replyAppend' : 'reply',
        hops,
        fixes,
      };
    }
    hops.push({ hop: 'network-acl-out', direction: 'reply', id: acl.networkAclId, verdict: 'allow', detail: 'replies to 100.104.0.0/16 admitted' });
    return { status: 'pass', messageId: 'admitted', data: { acl: acl.networkAclId, ports: ctx.gitlabPorts.join(', ') }, evidence, hops };
  },
};

const fullyAdmitted = (decisions: readonly { policy: string }[]) => decisions.every((d) => d.policy === 'accept');

/**
 * One fix for both directions: an inbound accept for each GitLab port the request is dropped on and
 * an outbound accept of the ephemeral ports for the reply, each placed first (first match wins,
 * so the first position is always safe). The API replaces a direction's whole ordered list.
 */
function admitFix(acl: NetworkAcl, ports: number[], region: string): Fix | undefined {
  const requestPorts = ports.filter((port) => !fullyAdmitted(evaluateAcl(acl.ingress, [REVERSE_RANGE], [port, port])));
  const replyBlocked = !fullyAdmitted(evaluateAcl(acl.egress, [REVERSE_RANGE], EPHEMERAL));
  if (!requestPorts.length && !replyBlocked) return undefined;
  const inbound: NaclEntry[] = requestPorts.map((port) => ({ name: `acr-build-${port}`, policy: 'accept', protocol: 'tcp', port: `${port}/${port}`, cidr: REVERSE_RANGE_CIDR }));
  const outbound: NaclEntry[] = replyBlocked ? [{ name: 'acr-build-reply', policy: 'accept', protocol: 'tcp', port: `${EPHEMERAL[0]}/${EPHEMERAL[1]}`, cidr: REVERSE_RANGE_CIDR }] : [];
  const patches: FactPatch[] = [
    ...inbound.map((entry, i): FactPatch => ({ op: 'insert-acl-entry', networkAclId: acl.networkAclId, direction: 'ingress', position: i + 1, entry })),
    ...outbound.map((entry): FactPatch => ({ op: 'insert-acl-entry', networkAclId: acl.networkAclId, direction: 'egress', position: 1, entry })),
  ];
  const list = (entries: NaclEntry[], dir: 'Ingress' | 'Egress') =>
    Object.fromEntries(entries.flatMap((e, i) => {
      const n = `${dir}AclEntries.${i + 1}`;
      const addr = dir === 'Ingress' ? 'SourceCidrIp' : 'DestinationCidrIp';
      return [[`${n}.Policy`, e.policy], [`${n}.Protocol`, e.protocol], [`${n}.Port`, e.port], [`${n}.${addr}`, e.cidr], ...(e.name ? [[`${n}.NetworkAclEntryName`, e.name]] : []), ...(e.entryId ? [[`${n}.NetworkAclEntryId`, e.entryId]] : [])];
    }));
  const custom = (entries: NaclEntry[]) => entries.filter((e) => (e.entryType ?? 'custom') === 'custom');
  const calls: ApiCall[] = [];
  if (inbound.length) calls.push({ product: 'vpc', action: 'UpdateNetworkAclEntries', params: { RegionId: region, NetworkAclId: acl.networkAclId, UpdateIngressAclEntries: true, ...list([...inbound, ...custom(acl.ingress)], 'Ingress') } });
  if (outbound.length) calls.push({ product: 'vpc', action: 'UpdateNetworkAclEntries', params: { RegionId: region, NetworkAclId: acl.networkAclId, UpdateEgressAclEntries: true, ...list([...outbound, ...custom(acl.egress)], 'Egress') } });
  const parts = [
    ...(inbound.length ? [`an inbound entry accepting tcp/${requestPorts.join(', tcp/')} from ${REVERSE_RANGE_CIDR}`] : []),
    ...(outbound.length ? [`an outbound entry accepting tcp ${EPHEMERAL[0]}-${EPHEMERAL[1]} to ${REVERSE_RANGE_CIDR} (the replies)`] : []),
  ];
  return {
    title: `Put ${parts.join(' and ')} first in network ACL ${acl.networkAclId}`,
    why: `admit the build's requests and their replies through ${acl.networkAclId} (nacl-ingress)`,
    patches,
    calls,
  };
}
