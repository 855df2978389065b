// The provision command's flow, over injected cloud and check seams (src/cli/provision.ts wires the
// real ones): check + plan (reads only) → print the plan → gate → confirmation → apply with progress
// on stderr → done/not-done summary. stdout carries only the selected format (text or json).
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { CloudApi } from '../cloud/api.js';
import type { CommandContext } from '../cli/commands.js';
import type { Config } from '../config/types.js';
import { EXIT, InputError, ProvisionError, UsageError } from '../errors.js';
import { applyPlan, prepare, type ApplyResult } from './apply.js';
import { DEFAULT_OPTIONS, type ProvisionOptions, type ProvisionRuntime } from './context.js';
import { journalKey } from './journal.js';
import { openJournal } from './journal-scope.js';
import { pendingSteps, planIsBlocked, renderPlanJson, renderPlanText, stepDifferences } from './plan.js';
import { eventRenderer, renderResultJson, renderSummary } from './render.js';
import { fingerprintChanges, onlyProgress, wantedSourcePart, type CheckRun } from './state.js';
import type { Plan, PlanTarget, ProvisionEvent } from './types.js';
import { sleep } from './util.js';

export interface ProvisionDeps {
  api: CloudApi;
  config: Config;
  check(opts: { only?: string[]; signal: AbortSignal }): Promise<CheckRun>;
  /** extra listener (the demo's simulated person) */
  onEvent?: (e: ProvisionEvent) => void;
  now?: () => number;
}

export interface ProvisionFlags {
  planOnly: boolean;
  yes: boolean;
  resume: boolean;
  fix: boolean;
  format: 'text' | 'json';
  failOn: 'warn' | 'fail';
  buildTimeoutMs: number;
  waitTimeoutMs: number;
  waitTimeoutExplicit: boolean;
  planFile?: string;
}

/** A positive number of seconds given to `flag` (default `def` ms when absent); a UsageError otherwise. */
export function seconds(v: unknown, flag: string, def: number): { ms: number; explicit: boolean } {
  if (v === undefined) return { ms: def, explicit: false };
  const s = String(v);
  if (!/^\d+(\.\d+)?$/.test(s) || Number(s) <= 0) throw new UsageError(`${flag}: "${s}" is not a positive number of seconds`, `e.g. ${flag} 600`);
  return { ms: Math.round(Number(s) * 1000), explicit: true };
}

