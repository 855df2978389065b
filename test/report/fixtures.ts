// Small, self-contained rules and fact snapshots for reporter tests: the reporters are exercised
// through the real engine (runRules, waivers, verdict), independent of the production rules.
import type { WaiverConfig } from '../../src/config/types.js';
import { runRules } from '../../src/engine/runner.js';
import type { Report, Rule, RuleOutcome, ZoneTable } from '../../src/engine/types.js';
import type { Fact, Facts, SecurityGroup, UnavailableReason } from '../../src/facts/types.js';

export const NOW = new Date('2026-11-20T10:00:00.000Z');
const AT = '2026-11-20T09:59:00.000Z';

export const ZONES: ZoneTable = { source: 'test', retrieved: '2026-11-01', regions: { 'cn-hangzhou': { zones: ['cn-hangzhou-h'] } } };

const ok = <T>(value: T, source: string): Fact<T> => ({ state: 'ok', value, source, at: AT });
const un = <T>(reason: UnavailableReason, message: string, source: string, extra: { hint?: string; ramAction?: string } = {}): Fact<T> => ({
  state: 'unavailable',
  reason,
  message,
  source,
  at: AT,
  ...extra,
});

export interface Scenario {
  sgAdmits: boolean;
  tls: boolean;
  tokenTimeout: boolean;
  linked: boolean;
}

const GROUP = (admits: boolean): SecurityGroup => ({
  securityGroupId: 'sg-bp1gitlab',
  type: 'normal',
  permissions: [
    {
      direction: 'ingress',
      policy: 'accept',
      priority: 1,
      ipProtocol: 'TCP',
      portRange: '443/443',
      sourceCidrIp: admits ? '100.104.0.0/16' : '100.104.0.0/17',
      ruleId: 'sgr-1',
    },
  ],
});

