// The token and clone-URL rules ask GitLab's API. When the probe found that the API is not at
// gitlab.endpoint (something else answered, or an http:// endpoint on a TLS port), those questions
// were never asked: the rules skip, pointing at gitlab-reachable, instead of blaming the token.
import type { Facts } from '../../src/facts/types.js';

/** "depends on gitlab-reachable: …" when GitLab's API was not found at the endpoint, else undefined */
export function apiNotFound(facts: Facts): string | undefined {
  const p = facts.gitlab.probeLocal;
  if (p.state !== 'ok') return undefined;
  const api = p.value.url.replace(/\/version$/, '');
  if (p.value.outcome === 'not-gitlab') return `depends on gitlab-reachable, which found that the GitLab API is not at ${api}`;
  if (p.value.outcome === 'speaks-tls') return `depends on gitlab-reachable, which found that the endpoint's port speaks TLS (use https://)`;
  return undefined;
}
