// The plan as a value (pure): from the check run, the CR state, the journal and the reconciled
// pending operations, the ordered steps provision will take — each with the API calls it will make
// (or the guided action it needs) and why. Rendering (text, JSON, the TUI's PlanView) is pure too.
import type { Config } from '../config/types.js';
import type { JournalEntry } from './journal.js';
import { evaluateGate } from '../app/gate.js';
import { fingerprint, fingerprintParts, linkState, ruleKey, type CheckRun, type CrState } from './state.js';
import { planBind, planNamespace, planRepository } from './steps/bind.js';
import { planBuild, planBuildRule } from './steps/build.js';
import { planFixes } from './steps/fix.js';
import { planLink } from './steps/link.js';
import { PLAN_SCHEMA, type ApiCall, type Plan, type PlanStep, type PlanTarget, type PlanView } from './types.js';

export interface PlanInput {
  config: Config;
  target: PlanTarget;
  run: CheckRun;
  cr: CrState;
  journal: readonly JournalEntry[];
  /** builds an interrupted run triggered, by rule key (from --resume reconciliation) */
  resumeBuilds: Record<string, string>;
  fix: boolean;
  failOn: 'warn' | 'fail';
  buildTimeoutMs: number;
  now: Date;
}

export function makePlan(x: PlanInput): Plan {
  const gate = evaluateGate(x.run.report, x.failOn);
  const link = linkState(x.run, x.config.vpc.vSwitchId);
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  if (x.fix) {
    const blockingIds = gate.blocking.map((b) => b.ruleId);
    const { steps: fixes, skipped } = planFixes(x.run.report, x.run.facts, blockingIds);
    steps.push(...fixes);
    notes.push(...skipped);
    const unfixable = gate.blocking.filter((b) => !fixes.some((f) => f.id.startsWith(`fix:${b.ruleId}:`)));
    if (!unfixable.length && gate.blocking.length) notes.push('every blocking result has a fix: after the fixes the checks run again and must pass');
  } else if (gate.blocking.some((b) => b.fixable)) {
    notes.push(`--fix would offer API fixes for: ${gate.blocking.filter((b) => b.fixable).map((b) => b.ruleId).join(', ')}`);
  }
  steps.push(planLink(x.config, x.run, link));
  steps.push(planNamespace(x.config, x.cr));
  steps.push(planRepository(x.config, x.cr));
  steps.push(planBind(x.config, x.cr));
  const rules = x.config.build?.rules ?? [];
  if (!rules.length) notes.push('no build.rules in the config: nothing to build (add one to prove the whole path)');
  for (const r of rules) steps.push(planBuildRule(x.config, x.cr, r));
  for (const r of rules) steps.push(planBuild(x.config, x.cr, r, x.journal, x.resumeBuilds[ruleKey(r)], x.buildTimeoutMs));
  return {
    schemaVersion: PLAN_SCHEMA,
    kind: 'acr-preflight-plan',
    target: x.target,
    createdAt: x.now.toISOString(),
    fingerprint: fingerprint({ results: x.run.report.results, link, cr: x.cr }),
    observed: fingerprintParts({ results: x.run.report.results, link, cr: x.cr }),
    gate,
    steps,
    notes,
  };
}

/**
 * How the steps about to run differ from the saved (reviewed) ones; [] = nothing runs that was not
 * reviewed. A step that is now done writes less than reviewed and is fine; a placeholder the saved
 * plan had ("<RepoId from step repository>") may since have become the real id.
 */
export function stepDifferences(saved: Plan, current: Plan): string[] {
  const sameCall = (a: ApiCall, b: ApiCall) =>
    a.product === b.product &&
    a.action === b.action &&
    JSON.stringify(Object.keys(a.params).sort()) === JSON.stringify(Object.keys(b.params).sort()) &&
    Object.entries(a.params).every(([k, v]) => v === b.params[k] || (typeof v === 'string' && /^<.*>$/.test(v)));
  const show = (st: PlanStep | undefined) => (st ? `[${st.kind}] ${st.calls.map(formatCall).join('; ') || '(no calls)'}` : '(absent)');
  const out: string[] = [];
  for (const b of current.steps) {
    if (b.kind === 'done') continue;
    const a = saved.steps.find((s) => s.id === b.id);
    const same = a !== undefined && a.kind === b.kind && a.calls.length === b.calls.length && a.calls.every((c, i) => sameCall(c, b.calls[i]!));
    if (!same) out.push(`step ${b.id}: ${show(a)} → ${show(b)}`);
  }
  return out;
}

