// The interpreter: prepare (check, read the CR state, reconcile the journal — reads only), then apply
// a plan step by step. Before the first write the state is observed again and a plan whose
// fingerprint no longer matches is refused. Every side effect is journaled (journal.ts). The result
// lists every step as done / already / failed / not done, also when a step failed.
import { EXIT, PreflightError, ProvisionError } from '../errors.js';
import type { ProvisionRuntime } from './context.js';
import { endOf, isAbort, type BeginEntry, type JournalEntry } from './journal.js';
import { makePlan, planIsBlocked } from './plan.js';
import { evaluateGate } from '../app/gate.js';
import {
  fingerprint,
  fingerprintChanges,
  fingerprintParts,
  onlyProgress,
  wantedSourcePart,
  linkState,
  observeCr,
  ruleKey,
  sourceDiff,
  type CheckRun,
  type CrState,
} from './state.js';
import { runBind, runNamespace, runRepository } from './steps/bind.js';
import { matchRule, networkRecheck, runBuild, runBuildRule, type BuildOutcome } from './steps/build.js';
import { runFix } from './steps/fix.js';
import { cannotWaitError, runLink } from './steps/link.js';
import type { Plan, PlanStep, StepOutcome } from './types.js';
import { call, errorCode, listAll, normStatus } from './util.js';

export interface Resolution {
  entry: BeginEntry;
  ok: boolean;
  note: string;
  result?: Record<string, unknown>;
}

export interface Prepared {
  plan: Plan;
  run: CheckRun;
  cr: CrState;
  resolutions: Resolution[];
  /** rule key → { buildRecordId, triggeredAt } to re-attach to */
  resume: Record<string, { buildRecordId: string; triggeredAt: number }>;
}

export interface ApplyResult {
  ok: boolean;
  exitCode: number;
  message: string;
  outcomes: StepOutcome[];
  builds: BuildOutcome[];
  /** network rules re-run after a GIT_CLONE failure */
  recheck?: { ruleId: string; status: string; message: string }[];
  error?: PreflightError;
}

/** Rules the registry knows (so --only never names a missing one). */
export function registeredRules(run: CheckRun): string[] {
  return run.report.results.map((r) => r.ruleId);
}

/** Check, observe, reconcile pending operations (reads only), plan. */
export async function prepare(rt: ProvisionRuntime, opts: { resume: boolean; planOnly?: boolean }): Promise<Prepared> {
  const pending = rt.journal.pending();
  if (pending.length && !opts.resume && !opts.planOnly) {
    const list = pending.map((p) => `${p.op} ${p.key} (${p.at})`).join(', ');
    throw new ProvisionError('ERR_PENDING', `${rt.journal.file}: an interrupted run left ${pending.length} pending operation(s): ${list}`, {
      exitCode: EXIT.usage,
      hint: 'run provision --resume: it looks each one up and goes on from there (nothing is retried blindly)',
    });
  }
  const run = await rt.check({ signal: rt.signal });
  const cr = await observeCr(rt.api, rt.config, rt.signal);
  const resolutions = opts.resume ? await reconcile(rt, pending, cr) : [];
  const resume: Prepared['resume'] = {};
  for (const r of resolutions) {
    if (r.ok && r.result?.awaitBuildRecordId) {
      resume[r.entry.key] = { buildRecordId: String(r.result.awaitBuildRecordId), triggeredAt: Number(r.result.triggeredAt) };
    }
  }
  const plan = makePlan({
    config: rt.config,
    target: rt.target,
    run,
    cr,
    journal: rt.journal.entries,
    resumeBuilds: Object.fromEntries(Object.entries(resume).map(([k, v]) => [k, v.buildRecordId])),
    fix: rt.options.fix,
    failOn: rt.options.failOn,
    buildTimeoutMs: rt.options.buildTimeoutMs,
    now: new Date(rt.now()),
  });
  if (pending.length && !opts.resume) plan.notes.push(`${pending.length} pending operation(s) in ${rt.journal.file}: provision --resume reconciles them`);
  for (const r of resolutions) plan.notes.push(`resume: ${r.entry.op} ${r.entry.key}: ${r.note}`);
  return { plan, run, cr, resolutions, resume };
}

