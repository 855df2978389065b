// `acr-preflight provision [-c preflight.yaml] [--plan-only] [--plan FILE] [--yes] [--resume] [--fix]
//  [--timeout S] [--wait-timeout S] [--format text|json]`: link → bind → build, gated on the checks.
// The command-line face of provision: flags, the live seams (src/app), the y/N prompt on the
// terminal, progress on stderr; stdout carries only the selected format (text or json). The flow is
// check + plan (reads only) → print the plan → gate → confirmation → apply → done/not-done summary.
import { createInterface } from 'node:readline';
import { RULES } from '../../rules/index.js';
import { checkOnce } from '../app/check.js';
import { cloudApiFor } from '../app/clients.js';
import { EXIT, PreflightError, UsageError } from '../errors.js';
import { applyPlan, prepare, type ApplyResult } from '../provision/apply.js';
import { DEFAULT_OPTIONS, makeRuntime, type ProvisionDeps, type ProvisionOptions } from '../provision/context.js';
import { pendingSteps, planIsBlocked, renderPlanJson, renderPlanText } from '../provision/plan.js';
import { eventRenderer, renderResultJson, renderSummary } from '../provision/render.js';
import { assertSavedPlanMatches, readSavedPlan } from '../provision/saved-plan.js';
import { targetOf } from '../provision/target.js';
import type { ProvisionEvent } from '../provision/types.js';
import type { CommandContext } from './context.js';
import { loadForCommand, progressPrinter } from './live.js';

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

function seconds(v: unknown, flag: string, def: number): { ms: number; explicit: boolean } {
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

/** The live seams: the loaded config, one cloud client, and the check the gate and re-checks use. */
async function openLive(ctx: CommandContext, failOn: 'warn' | 'fail'): Promise<ProvisionDeps> {
  const loaded = loadForCommand(ctx);
  const api = await cloudApiFor(loaded, ctx.io.env, ctx.signal);
  const noProbes = ctx.values['no-probes'] === true;
  let first = true;
  return {
    api,
    config: loaded.config,
    async check({ only, signal }) {
      const { facts, report } = await checkOnce(loaded, {
        env: ctx.io.env,
        noProbes,
        signal,
        api,
        // progress lines only for the first (gate) run; re-checks while waiting stay quiet
        ...(first ? { onProgress: progressPrinter(ctx.io.stderr) } : {}),
        gate: {
          failOn,
          waivers: loaded.config.waivers ?? [],
          ...(only?.length ? { only: only.filter((id) => RULES.some((r) => r.id === id)) } : {}),
        },
      });
      first = false;
      return { facts, report };
    },
  };
}

/** Runs the whole command over the given seams; returns the exit code. */
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
  const rt = makeRuntime(deps, {
    cwd: io.cwd,
    target,
    signal: ctx.signal,
    options,
    emit: (e) => {
      for (const l of render(e)) io.stderr.write(l + '\n');
      deps.onEvent?.(e);
    },
  });
  const out = (s: string) => io.stdout.write(s);

  io.stderr.write(`provision: checking ${target.instanceId} ${target.namespace}/${target.repository} (${target.region})…\n`);
  const prepared = await prepare(rt, { resume: flags.resume, planOnly: flags.planOnly });
  const { plan } = prepared;

  if (flags.planFile) {
    assertSavedPlanMatches(flags.planFile, readSavedPlan(flags.planFile, io.cwd), plan, deps.config.gitlab.project);
    io.stderr.write(`provision: the saved plan ${flags.planFile} matches the current state\n`);
  }

  if (flags.planOnly) {
    out(flags.format === 'json' ? renderPlanJson(plan) : renderPlanText(plan));
    return planIsBlocked(plan) ? EXIT.fail : EXIT.pass;
  }
  if (flags.format === 'text') out(renderPlanText(plan));

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
  if (!result.ok) io.stderr.write(`provision: ${result.message}\n`);
  return result.exitCode;
}

export async function runWith(ctx: CommandContext, extra: { onEvent?: (e: ProvisionEvent) => void } = {}): Promise<number> {
  const flags = parseProvisionFlags(ctx.values);
  try {
    const live = await openLive(ctx, flags.failOn);
    return await runProvisionCommand(ctx, { ...live, ...(extra.onEvent ? { onEvent: extra.onEvent } : {}) }, flags);
  } catch (err) {
    // a machine reading --format json gets a document for every outcome, not an empty stdout;
    // the one-line error on stderr and the exit code stay the entry's (rethrown)
    if (flags.format === 'json' && err instanceof PreflightError) {
      ctx.io.stdout.write(
        `${JSON.stringify({ schemaVersion: 1, kind: 'acr-preflight-provision', ok: false, exitCode: err.exitCode, message: err.line(), error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } }, null, 2)}\n`,
      );
    }
    throw err;
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  return runWith(ctx);
}
