// gitlab-clone-url: the project's http_url_to_repo points at the endpoint ACR uses. A wrong
// external_url in gitlab.rb makes GitLab hand out clone URLs the builder cannot reach.
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import { isIPv4 } from '../src/net/cidr.js';
import { apiNotFound } from './lib/gitlab-api.js';

export const rule: Rule = {
  id: 'gitlab-clone-url',
  title: "Project clone URL matches the GitLab endpoint",
  severity: 'error',
  description: 'ACR clones from the project\'s http_url_to_repo. Its host and port come from external_url in gitlab.rb and must be the endpoint ACR reaches (gitlab.endpoint); otherwise the clone goes to an address the builder cannot reach.',
  needs: ['gitlab.probeLocal', 'gitlab.project'],
  messages: {
    ok: 'Clone URL {{cloneUrl}} matches the endpoint {{endpoint}}.',
    mismatch: 'Clone URL {{cloneUrl}} points at {{cloneHost}}, not at the endpoint {{endpointHost}}: GitLab\'s external_url is wrong for the VPC.',
    sameAddress: 'Clone URL {{cloneUrl}} names the address {{cloneHost}} instead of the endpoint name {{endpointHost}}; it is the same address, so the clone reaches GitLab, but over HTTPS the certificate must also name that address.',
    schemeMismatch: 'Clone URL {{cloneUrl}} uses {{cloneScheme}} while the endpoint uses {{endpointScheme}}.',
    noUrl: 'GitLab did not return http_url_to_repo for {{project}} (HTTP {{status}}).',
  },
  remediation: {
    externalUrl: 'Set external_url "{{endpoint}}" in /etc/gitlab/gitlab.rb and run `gitlab-ctl reconfigure` (or point gitlab.endpoint at the host GitLab advertises, if the builder can reach it).',
  },
  check(ctx): RuleOutcome {
    const g = ctx.facts.input.gitlab;
    const noApi = apiNotFound(ctx.facts);
    if (noApi) return { status: 'skip', messageId: '$notApplicable', data: { reason: noApi } };
    const project = ctx.need(ctx.facts.gitlab.project, 'project');
    if (!project.httpUrlToRepo) {
      if (project.httpStatus !== 200) return { status: 'skip', messageId: '$notApplicable', data: { reason: `the project could not be read (HTTP ${project.httpStatus}); see gitlab-token` } };
      return { status: 'error', messageId: 'noUrl', data: { project: g.project, status: project.httpStatus } };
    }
    let url: URL;
    try {
      url = new URL(project.httpUrlToRepo);
    } catch {
      return { status: 'error', messageId: 'noUrl', data: { project: g.project, status: project.httpStatus } };
    }
    const scheme = url.protocol.replace(':', '');
    const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const data = {
      cloneUrl: project.httpUrlToRepo,
      endpoint: g.endpoint,
      cloneHost: `${host}:${port}`,
      endpointHost: `${g.host}:${g.port}`,
      cloneScheme: scheme,
      endpointScheme: g.scheme,
    };
    const evidence: Evidence[] = [{ label: 'http_url_to_repo', value: project.httpUrlToRepo, source: ctx.facts.gitlab.project.source }, { label: 'endpoint', value: `${g.endpoint} (${g.host}:${g.port})`, source: 'config' }];
    if (port === g.port && host.toLowerCase() !== g.host.toLowerCase() && isIPv4(host) && !isIPv4(g.host)) {
      // external_url names the IP the endpoint's name resolves to: the clone still reaches GitLab
      const addrs = ctx.facts.gitlab.addresses;
      if (addrs.state === 'ok' && addrs.value.includes(host)) {
        evidence.push({ label: `${g.host} resolves to`, value: addrs.value.join(', '), source: addrs.source });
        return { status: 'warn', messageId: 'sameAddress', data, evidence, remediationId: 'externalUrl' };
      }
    }
    if (host.toLowerCase() !== g.host.toLowerCase() || port !== g.port) return { status: 'fail', messageId: 'mismatch', data, evidence, remediationId: 'externalUrl' };
    if (scheme !== g.scheme) return { status: 'warn', messageId: 'schemeMismatch', data, evidence, remediationId: 'externalUrl' };
    return { status: 'pass', messageId: 'ok', data, evidence };
  },
};
