// The one module of test rules (a lint test keeps it the only one). They are small, readable
// stand-ins for the production rules, judged by the real engine, so the engine's consumers (the
// reporters, the TUI, provision's plan and gate) are exercised independently of what the production
// rules say today. Each rule is written once here; a suite picks the ones it is about (REPORT_RULES,
// TUI_RULES, PROVISION_RULES). Ids are the production ids where a consumer looks a rule up by id
// (provision resolves link-present; the TUI's list shows sg-ingress) and where a docs link is built.
import type { FactPatch } from '../../src/engine/fixes.js';
import type { Rule, RuleOutcome } from '../../src/engine/types.js';
import type { SgPermission } from '../../src/facts/types.js';

const REVERSE = '100.104.0.0/16';

const coversPort = (p: SgPermission, port: number): boolean => {
  const [from, to] = p.portRange.split('/').map(Number);
  return from !== undefined && to !== undefined && ((from === -1 && to === -1) || (from <= port && port <= to));
};
const admitsTcp = (p: SgPermission, port: number): boolean =>
  p.direction === 'ingress' && p.policy === 'accept' && ['TCP', 'ALL'].includes(p.ipProtocol.toUpperCase()) && coversPort(p, port);

/** The ACR instance is RUNNING. */
export const acrInstanceRule: Rule = {
  id: 'acr-instance',
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
};

/**
 * GitLab's security groups admit 100.104.0.0/16 on the GitLab port: some group of GitLab's ENI has
 * an ingress accept from exactly that range (a test simplification of the real union-of-groups
 * evaluation). A failure names the ENI's first group, the uncovered range (the upper half when only
 * 100.104.0.0/17 is admitted), the deciding rules, a drop hop and a verified fix.
 */
