// slb-listener: GitLab behind an SLB needs a running listener on the port, an ACL that lets
// 100.104.0.0/16 through (white/black; an empty ACL forwards everything) and a healthy backend.
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import { REVERSE_RANGE, cidrToRange, intersect, isCidr, normalize, subtract } from '../src/net/cidr.js';
import { cidrList } from './lib/sg.js';

export const rule: Rule = {
  id: 'slb-listener',
  title: 'SLB listener forwards 100.104.0.0/16 to a healthy GitLab backend',
  severity: 'error',
  description:
    'When GitLab sits behind a Server Load Balancer (CLB), the listener on the GitLab port must be running, its access control list must let 100.104.0.0/16 through, and at least one backend must be healthy.',
  needs: ['cloud.loadBalancers'],
  paths: ['slb'],
  messages: {
    ok: 'SLB {{lb}} listener {{protocol}}/{{port}} is running, {{aclState}}, and {{healthy}} of {{backends}} backends are healthy.',
    noListener: 'SLB {{lb}} has no listener on port {{port}} (listeners: {{listeners}}).',
    stopped: 'SLB {{lb}} listener on port {{port}} is {{status}}, not running.',
    whiteListMissing: 'SLB {{lb}} listener {{port}} whitelist {{aclId}} does not include {{uncovered}}; those builders are refused.',
    blackListed: 'SLB {{lb}} listener {{port}} blacklist {{aclId}} blocks {{blocked}}.',
    aclMissing: 'SLB {{lb}} listener {{port}} has access control on with ACL {{aclId}}, which could not be read.',
    noHealthy: 'SLB {{lb}} listener {{port}} has no healthy backend ({{health}}).',
    healthPending: 'SLB {{lb}} listener {{port}}: health checks have not finished for any backend ({{health}}).',
  },
  remediation: {
    listener: 'Create or start a listener on port {{port}} that forwards to GitLab: SLB console → {{lb}} → Listeners.',
    white:
      'Add 100.104.0.0/16 to whitelist {{aclId}}:\n  aliyun slb AddAccessControlListEntry --RegionId {{region}} --AclId {{aclId}} --AclEntrys \'[{"entry":"100.104.0.0/16","comment":"ACR build in VPC"}]\'',
    black:
      'Remove the entries covering {{blocked}} from blacklist {{aclId}}:\n  aliyun slb RemoveAccessControlListEntry --RegionId {{region}} --AclId {{aclId}} --AclEntrys \'[{"entry":"<entry>"}]\'',
    health: 'Make a GitLab backend healthy: check the backend port, the health-check path and the backend security group (it must admit the SLB health checks from 100.100.0.0/16).',
  },
  check(ctx): RuleOutcome {
    const lbs = ctx.need(ctx.facts.cloud.loadBalancers, 'SLB in front of GitLab');
    const lb = lbs[0]!;
    const port = ctx.facts.input.gitlab.port;
    const base = { lb: lb.loadBalancerId, port, region: ctx.facts.input.region };
    const listener = lb.listeners.find((l) => l.listenerPort === port);
    const evidence: Evidence[] = [{ label: 'listeners', value: lb.listeners.map((l) => `${l.listenerProtocol}/${l.listenerPort} ${l.status} acl ${l.aclStatus}${l.aclType ? ` ${l.aclType}` : ''}`), source: 'slb:DescribeLoadBalancerListeners' }];
    if (!listener) {
      return { status: 'fail', messageId: 'noListener', data: { ...base, listeners: lb.listeners.map((l) => l.listenerPort).join(', ') || 'none' }, evidence, remediationId: 'listener', hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'drop', detail: `no listener on ${port}` }] };
    }
    if (listener.status.toLowerCase() !== 'running') {
      return { status: 'fail', messageId: 'stopped', data: { ...base, status: listener.status }, evidence, remediationId: 'listener', hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'drop', detail: `listener ${port} ${listener.status}` }] };
    }
    let aclState = 'access control off';
    if (listener.aclStatus.toLowerCase() === 'on' && listener.aclId) {
      const acl = lb.acls.find((a) => a.aclId === listener.aclId);
      if (!acl) return { status: 'error', messageId: 'aclMissing', data: { ...base, aclId: listener.aclId }, evidence };
      const entries = normalize(acl.entries.filter(isCidr).map(cidrToRange));
      evidence.push({ label: `ACL ${acl.aclId} (${listener.aclType ?? '?'})`, value: acl.entries, source: 'slb:DescribeAccessControlListAttribute' });
      if (entries.length === 0) {
        aclState = `${listener.aclType ?? ''} ACL ${acl.aclId} is empty (forwards all)`;
      } else if ((listener.aclType ?? '').toLowerCase() === 'black') {
        const blocked = intersect([REVERSE_RANGE], entries);
        if (blocked.length) {
          return { status: 'fail', messageId: 'blackListed', data: { ...base, aclId: acl.aclId, blocked: cidrList(blocked) }, evidence, remediationId: 'black', hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'drop', detail: `blacklist ${acl.aclId} blocks ${cidrList(blocked)}` }] };
        }
        aclState = `blacklist ${acl.aclId} does not block 100.104.0.0/16`;
      } else {
        const uncovered = subtract([REVERSE_RANGE], entries);
        if (uncovered.length) {
          return { status: 'fail', messageId: 'whiteListMissing', data: { ...base, aclId: acl.aclId, uncovered: cidrList(uncovered) }, evidence, remediationId: 'white', hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'drop', detail: `whitelist ${acl.aclId} misses ${cidrList(uncovered)}` }] };
        }
        aclState = `whitelist ${acl.aclId} includes 100.104.0.0/16`;
      }
    }
    const backends = lb.backends.filter((b) => b.listenerPort === undefined || b.listenerPort === port);
    const health = backends.map((b) => `${b.serverId}${b.port ? `:${b.port}` : ''} ${b.healthStatus}`).join(', ') || 'no backends';
    evidence.push({ label: 'backend health', value: health, source: 'slb:DescribeHealthStatus' });
    const healthy = backends.filter((b) => b.healthStatus.toLowerCase() === 'normal');
    if (healthy.length === 0) {
      const pending = backends.length > 0 && backends.every((b) => b.healthStatus.toLowerCase() === 'unavailable');
      return {
        status: pending ? 'warn' : 'fail',
        messageId: pending ? 'healthPending' : 'noHealthy',
        data: { ...base, health },
        evidence,
        remediationId: 'health',
        hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: pending ? 'unknown' : 'drop', detail: `backends: ${health}` }],
      };
    }
    return {
      status: 'pass',
      messageId: 'ok',
      data: { ...base, protocol: listener.listenerProtocol, aclState, healthy: healthy.length, backends: backends.length },
      evidence,
      hops: [{ hop: 'slb', direction: 'request', id: lb.loadBalancerId, verdict: 'allow', detail: `${listener.listenerProtocol}/${port} running, ${aclState}` }],
    };
  },
};
