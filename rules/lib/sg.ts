// Security-group evaluation over address ranges (alibaba-api-facts §2.1): the rules of every group
// on an ENI are evaluated together; lower Priority wins; at equal priority drop beats accept;
// traffic no rule matches is denied (basic groups admit only members, enterprise groups nothing).
// We carve 100.104.0.0/16 (or any target) into sub-ranges, each decided by one rule or the default.
import type { PrefixList, SecurityGroup, SgPermission } from '../../src/facts/types.js';
import { cidrToRange, intersect, isCidr, normalize, rangesToCidrs, subtract, type Range } from '../../src/net/cidr.js';
import { portInRange, protocolCoversTcp } from './ports.js';

export interface SgDecision {
  ranges: Range[];
  policy: 'accept' | 'drop';
  /** undefined = the groups' default (no rule matched) */
  rule?: SgPermission & { securityGroupId: string };
}

export interface SgEvaluation {
  port: number;
  admitted: Range[];
  denied: Range[];
  decisions: SgDecision[];
  /** prefix lists referenced by matching rules that were not collected */
  missingPrefixLists: string[];
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

export function evaluateIngress(groups: SecurityGroup[], prefixLists: PrefixList[], port: number, target: Range[]): SgEvaluation {
  const lists = new Map(prefixLists.map((p) => [p.prefixListId, p]));
  const missing = new Set<string>();
  const candidates = groups
    .flatMap((g) => g.permissions.map((p) => ({ ...p, securityGroupId: g.securityGroupId })))
    .filter((p) => p.direction === 'ingress' && protocolCoversTcp(p.ipProtocol) && portInRange(port, p.portRange))
    .sort((a, b) => a.priority - b.priority || (a.policy === b.policy ? 0 : a.policy === 'drop' ? -1 : 1));

  let remaining = normalize(target);
  const decisions: SgDecision[] = [];
  for (const rule of candidates) {
    if (remaining.length === 0) break;
    const hit = intersect(remaining, sourceRanges(rule, lists, missing));
    if (hit.length === 0) continue;
    decisions.push({ ranges: hit, policy: rule.policy, rule });
    remaining = subtract(remaining, hit);
  }
  if (remaining.length) decisions.push({ ranges: remaining, policy: 'drop' });
  const admitted = normalize(decisions.filter((d) => d.policy === 'accept').flatMap((d) => d.ranges));
  const denied = normalize(decisions.filter((d) => d.policy === 'drop').flatMap((d) => d.ranges));
  return { port, admitted, denied, decisions, missingPrefixLists: [...missing] };
}

export function describeRule(r: SgDecision['rule']): string {
  if (!r) return 'no rule matches (default deny)';
  const src = r.sourceCidrIp ?? (r.sourcePrefixListId ? `prefix list ${r.sourcePrefixListId}` : r.sourceGroupId ?? '?');
  return `${r.securityGroupId}${r.ruleId ? ` rule ${r.ruleId}` : ''}: ${r.policy} ${r.ipProtocol} ${r.portRange} from ${src}, priority ${r.priority}`;
}

export function cidrList(ranges: Range[]): string {
  return rangesToCidrs(ranges).join(', ');
}
