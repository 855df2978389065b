// Waivers: a non-passing result covered by a valid waiver no longer trips the gate, but stays in
// every report marked waived. An expired waiver no longer waives, and the report says so.
import type { WaiverConfig } from '../config/types.js';
import type { RuleResult } from './types.js';

/** A waiver is valid through the end of its expiry day (UTC). */
export function isExpired(w: { expires: string }, now: Date): boolean {
  const end = Date.parse(`${w.expires}T23:59:59.999Z`);
  return Number.isNaN(end) || now.getTime() > end;
}

/** Resource ids, addresses and CIDRs a result names (its data and evidence), as whole tokens. */
export function resourceTokens(r: RuleResult): Set<string> {
  const hay = JSON.stringify([r.data, r.evidence]);
  return new Set(hay.match(/[A-Za-z0-9][A-Za-z0-9._/:-]*[A-Za-z0-9]/g) ?? []);
}

/** A scoped waiver covers a result only when the result names that exact resource ("sg-1" is not "sg-12"). */
function matchesScope(w: WaiverConfig, r: RuleResult): boolean {
  if (!w.scope) return true;
  return resourceTokens(r).has(w.scope);
}

export function applyWaivers(results: RuleResult[], waivers: WaiverConfig[] | undefined, now: Date): RuleResult[] {
  if (!waivers?.length) return results;
  return results.map((r) => {
    if (r.status === 'pass' || r.status === 'skip') return r;
    const matching = waivers.filter((w) => w.rule === r.ruleId && matchesScope(w, r));
    if (!matching.length) return r;
    const valid = matching.find((w) => !isExpired(w, now));
    const info = (w: WaiverConfig) => ({ reason: w.reason, owner: w.owner, expires: w.expires, ...(w.scope ? { scope: w.scope } : {}) });
    if (valid) return { ...r, waived: info(valid) };
    return { ...r, waiverExpired: info(matching[0]!) };
  });
}
