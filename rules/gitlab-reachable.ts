// gitlab-reachable: a live HTTP(S) probe of gitlab.endpoint succeeds from here and, when a jump
// host is configured, from inside the VPC.
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import type { HttpProbe } from '../src/facts/types.js';

const FAIL_IDS: Record<string, string> = {
  'not-gitlab': 'notGitlab',
  'speaks-tls': 'speaksTls',
  refused: 'refused',
  timeout: 'timeout',
  'dns-failed': 'dnsFailed',
  'tls-failed': 'tlsFailed',
  'auth-failed': 'authFailed',
  error: 'probeError',
};

function timing(p: HttpProbe): string {
  const t = p.timing;
  return [t.dnsMs !== undefined && `dns ${t.dnsMs} ms`, t.connectMs !== undefined && `connect ${t.connectMs} ms`, t.tlsMs !== undefined && `tls ${t.tlsMs} ms`, t.firstByteMs !== undefined && `first byte ${t.firstByteMs} ms`, `total ${t.totalMs} ms`]
    .filter(Boolean)
    .join(', ');
}

function probeEvidence(p: HttpProbe, source: string): Evidence {
  return {
    label: `probe from ${p.vantage}`,
    value: { url: p.url, outcome: p.outcome, httpStatus: p.httpStatus, dialed: p.dialed, resolvedAddresses: p.resolvedAddresses, gitlabVersion: p.gitlabVersion, timing: timing(p), error: p.error },
    source,
  };
}

