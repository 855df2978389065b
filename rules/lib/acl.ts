// Network-ACL evaluation (alibaba-api-facts §3): stateless, entries in list order, first match
// decides, unmatched traffic is dropped. Evaluated over address ranges, like security groups.
import type { NaclEntry } from '../../src/facts/types.js';
import { cidrToRange, intersect, isCidr, normalize, subtract, type Range } from '../../src/net/cidr.js';
import { parsePortRange } from './ports.js';

export interface AclDecision {
  ranges: Range[];
  policy: 'accept' | 'drop';
  entry?: NaclEntry;
  index?: number;
  /** the entry covers only part of the ports in question (reply direction: ephemeral ports) */
  partialPorts?: boolean;
}

function protocolCoversTcp(p: string): boolean {
  const v = p.trim().toLowerCase();
  return v === 'tcp' || v === 'all' || v === '6' || v === '-1';
}

/** How an entry's port range relates to the ports in question: all, some or none. */
function portCoverage(entryPort: string, ports: [number, number]): 'all' | 'some' | 'none' {
  const r = parsePortRange(entryPort);
  if (!r) return 'none';
  if (r[0] <= ports[0] && r[1] >= ports[1]) return 'all';
  if (r[1] < ports[0] || r[0] > ports[1]) return 'none';
  return 'some';
}

/**
 * First-match evaluation of `entries` for TCP traffic whose peer address is in `target` and whose
 * destination port lies in `ports`. An entry that covers only some of the ports decides its range
 * as "partial": for accept it admits only some connections, for drop it drops some.
 */
export function evaluateAcl(entries: NaclEntry[], target: Range[], ports: [number, number]): AclDecision[] {
  let remaining = normalize(target);
  const out: AclDecision[] = [];
  entries.forEach((entry, index) => {
    if (remaining.length === 0 || !protocolCoversTcp(entry.protocol) || !isCidr(entry.cidr)) return;
    const cov = portCoverage(entry.port, ports);
    if (cov === 'none') return;
    const hit = intersect(remaining, [cidrToRange(entry.cidr)]);
    if (hit.length === 0) return;
    out.push({ ranges: hit, policy: entry.policy, entry, index, partialPorts: cov === 'some' });
    // a partial accept leaves the other ports to later entries, but we judge it as not fully
    // admitted; a partial drop drops some connections. Either way this range is decided here.
    remaining = subtract(remaining, hit);
  });
  if (remaining.length) out.push({ ranges: remaining, policy: 'drop' });
  return out;
}

export function admittedFully(d: AclDecision): boolean {
  return d.policy === 'accept' && !d.partialPorts;
}

export function describeEntry(d: AclDecision, direction: 'ingress' | 'egress'): string {
  if (!d.entry) return `no ${direction} entry matches (implicit drop)`;
  const e = d.entry;
  const name = e.entryId ?? e.name ?? `#${(d.index ?? 0) + 1}`;
  return `${direction} entry ${name} (position ${(d.index ?? 0) + 1}): ${e.policy} ${e.protocol} port ${e.port} ${direction === 'ingress' ? 'from' : 'to'} ${e.cidr}${d.partialPorts ? ' — covers only part of the ports' : ''}`;
}
