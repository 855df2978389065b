// Runs rules over a fact snapshot. Rules are pure; a rule that throws becomes an `error` result
// named by its id, and the run goes on. Unavailable facts become `skip` (not configured / not
// applicable) or `error` (forbidden, timeout, API error) with the reason.
import type { WaiverConfig } from '../config/types.js';
import { PROBES_DISABLED, type Fact, type Facts, type Unavailable } from '../facts/types.js';
import { UsageError } from '../errors.js';
import { docsUrl, TOOL_NAME, toolVersion } from '../paths.js';
import { deriveAccessPath } from './access-path.js';
import { render } from './template.js';
import type { AccessPath, EngineEvent, Hop, Report, Rule, RuleContext, RuleOutcome, RuleResult, ZoneTable } from './types.js';
import { HOP_ORDER } from './types.js';
import { decide, summarize, type FailOn } from './verdict.js';
import { applyPatches, PatchError, worse, type Fix } from './fixes.js';
import { applyWaivers } from './waivers.js';
import { loadZoneTable, withOverrides } from './zones.js';

export interface RunOptions {
  rules: readonly Rule[];
  only?: string[];
  skip?: string[];
  waivers?: WaiverConfig[];
  failOn?: FailOn;
  now?: Date;
  zones?: ZoneTable;
  onEvent?: (e: EngineEvent) => void;
}

/** Thrown by ctx.need() when a fact is unavailable; caught by the runner. */
export class FactUnavailable extends Error {
  constructor(readonly fact: Unavailable, readonly what: string) {
    super(`${what}: ${fact.message}`);
  }
}

export function selectRules(rules: readonly Rule[], only?: string[], skip?: string[]): Rule[] {
  const ids = new Set(rules.map((r) => r.id));
  for (const id of [...(only ?? []), ...(skip ?? [])]) {
    if (!ids.has(id)) throw new UsageError(`unknown rule id "${id}"`, 'run `acr-preflight rules` to list the ids');
  }
  return rules.filter((r) => (!only?.length || only.includes(r.id)) && !skip?.includes(r.id));
}

function unavailableOutcome(u: Unavailable, what: string): RuleOutcome {
  const skip = u.reason === 'not-configured' || u.reason === 'not-applicable';
  const data: Record<string, string> = { what, reason: u.message };
  // the hint follows a sentence: it starts one ("Set probe.gitlabHost.ssh …") and ends it
  if (u.hint) data.hint = `${u.hint.charAt(0).toUpperCase()}${u.hint.slice(1)}${/[.!?]$/.test(u.hint) ? '' : '.'}`;
  if (u.ramAction) data.ramAction = u.ramAction;
  return {
    status: skip ? 'skip' : 'error',
    messageId: skip ? (u.code === PROBES_DISABLED ? '$probesDisabled' : '$notConfigured') : u.reason === 'forbidden' ? '$forbidden' : '$unavailable',
    data,
    evidence: [{ label: what, value: { reason: u.reason, code: u.code, message: u.message, ramAction: u.ramAction }, source: u.source }],
  };
}

/** Messages every rule can produce without declaring them. */
export const ENGINE_MESSAGES: Record<string, string> = {
  $notConfigured: 'Skipped: {{what}} is not configured. {{hint}}',
  $probesDisabled: 'Skipped: probes disabled (--no-probes), so {{what}} was not read.',
  $notApplicable: 'Not applicable: {{reason}}.',
  $forbidden: 'Could not decide: permission denied reading {{what}} — grant the RAM action {{ramAction}}.',
  $unavailable: 'Could not decide: {{what}} is unavailable ({{reason}}).',
  $pathUndetermined: 'Could not decide: {{reason}}.',
  $pathUnplaced:
    'Could not decide: {{reason}}, so no network path to it can be checked. Check gitlab.endpoint (the private address ACR will use) or add its network to datacenter.cidrs; if GitLab sits behind something this tool does not model (ALB, NLB, a peered VPC), --skip this rule or waive it.',
  $dependsOn: 'Skipped: depends on {{dependency}}, which failed; fix that first.',
  $crashed: 'Rule {{ruleId}} crashed: {{error}}. This is a bug in acr-preflight; the other rules still ran.',
};

/** The first dependency of `rule` that failed in this run, if any (dependencies not run do not count). */
function failedDependency(rule: Rule, done: ReadonlyMap<string, RuleResult>): RuleResult | undefined {
  for (const id of rule.dependsOn ?? []) {
    const r = done.get(id);
    if (r?.status === 'fail') return r;
  }
  return undefined;
}

function evaluate(rule: Rule, ctx: RuleContext, path: AccessPath & { undetermined?: boolean }, done: ReadonlyMap<string, RuleResult>): RuleOutcome {
  const dep = failedDependency(rule, done);
  if (dep) return { status: 'skip', messageId: '$dependsOn', data: { dependency: dep.ruleId } };
  if (rule.paths && !rule.paths.includes(path.kind)) {
    if (path.kind === 'unknown') {
      // no path matched: skipping every path rule would pass a gate that checked no network at all
      return { status: 'error', messageId: path.undetermined ? '$pathUndetermined' : '$pathUnplaced', data: { reason: path.reason } };
    }
    return { status: 'skip', messageId: '$notApplicable', data: { reason: path.reason } };
  }
  try {
    return rule.check(ctx);
  } catch (err) {
    if (err instanceof FactUnavailable) return unavailableOutcome(err.fact, err.what);
    const msg = err instanceof Error ? err.message : String(err);
    return { status: 'error', messageId: '$crashed', data: { ruleId: rule.id, error: msg } };
  }
}

