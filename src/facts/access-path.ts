// How GitLab is reached is derived, not asked (docs/alibaba-api.md): the endpoint address is matched
// against ECS private IPs, SLB addresses and datacenter.cidrs. This is the one place that decides it:
// the collector asks it (with the load balancers it found) to know what to read next, and the engine
// asks it (with the collected facts) to know which rules apply.
import type { Fact } from './types.js';
import { containsAddress, isIPv4 } from '../net/cidr.js';

export type PathKind = 'ecs' | 'slb' | 'idc' | 'unknown';

export interface PathDecision {
  kind: PathKind;
  /** the IPv4 address GitLab is reached at (endpoint literal or DNS answer) */
  address?: string;
  /** human reason: "GitLab 192.168.1.10 is the address of SLB lb-1" */
  reason: string;
  /** the lookups that would decide it failed (or the address is unknown) */
  undetermined?: boolean;
}

export interface PathEvidence {
  /** the configured GitLab host (an IPv4 literal or a name) */
  host: string;
  /** what the host resolved to */
  addresses: Fact<string[]>;
  /** the ECS interfaces that hold the address */
  enis: Fact<{ instanceId?: string; networkInterfaceId?: string }[]>;
  /** the load balancers whose address it is (not needed when an interface holds the address: see onEcsInterface) */
  loadBalancers?: Fact<{ loadBalancerId: string }[]>;
  datacenterCidrs?: readonly string[];
  region: string;
}

/** The IPv4 address GitLab is reached at, or why there is none. */
export function gitlabAddressOf(host: string, addresses: Fact<string[]>): { address?: string; why?: string } {
  if (isIPv4(host)) return { address: host };
  if (addresses.state === 'ok') {
    const v4 = addresses.value.find(isIPv4);
    if (v4) return { address: v4 };
    return { why: `${host} has no IPv4 address` };
  }
  return { why: `${host} could not be resolved (${addresses.message})` };
}

/** The data-center CIDR that holds the address, if any. */
export function datacenterCidrOf(address: string | undefined, cidrs: readonly string[] | undefined): string | undefined {
  return address ? cidrs?.find((c) => containsAddress(c, address)) : undefined;
}

/** An ECS interface holds the address: that decides the path, whatever the load balancers (ECS comes first). */
export function onEcsInterface(enis: PathEvidence['enis']): boolean {
  return enis.state === 'ok' && enis.value.length > 0;
}

/** ECS if an interface holds the address, else SLB if a load balancer has it, else IDC if a data-center CIDR holds it. */
export function decideAccessPath(e: PathEvidence): PathDecision {
  const { address, why } = gitlabAddressOf(e.host, e.addresses);
  if (!address) return { kind: 'unknown', reason: why ?? 'GitLab address unknown', undetermined: true };
  const { enis } = e;
  if (onEcsInterface(enis) && enis.state === 'ok') {
    const eni = enis.value[0]!;
    return { kind: 'ecs', address, reason: `GitLab ${address} is the private IP of ${eni.instanceId ?? eni.networkInterfaceId ?? 'an ECS ENI'}` };
  }
  const lbs = e.loadBalancers;
  if (!lbs) throw new Error('decideAccessPath: the load balancer lookup is needed when no ECS interface holds the address');
  if (lbs.state === 'ok' && lbs.value.length > 0) {
    return { kind: 'slb', address, reason: `GitLab ${address} is the address of SLB ${lbs.value[0]!.loadBalancerId}` };
  }
  const inDc = datacenterCidrOf(address, e.datacenterCidrs);
  if (inDc) return { kind: 'idc', address, reason: `GitLab ${address} is inside data-center CIDR ${inDc}` };
  const missing: string[] = [];
  const reasonOf = (u: { message: string; ramAction?: string }) => (u.ramAction ? `permission denied — grant the RAM action ${u.ramAction}` : u.message);
  if (enis.state !== 'ok') missing.push(`ECS lookup: ${reasonOf(enis)}`);
  if (lbs.state !== 'ok') missing.push(`SLB lookup: ${reasonOf(lbs)}`);
  if (missing.length) return { kind: 'unknown', address, reason: `cannot tell how ${address} is reached (${missing.join('; ')})`, undetermined: true };
  return { kind: 'unknown', address, reason: `GitLab ${address} is neither an ECS private IP nor an SLB address in ${e.region}, nor inside datacenter.cidrs` };
}