export const rule: Rule = {
  id: 'gitlab-reachable',
  title: 'GitLab endpoint answers over HTTP(S)',
  severity: 'error',
  description: 'A live probe of gitlab.endpoint (DNS, TCP, TLS, HTTP) from this machine and, when probe.jumpHost is set, from a host inside the VPC, which is where ACR connects from.',
  needs: ['gitlab.probeLocal', 'gitlab.probeJump'],
  messages: {
    ok: 'GitLab {{version}} answered HTTP {{status}} at {{url}} ({{timing}}){{jump}}.',
    serverError: 'GitLab at {{url}} answered HTTP {{status}} (from {{vantage}}): the server is reachable but failing.',
    refused: 'Connection to {{target}}{{via}} was refused: nothing listens on the GitLab port.',
    timeout: 'Connecting to {{target}}{{via}} timed out ({{error}}): a firewall or route drops the traffic.',
    silent: 'GitLab at {{target}}{{via}} accepted the TCP connection but sent no answer ({{error}}): the port is open and the service behind it hangs.',
    dnsFailed: 'The GitLab host name could not be resolved ({{error}}).',
    tlsFailed: 'The TLS handshake with {{target}}{{via}} failed or was not trusted ({{error}}); see gitlab-tls.',
    authFailed: 'The probe could not authenticate ({{error}}).',
    probeError: 'The probe of {{url}} failed: {{error}}.',
    notGitlab: 'The GitLab API is not at {{api}}: GET {{url}} answered {{error}} (from {{vantage}}).',
    speaksTls: 'gitlab.endpoint says http://, but {{target}}{{via}} speaks TLS ({{error}}).',
    jumpUnavailable: 'GitLab answers from here, but the jump-host probe could not run ({{reason}}), so reachability from inside the VPC is undecided.',
    jumpFailed: 'From the jump host {{vantage}}, GitLab is not reachable: {{outcome}} ({{error}}), although it answers from here.',
  },
  remediation: {
    network: 'Check that GitLab listens on {{target}} and that nothing between here and GitLab drops the connection; the other network rules name the blocking hop.',
    hang: 'Something accepts connections on {{target}} but does not answer: check the GitLab service (gitlab-ctl status, puma/workhorse logs), a proxy or load balancer in front of it without a healthy backend, or HTTP spoken to an HTTPS port (or the reverse).',
    dns: 'Use an IP address in gitlab.endpoint, or make the name resolvable in the VPC (PrivateZone) — ACR resolves it from the VPC.',
    tls: 'See `acr-preflight explain gitlab-tls`.',
    server: 'Check the GitLab service (gitlab-ctl status, logs under /var/log/gitlab).',
    apiPath: 'Set gitlab.endpoint to the URL GitLab is served from — its external_url, including the relative URL root if GitLab has one (e.g. https://host/gitlab) and nothing after it; the API is <endpoint>/api/v4.',
    https: 'Use {{https}} as gitlab.endpoint.',
    jumpSetup: 'Check probe.jumpHost (address, user, key, known_hosts entry) with `ssh` by hand, then run the check again.',
    jump: 'From inside the VPC the route or security groups differ: check sg-ingress/nacl-ingress/host-route and the jump host itself ({{vantage}}).',
  },
  check(ctx): RuleOutcome {
    const local = ctx.need(ctx.facts.gitlab.probeLocal, 'GitLab probe');
    const evidence: Evidence[] = [probeEvidence(local, ctx.facts.gitlab.probeLocal.source)];
    const g = ctx.facts.input.gitlab;
    const target = `${g.host}:${g.port}`;
    const dialed = local.dialed ?? target;
    // probe.connectTo (a tunnel, a test) dials elsewhere: name both, the endpoint first
    const via = dialed !== target ? ` (dialled as ${dialed} via probe.connectTo)` : '';
    const https = g.endpoint.replace(/^http:\/\/([^/:]+)(?=\/|$)/, 'https://$1:80').replace(/^http:/, 'https:');
    const data: Record<string, string | number> = { api: local.url.replace(/\/version$/, ''), https, url: local.url, target, via, dialed, error: local.error ?? '', status: local.httpStatus ?? 0, timing: timing(local), version: local.gitlabVersion ?? '', vantage: local.vantage };
    const hop = (verdict: 'allow' | 'drop', detail: string) => [{ hop: 'gitlab' as const, direction: 'request' as const, id: ctx.facts.input.gitlab.endpoint, verdict, detail }];
    if (local.outcome !== 'connected') {
      // a timeout after the TCP connection was accepted is a hanging service, not a dropping network
      const accepted = local.outcome === 'timeout' && local.timing.connectMs !== undefined;
      const id = accepted ? 'silent' : (FAIL_IDS[local.outcome] ?? 'probeError');
      const rem = local.outcome === 'dns-failed' ? 'dns' : local.outcome === 'tls-failed' ? 'tls' : local.outcome === 'not-gitlab' ? 'apiPath' : local.outcome === 'speaks-tls' ? 'https' : accepted ? 'hang' : 'network';
      return { status: 'fail', messageId: id, data, evidence, remediationId: rem, hops: hop('drop', `${local.outcome} ${local.error ?? ''}`.trim()) };
    }
    // the jump-host half: a failure there outranks a 5xx warning from here
    const jf = ctx.facts.gitlab.probeJump;
    let jump = '';
    let serverError: HttpProbe | undefined = (local.httpStatus ?? 0) >= 500 ? local : undefined;
    if (jf.state === 'ok') {
      const j = jf.value;
      evidence.push(probeEvidence(j, jf.source));
      if (j.outcome !== 'connected') {
        return { status: 'fail', messageId: 'jumpFailed', data: { ...data, vantage: j.vantage, outcome: j.outcome, error: j.error ?? '' }, evidence, remediationId: 'jump', hops: hop('drop', `from ${j.vantage}: ${j.outcome}`) };
      }
      if (!serverError && (j.httpStatus ?? 0) >= 500) serverError = j;
      jump = `; also from ${j.vantage} (HTTP ${j.httpStatus})`;
    } else if (jf.reason === 'not-configured') {
      evidence.push({ label: 'jump-host probe', value: `jump-host half skipped: ${jf.hint ?? 'configure probe.jumpHost to probe from inside the VPC'}`, source: 'config' });
    } else {
      return { status: 'error', messageId: 'jumpUnavailable', data: { ...data, reason: jf.message }, remediationId: 'jumpSetup', evidence: [...evidence, { label: 'jump-host probe', value: { reason: jf.reason, message: jf.message, code: jf.code }, source: jf.source }] };
    }
    if (serverError) {
      return { status: 'warn', messageId: 'serverError', data: { ...data, url: serverError.url, status: serverError.httpStatus ?? 0, vantage: serverError.vantage }, evidence, remediationId: 'server', hops: hop('allow', `HTTP ${serverError.httpStatus}`) };
    }
    if (!data.version) data.version = '(version hidden)';
    return { status: 'pass', messageId: 'ok', data: { ...data, jump }, evidence, hops: hop('allow', `HTTP ${local.httpStatus}`) };
  },
};
