// Security-group evaluation over address ranges (docs/alibaba-api.md, "Security groups"): the rules of every group
// on an ENI are evaluated together; lower Priority wins; at equal priority drop beats accept;
// traffic no rule matches is denied (basic groups admit only members, enterprise groups nothing).
// We carve 100.104.0.0/16 (or any target) into sub-ranges, each decided by one rule or the default.
import type { PrefixList, SecurityGroup, SgPermission } from '../../src/facts/types.js';
import { cidrToRange, containsAddress, intersect, isCidr, normalize, rangesToCidrs, subtract, type Range } from '../../src/net/cidr.js';
import { parsePortRange, portInRange, protocolCoversTcp } from './ports.js';

export interface SgDecision {
  ranges: Range[];
  policy: 'accept' | 'drop';
  /** undefined = the groups' default (no rule matched) */
  rule?: SgPermission & { securityGroupId: string };
}

export interface SgEvaluation {
  port: number;
  admitted: Range[];
  /** the target minus what is admitted: whatever is not positively admitted counts as denied */
  denied: Range[];
  decisions: SgDecision[];
  /** prefix lists referenced by matching rules that were not collected */
  missingPrefixLists: string[];
  /** port lists (PortRangeListId) of rules that could decide part of the target: their ports are not read */
  unresolvedPortLists: string[];
}

/** Do the rule's source ports (quintuple rules) include every port a client may pick? */
function allSourcePorts(p: SgPermission): boolean {
  if (!p.sourcePortRange) return true;
  const r = parsePortRange(p.sourcePortRange);
  return r !== undefined && r[0] <= 1 && r[1] >= 65535;
}

function sourceRanges(p: SgPermission, lists: Map<string, PrefixList>, missing: Set<string>): Range[] {
  if (p.sourceCidrIp) return isCidr(p.sourceCidrIp) ? [cidrToRange(p.sourceCidrIp)] : [];
  if (p.sourceGroupId) return []; // group-to-group rules never admit the builder's addresses
  if (p.sourcePrefixListId) {
    const pl = lists.get(p.sourcePrefixListId);
    if (!pl) {
      missing.add(p.sourcePrefixListId);
      return [];
    }
    return normalize(pl.entries.filter(isCidr).map(cidrToRange));
  }
  return [];
}

/**
 * Which parts of `target` (source addresses) may open TCP connections to `destAddress`:`port`.
 * Quintuple rules (docs/alibaba-api.md): a rule with DestCidrIp matches only traffic to that
 * destination; one with SourcePortRange only those client ports. A client picks its source port
 * freely, so an accept limited to some source ports admits nothing reliably, while such a drop
 * still drops some connections: the first is passed over, the second decides.
 */
export function evaluateIngress(groups: SecurityGroup[], prefixLists: PrefixList[], port: number, target: Range[], destAddress?: string): SgEvaluation {
  const lists = new Map(prefixLists.map((p) => [p.prefixListId, p]));
  const missing = new Set<string>();
  const portLists = new Set<string>();
  const candidates = groups
    .flatMap((g) => g.permissions.map((p) => ({ ...p, securityGroupId: g.securityGroupId })))
    .filter((p) => p.direction === 'ingress' && protocolCoversTcp(p.ipProtocol))
    .filter((p) => !(p.destCidrIp && destAddress && !containsAddress(p.destCidrIp, destAddress)))
    .filter((p) => p.policy === 'drop' || allSourcePorts(p))
    .filter((p) => (p.portRangeListId ? true : portInRange(port, p.portRange)))
    .sort((a, b) => a.priority - b.priority || (a.policy === b.policy ? 0 : a.policy === 'drop' ? -1 : 1));

  let remaining = normalize(target);
  const decisions: SgDecision[] = [];
  for (const rule of candidates) {
    if (remaining.length === 0) break;
    const hit = intersect(remaining, sourceRanges(rule, lists, missing));
    if (hit.length === 0) continue;
    if (rule.portRangeListId) {
      // PortRangeListId replaces PortRange: its ports are in a port list we do not read: it may or may not match this port
      portLists.add(rule.portRangeListId);
      continue;
    }
    decisions.push({ ranges: hit, policy: rule.policy, rule });
    remaining = subtract(remaining, hit);
  }
  if (remaining.length) decisions.push({ ranges: remaining, policy: 'drop' });
  const admitted = normalize(decisions.filter((d) => d.policy === 'accept').flatMap((d) => d.ranges));
  // fail closed: anything not positively admitted is denied, whatever a malformed policy says
  const denied = subtract(normalize(target), admitted);
  return { port, admitted, denied, decisions, missingPrefixLists: [...missing], unresolvedPortLists: [...portLists] };
}

export function describeRule(r: SgDecision['rule']): string {
  if (!r) return 'no rule matches (default deny)';
  const src = r.sourceCidrIp ?? (r.sourcePrefixListId ? `prefix list ${r.sourcePrefixListId}` : r.sourceGroupId ?? '?');
  const ports = r.portRangeListId ? `port list ${r.portRangeListId}` : r.portRange;
  const quint = `${r.sourcePortRange ? ` source ports ${r.sourcePortRange}` : ''}${r.destCidrIp ? ` to ${r.destCidrIp}` : ''}`;
  return `${r.securityGroupId}${r.ruleId ? ` rule ${r.ruleId}` : ''}: ${r.policy} ${r.ipProtocol} ${ports} from ${src}${quint}, priority ${r.priority}`;
}

export function cidrList(ranges: Range[]): string {
  return rangesToCidrs(ranges).join(', ');
}
