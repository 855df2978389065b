// nacl-ingress: the network ACL on GitLab's vSwitch admits the request from 100.104.0.0/16 and,
// because ACLs are stateless, the reply back to it. On the SLB path the same holds for the vSwitch
// of every backend server: "The traffic forwarded by server load balancer (SLB) instances to ECS
// instances is also filtered" (VPC, network ACL overview), and a layer-4 (TCP) listener hands the
// backend the builder's own address, so the request arrives from 100.104.0.0/16 on the backend port.
import type { ApiCall, Evidence, FactPatch, Fix, Hop, Rule, RuleContext, RuleOutcome } from '../src/engine/types.js';
import type { Fact, NaclEntry, NetworkAcl, SlbBackendNetwork } from '../src/facts/types.js';
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
    'Network ACLs are stateless and evaluated in order, first match wins. The ACL bound to the GitLab vSwitch must admit inbound TCP from 100.104.0.0/16 to the GitLab port and outbound replies to 100.104.0.0/16 on the ephemeral ports. Behind an SLB, traffic the load balancer forwards to ECS is filtered too: for layer-4 (TCP) listeners the ACL of each backend server\'s vSwitch must admit the request on the backend port and the reply.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.gitlabVSwitch', 'cloud.gitlabNetworkAcl', 'cloud.loadBalancers', 'cloud.slbBackendNetworks'],
  paths: ['ecs', 'slb'],
  messages: {
    noAcl: 'vSwitch {{vSwitch}} has no network ACL bound; nothing to block.',
    admitted: 'Network ACL {{acl}} admits requests from 100.104.0.0/16 on tcp/{{ports}} and replies to it.',
    requestBlocked: 'Network ACL {{acl}} drops requests from {{ranges}} to tcp/{{port}}: {{decider}}.',
    replyBlocked: 'Network ACL {{acl}} drops replies to {{ranges}} on tcp ports {{droppedPorts}} (stateless: egress to the builder\'s ephemeral ports {{ephemeral}} must be allowed): {{decider}}.',
    backendsAdmitted: 'SLB {{lb}} forwards the builder\'s address to its backends on the layer-4 listeners; every backend vSwitch admits it and the reply: {{summary}}.',
    noLayer4: 'SLB {{lb}} has no layer-4 (TCP) listener on tcp/{{ports}}: a layer-7 listener connects to the backends from the load balancer\'s own addresses, so the builder\'s 100.104.0.0/16 does not reach the backend vSwitch ACLs.',
    backendRequestBlocked: 'SLB {{lb}} backend {{server}} (vSwitch {{vSwitch}}): network ACL {{acl}} drops requests from {{ranges}} to the backend port tcp/{{port}} (a layer-4 listener forwards the builder\'s own address; ACLs filter what an SLB forwards to ECS): {{decider}}.',
    backendReplyBlocked: 'SLB {{lb}} backend {{server}} (vSwitch {{vSwitch}}): network ACL {{acl}} drops replies to {{ranges}} on tcp ports {{droppedPorts}} (stateless: egress to the builder\'s ephemeral ports {{ephemeral}} must be allowed): {{decider}}.',
    backendUnknown: 'SLB {{lb}} backend {{servers}}: its vSwitch could not be found (not an ECS instance in the region?), so its network ACL cannot be checked.',
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
    return ctx.path.kind === 'slb' ? checkSlb(ctx) : checkEcs(ctx);
  },
};

type AclVerdict = { ok: true; hops: Hop[]; evidence: Evidence[] } | { ok: false; reply: boolean; data: Record<string, string | number>; evidence: Evidence[]; hops: Hop[]; remediationId: string };

/** One network ACL against the builder's traffic: requests on `ports`, replies to the ephemeral range. */
function judgeAcl(acl: NetworkAcl, ports: number[]): AclVerdict {
  const hops: Hop[] = [];
  const evidence: Evidence[] = [];
  const source = acl.networkAclId;
  for (const port of ports) {
    const req = evaluateAcl(acl.ingress, [REVERSE_RANGE], [port, port]);
    evidence.push(...evidenceOf(req, 'ingress', (d) => `request tcp/${port} from ${cidrList(d.ranges)}`, source));
    const drop = dropped(req, 'ingress', true);
    if (drop.bad.length) {
      hops.push({ hop: 'network-acl-in', direction: 'request', id: acl.networkAclId, verdict: 'drop', detail: drop.decider });
      return {
        ok: false,
        reply: false,
        data: { acl: acl.networkAclId, ranges: drop.ranges, port, decider: drop.decider, placement: drop.placement, position: drop.position },
        evidence,
        remediationId: drop.placement === 'append' ? 'requestAppend' : 'request',
        hops,
      };
    }
  }
  hops.push({ hop: 'network-acl-in', direction: 'request', id: acl.networkAclId, verdict: 'allow', detail: `admits 100.104.0.0/16 on tcp/${ports.join(', ')}` });
  const ephemeral: PortRange = EPHEMERAL;
  const reply = evaluateAcl(acl.egress, [REVERSE_RANGE], ephemeral);
  evidence.push(...evidenceOf(reply, 'egress', (d) => `reply to ${scope(d, false)}`, source));
  const drop = dropped(reply, 'egress', false);
  if (drop.bad.length) {
    hops.push({ hop: 'network-acl-out', direction: 'reply', id: acl.networkAclId, verdict: 'drop', detail: drop.decider });
    return {
      ok: false,
      reply: true,
      data: { acl: acl.networkAclId, ranges: drop.ranges, droppedPorts: drop.ports, ephemeral: portList([ephemeral]), decider: drop.decider, placement: drop.placement, position: drop.position },
      evidence,
      remediationId: drop.placement === 'append' ? 'replyAppend' : 'reply',
      hops,
    };
  }
  hops.push({ hop: 'network-acl-out', direction: 'reply', id: acl.networkAclId, verdict: 'allow', detail: 'replies to 100.104.0.0/16 admitted' });
  return { ok: true, hops, evidence };
}

