// slb-listener: GitLab behind an SLB needs an active load balancer and, on every GitLab port, a
// running TCP/HTTP/HTTPS listener whose ACLs let 100.104.0.0/16 through (white/black; an empty ACL
// forwards everything) and a healthy backend.
import type { ApiCall, Evidence, FactPatch, Fix, Hop, Rule, RuleOutcome } from '../src/engine/types.js';
import type { LoadBalancer, SlbAcl, SlbListener } from '../src/facts/types.js';
import { REVERSE_RANGE, REVERSE_RANGE_CIDR, cidrToRange, intersect, isCidr, normalize, subtract, type Range } from '../src/net/cidr.js';
import { cidrList } from './lib/sg.js';

/** Listener protocols that can carry git over HTTP(S) or SSH; UDP cannot. */
const STREAM_PROTOCOLS = new Set(['tcp', 'http', 'https']);
/** The documented LoadBalancerStatus values other than active: the instance forwards nothing. */
const NOT_FORWARDING = new Set(['inactive', 'locked']);

/** Every ACL of a listener: aclIds, plus aclId (the only field in bundles written before aclIds). */
function listenerAclIds(l: SlbListener): string[] {
  return [...new Set([...(l.aclIds ?? []), ...(l.aclId ? [l.aclId] : [])])];
}

const aclRanges = (a: SlbAcl): Range[] => normalize(a.entries.filter(isCidr).map(cidrToRange));

type PortVerdict =
  | { ok: true; summary: string; protocol: string; aclState: string; healthy: number; backends: number; detail: string }
  | { ok: false; outcome: RuleOutcome };

export const rule: Rule = {
  id: 'slb-listener',
  title: 'SLB listener forwards 100.104.0.0/16 to a healthy GitLab backend',
  severity: 'error',
  description:
    'When GitLab sits behind a Server Load Balancer (CLB), the load balancer must be active and, on every GitLab port, a TCP, HTTP or HTTPS listener must be running, its access control lists must let 100.104.0.0/16 through, and at least one backend must be healthy.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.loadBalancers'],
  paths: ['slb'],
  messages: {
    ok: 'SLB {{lb}} listener {{protocol}}/{{port}} is running, {{aclState}}, and {{healthy}} of {{backends}} backends are healthy.',
    okPorts: 'SLB {{lb}} forwards 100.104.0.0/16 on every GitLab port: {{summary}}.',
    lbInactive: 'SLB {{lb}} is {{status}}, not active: none of its listeners forwards traffic.',
    noListener: 'SLB {{lb}} has no listener on port {{port}} (listeners: {{listeners}}).',
    udpOnly: 'SLB {{lb}} has only a UDP listener on port {{port}}; git over HTTPS or SSH needs a TCP, HTTP or HTTPS listener.',
    stopped: 'SLB {{lb}} listener {{protocol}}/{{port}} is {{status}}, not running.',
    whiteListMissing: 'SLB {{lb}} listener {{port}} whitelist {{aclIds}} does not include {{uncovered}}; those builders are refused.',
    blackListed: 'SLB {{lb}} listener {{port}} blacklist {{aclIds}} blocks {{blocked}}.',
    aclMissing: 'SLB {{lb}} listener {{port}} has access control on with ACL {{aclId}}, which could not be read.',
    noHealthy: 'SLB {{lb}} listener {{port}} has no healthy backend ({{health}}).',
    healthPending: 'SLB {{lb}} listener {{port}}: health checks have not finished for any backend ({{health}}).',
  },
  remediation: {
    activate:
      'Start the load balancer: SLB console → {{lb}} → Start, or\n  aliyun slb SetLoadBalancerStatus --RegionId {{region}} --LoadBalancerId {{lb}} --LoadBalancerStatus active\n' +
      'A locked instance (overdue payment or a security lock) must be unlocked first; the console shows the reason. An instance whose listeners were all deleted turns inactive: create the listener too.',
    listener: 'Create or start a TCP, HTTP or HTTPS listener on port {{port}} that forwards to GitLab: SLB console → {{lb}} → Listeners.',
    white:
      'Add 100.104.0.0/16 to whitelist {{aclId}} (a listener with several whitelists admits the union of their entries):\n  aliyun slb AddAccessControlListEntry --RegionId {{region}} --AclId {{aclId}} --AclEntrys \'[{"entry":"100.104.0.0/16","comment":"ACR build in VPC"}]\'',
    black:
      'Remove the entries covering {{blocked}} from blacklist {{aclIds}} (every blacklist on the listener applies):\n  aliyun slb RemoveAccessControlListEntry --RegionId {{region}} --AclId {{aclId}} --AclEntrys \'[{"entry":"<entry>"}]\'',
    health: 'Make a GitLab backend healthy: check the backend port, the health-check path and the backend security group (it must admit the SLB health checks from 100.100.0.0/16).',
  },
  check(ctx): RuleOutcome {
    const lbs = ctx.need(ctx.facts.cloud.loadBalancers, 'SLB in front of GitLab');
    const lb = lbs[0]!;
    const region = ctx.facts.input.region;
    const evidence: Evidence[] = [
      { label: 'load balancer status', value: lb.status ?? 'unknown (not reported)', source: 'slb:DescribeLoadBalancers' },
      { label: 'listeners', value: lb.listeners.map((l) => `${l.listenerProtocol}/${l.listenerPort} ${l.status} acl ${l.aclStatus}${l.aclType ? ` ${l.aclType}` : ''}${listenerAclIds(l).length ? ` ${listenerAclIds(l).join(',')}` : ''}`), source: 'slb:DescribeLoadBalancerListeners' },
    ];
    const status = lb.status?.trim().toLowerCase();
    if (status && NOT_FORWARDING.has(status)) {
      return {
        status: 'fail',
        messageId: 'lbInactive',
        data: { lb: lb.loadBalancerId, status, region },
        evidence,
        remediationId: 'activate',
        hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'drop', detail: `load balancer ${status}` }],
      };
    }
    const passed: Extract<PortVerdict, { ok: true }>[] = [];
    const problems: RuleOutcome[] = [];
    for (const port of ctx.gitlabPorts) {
      const v = checkPort(lb, port, region, evidence);
      if (v.ok) passed.push(v);
      else problems.push(v.outcome);
    }
    // a port that fails decides, even if another port is only undecided or pending
    const worst = (['fail', 'error', 'warn'] as const).map((s) => problems.find((p) => p.status === s)).find(Boolean);
    if (worst) return worst;
    const hops: Hop[] = [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'allow', detail: passed.map((p) => p.detail).join('; ') }];
    if (passed.length === 1) {
      const p = passed[0]!;
      return { status: 'pass', messageId: 'ok', data: { lb: lb.loadBalancerId, port: ctx.gitlabPorts[0]!, region, protocol: p.protocol, aclState: p.aclState, healthy: p.healthy, backends: p.backends }, evidence, hops };
    }
    return { status: 'pass', messageId: 'okPorts', data: { lb: lb.loadBalancerId, ports: ctx.gitlabPorts.join(', '), region, summary: passed.map((p) => p.summary).join('; ') }, evidence, hops };
  },
};