export function scenarioFacts(s: Scenario): Facts {
  return {
    schemaVersion: 1,
    tool: { name: 'acr-vpc-preflight', version: '0.1.0' },
    collectedAt: AT,
    input: {
      region: 'cn-hangzhou',
      acr: { instanceId: 'cri-demo1234', namespace: 'team', repository: 'app' },
      vpc: { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build' },
      gitlab: { endpoint: 'https://192.168.1.10', host: '192.168.1.10', port: 443, scheme: 'https', username: 'builder', project: 'group/app' },
      extraEndpoints: [],
      jumpHostConfigured: false,
      gitlabHostConfigured: false,
    },
    cloud: {
      acrInstance: ok({ instanceId: 'cri-demo1234', status: 'RUNNING' }, 'cr:GetInstance'),
      vpc: ok({ vpcId: 'vpc-bp1demo', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: [], userCidrs: [] }, 'vpc:DescribeVpcAttribute'),
      linkVSwitch: ok({ vSwitchId: 'vsw-bp1build', vpcId: 'vpc-bp1demo', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.2.0/24' }, 'vpc:DescribeVSwitchAttributes'),
      vSwitches: ok([], 'vpc:DescribeVSwitches'),
      gitlabEnis: ok(
        [{ instanceId: 'i-bp1gitlab', vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1app', privateIpAddresses: ['192.168.1.10'], securityGroupIds: ['sg-bp1gitlab'] }],
        'ecs:DescribeInstances',
      ),
      gitlabSecurityGroups: ok([GROUP(s.sgAdmits)], 'ecs:DescribeSecurityGroupAttribute'),
      prefixLists: ok([], 'ecs:DescribePrefixListAttributes'),
      gitlabVSwitch: ok({ vSwitchId: 'vsw-bp1app', vpcId: 'vpc-bp1demo', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.1.0/24' }, 'vpc:DescribeVSwitchAttributes'),
      gitlabNetworkAcl: ok(null, 'vpc:DescribeVSwitchAttributes'),
      loadBalancers: ok([], 'slb:DescribeLoadBalancers'),
      vbr: un('not-applicable', 'no data center configured', 'config'),
      vbrRouteEntries: un('not-applicable', 'no data center configured', 'config'),
      bgpPeers: un('not-applicable', 'no data center configured', 'config'),
      bgpNetworks: un('not-applicable', 'no data center configured', 'config'),
      managedSecurityGroups: ok(
        s.linked ? [{ securityGroupId: 'sg-acrlink', type: 'normal', serviceManaged: true, permissions: [] }] : [],
        'ecs:DescribeSecurityGroups',
      ),
      managedEnis: ok([], 'ecs:DescribeNetworkInterfaces'),
      repository: ok(null, 'cr:GetRepository'),
      sourceBinding: ok(null, 'cr:GetRepoSourceCodeRepo'),
    },
    gitlab: {
      addresses: ok(['192.168.1.10'], 'dns'),
      probeLocal: un('probe-failed', 'not probed', 'test'),
      probeJump: un('not-configured', 'probe.jumpHost is not set', 'config', { hint: 'set probe.jumpHost in preflight.yaml' }),
      tls: ok(
        s.tls
          ? { subjectAltNames: ['192.168.1.10'], authorized: true, hostnameMatches: true, caFileUsed: false, validTo: '2027-06-01T00:00:00.000Z' }
          : null,
        'tls',
      ),
      token: s.tokenTimeout ? un('timeout', 'no answer within 10000 ms', 'gitlab:GET /api/v4/personal_access_tokens/self') : ok({ httpStatus: 200, scopes: ['api'], active: true }, 'gitlab:GET /api/v4/personal_access_tokens/self'),
      user: un('probe-failed', 'not probed', 'test'),
      project: un('probe-failed', 'not probed', 'test'),
      gitDiscovery: un('probe-failed', 'not probed', 'test'),
    },
    hosts: {
      gitlabHost: un('not-configured', 'probe.gitlabHost is not set', 'config', { hint: 'set probe.gitlabHost.ssh in preflight.yaml to read the GitLab host' }),
      idcRouter: un('not-applicable', 'no data center configured', 'config'),
    },
  };
}

export const TEST_RULES: Rule[] = [
  {
    id: 't-instance',
    title: 'The ACR instance is running',
    severity: 'error',
    description: 'The ACR EE instance exists and is RUNNING.',
    needs: ['cloud.acrInstance'],
    messages: { running: 'Instance {{id}} is RUNNING.', notRunning: 'Instance {{id}} is {{status}}.' },
    remediation: { start: 'Wait for instance {{id}} to finish starting.' },
    check(ctx): RuleOutcome {
      const i = ctx.need(ctx.facts.cloud.acrInstance, 'the ACR instance');
      return i.status === 'RUNNING'
        ? { status: 'pass', messageId: 'running', data: { id: i.instanceId } }
        : { status: 'fail', messageId: 'notRunning', data: { id: i.instanceId, status: i.status }, remediationId: 'start' };
    },
  },
  {
    id: 't-sg',
    title: 'Security groups admit 100.104.0.0/16',
    severity: 'error',
    description: 'The union of the GitLab ENI security groups admits TCP from all of 100.104.0.0/16.',
    needs: ['cloud.gitlabSecurityGroups'],
    paths: ['ecs'],
    messages: { covered: 'All of 100.104.0.0/16 is admitted on tcp/{{port}}.', uncovered: 'Security group {{sg}} does not admit {{range}} on tcp/{{port}}.' },
    remediation: { authorize: 'Add an inbound rule to {{sg}}: accept TCP {{port}} from 100.104.0.0/16, priority 1.' },
    check(ctx): RuleOutcome {
      const groups = ctx.need(ctx.facts.cloud.gitlabSecurityGroups, 'the GitLab security groups');
      const g = groups[0]!;
      const admits = g.permissions.some((p) => p.sourceCidrIp === '100.104.0.0/16');
      const port = ctx.gitlabPorts[0]!;
      if (admits) {
        return {
          status: 'pass',
          messageId: 'covered',
          data: { port },
          hops: [{ hop: 'security-group', direction: 'request', id: g.securityGroupId, verdict: 'allow', detail: `sgr-1 accepts 100.104.0.0/16 on tcp/${port}` }],
        };
      }
      return {
        status: 'fail',
        messageId: 'uncovered',
        data: { sg: g.securityGroupId, range: '100.104.128.0/17', port },
        remediationId: 'authorize',
        evidence: [
          { label: 'uncovered ranges', value: ['100.104.128.0/17'], source: `ecs:DescribeSecurityGroupAttribute ${g.securityGroupId}` },
          { label: 'deciding rule', value: { range: '100.104.128.0/17', decision: 'default deny (basic group)' } },
        ],
        hops: [{ hop: 'security-group', direction: 'request', id: g.securityGroupId, verdict: 'drop', detail: '100.104.128.0/17 not admitted on tcp/443' }],
        fixes: [{ title: 'admit 100.104.0.0/16 on tcp/443', why: 'admit the builder', patches: [{ op: 'add-sg-rule', securityGroupId: g.securityGroupId, rule: { direction: 'ingress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/16' } }], calls: [{ product: 'ecs', action: 'AuthorizeSecurityGroup', params: { SecurityGroupId: g.securityGroupId, 'Permissions.1.IpProtocol': 'TCP', 'Permissions.1.PortRange': '443/443', 'Permissions.1.SourceCidrIp': '100.104.0.0/16' } }] }],
      };
    },
  },
  {
    id: 't-tls',
    title: 'GitLab TLS certificate is valid',
    severity: 'warning',
    description: 'The certificate is valid for the host and trusted.',
    needs: ['gitlab.tls'],
    messages: { ok: 'Certificate valid until {{until}}.', plain: 'GitLab is plain HTTP: the token travels in clear <and> unencrypted & "quoted".' },
    remediation: { https: 'Serve GitLab over HTTPS | and set gitlab.endpoint to https://…' },
    check(ctx): RuleOutcome {
      const tls = ctx.need(ctx.facts.gitlab.tls, 'the TLS handshake');
      if (!tls) return { status: 'warn', messageId: 'plain', remediationId: 'https', hops: [{ hop: 'gitlab', direction: 'request', id: '192.168.1.10:80', verdict: 'allow', detail: 'plain http' }] };
      return { status: 'pass', messageId: 'ok', data: { until: tls.validTo ?? '?' } };
    },
  },
  {
    id: 't-host',
    title: 'Host route on the GitLab host',
    severity: 'warning',
    description: 'ip route get for 100.104.0.0/16 leaves through the VPC interface.',
    needs: ['hosts.gitlabHost'],
    messages: { ok: 'Replies leave through {{dev}}.' },
    check(ctx): RuleOutcome {
      const h = ctx.need(ctx.facts.hosts.gitlabHost, 'the GitLab host');
      return { status: 'pass', messageId: 'ok', data: { dev: h.defaultRouteDev ?? 'eth0' } };
    },
  },
  {
    id: 't-token',
    title: 'GitLab token has the api scope',
    severity: 'error',
    description: 'The token is valid and has scope api.',
    needs: ['gitlab.token'],
    messages: { ok: 'Token has scopes {{scopes}}.' },
    check(ctx): RuleOutcome {
      const t = ctx.need(ctx.facts.gitlab.token, 'the GitLab token');
      return { status: 'pass', messageId: 'ok', data: { scopes: t.scopes.join(',') } };
    },
  },
  {
    id: 't-link',
    title: 'The VPC link exists',
    severity: 'warning',
    description: "The link's managed security group exists in the VPC.",
    needs: ['cloud.managedSecurityGroups'],
    messages: { present: 'Link present ({{sg}}).', absent: 'Not linked yet — `provision` will guide it.' },
    remediation: { provision: 'Run acr-preflight provision.' },
    check(ctx): RuleOutcome {
      const sgs = ctx.need(ctx.facts.cloud.managedSecurityGroups, 'the managed security groups');
      if (!sgs.length) return { status: 'warn', messageId: 'absent', remediationId: 'provision', evidence: [{ label: 'managed security groups', value: [], source: 'ecs:DescribeSecurityGroups' }] };
      return { status: 'pass', messageId: 'present', data: { sg: sgs[0]!.securityGroupId } };
    },
  },
];

export const FAIL_WAIVERS: WaiverConfig[] = [
  { rule: 't-link', reason: 'link is made by the platform team next sprint', owner: 'platform team', expires: '2026-12-31' },
  { rule: 't-tls', reason: 'internal CA rollout', owner: 'net team', expires: '2026-11-01' },
];

/** Durations are wall-clock; goldens need them fixed. */
function fixDurations(r: Report): Report {
  return { ...r, results: r.results.map((x, i) => ({ ...x, durationMs: (i + 1) * 1.5 })) };
}

export function passingReport(opts: { failOn?: 'warn' | 'fail' } = {}): Report {
  const facts = scenarioFacts({ sgAdmits: true, tls: true, tokenTimeout: false, linked: true });
  return fixDurations(runRules(facts, { rules: TEST_RULES, now: NOW, zones: ZONES, failOn: opts.failOn }));
}

export function failingReport(opts: { failOn?: 'warn' | 'fail'; waivers?: WaiverConfig[]; now?: Date } = {}): Report {
  const facts = scenarioFacts({ sgAdmits: false, tls: false, tokenTimeout: true, linked: false });
  return fixDurations(runRules(facts, { rules: TEST_RULES, now: opts.now ?? NOW, zones: ZONES, failOn: opts.failOn, waivers: opts.waivers ?? FAIL_WAIVERS }));
}