function checkEcs(ctx: RuleContext): RuleOutcome {
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
  const v = judgeAcl(acl, ctx.gitlabPorts);
  if (!v.ok) return { status: 'fail', messageId: v.reply ? 'replyBlocked' : 'requestBlocked', data: v.data, evidence: v.evidence, remediationId: v.remediationId, hops: v.hops, fixes: fixesFor(acl, ctx.gitlabPorts, ctx.facts.input.region) };
  return { status: 'pass', messageId: 'admitted', data: { acl: acl.networkAclId, ports: ctx.gitlabPorts.join(', ') }, evidence: v.evidence, hops: v.hops };
}

/** Layer-4 listeners hand the backend the client's address; layer-7 ones connect from the SLB's own. */
const LAYER4 = new Set(['tcp']);

const NO_BACKEND_FACT: Fact<SlbBackendNetwork[]> = {
  state: 'unavailable',
  reason: 'error',
  message: 'this snapshot has no SLB backend network ACLs (collected by an older version); collect it again',
  source: 'snapshot',
  at: '',
};

function checkSlb(ctx: RuleContext): RuleOutcome {
  const lb = ctx.need(ctx.facts.cloud.loadBalancers, 'SLB in front of GitLab')[0]!;
  const nets = ctx.need(ctx.facts.cloud.slbBackendNetworks ?? NO_BACKEND_FACT, "SLB backends' vSwitches and network ACLs");
  // (backend server, backend port) pairs that receive the builder's own address
  const targets = new Map<string, { serverId: string; ports: Set<number> }>();
  for (const port of ctx.gitlabPorts) {
    for (const l of lb.listeners.filter((x) => x.listenerPort === port && LAYER4.has(x.listenerProtocol.toLowerCase()))) {
      for (const b of lb.backends.filter((x) => x.listenerPort === undefined || x.listenerPort === port)) {
        const t = targets.get(b.serverId) ?? { serverId: b.serverId, ports: new Set<number>() };
        t.ports.add(b.port ?? l.backendServerPort ?? port);
        targets.set(b.serverId, t);
      }
    }
  }
  const base = { lb: lb.loadBalancerId, ports: ctx.gitlabPorts.join(', ') };
  if (targets.size === 0) return { status: 'pass', messageId: 'noLayer4', data: base, hops: [] };
  const hops: Hop[] = [];
  const evidence: Evidence[] = [];
  const unknown: string[] = [];
  const summary: string[] = [];
  for (const t of targets.values()) {
    const net = nets.find((n) => n.serverId === t.serverId);
    if (!net?.vSwitchId || net.networkAcl === undefined) {
      unknown.push(t.serverId);
      continue;
    }
    const ports = [...t.ports].sort((a, b) => a - b);
    evidence.push({ label: `backend ${t.serverId}`, value: `vSwitch ${net.vSwitchId}, ${net.networkAcl ? `network ACL ${net.networkAcl.networkAclId}` : 'no network ACL'}, backend port tcp/${ports.join(', ')}`, source: 'ecs:DescribeInstances, vpc:DescribeVSwitchAttributes' });
    if (!net.networkAcl) {
      summary.push(`${t.serverId} in ${net.vSwitchId} (no network ACL)`);
      continue;
    }
    const v = judgeAcl(net.networkAcl, ports);
    evidence.push(...v.evidence);
    if (!v.ok) {
      return {
        status: 'fail',
        messageId: v.reply ? 'backendReplyBlocked' : 'backendRequestBlocked',
        data: { ...base, ...v.data, server: t.serverId, vSwitch: net.vSwitchId },
        evidence,
        remediationId: v.remediationId,
        hops: [...hops, ...v.hops],
        fixes: fixesFor(net.networkAcl, ports, ctx.facts.input.region),
      };
    }
    hops.push(...v.hops);
    summary.push(`${t.serverId} in ${net.vSwitchId}, ACL ${net.networkAcl.networkAclId} admits tcp/${ports.join(', ')} and the reply`);
  }
  if (unknown.length) return { status: 'error', messageId: 'backendUnknown', data: { ...base, servers: unknown.join(', ') }, evidence, hops };
  return { status: 'pass', messageId: 'backendsAdmitted', data: { ...base, summary: summary.join('; ') }, evidence, hops };
}

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

const fixesFor = (acl: NetworkAcl, ports: number[], region: string): Fix[] => [admitFix(acl, ports, region)].filter((f): f is Fix => f !== undefined);
