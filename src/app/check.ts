// The check as a use case: collect the facts once under the overall deadline (cloud rounds, probes
// and SSH reads together), then run the rules over them. Every face (check, collect, the TUI,
// provision's gate and re-checks) goes through here.
import { RULES } from '../../rules/index.js';
import type { CloudApi } from '../cloud/api.js';
import type { LoadedConfig } from '../config/types.js';
import { runRules, type RunOptions } from '../engine/runner.js';
import type { EngineEvent, Report } from '../engine/types.js';
import { collectFacts, type CollectOptions, type ProgressEvent } from '../facts/collect.js';
import type { Facts } from '../facts/types.js';
import { cloudApiFor } from './clients.js';

/** Overall deadline of one collection (cloud rounds, probes and SSH reads together). */
export const DEFAULT_DEADLINE_MS = 120_000;

export interface CollectOnceOptions {
  env: NodeJS.ProcessEnv;
  noProbes?: boolean;
  signal?: AbortSignal;
  deadlineMs?: number;
  onProgress?: (e: ProgressEvent) => void;
  onCall?: CollectOptions['onCall'];
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