/** Known build ids in the journal (never mistaken for the one an interrupted trigger made). */
function knownBuildIds(entries: readonly JournalEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entries) {
    const id = e.type === 'end' ? e.result?.BuildRecordId : e.params?.BuildRecordId;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/** Clock skew allowed between this machine and the API's StartTime when matching a lost trigger. */
export const TRIGGER_SKEW_MS = 60_000;

/** Look up the outcome of each pending operation. Reads only; the journal is written by commit(). */
export async function reconcile(rt: ProvisionRuntime, pending: readonly BeginEntry[], cr: CrState): Promise<Resolution[]> {
  const out: Resolution[] = [];
  const inst = rt.config.acr.instanceId;
  for (const p of pending) {
    const params = p.params ?? {};
    switch (p.op) {
      case 'trigger-build': {
        const repoId = String(params.RepoId ?? cr.repoId ?? '');
        const begun = Date.parse(p.at);
        const known = knownBuildIds(rt.journal.entries);
        const records = repoId ? await listAll(rt.api, 'ListRepoBuildRecord', { InstanceId: inst, RepoId: repoId }, 'BuildRecords', rt.signal, { firstPagesOnly: 5 }) : [];
        const candidates = records
          .filter((r) => !known.has(String(r.BuildRecordId)))
          .filter((r) => String(r.Image?.ImageTag ?? '') === String(params.ImageTag ?? ''))
          .filter((r) => Number(r.StartTime) >= begun - TRIGGER_SKEW_MS)
          .sort((a, b) => Number(b.StartTime) - Number(a.StartTime));
        const found = candidates[0];
        if (found) {
          out.push({ entry: p, ok: true, note: `found build ${found.BuildRecordId} (${normStatus(found.BuildStatus)}), started after the trigger: waiting for it`, result: { BuildRecordId: String(found.BuildRecordId), BuildRuleId: params.BuildRuleId, awaitBuildRecordId: String(found.BuildRecordId), triggeredAt: Number(found.StartTime) } });
        } else {
          out.push({ entry: p, ok: false, note: 'no build record appeared after the trigger: it did not happen' });
        }
        break;
      }
      case 'await-build': {
        const id = String(params.BuildRecordId);
        const triggeredAt = Date.parse(String(params.triggeredAt ?? p.at));
        out.push({ entry: p, ok: true, note: `waiting again for build ${id}`, result: { awaitBuildRecordId: id, triggeredAt, reattach: true } });
        break;
      }
      case 'create-namespace':
        out.push({ entry: p, ok: cr.namespaceExists, note: cr.namespaceExists ? 'the namespace exists' : 'the namespace does not exist: it was not created' });
        break;
      case 'create-repository':
        out.push({ entry: p, ok: Boolean(cr.repoId), note: cr.repoId ? `the repository exists (${cr.repoId})` : 'the repository does not exist: it was not created', ...(cr.repoId ? { result: { RepoId: cr.repoId } } : {}) });
        break;
      case 'bind-source': {
        const ok = Boolean(cr.source && !sourceDiff(cr.source, rt.config.gitlab.project).length);
        out.push({ entry: p, ok, note: ok ? 'the binding is in place' : 'the binding is not as wanted: it is planned again' });
        break;
      }
      case 'create-build-rule': {
        const [pushType, pushName, imageTag] = p.key.split(':');
        const found = matchRule(cr.buildRules, { pushType: pushType as 'GIT_BRANCH', pushName: pushName!, imageTag: imageTag! });
        out.push({ entry: p, ok: Boolean(found), note: found ? `the rule exists (${found.buildRuleId})` : 'the rule does not exist: it was not created', ...(found ? { result: { BuildRuleId: found.buildRuleId } } : {}) });
        break;
      }
      case 'cancel-build': {
        let status = 'UNKNOWN';
        try {
          const b = await call(rt.api, 'cr', 'GetRepoBuildRecordStatus', { InstanceId: inst, RepoId: String(params.RepoId), BuildRecordId: String(params.BuildRecordId) }, rt.signal);
          status = normStatus(b.BuildStatus);
        } catch (err) {
          status = `unknown (${errorCode(err) || 'error'})`;
        }
        out.push({ entry: p, ok: true, note: `the build is ${status}`, result: { status } });
        break;
      }
      case 'fix':
        out.push({ entry: p, ok: false, note: 'outcome unknown: the check that follows decides' });
        break;
      default:
        out.push({ entry: p, ok: false, note: 'an interrupted wait: looked at again' });
    }
  }
  return out;
}

/** Write the end lines of reconciled operations. */
function commit(rt: ProvisionRuntime, resolutions: readonly Resolution[]): void {
  for (const r of resolutions) {
    if (endOf(rt.journal.entries, r.entry.id)) continue;
    const result = r.result ? Object.fromEntries(Object.entries(r.result).filter(([k]) => k !== 'awaitBuildRecordId' && k !== 'reattach')) : undefined;
    // an await-build being re-attached gets its end when the new wait (its own begin/end) finishes
    rt.journal.end(r.entry, r.ok, { reconciled: true, ...(result && Object.keys(result).length ? { result } : {}), ...(r.ok ? {} : { error: r.note }) });
  }
}

class Tracker {
  readonly outcomes = new Map<string, StepOutcome>();
  constructor(steps: readonly PlanStep[]) {
    for (const s of steps) this.outcomes.set(s.id, { id: s.id, title: s.title, state: s.kind === 'done' ? 'already' : 'not-done', detail: s.kind === 'done' ? s.why : 'not reached' });
  }
  set(id: string, state: StepOutcome['state'], detail: string): void {
    const o = this.outcomes.get(id);
    if (o) this.outcomes.set(id, { ...o, state, detail });
  }
  list(): StepOutcome[] {
    return [...this.outcomes.values()];
  }
}

/**
 * Observe again and compare with the plan's fingerprint. Progress toward the plan (the console step
 * done while the plan was on screen) is not staleness: the guided step then simply verifies at once.
 */
export async function assertFresh(rt: ProvisionRuntime, prepared: Prepared): Promise<CheckRun> {
  const run = await rt.check({ signal: rt.signal });
  const cr = await observeCr(rt.api, rt.config, rt.signal);
  const link = linkState(run, rt.config.vpc.vSwitchId);
  const fp = fingerprint({ results: run.report.results, link, cr });
  if (fp !== prepared.plan.fingerprint) {
    const before = fingerprintParts({ results: prepared.run.report.results, link: linkState(prepared.run, rt.config.vpc.vSwitchId), cr: prepared.cr });
    const after = fingerprintParts({ results: run.report.results, link, cr });
    const changes = fingerprintChanges(before, after);
    if (onlyProgress(before, after, wantedSourcePart(rt.config.gitlab.project))) {
      rt.emit({ type: 'provision-note', message: `done since the plan was shown: ${changes.join('; ')}` });
      return run;
    }
    throw new ProvisionError('ERR_STALE_PLAN', `the state changed since the plan was made (${changes.join('; ') || 'fingerprint differs'}); nothing was written`, {
      hint: 'run provision again to plan from the current state',
    });
  }
  return run;
}

/** Apply a prepared plan. Never throws for step failures: they come back in the result. */
export async function applyPlan(rt: ProvisionRuntime, prepared: Prepared): Promise<ApplyResult> {
  const { plan } = prepared;
  const track = new Tracker(plan.steps);
  const builds: BuildOutcome[] = [];
  let recheck: ApplyResult['recheck'];
  let current: PlanStep | undefined;
  const start = (s: PlanStep) => {
    current = s;
    rt.emit({ type: 'provision-step', stepId: s.id, title: s.title, state: 'running' });
  };
  const finish = (s: PlanStep, detail: string) => {
    track.set(s.id, s.kind === 'done' ? 'already' : 'done', detail);
    rt.emit({ type: 'provision-step', stepId: s.id, title: s.title, state: 'done', note: detail });
    current = undefined;
  };
  try {
    if (planIsBlocked(plan)) {
      throw new ProvisionError('ERR_GATE', `the checks fail: ${plan.gate.blocking.map((b) => `${b.ruleId} ${b.status}`).join(', ')}; nothing was written`, {
        hint: 'fix them (acr-preflight check shows how), or --fix where offered',
      });
    }
    const link = plan.steps.find((s) => s.id === 'link')!;
    if (link.kind === 'guided' && !rt.options.canWait) throw cannotWaitError('link', link.guided!);
    commit(rt, prepared.resolutions);
    if (plan.steps.some((s) => s.kind !== 'done')) await assertFresh(rt, prepared);

    // fixes, then the gate again
    const fixes = plan.steps.filter((s) => s.phase === 'fix');
    for (const s of fixes) {
      start(s);
      await runFix(rt, s);
      finish(s, 'applied');
    }
    if (fixes.length) {
      const run = await rt.check({ signal: rt.signal });
      const gate = evaluateGate(run.report, rt.options.failOn);
      if (!gate.ok) {
        throw new ProvisionError('ERR_GATE', `after the fixes the checks still fail: ${gate.blocking.map((b) => `${b.ruleId} ${b.status}`).join(', ')}`, { hint: 'acr-preflight check shows the details' });
      }
      rt.emit({ type: 'provision-verified', stepId: 'gate', message: 'the checks pass after the fixes' });
    }

    const step = (id: string) => plan.steps.find((s) => s.id === id)!;
    start(link);
    await runLink(rt, link);
    finish(link, link.kind === 'done' ? 'link present' : 'link verified');

    const ns = step('namespace');
    start(ns);
    await runNamespace(rt, ns);
    finish(ns, ns.kind === 'done' ? 'exists' : 'created');

    const repo = step('repository');
    start(repo);
    const repoId = await runRepository(rt, repo, prepared.cr.repoId);
    finish(repo, repo.kind === 'done' ? `exists (${repoId})` : `created (${repoId})`);

    const bind = step('bind');
    start(bind);
    const src = await runBind(rt, bind, repoId);
    finish(bind, `${src.codeRepoType} ${src.codeRepoNamespaceName}/${src.codeRepoName}, OverseaBuild ${src.overseaBuild ? 'on' : 'off'}`);

    const rules = rt.config.build?.rules ?? [];
    const ruleIds = new Map<string, string>();
    for (const r of rules) {
      const s = step(`build-rule:${ruleKey(r)}`);
      start(s);
      const id = await runBuildRule(rt, s, r, repoId, matchRule(prepared.cr.buildRules, r));
      ruleIds.set(ruleKey(r), id);
      finish(s, s.kind === 'done' ? `exists (${id})` : `created (${id})`);
    }
    for (const r of rules) {
      const key = ruleKey(r);
      const s = step(`build:${key}`);
      start(s);
      if (s.kind === 'done') {
        finish(s, s.why);
        continue;
      }
      const out = await runBuild(rt, r, repoId, ruleIds.get(key)!, prepared.resume[key]);
      builds.push(out);
      if (!out.ok) {
        if (normStatus(out.lastStage) === 'GIT_CLONE' && !out.timedOut) {
          rt.emit({ type: 'provision-note', message: 'the build failed while cloning from GitLab: re-running the network checks of the access path' });
          recheck = await networkRecheck(rt, prepared.run.report.accessPath.kind, registeredRules(prepared.run));
          for (const c of recheck) rt.emit({ type: 'provision-note', message: `  ${c.ruleId}: ${c.status} — ${c.message}` });
        }
        throw new ProvisionError(
          out.timedOut ? 'ERR_BUILD_TIMEOUT' : 'ERR_BUILD_FAILED',
          out.timedOut
            ? `build ${out.buildRecordId} did not finish within ${Math.round(rt.options.buildTimeoutMs / 1000)} s: cancelled (${out.status})`
            : `build ${out.buildRecordId} of ${out.image} ended ${out.status}${out.lastStage ? ` in stage ${out.lastStage}` : ''}`,
          { hint: out.timedOut ? 'raise --timeout, or look at the build log in the console' : 'see the build log above' },
        );
      }
      finish(s, `${out.status}: ${out.image} (build ${out.buildRecordId})`);
    }
    const msg = builds.length ? `done: ${builds.map((b) => `${b.image} ${b.status}`).join(', ')}` : 'done: everything is in place';
    rt.emit({ type: 'provision-finish', ok: true, message: msg });
    return { ok: true, exitCode: EXIT.pass, message: msg, outcomes: track.list(), builds, ...(recheck ? { recheck } : {}) };
  } catch (err) {
    const interrupted = isAbort(err) || rt.signal.aborted;
    const pending = interrupted ? rt.journal.pending().length : 0;
    const error =
      err instanceof PreflightError
        ? err
        : interrupted
          ? new ProvisionError('ERR_INTERRUPTED', 'interrupted', {
              exitCode: EXIT.interrupted,
              // only when something is pending: after an interrupted wait a plain rerun simply looks again
              hint: pending
                ? `${pending} operation(s) pending in the journal: provision --resume looks them up and goes on`
                : 'nothing is pending: run provision again to go on',
            })
          : new ProvisionError('ERR_PROVISION', `${current ? `${current.id}: ` : ''}${(err as Error).message ?? String(err)}`, {});
    if (current) track.set(current.id, 'failed', interrupted ? 'interrupted' : error.message);
    const message = error.line();
    rt.emit({ type: 'provision-finish', ok: false, message });
    return { ok: false, exitCode: interrupted ? EXIT.interrupted : error.exitCode, message, outcomes: track.list(), builds, ...(recheck ? { recheck } : {}), error };
  }
}
