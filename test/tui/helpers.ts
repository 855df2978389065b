// Test helpers for the TUI: a small fact snapshot, test rules that judge it, a frame poller.
import assert from 'node:assert/strict';
import type { Rule, RuleOutcome } from '../../src/engine/types.js';
import type { AcrRepository, Facts, SecurityGroup, SourceBinding } from '../../src/facts/types.js';
import type { CollectStep } from '../../src/tui/events.js';
import { makeSource, type CheckSource, type ProvisionDriver } from '../../src/tui/session.js';

const at = '2026-11-28T10:00:00.000Z';
const ok = <T>(value: T, source = 'test') => ({ state: 'ok' as const, value, source, at });
const na = (message: string) => ({ state: 'unavailable' as const, reason: 'not-configured' as const, message, source: 'config', at });

export function makeFacts(opts: { sgAdmits?: boolean; linked?: boolean; repository?: AcrRepository | null; binding?: SourceBinding | null } = {}): Facts {
  const sg: SecurityGroup = {
    securityGroupId: 'sg-gitlab',
    type: 'normal',
    permissions: [
      { direction: 'ingress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' },
      ...(opts.sgAdmits
        ? [{ direction: 'ingress' as const, policy: 'accept' as const, priority: 1, ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/16' }]
        : [{ direction: 'ingress' as const, policy: 'accept' as const, priority: 1, ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/17', ruleId: 'sgr-half' }]),
    ],
  };
  return {
    schemaVersion: 1,
    tool: { name: 'acr-vpc-preflight', version: '0.1.0' },
    collectedAt: at,
    input: {
      region: 'cn-hangzhou',
      acr: { instanceId: 'cri-test', namespace: 'team', repository: 'app' },
      vpc: { vpcId: 'vpc-test', vSwitchId: 'vsw-link' },
      gitlab: { endpoint: 'https://192.168.1.10', host: '192.168.1.10', port: 443, scheme: 'https', username: 'builder', project: 'group/app' },
      extraEndpoints: [],
      jumpHostConfigured: false,
      gitlabHostConfigured: false,
    },
    cloud: {
      acrInstance: ok({ instanceId: 'cri-test', status: 'RUNNING' }),
      vpc: ok({ vpcId: 'vpc-test', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: [], userCidrs: [] }),
      linkVSwitch: ok({ vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.2.0/24' }),
      vSwitches: ok([]),
      gitlabEnis: ok([{ instanceId: 'i-gitlab', vpcId: 'vpc-test', vSwitchId: 'vsw-gl', privateIpAddresses: ['192.168.1.10'], securityGroupIds: ['sg-gitlab'] }]),
      gitlabSecurityGroups: ok([sg]),
      prefixLists: ok([]),
      gitlabVSwitch: ok({ vSwitchId: 'vsw-gl', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.1.0/24' }),
      gitlabNetworkAcl: ok(null),
      loadBalancers: ok([]),
      vbr: na('datacenter.vbrId is not set'),
      vbrRouteEntries: na('datacenter.vbrId is not set'),
      bgpPeers: na('datacenter.vbrId is not set'),
      bgpNetworks: na('datacenter.vbrId is not set'),
      managedSecurityGroups: ok(opts.linked ? [{ securityGroupId: 'sg-acr-managed', type: 'normal' as const, serviceManaged: true, permissions: [] }] : []),
      managedEnis: ok([]),
      repository: ok(opts.repository ?? null),
      sourceBinding: ok(opts.binding ?? null),
    },
    gitlab: {
      addresses: ok(['192.168.1.10']),
      probeLocal: ok({ vantage: 'local', url: 'https://192.168.1.10/api/v4/version', dialed: '127.0.0.1:8443', outcome: 'connected', httpStatus: 200, gitlabVersion: '16.11.2', timing: { dnsMs: 0, connectMs: 2, tlsMs: 9, firstByteMs: 14, totalMs: 15 } }),
      probeJump: na('probe.jumpHost is not set'),
      tls: ok(null),
      token: ok({ httpStatus: 200, scopes: ['api'] }),
      user: ok({ httpStatus: 200, username: 'builder' }),
      project: ok({ httpStatus: 200, pathWithNamespace: 'group/app' }),
      gitDiscovery: ok({ httpStatus: 200, smart: true, refs: 1 }),
    },
    hosts: { gitlabHost: na('probe.gitlabHost is not set'), idcRouter: na('datacenter.router is not set') },
  };
}

/** A test rule over the security groups: fails when 100.104.0.0/16 is not fully admitted on 443. */
export const sgRule: Rule = {
  id: 'sg-ingress',
  title: 'GitLab security groups admit 100.104.0.0/16',
  severity: 'error',
  description: 'test rule',
  needs: ['cloud.gitlabSecurityGroups'],
  paths: ['ecs'],
  messages: {
    ok: 'Security group {{sg}} admits 100.104.0.0/16 on tcp/{{port}}.',
    uncovered: 'Security group {{sg}} does not admit {{range}} on tcp/{{port}}.',
  },
  remediation: {
    add: 'Add an ingress rule for the whole reverse-access range:\n$ aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId {{sg}} --IpProtocol TCP --PortRange {{port}}/{{port}} --SourceCidrIp 100.104.0.0/16 --Priority 1',
  },
  check(ctx): RuleOutcome {
    const groups = ctx.need(ctx.facts.cloud.gitlabSecurityGroups, 'GitLab security groups');
    const sg = groups[0]!;
    const full = sg.permissions.find((p) => p.portRange === '443/443' && p.sourceCidrIp === '100.104.0.0/16');
    if (full) {
      return {
        status: 'pass',
        messageId: 'ok',
        data: { sg: sg.securityGroupId, port: 443 },
        hops: [{ hop: 'security-group', direction: 'request', id: sg.securityGroupId, verdict: 'allow', detail: 'accept prio 1 from 100.104.0.0/16' }],
      };
    }
    return {
      status: 'fail',
      messageId: 'uncovered',
      data: { sg: sg.securityGroupId, port: 443, range: '100.104.128.0/17' },
      remediationId: 'add',
      evidence: [
        { label: 'deciding rules', value: sg.permissions.filter((p) => p.portRange === '443/443').map((p) => ({ securityGroupId: sg.securityGroupId, ...p })), source: 'ecs:DescribeSecurityGroupAttribute sg-gitlab' },
        { label: 'uncovered ranges', value: ['100.104.128.0/17'] },
      ],
      hops: [{ hop: 'security-group', direction: 'request', id: sg.securityGroupId, verdict: 'drop', detail: 'no rule admits 100.104.128.0/17 on tcp/443' }],
      fixes: [
        {
          title: 'admit 100.104.0.0/16 on tcp/443',
          why: 'admit the reverse-access range on the GitLab port',
          patches: [{ op: 'add-sg-rule', securityGroupId: sg.securityGroupId, rule: { direction: 'ingress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/16' } }],
          calls: [{ product: 'ecs', action: 'AuthorizeSecurityGroup', params: { RegionId: 'cn-hangzhou', SecurityGroupId: sg.securityGroupId, 'Permissions.1.IpProtocol': 'TCP', 'Permissions.1.PortRange': '443/443', 'Permissions.1.SourceCidrIp': '100.104.0.0/16', 'Permissions.1.Priority': '1' } }],
        },
      ],
    };
  },
};

export const probeRule: Rule = {
  id: 'gitlab-reachable',
  title: 'GitLab answers over HTTP(S)',
  severity: 'error',
  description: 'test rule',
  needs: ['gitlab.probeLocal'],
  messages: { ok: 'GitLab {{version}} answered in {{ms}} ms.' },
  check(ctx): RuleOutcome {
    const p = ctx.need(ctx.facts.gitlab.probeLocal, 'local probe');
    return {
      status: 'pass',
      messageId: 'ok',
      data: { version: p.gitlabVersion ?? '?', ms: p.timing.totalMs },
      evidence: [{ label: 'local probe', value: p }],
      hops: [{ hop: 'gitlab', direction: 'request', id: '192.168.1.10', verdict: 'allow', detail: 'HTTP 200' }],
    };
  },
};

export const hostRule: Rule = {
  id: 'host-route',
  title: 'GitLab host routes 100.104.0.0/16 back through the VPC interface',
  severity: 'warning',
  description: 'test rule',
  needs: ['hosts.gitlabHost'],
  messages: {},
  check(ctx): RuleOutcome {
    ctx.need(ctx.facts.hosts.gitlabHost, 'GitLab host read');
    return { status: 'pass', messageId: 'never' };
  },
};

export const TEST_RULES: Rule[] = [sgRule, probeRule, hostRule];

/** A stand-in for link-present: absent is a warning (provision guides the link), present passes. */
export const linkRule: Rule = {
  id: 'link-present',
  title: "ACR's build link exists",
  severity: 'warning',
  description: 'test rule',
  needs: ['cloud.managedSecurityGroups'],
  messages: { ok: 'Link present: managed group {{sg}}.', absent: 'Not linked yet — `acr-preflight provision` will guide it.' },
  check(ctx): RuleOutcome {
    const groups = ctx.need(ctx.facts.cloud.managedSecurityGroups, 'managed security groups');
    return groups.length ? { status: 'pass', messageId: 'ok', data: { sg: groups[0]!.securityGroupId } } : { status: 'warn', messageId: 'absent', data: {} };
  },
};

/** A source whose collection reports steps and can be held open until release() is called. */
export function testSource(opts: { facts: () => Facts; hold?: boolean; provision?: ProvisionDriver; docs?: Record<string, string>; rules?: Rule[] }): CheckSource & {
  release: () => void;
  collections: number;
} {
  let release: () => void = () => {};
  const src = makeSource({
    rules: opts.rules ?? TEST_RULES,
    collect: async ({ onStep, signal }) => {
      out.collections++;
      const step: CollectStep = { id: 'round-1', label: 'round 1: DescribeInstances', state: 'running' };
      onStep(step);
      if (opts.hold) {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
        });
      }
      onStep({ ...step, state: 'done' });
      return opts.facts();
    },
    now: () => new Date('2026-11-28T10:00:00Z'),
    zones: { source: 'test', retrieved: '2026-11-01', regions: { 'cn-hangzhou': { zones: ['cn-hangzhou-h'] } } },
    docs: (id) => opts.docs?.[id],
    ...(opts.provision ? { provision: opts.provision } : {}),
  });
  const out = Object.assign(src, { release: () => release(), collections: 0 });
  return out;
}

/** Poll until `get()` matches (frames update asynchronously). */
export async function waitFor(get: () => string | undefined, re: RegExp, ms = 5000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const v = get() ?? '';
    if (re.test(v)) return v;
    if (Date.now() - t0 > ms) assert.fail(`timeout waiting for ${re}\n--- last frame ---\n${v}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