/** Steps that write or wait. */
export function pendingSteps(plan: Plan): PlanStep[] {
  return plan.steps.filter((s) => s.kind !== 'done');
}

export function planIsBlocked(plan: Plan): boolean {
  if (plan.gate.ok) return false;
  // with --fix, the gate may be cleared by the planned fixes: every blocking rule needs one
  const fixed = new Set(plan.steps.filter((s) => s.phase === 'fix').map((s) => s.id.split(':')[1]));
  return !plan.gate.blocking.every((b) => fixed.has(b.ruleId));
}

// ---------------------------------------------------------------------------------------------
// Rendering

function fmtValue(v: string | number | boolean): string {
  return typeof v === 'string' ? (/^[\w./:@<>"() -]*$/.test(v) && !v.includes(' ') ? v : JSON.stringify(v)) : String(v);
}

export function formatCall(c: ApiCall): string {
  return `${c.product}:${c.action} ${Object.entries(c.params)
    .map(([k, v]) => `${k}=${fmtValue(v)}`)
    .join(' ')}`;
}

const KIND_LABEL: Record<PlanStep['kind'], string> = { done: 'done', api: 'api', guided: 'guided', verify: 'api+guided' };

export function renderPlanText(plan: Plan): string {
  const t = plan.target;
  const out: string[] = [];
  out.push(`Provision plan: ${t.instanceId} ${t.namespace}/${t.repository} (${t.region}) ← GitLab ${t.project}`);
  const s = plan.gate.summary;
  out.push(`Gate: ${plan.gate.ok ? 'open' : planIsBlocked(plan) ? 'REFUSED' : 'open after the fixes'} — check ${plan.gate.verdict}: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error, ${s.waived} waived`);
  for (const b of plan.gate.blocking) out.push(`  blocks: ${b.ruleId} ${b.status}: ${b.message}${b.fixable ? ' (fixable with --fix)' : ''}`);
  for (const r of plan.gate.resolves) out.push(`  provision resolves: ${r.ruleId} ${r.status}: ${r.message}`);
  for (const n of plan.notes) out.push(`  note: ${n}`);
  out.push('');
  const todo = pendingSteps(plan).length;
  out.push(`Steps (${plan.steps.length}, ${todo} to do):`);
  plan.steps.forEach((st, i) => {
    out.push(`${String(i + 1).padStart(2)}. [${KIND_LABEL[st.kind]}] ${st.title}`);
    out.push(`      why: ${st.why}`);
    for (const c of st.calls) out.push(`      call: ${formatCall(c)}`);
    if (st.guided && st.kind === 'guided') out.push(...guidedLines(st.guided, '      '));
    else if (st.guided) out.push(`      if no account is bound: ${st.guided.title} — ${st.guided.consolePath}`, ...st.guided.values.map((v) => `        ${v.label}: ${v.value}`));
    for (const n of st.notes) out.push(`      ${n}`);
  });
  out.push('');
  out.push(planIsBlocked(plan) ? 'Nothing will be written: the gate refuses (fix the blocking results and run again).' : todo ? 'Nothing has been written yet: the steps above run after confirmation (or --yes).' : 'Everything is in place: nothing to do.');
  return out.join('\n') + '\n';
}

export function guidedLines(g: NonNullable<PlanStep['guided']>, indent: string): string[] {
  return [`${indent}console: ${g.consolePath}`, ...g.values.map((v) => `${indent}  ${v.label}: ${v.value}`), `${indent}verify: ${g.verify}`];
}

/** JSON form (`--plan-only --format json`): the plan value as is. */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

/** The plan as the TUI shows it. */
export function planView(plan: Plan): PlanView {
  const t = plan.target;
  return {
    target: `${t.instanceId} ${t.namespace}/${t.repository} ← ${t.project}`,
    notes: [...plan.gate.resolves.map((r) => `resolves ${r.ruleId} (${r.status})`), ...plan.notes],
    steps: plan.steps.map((s) => ({
      id: s.id,
      title: s.title,
      kind: s.kind === 'done' ? 'noop' : s.kind === 'guided' ? 'guided' : s.kind === 'verify' ? 'check' : 'api',
      detail: [`why: ${s.why}`, ...s.calls.map(formatCall), ...(s.guided ? guidedLines(s.guided, '') : []), ...s.notes],
    })),
  };
}