export const sgRule: Rule = {
  id: 'sg-ingress',
  title: 'GitLab security groups admit 100.104.0.0/16',
  severity: 'error',
  description: 'The union of the GitLab ENI security groups admits TCP from all of 100.104.0.0/16.',
  needs: ['cloud.gitlabSecurityGroups'],
  paths: ['ecs'],
  messages: {
    ok: 'Security group {{sg}} admits 100.104.0.0/16 on tcp/{{port}}.',
    uncovered: 'Security group {{sg}} does not admit {{range}} on tcp/{{port}}.',
  },
  remediation: {
    add: 'Add an inbound rule to {{sg}}: accept TCP {{port}} from 100.104.0.0/16, priority 1.\n$ aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId {{sg}} --IpProtocol TCP --PortRange {{port}}/{{port}} --SourceCidrIp 100.104.0.0/16 --Priority 1',
  },
  check(ctx): RuleOutcome {
    const groups = ctx.need(ctx.facts.cloud.gitlabSecurityGroups, 'GitLab security groups');
    const port = ctx.gitlabPorts[0] ?? 443;
    const admitting = groups.find((g) => g.permissions.some((p) => admitsTcp(p, port) && p.sourceCidrIp === REVERSE));
    if (admitting) {
      return {
        status: 'pass',
        messageId: 'ok',
        data: { sg: admitting.securityGroupId, port },
        hops: [{ hop: 'security-group', direction: 'request', id: admitting.securityGroupId, verdict: 'allow', detail: `accept prio 1 from ${REVERSE}` }],
      };
    }
    const eni = ctx.facts.cloud.gitlabEnis.state === 'ok' ? ctx.facts.cloud.gitlabEnis.value[0] : undefined;
    const sg = groups.find((g) => eni?.securityGroupIds.includes(g.securityGroupId)) ?? groups[0];
    const sgId = sg?.securityGroupId ?? '(none)';
    const deciding = (sg?.permissions ?? []).filter((p) => p.direction === 'ingress' && coversPort(p, port));
    const range = deciding.some((p) => p.policy === 'accept' && p.sourceCidrIp === '100.104.0.0/17') ? '100.104.128.0/17' : REVERSE;
    return {
      status: 'fail',
      messageId: 'uncovered',
      data: { sg: sgId, port, range },
      remediationId: 'add',
      evidence: [
        { label: 'uncovered ranges', value: [range], source: `ecs:DescribeSecurityGroupAttribute ${sgId}` },
        { label: 'deciding rules', value: deciding.map((p) => ({ securityGroupId: sgId, ...p })), source: `ecs:DescribeSecurityGroupAttribute ${sgId}` },
      ],
      hops: [{ hop: 'security-group', direction: 'request', id: sgId, verdict: 'drop', detail: `no rule admits ${range} on tcp/${port}` }],
      fixes: [
        {
          title: `admit 100.104.0.0/16 on tcp/${port}`,
          why: 'admit the reverse-access range on the GitLab port',
          patches: [{ op: 'add-sg-rule', securityGroupId: sgId, rule: { direction: 'ingress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: `${port}/${port}`, sourceCidrIp: REVERSE } }],
          calls: [{ product: 'ecs', action: 'AuthorizeSecurityGroup', params: { RegionId: ctx.facts.input.region, SecurityGroupId: sgId, 'Permissions.1.IpProtocol': 'TCP', 'Permissions.1.PortRange': `${port}/${port}`, 'Permissions.1.SourceCidrIp': REVERSE, 'Permissions.1.Policy': 'accept', 'Permissions.1.Priority': '1' } }],
        },
      ],
    };
  },
};

/** The TLS certificate is valid; plain HTTP warns (its texts carry characters every format must escape). */
export const tlsRule: Rule = {
  id: 'gitlab-tls',
  title: 'GitLab TLS certificate is valid',
  severity: 'warning',
  description: 'The certificate is valid for the host and trusted.',
  needs: ['gitlab.tls'],
  messages: { ok: 'Certificate valid until {{until}}.', plain: 'GitLab is plain HTTP: the token travels in clear <and> unencrypted & "quoted".' },
  remediation: { https: 'Serve GitLab over HTTPS | and set gitlab.endpoint to https://…' },
  check(ctx): RuleOutcome {
    const tls = ctx.need(ctx.facts.gitlab.tls, 'the TLS handshake');
    if (!tls) {
      const { host } = ctx.facts.input.gitlab;
      return { status: 'warn', messageId: 'plain', remediationId: 'https', hops: [{ hop: 'gitlab', direction: 'request', id: `${host}:80`, verdict: 'allow', detail: 'plain http' }] };
    }
    return { status: 'pass', messageId: 'ok', data: { until: tls.validTo ?? '?' } };
  },
};

/** GitLab answered the local probe. */
export const probeRule: Rule = {
  id: 'gitlab-reachable',
  title: 'GitLab answers over HTTP(S)',
  severity: 'error',
  description: 'test rule: the local probe reached GitLab.',
  needs: ['gitlab.probeLocal'],
  messages: { ok: 'GitLab {{version}} answered in {{ms}} ms.' },
  check(ctx): RuleOutcome {
    const p = ctx.need(ctx.facts.gitlab.probeLocal, 'local probe');
    return {
      status: 'pass',
      messageId: 'ok',
      data: { version: p.gitlabVersion ?? '?', ms: p.timing.totalMs },
      evidence: [{ label: 'local probe', value: p }],
      hops: [{ hop: 'gitlab', direction: 'request', id: ctx.facts.input.gitlab.host, verdict: 'allow', detail: `HTTP ${p.httpStatus ?? '?'}` }],
    };
  },
};

/** Needs the GitLab host read over SSH: skips (with the fact's hint) when it is not configured. */
export const hostRule: Rule = {
  id: 'host-route',
  title: 'GitLab host routes 100.104.0.0/16 back through the VPC interface',
  severity: 'warning',
  description: 'test rule: ip route get for 100.104.0.0/16 leaves through the VPC interface.',
  needs: ['hosts.gitlabHost'],
  messages: { ok: 'Replies leave through {{dev}}.' },
  check(ctx): RuleOutcome {
    const h = ctx.need(ctx.facts.hosts.gitlabHost, 'the GitLab host');
    return { status: 'pass', messageId: 'ok', data: { dev: h.defaultRouteDev ?? 'eth0' } };
  },
};

/** The GitLab token could be read (its scopes are shown). */
export const tokenRule: Rule = {
  id: 'gitlab-token',
  title: 'GitLab token has the api scope',
  severity: 'error',
  description: 'The token is valid and has scope api.',
  needs: ['gitlab.token'],
  messages: { ok: 'Token has scopes {{scopes}}.' },
  check(ctx): RuleOutcome {
    const t = ctx.need(ctx.facts.gitlab.token, 'the GitLab token');
    return { status: 'pass', messageId: 'ok', data: { scopes: t.scopes.join(',') } };
  },
};

/**
 * A stand-in for link-present: no managed group or ENI warns (provision guides the link); a managed
 * group whose egress does not admit GitLab fails; otherwise it passes.
 */
export const linkRule: Rule = {
  id: 'link-present',
  title: "ACR's build link exists",
  severity: 'warning',
  description: "test rule: the link's managed security group and ENI exist and the group's egress admits GitLab.",
  needs: ['cloud.managedSecurityGroups', 'cloud.managedEnis'],
  messages: {
    ok: 'Link present: managed group {{sg}}.',
    absent: 'Not linked yet — `acr-preflight provision` will guide it.',
    egress: 'Managed group {{sg}} does not admit {{ip}} on egress.',
  },
  remediation: { provision: 'Run acr-preflight provision.' },
  check(ctx): RuleOutcome {
    const sgs = ctx.need(ctx.facts.cloud.managedSecurityGroups, 'managed security groups');
    const enis = ctx.need(ctx.facts.cloud.managedEnis, 'managed ENIs');
    if (!sgs.length || !enis.length) {
      return { status: 'warn', messageId: 'absent', remediationId: 'provision', evidence: [{ label: 'managed security groups', value: sgs, source: 'ecs:DescribeSecurityGroups' }] };
    }
    const ip = ctx.facts.input.gitlab.host;
    const good = sgs.find((g) => g.permissions.some((p) => p.direction === 'egress' && p.policy === 'accept' && p.destCidrIp?.startsWith(ip)));
    if (!good) return { status: 'fail', messageId: 'egress', data: { sg: sgs[0]!.securityGroupId, ip } };
    return { status: 'pass', messageId: 'ok', data: { sg: good.securityGroupId } };
  },
};

/**
 * For the fix proof: wants a "marker" rule in GitLab's group, and its fix adds one that drops part of
 * 100.104.0.0/16 — it repairs this rule and breaks sg-ingress.
 */
export const breakingFixRule: Rule = {
  id: 't-breaker',
  title: 'wants a marker rule',
  severity: 'error',
  description: 'test',
  needs: ['cloud.gitlabSecurityGroups'],
  messages: { ok: 'ok', missing: 'missing' },
  check(ctx) {
    const groups = ctx.need(ctx.facts.cloud.gitlabSecurityGroups, 'groups');
    if (groups.some((g) => g.permissions.some((p) => p.description === 'marker'))) return { status: 'pass', messageId: 'ok' };
    const patch: FactPatch = { op: 'add-sg-rule', securityGroupId: 'sg-gitlab', rule: { direction: 'ingress', policy: 'drop', priority: 1, ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/24', description: 'marker' } };
    return { status: 'fail', messageId: 'missing', fixes: [{ title: 'add a marker drop', why: 'test', patches: [patch] }] };
  },
};

/** For the fix proof: needs scopes api and write_repository, and its fix adds api only (not enough). */
export const insufficientFixRule: Rule = {
  id: 't-partial',
  title: 'needs two scopes',
  severity: 'error',
  description: 'test',
  needs: ['gitlab.token'],
  messages: { ok: 'ok', missing: 'missing {{what}}' },
  check(ctx) {
    const t = ctx.need(ctx.facts.gitlab.token, 'token');
    const missing = ['api', 'write_repository'].filter((s) => !t.scopes.includes(s));
    if (!missing.length) return { status: 'pass', messageId: 'ok' };
    return { status: 'fail', messageId: 'missing', data: { what: missing.join(', ') }, fixes: [{ title: 'add api', why: 'test', patches: [{ op: 'set-token-scopes', scopes: ['api'] }] }] };
  },
};

/** The reporters' set: one rule per status in the failing scenario (test/report/fixtures.ts). */
export const REPORT_RULES: Rule[] = [acrInstanceRule, sgRule, tlsRule, hostRule, tokenRule, linkRule];
/** The TUI's list: a failing-then-fixable rule, a passing probe, a skipped host read. */
export const TUI_RULES: Rule[] = [sgRule, probeRule, hostRule];
/** What provision's gate and link wait judge. */
export const PROVISION_RULES: Rule[] = [linkRule, sgRule];
