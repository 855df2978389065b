// Reports for reporter tests: the shared test rules (one per status in the failing scenario) judge
// the shared test world through the real engine (runRules, waivers, verdict), independent of the
// production rules.
import type { WaiverConfig } from '../../src/config/types.js';
import { runRules } from '../../src/engine/runner.js';
import type { Report } from '../../src/engine/types.js';
import type { Facts } from '../../src/facts/types.js';
import { group, makeFacts, NOW, ok, perm, unavailable, ZONES } from '../helpers/facts.js';
import { REPORT_RULES } from '../helpers/rules.js';

export { NOW, ZONES };

export interface Scenario {
  sgAdmits: boolean;
  tls: boolean;
  tokenTimeout: boolean;
  linked: boolean;
}

/** The shared healthy ECS world with what the scenario says changed. */
export function scenarioFacts(s: Scenario): Facts {
  return makeFacts((f) => {
    if (!s.sgAdmits) f.cloud.gitlabSecurityGroups = ok([group('sg-gitlab', [perm({ ruleId: 'sgr-acr', policy: 'accept', sourceCidrIp: '100.104.0.0/17' })])]);
    if (!s.tls) f.gitlab.tls = ok(null, 'tls');
    if (s.tokenTimeout) f.gitlab.token = unavailable('timeout', 'no answer within 10000 ms', { source: 'gitlab:GET /api/v4/personal_access_tokens/self' });
    if (!s.linked) {
      f.cloud.managedSecurityGroups = ok([], 'ecs:DescribeSecurityGroups');
      f.cloud.managedEnis = ok([], 'ecs:DescribeNetworkInterfaces');
    }
  });
}

export const FAIL_WAIVERS: WaiverConfig[] = [
  { rule: 'link-present', reason: 'link is made by the platform team next sprint', owner: 'platform team', expires: '2026-12-31' },
  { rule: 'gitlab-tls', reason: 'internal CA rollout', owner: 'net team', expires: '2026-11-01' },
];

/** Durations are wall-clock; goldens need them fixed. */
function fixDurations(r: Report): Report {
  return { ...r, results: r.results.map((x, i) => ({ ...x, durationMs: (i + 1) * 1.5 })) };
}

export function passingReport(opts: { failOn?: 'warn' | 'fail' } = {}): Report {
  const facts = scenarioFacts({ sgAdmits: true, tls: true, tokenTimeout: false, linked: true });
  return fixDurations(runRules(facts, { rules: REPORT_RULES, now: NOW, zones: ZONES, failOn: opts.failOn }));
}

export function failingReport(opts: { failOn?: 'warn' | 'fail'; waivers?: WaiverConfig[]; now?: Date } = {}): Report {
  const facts = scenarioFacts({ sgAdmits: false, tls: false, tokenTimeout: true, linked: false });
  return fixDurations(runRules(facts, { rules: REPORT_RULES, now: opts.now ?? NOW, zones: ZONES, failOn: opts.failOn, waivers: opts.waivers ?? FAIL_WAIVERS }));
}