/** One GitLab port: listener, its ACLs, backend health. Evidence is appended (once per ACL). */
function checkPort(lb: LoadBalancer, port: number, region: string, evidence: Evidence[]): PortVerdict {
  const base = { lb: lb.loadBalancerId, port, region };
  const drop = (detail: string): Hop[] => [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'drop', detail }];
  const onPort = lb.listeners.filter((l) => l.listenerPort === port);
  const candidates = onPort.filter((l) => STREAM_PROTOCOLS.has(l.listenerProtocol.toLowerCase()));
  if (candidates.length === 0) {
    if (onPort.length > 0) {
      return { ok: false, outcome: { status: 'fail', messageId: 'udpOnly', data: base, evidence, remediationId: 'listener', hops: drop(`only ${onPort.map((l) => l.listenerProtocol).join('/')} on ${port}`) } };
    }
    return { ok: false, outcome: { status: 'fail', messageId: 'noListener', data: { ...base, listeners: lb.listeners.map((l) => l.listenerPort).join(', ') || 'none' }, evidence, remediationId: 'listener', hops: drop(`no listener on ${port}`) } };
  }
  const listener = candidates.find((l) => l.status.toLowerCase() === 'running') ?? candidates[0]!;
  const protocol = listener.listenerProtocol.toLowerCase();
  if (listener.status.toLowerCase() !== 'running') {
    const fixes: Fix[] = [{
      title: `Start listener ${protocol}/${port} of ${lb.loadBalancerId}`,
      why: `the listener forwards nothing while ${listener.status} (slb-listener)`,
      patches: [{ op: 'set-slb-listener', loadBalancerId: lb.loadBalancerId, listenerPort: port, status: 'running' }],
      // not applied by provision: a started listener's backends stay unhealthy-unknown until the health
      // checks run again, so this fix cannot be proven on the facts of the stopped one
      steps: [`SLB console → ${lb.loadBalancerId} → Listeners → ${protocol}/${port} → Start, or: aliyun slb StartLoadBalancerListener --RegionId ${region} --LoadBalancerId ${lb.loadBalancerId} --ListenerPort ${port} --ListenerProtocol ${protocol}`],
    }];
    return { ok: false, outcome: { status: 'fail', messageId: 'stopped', data: { ...base, protocol, status: listener.status }, evidence, remediationId: 'listener', hops: drop(`listener ${protocol}/${port} ${listener.status}`), fixes } };
  }
  let aclState = 'access control off';
  const ids = listenerAclIds(listener);
  if (listener.aclStatus.toLowerCase() === 'on' && ids.length) {
    const missing = ids.filter((id) => !lb.acls.some((a) => a.aclId === id));
    if (missing.length) return { ok: false, outcome: { status: 'error', messageId: 'aclMissing', data: { ...base, aclId: missing.join(', ') }, evidence } };
    const acls = ids.map((id) => lb.acls.find((a) => a.aclId === id)!);
    const type = (listener.aclType ?? '').toLowerCase();
    for (const acl of acls) {
      const label = `ACL ${acl.aclId} (${listener.aclType ?? '?'})`;
      if (!evidence.some((e) => e.label === label)) evidence.push({ label, value: acl.entries, source: 'slb:DescribeAccessControlListAttribute' });
    }
    const names = ids.join(', ');
    const all = normalize(acls.flatMap(aclRanges));
    if (all.length === 0) {
      aclState = `${type ? `${type}list` : 'ACL'} ${names} ${acls.length > 1 ? 'are' : 'is'} empty (forwards all)`;
    } else if (type === 'black') {
      // any one blacklist that lists part of the range blocks that part
      const blocking = acls.filter((a) => intersect([REVERSE_RANGE], aclRanges(a)).length > 0);
      const blocked = intersect([REVERSE_RANGE], all);
      if (blocking.length) {
        const blockers = blocking.map((a) => a.aclId).join(', ');
        const remove = blocking.map((a) => ({ aclId: a.aclId, entries: a.entries.filter((e) => isCidr(e) && intersect([REVERSE_RANGE], [cidrToRange(e)]).length > 0) }));
        const fixes: Fix[] = [{
          title: `Remove ${remove.flatMap((r) => r.entries.map((e) => `${e} from ${r.aclId}`)).join(', ')}`,
          why: `every blacklist on the listener applies; these entries refuse builders (slb-listener)`,
          patches: remove.flatMap((r) => r.entries.map((entry): FactPatch => ({ op: 'remove-slb-acl-entry', aclId: r.aclId, entry }))),
          calls: remove.map((r): ApiCall => ({ product: 'slb', action: 'RemoveAccessControlListEntry', params: { RegionId: region, AclId: r.aclId, AclEntrys: JSON.stringify(r.entries.map((entry) => ({ entry }))) } })),
        }];
        return { ok: false, outcome: { status: 'fail', messageId: 'blackListed', data: { ...base, aclId: blocking[0]!.aclId, aclIds: blockers, blocked: cidrList(blocked) }, evidence, remediationId: 'black', hops: drop(`blacklist ${blockers} blocks ${cidrList(blocked)}`), fixes } };
      }
      aclState = `blacklist ${names} does not block 100.104.0.0/16`;
    } else {
      // whitelists admit the union of their entries
      const uncovered = subtract([REVERSE_RANGE], all);
      if (uncovered.length) {
        const fixes: Fix[] = [{
          title: `Add ${REVERSE_RANGE_CIDR} to whitelist ${ids[0]!}`,
          why: `a listener's whitelists admit the union of their entries (slb-listener)`,
          patches: [{ op: 'add-slb-acl-entry', aclId: ids[0]!, entry: REVERSE_RANGE_CIDR }],
          calls: [{ product: 'slb', action: 'AddAccessControlListEntry', params: { RegionId: region, AclId: ids[0]!, AclEntrys: JSON.stringify([{ entry: REVERSE_RANGE_CIDR, comment: 'ACR build in VPC' }]) } }],
        }];
        return { ok: false, outcome: { status: 'fail', messageId: 'whiteListMissing', data: { ...base, aclId: ids[0]!, aclIds: names, uncovered: cidrList(uncovered) }, evidence, remediationId: 'white', hops: drop(`whitelist ${names} misses ${cidrList(uncovered)}`), fixes } };
      }
      aclState = `whitelist ${names} includes 100.104.0.0/16`;
    }
  }
  const backends = lb.backends.filter((b) => b.listenerPort === undefined || b.listenerPort === port);
  const health = backends.map((b) => `${b.serverId}${b.port ? `:${b.port}` : ''} ${b.healthStatus}`).join(', ') || 'no backends';
  const label = `backend health (listener ${port})`;
  if (!evidence.some((e) => e.label === label)) evidence.push({ label, value: health, source: 'slb:DescribeHealthStatus' });
  const healthy = backends.filter((b) => b.healthStatus.toLowerCase() === 'normal');
  if (healthy.length === 0) {
    const pending = backends.length > 0 && backends.every((b) => b.healthStatus.toLowerCase() === 'unavailable');
    return {
      ok: false,
      outcome: {
        status: pending ? 'warn' : 'fail',
        messageId: pending ? 'healthPending' : 'noHealthy',
        data: { ...base, health },
        evidence,
        remediationId: 'health',
        hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: pending ? 'unknown' : 'drop', detail: `backends: ${health}` }],
      },
    };
  }
  return {
    ok: true,
    protocol,
    aclState,
    healthy: healthy.length,
    backends: backends.length,
    summary: `${protocol}/${port} running, ${aclState}, ${healthy.length} of ${backends.length} backends healthy`,
    detail: `${protocol}/${port} running, ${aclState}`,
  };
}
