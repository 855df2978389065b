// The access path of a set of facts: decided by src/facts/access-path.ts (the collector asks the same
// function), here read from the collected facts.
import type { Facts } from '../facts/types.js';
import type { AccessPath } from './types.js';
import { decideAccessPath, gitlabAddressOf } from '../facts/access-path.js';

export function gitlabAddress(facts: Facts): { address?: string; why?: string } {
  return gitlabAddressOf(facts.input.gitlab.host, facts.gitlab.addresses);
}

export function deriveAccessPath(facts: Facts): AccessPath & { undetermined?: boolean } {
  return decideAccessPath({
    host: facts.input.gitlab.host,
    addresses: facts.gitlab.addresses,
    enis: facts.cloud.gitlabEnis,
    loadBalancers: facts.cloud.loadBalancers,
    ...(facts.input.datacenter ? { datacenterCidrs: facts.input.datacenter.cidrs } : {}),
    region: facts.input.region,
  });
}