export function parseProvisionFlags(values: CommandContext['values']): ProvisionFlags {
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format: "${format}" is not a provision format`, 'use text or json');
  const failOn = (values['fail-on'] as string | undefined) ?? 'fail';
  if (failOn !== 'warn' && failOn !== 'fail') throw new UsageError(`--fail-on: "${failOn}" is not warn or fail`);
  const build = seconds(values.timeout, '--timeout', DEFAULT_OPTIONS.buildTimeoutMs);
  const wait = seconds(values['wait-timeout'], '--wait-timeout', DEFAULT_OPTIONS.waitTimeoutMs);
  const planFile = values.plan as string | undefined;
  if (planFile && values['plan-only']) throw new UsageError('--plan and --plan-only do not go together', '--plan-only makes a plan; --plan FILE applies a saved one');
  return {
    planOnly: Boolean(values['plan-only']),
    yes: Boolean(values.yes),
    resume: Boolean(values.resume),
    fix: Boolean(values.fix),
    format,
    failOn,
    buildTimeoutMs: build.ms,
    waitTimeoutMs: wait.ms,
    waitTimeoutExplicit: wait.explicit,
    ...(planFile ? { planFile } : {}),
  };
}

export function targetOf(config: Config): PlanTarget {
  if (!config.acr.namespace || !config.acr.repository) {
    throw new UsageError('provision needs acr.namespace and acr.repository in the config', 'add them (the repository is created if missing)');
  }
  const t = { region: config.region, instanceId: config.acr.instanceId, namespace: config.acr.namespace, repository: config.acr.repository, project: config.gitlab.project };
  if (!t.project.includes('/')) throw new UsageError(`gitlab.project "${t.project}" has no namespace`, 'write it as group/project');
  return { ...t, key: journalKey(t) };
}

/** A person is at the keyboard: stdin and stderr are terminals and this is not CI. */
export function isInteractive(ctx: CommandContext): boolean {
  return Boolean(ctx.io.stdin.isTTY && ctx.io.stderr.isTTY && !ctx.io.env.CI);
}

/** Ask on stderr, read one line from stdin. Ctrl-C (the command's signal) rejects as an interruption. */
export function askYesNo(ctx: CommandContext, question: string): Promise<boolean> {
  return new Promise((resolveAnswer, reject) => {
    const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr, terminal: false });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      ctx.signal.removeEventListener('abort', onAbort);
      f();
      rl.close();
    };
    // settle before closing: close() fires 'close', which would otherwise answer "no"
    const onAbort = () => settle(() => reject(Object.assign(new Error('interrupted'), { name: 'AbortError' })));
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    ctx.io.stderr.write(question);
    rl.once('line', (line) => settle(() => resolveAnswer(/^\s*y(es)?\s*$/i.test(line))));
    rl.once('close', () => settle(() => resolveAnswer(false)));
  });
}

function readSavedPlan(file: string, cwd: string): Plan {
  const abs = resolve(cwd, file);
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(abs, 'utf8')) as Plan;
  } catch (err) {
    throw new InputError(`${file}: cannot read a saved plan (${(err as Error).message.split('\n')[0]})`, 'save one with provision --plan-only --format json > plan.json');
  }
  if (plan?.kind !== 'acr-preflight-plan' || plan.schemaVersion !== 1 || typeof plan.fingerprint !== 'string') {
    throw new InputError(`${file}: not a provision plan (kind acr-preflight-plan, schemaVersion 1)`, 'save one with provision --plan-only --format json > plan.json');
  }
  return plan;
}

/** Runs the whole command; returns the exit code. */
export async function runProvisionCommand(ctx: CommandContext, deps: ProvisionDeps, flags: ProvisionFlags): Promise<number> {
  const { io } = ctx;
  const target = targetOf(deps.config);
  const interactive = isInteractive(ctx);
  const options: ProvisionOptions = {
    ...DEFAULT_OPTIONS,
    buildTimeoutMs: flags.buildTimeoutMs,
    waitTimeoutMs: flags.waitTimeoutMs,
    canWait: interactive || flags.waitTimeoutExplicit,
    fix: flags.fix,
    failOn: flags.failOn,
  };
  const render = eventRenderer({ ascii: !ctx.color });
  const rt: ProvisionRuntime = {
    api: deps.api,
    config: deps.config,
    target,
    journal: await openJournal(io.cwd, target, deps.api),
    signal: ctx.signal,
    options,
    emit: (e) => {
      for (const l of render(e)) io.stderr.write(l + '\n');
      deps.onEvent?.(e);
    },
    check: (o) => deps.check(o),
    sleep,
    now: deps.now ?? (() => Date.now()),
  };
  const out = (s: string) => io.stdout.write(s);

  if (flags.resume) {
    // said, not refused: `provision --yes --resume` is a fine thing for a pipeline to always run
    if (!existsSync(rt.journal.file)) io.stderr.write(`provision: --resume: no journal for this target and account here (${rt.journal.file}): nothing to resume; provisioning from the current state\n`);
    else if (!rt.journal.pending().length) io.stderr.write(`provision: --resume: nothing is pending in ${rt.journal.file}; provisioning from the current state\n`);
  }
  io.stderr.write(`provision: checking ${target.instanceId} ${target.namespace}/${target.repository} (${target.region})…\n`);
  const prepared = await prepare(rt, { resume: flags.resume, planOnly: flags.planOnly });
  const { plan } = prepared;

  if (flags.planFile) {
    const saved = readSavedPlan(flags.planFile, io.cwd);
    if (saved.target.key !== plan.target.key) {
      throw new ProvisionError('ERR_PLAN_TARGET', `${flags.planFile}: the plan is for ${saved.target.key}, the config for ${plan.target.key}`, { hint: 'use the config the plan was made with' });
    }
    // what was reviewed is what runs: the steps with every call and parameter, and the state they were planned from
    const stepChanges = stepDifferences(saved, plan);
    const stateChanges = saved.fingerprint === plan.fingerprint ? [] : fingerprintChanges(saved.observed ?? {}, plan.observed ?? {});
    const progress = saved.observed && plan.observed && onlyProgress(saved.observed, plan.observed, wantedSourcePart(deps.config.gitlab.project));
    if (stepChanges.length || (stateChanges.length && !progress) || (saved.fingerprint !== plan.fingerprint && !saved.observed)) {
      const what = [...stateChanges, ...stepChanges];
      throw new ProvisionError('ERR_STALE_PLAN', `${flags.planFile}: the plan no longer matches (made ${saved.createdAt}): ${what.join('; ') || 'the state changed'}; nothing was written`, {
        hint: 'make a new plan (provision --plan-only --format json) and review it',
      });
    }
    io.stderr.write(`provision: the saved plan ${flags.planFile} matches the current state\n`);
  }

  if (flags.planOnly) {
    out(flags.format === 'json' ? renderPlanJson(plan) : renderPlanText(plan, { mode: 'plan-only' }));
    return planIsBlocked(plan) ? EXIT.fail : EXIT.pass;
  }
  if (flags.format === 'text') out(renderPlanText(plan, { mode: flags.yes ? 'apply' : 'review', canWait: options.canWait }));

  if (planIsBlocked(plan)) {
    const msg = `provision refused: the checks fail (${plan.gate.blocking.map((b) => `${b.ruleId} ${b.status}`).join(', ')}); nothing was written`;
    if (flags.format === 'json') out(renderResultJson(plan, undefined, { refused: msg }));
    io.stderr.write(`${msg} — run acr-preflight check for the evidence and fixes${plan.gate.blocking.some((b) => b.fixable) ? ', or provision --fix' : ''}\n`);
    return EXIT.fail;
  }

  const writes = pendingSteps(plan).length > 0;
  if (writes && !flags.yes) {
    if (!interactive) {
      throw new UsageError('provision needs a confirmation before it writes, and this run is not interactive', 'review the plan above, then run again with --yes');
    }
    const ok = await askYesNo(ctx, `Apply this plan (${pendingSteps(plan).length} step(s))? [y/N] `);
    if (!ok) {
      io.stderr.write('provision: declined — nothing was written\n');
      if (flags.format === 'json') out(renderResultJson(plan, undefined, { refused: 'declined' }));
      return EXIT.fail;
    }
  }

  const result: ApplyResult = await applyPlan(rt, prepared);
  if (flags.format === 'json') out(renderResultJson(plan, result));
  else out(renderSummary(result));
  // the text summary on stdout says why already; JSON is for machines, so people get the line here
  if (!result.ok && flags.format === 'json') io.stderr.write(`provision: ${result.message}\n`);
  return result.exitCode;
}