export function toResult(rule: Rule, outcome: RuleOutcome, durationMs: number): RuleResult {
  const data = outcome.data ?? {};
  const template = rule.messages[outcome.messageId] ?? ENGINE_MESSAGES[outcome.messageId] ?? outcome.messageId;
  const remediationTemplate = outcome.remediationId ? rule.remediation?.[outcome.remediationId] ?? '' : '';
  const result: RuleResult = {
    ruleId: rule.id,
    status: outcome.status,
    severity: rule.severity,
    title: rule.title,
    messageId: outcome.messageId,
    message: render(template, { hint: '', ...data }).trim(),
    data,
    evidence: outcome.evidence ?? [],
    remediation: render(remediationTemplate, data),
    docs: docsUrl(rule.id),
    durationMs,
  };
  if (outcome.fixes?.length) result.fixes = outcome.fixes;
  return result;
}

export function makeContext(facts: Facts, path: AccessPath, zones: ZoneTable, now: Date): RuleContext {
  const g = facts.input.gitlab;
  const ports = [g.port, ...(g.sshPort ? [g.sshPort] : [])];
  return {
    facts,
    path,
    gitlabPorts: [...new Set(ports)],
    zones,
    now,
    need<T>(fact: Fact<T>, what: string): T {
      if (fact.state === 'ok') return fact.value;
      throw new FactUnavailable(fact, what);
    },
  };
}

export function orderHops(hops: Hop[]): Hop[] {
  return hops
    .map((h, i) => ({ h, i }))
    .sort((a, b) => HOP_ORDER.indexOf(a.h.hop) - HOP_ORDER.indexOf(b.h.hop) || a.i - b.i)
    .map((x) => x.h);
}

/** Every selected rule over `facts`, before waivers: the results and the path hops. */
function evaluateAll(facts: Facts, rules: readonly Rule[], zones: ZoneTable, now: Date, emit: (e: EngineEvent) => void) {
  const path = deriveAccessPath(facts);
  const ctx = makeContext(facts, path, zones, now);
  const hops: Hop[] = [];
  const results: RuleResult[] = [];
  const done = new Map<string, RuleResult>();
  for (const rule of rules) {
    emit({ type: 'rule-start', ruleId: rule.id });
    const t0 = performance.now();
    const outcome = evaluate(rule, ctx, path, done);
    const result = toResult(rule, outcome, Math.round((performance.now() - t0) * 100) / 100);
    for (const h of outcome.hops ?? []) hops.push({ ...h, ruleId: h.ruleId ?? rule.id });
    results.push(result);
    done.set(rule.id, result);
  }
  return { path, results, hops };
}

/**
 * Proof by re-evaluation: each fix's patches applied to a copy of the facts, every rule run again.
 * Verified when the fix's rule then passes and no other rule gets worse (statuses before waivers).
 */
export function proveFix(facts: Facts, fix: Fix, ruleId: string, before: readonly RuleResult[], rules: readonly Rule[], zones: ZoneTable, now: Date): NonNullable<Fix['proof']> {
  const own = before.find((r) => r.ruleId === ruleId)!;
  let patched: Facts;
  try {
    patched = applyPatches(facts, fix.patches);
  } catch (err) {
    if (!(err instanceof PatchError)) throw err;
    return { state: 'insufficient', after: own.status, breaks: [], remaining: `the change does not apply to these facts: ${err.message}` };
  }
  const after = evaluateAll(patched, rules, zones, now, () => {}).results;
  const mine = after.find((r) => r.ruleId === ruleId)!;
  const breaks = after
    .filter((r) => r.ruleId !== ruleId)
    .map((r) => ({ r, was: before.find((b) => b.ruleId === r.ruleId)! }))
    .filter(({ r, was }) => worse(was.status, r.status))
    .map(({ r, was }) => ({ ruleId: r.ruleId, from: was.status, to: r.status, message: r.message }));
  if (mine.status !== 'pass') return { state: 'insufficient', after: mine.status, breaks, remaining: mine.message };
  return { state: breaks.length ? 'breaks' : 'verified', after: mine.status, breaks };
}

export function runRules(facts: Facts, opts: RunOptions): Report {
  const now = opts.now ?? new Date();
  const rules = selectRules(opts.rules, opts.only, opts.skip);
  const zones = opts.zones ?? withOverrides(loadZoneTable(), facts.input.zoneOverrides);
  const emit = opts.onEvent ?? (() => {});
  emit({ type: 'run-start', ruleIds: rules.map((r) => r.id) });
  const { path, results: raw, hops } = evaluateAll(facts, rules, zones, now, emit);
  // every offered fix is proven against all the rules of the run
  for (const r of raw) {
    r.fixes?.forEach((fix, i) => {
      fix.id = `${r.ruleId}#${i + 1}`;
      fix.proof = proveFix(facts, fix, r.ruleId, raw, rules, zones, now);
    });
  }
  const results = applyWaivers(raw, opts.waivers, now);
  for (const r of results) emit({ type: 'rule-finish', result: r });
  const failOn = opts.failOn ?? 'fail';
  const { verdict, exitCode } = decide(results, failOn);
  const { undetermined: _u, ...accessPath } = path;
  const report: Report = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    verdict,
    exitCode,
    failOn,
    summary: summarize(results),
    results,
    path: orderHops(hops),
    accessPath,
    generatedAt: now.toISOString(),
    collectedAt: facts.collectedAt,
  };
  emit({ type: 'run-finish', report });
  return report;
}
