// How GitLab is reached is derived, not asked (docs/alibaba-api.md): the endpoint address is matched against
// ECS private IPs, SLB addresses and datacenter.cidrs.
import type { Facts } from '../facts/types.js';
import type { AccessPath } from './types.js';
import { containsAddress, isIPv4 } from '../net/cidr.js';

export function gitlabAddress(facts: Facts): { address?: string; why?: string } {
  const host = facts.input.gitlab.host;
  if (isIPv4(host)) return { address: host };
  const dns = facts.gitlab.addresses;
  if (dns.state === 'ok') {
    const v4 = dns.value.find(isIPv4);
    if (v4) return { address: v4 };
    return { why: `${host} has no IPv4 address` };
  }
  return { why: `${host} could not be resolved (${dns.message})` };
}

export function deriveAccessPath(facts: Facts): AccessPath & { undetermined?: boolean } {
  const { address, why } = gitlabAddress(facts);
  if (!address) return { kind: 'unknown', reason: why ?? 'GitLab address unknown', undetermined: true };
  const enis = facts.cloud.gitlabEnis;
  if (enis.state === 'ok' && enis.value.length > 0) {
    const eni = enis.value[0]!;
    return { kind: 'ecs', address, reason: `GitLab ${address} is the private IP of ${eni.instanceId ?? eni.networkInterfaceId ?? 'an ECS ENI'}` };
  }
  const lbs = facts.cloud.loadBalancers;
  if (lbs.state === 'ok' && lbs.value.length > 0) {
    return { kind: 'slb', address, reason: `GitLab ${address} is the address of SLB ${lbs.value[0]!.loadBalancerId}` };
  }
  const dc = facts.input.datacenter;
  const inDc = dc?.cidrs.find((c) => containsAddress(c, address));
  if (inDc) return { kind: 'idc', address, reason: `GitLab ${address} is inside data-center CIDR ${inDc}` };
  const missing: string[] = [];
  const reasonOf = (u: { message: string; ramAction?: string; reason: string }) =>
    u.ramAction ? `permission denied — grant the RAM action ${u.ramAction}` : u.message;
  if (enis.state !== 'ok') missing.push(`ECS lookup: ${reasonOf(enis)}`);
  if (lbs.state !== 'ok') missing.push(`SLB lookup: ${reasonOf(lbs)}`);
  if (missing.length) return { kind: 'unknown', address, reason: `cannot tell how ${address} is reached (${missing.join('; ')})`, undetermined: true };
  return {
    kind: 'unknown',
    address,
    reason: `GitLab ${address} is neither an ECS private IP nor an SLB address in ${facts.input.region}, nor inside datacenter.cidrs`,
  };
}
