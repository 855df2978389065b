// One place decides the verdict and the exit code: 0 pass, 1 gate tripped,
// 3 incomplete (a rule ended in error and nothing failed).
import type { RuleResult, Summary, Verdict } from './types.js';

export type FailOn = 'warn' | 'fail';

export function summarize(results: RuleResult[]): Summary {
  const s: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0, waived: 0 };
  for (const r of results) {
    s[r.status]++;
    if (r.waived) s.waived++;
  }
  return s;
}

export function decide(results: RuleResult[], failOn: FailOn): { verdict: Verdict; exitCode: 0 | 1 | 3 } {
  const live = results.filter((r) => !r.waived);
  const trips = live.some((r) => r.status === 'fail' || (failOn === 'warn' && r.status === 'warn'));
  if (trips) return { verdict: 'fail', exitCode: 1 };
  if (live.some((r) => r.status === 'error')) return { verdict: 'incomplete', exitCode: 3 };
  return { verdict: 'pass', exitCode: 0 };
}
