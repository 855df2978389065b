// Shared by check, collect, tui and provision: config → credentials → cloud client → facts → report.
import { RULES } from '../../rules/index.js';
import type { CloudApi } from '../cloud/api.js';
import { createCloudApi } from '../cloud/client.js';
import { credentialsFor } from '../cloud/credentials.js';
import { loadConfig } from '../config/load.js';
import { configFlags } from '../config/overrides.js';
import type { LoadedConfig } from '../config/types.js';
import { runRules, type RunOptions } from '../engine/runner.js';
import type { EngineEvent, Report } from '../engine/types.js';
import { collectFacts, type CollectOptions, type ProgressEvent } from '../facts/collect.js';
import type { Facts } from '../facts/types.js';
import type { CommandContext } from './commands.js';

/** Overall deadline of one collection (cloud rounds, probes and SSH reads together). */
export const DEFAULT_DEADLINE_MS = 120_000;

/** Loads the config named by -c (or the default), with --region/--endpoint/--profile and env overrides. */
export function loadForCommand(ctx: CommandContext): LoadedConfig {
  const loaded = loadConfig({
    ...(typeof ctx.values.config === 'string' ? { file: ctx.values.config } : {}),
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    flags: configFlags(ctx.values),
    ruleIds: RULES.map((r) => r.id),
  });
  for (const w of loaded.warnings) ctx.io.stderr.write(`acr-preflight: warning: ${w}\n`);
  return loaded;
}

/**
 * The cloud client for a loaded config (credentials resolved now: a missing key fails here, one line).
 * The client outlives any one run (the TUI and provision reuse it), so deadlines and cancellation
 * travel with each call (`call(..., { signal })`), never with the client; `signal` only aborts the
 * creation itself.
 */
export async function cloudApiFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<CloudApi> {
  const { config } = loaded;
  const api = await createCloudApi({
    region: config.region,
    ...(config.cloud?.endpoint ? { endpoint: config.cloud.endpoint } : {}),
    credentials: credentialsFor({ ...(config.cloud?.profile ? { profile: config.cloud.profile } : {}), env }),
    env,
  });
  if (signal?.aborted) throw signal.reason;
  return api;
}

export interface CollectOnceOptions {
  env: NodeJS.ProcessEnv;
  noProbes?: boolean;
  signal?: AbortSignal;
  deadlineMs?: number;
  onProgress?: (e: ProgressEvent) => void;
  onCall?: CollectOptions['onCall'];
  /** collect only the facts these paths name (rule `needs`), plus what the access path needs */
  needs?: CollectOptions['needs'];
  /** reuse a client */
  api?: CloudApi;
}

/** Collects facts once (config → credentials → cloud, GitLab and SSH), under an overall deadline. */
export async function collectOnce(loaded: LoadedConfig, opts: CollectOnceOptions): Promise<{ facts: Facts; api: CloudApi }> {
  const deadline = AbortSignal.timeout(opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const api = opts.api ?? (await cloudApiFor(loaded, opts.env, signal));
  const facts = await collectFacts(loaded, {
    api,
    env: opts.env,
    signal,
    ...(opts.noProbes ? { noProbes: true } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.onCall ? { onCall: opts.onCall } : {}),
    ...(opts.needs ? { needs: opts.needs } : {}),
  });
  if (opts.signal?.aborted) throw opts.signal.reason;
  return { facts, api };
}

export interface CheckOnceOptions extends CollectOnceOptions {
  onEvent?: (e: EngineEvent) => void;
  /** gate pieces: failOn, only, skip, waivers (default: the config's waivers) */
  gate?: Pick<RunOptions, 'failOn' | 'only' | 'skip' | 'waivers'>;
}

/** Collects facts once and runs the rules over them. */
export async function checkOnce(loaded: LoadedConfig, opts: CheckOnceOptions): Promise<{ facts: Facts; report: Report; api: CloudApi }> {
  const { facts, api } = await collectOnce(loaded, opts);
  const report = runRules(facts, {
    rules: RULES,
    ...(opts.gate ?? { waivers: loaded.config.waivers ?? [] }),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { facts, report, api };
}

/** Progress lines for stderr: plain, one per step, no animation. */
export function progressPrinter(stderr: NodeJS.WritableStream): (e: ProgressEvent) => void {
  const t0 = Date.now();
  return (e) => {
    if (e.type === 'step-start') stderr.write(`acr-preflight: ${e.step}${e.detail ? `: ${e.detail}` : ''} …\n`);
    else if (e.step === 'cloud' || e.step === 'gitlab') stderr.write(`acr-preflight: ${e.step} done${e.detail ? ` (${e.detail})` : ''} [${Date.now() - t0} ms]\n`);
  };
}
