// The non-secret part of the config the rules need (facts.input), derived in one place so the
// collector and tests agree on host/port/scheme parsing of the endpoint.
import type { InputSummary } from '../facts/types.js';
import { ConfigError } from '../errors.js';
import type { Config } from './types.js';
import { parseHttpUrl } from './schema.js';

export interface Endpoint {
  scheme: 'http' | 'https';
  /** host name or IPv4 literal, as written */
  host: string;
  /** explicit port or the scheme default (443/80) */
  port: number;
  /** path prefix without trailing slash ("" or "/gitlab"): GitLab under a relative URL root */
  path: string;
  /** scheme://host[:port]/path without trailing slash */
  url: string;
}

/** Parse gitlab.endpoint (already validated) into its parts. */
export function parseEndpoint(endpoint: string): Endpoint {
  const p = parseHttpUrl(endpoint, true);
  if (typeof p === 'string') throw new ConfigError(`gitlab.endpoint: ${p}`);
  const defaultPort = p.scheme === 'https' ? 443 : 80;
  const url = `${p.scheme}://${p.host}${p.port === defaultPort ? '' : `:${p.port}`}${p.path}`;
  return { ...p, url };
}

/** facts.input for a validated config. */
export function inputSummaryFromConfig(config: Config): InputSummary {
  const ep = parseEndpoint(config.gitlab.endpoint);
  const g = config.gitlab;
  const dc = config.datacenter;
  const summary: InputSummary = {
    region: config.region,
    acr: {
      instanceId: config.acr.instanceId,
      ...(config.acr.namespace !== undefined ? { namespace: config.acr.namespace } : {}),
      ...(config.acr.repository !== undefined ? { repository: config.acr.repository } : {}),
    },
    vpc: { vpcId: config.vpc.vpcId, vSwitchId: config.vpc.vSwitchId },
    gitlab: {
      endpoint: ep.url,
      host: ep.host,
      port: ep.port,
      scheme: ep.scheme,
      username: g.username,
      project: g.project,
      ...(g.caFile ? { caFile: true } : {}),
      ...(g.sshPort !== undefined ? { sshPort: g.sshPort } : {}),
    },
    extraEndpoints: [...(config.extraEndpoints ?? [])],
    jumpHostConfigured: Boolean(config.probe?.jumpHost),
    gitlabHostConfigured: Boolean(config.probe?.gitlabHost),
  };
  if (dc) {
    summary.datacenter = {
      cidrs: [...dc.cidrs],
      ...(dc.vbrId ? { vbrId: dc.vbrId } : {}),
      routerConfigured: Boolean(dc.router),
      ...(dc.attest?.returnRoute ? { attestReturnRoute: dc.attest.returnRoute } : {}),
    };
  }
  if (config.zones && Object.keys(config.zones).length) summary.zoneOverrides = structuredClone(config.zones);
  return summary;
}
