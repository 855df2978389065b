// The check as a use case: collect the facts once under the overall deadline (cloud rounds, probes
// and SSH reads together), then run the rules over them. Every face (check, collect, the TUI,
// provision's gate and re-checks) goes through here.
import type { CloudApi } from '../cloud/api.js';
import type { LoadedConfig } from '../config/types.js';
import type { RunOptions } from '../engine/runner.js';
import type { EngineEvent, Report } from '../engine/types.js';
import { collectFacts, type CollectOptions, type ProgressEvent } from '../facts/collect.js';
import type { Facts } from '../facts/types.js';
import { toolVersion } from '../paths.js';
import { whileWaiting } from '../util/while-waiting.js';
import { cloudApiFor } from './clients.js';

/** The rules and the engine: needed once the facts are in, so loaded while the first answers are awaited. */
export const loadRules = async () => (await import('../../rules/index.js')).RULES;
const loadEngine = () => import('../engine/runner.js');
/** what the engine reads from the package (the zone table) and what the facts record (the version) */
const loadPackageFiles = async () => {
  (await import('../engine/zones.js')).loadZoneTable();
  toolVersion();
};

/** Overall deadline of one collection (cloud rounds, probes and SSH reads together). */
export const DEFAULT_DEADLINE_MS = 120_000;

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
  /** more code the caller needs afterwards (its reporters), loaded while the cloud answers are awaited */
  prefetch?: readonly (() => unknown)[];
}

/** Collects facts once and runs the rules over them. */
export async function checkOnce(loaded: LoadedConfig, opts: CheckOnceOptions): Promise<{ facts: Facts; report: Report; api: CloudApi }> {
  // the rules, the engine, the package files they read and the caller's reporters load during the
  // first wait for answers, not before the first request (a no-op when they are loaded already)
  const prefetch = whileWaiting([loadRules, loadEngine, loadPackageFiles, ...(opts.prefetch ?? [])]);
  let collected: Awaited<ReturnType<typeof collectOnce>>;
  try {
    collected = await collectOnce(loaded, opts);
  } finally {
    prefetch.cancel();
  }
  const { facts, api } = collected;
  const [rules, { runRules }] = await Promise.all([loadRules(), loadEngine()]);
  const report = runRules(facts, {
    rules,
    ...(opts.gate ?? { waivers: loaded.config.waivers ?? [] }),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { facts, report, api };
}

