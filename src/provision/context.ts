// What the steps run with. Everything effectful comes in through here, so tests drive the steps
// with the emulator (real CR semantics) and a fake clock/sleep where that helps.
import type { CloudApi } from '../cloud/api.js';
import type { Config } from '../config/types.js';
import { Journal } from './journal.js';
import type { CheckRun } from './state.js';
import { sleep, type Backoff } from './util.js';
import type { PlanTarget, ProvisionEvent } from './types.js';

/** The seams a face hands to provision: the cloud client, the config and the live check. */
export interface ProvisionDeps {
  api: CloudApi;
  config: Config;
  check(opts: { only?: string[]; signal: AbortSignal }): Promise<CheckRun>;
  /** extra listener (the demo's simulated person) */
  onEvent?: (e: ProvisionEvent) => void;
  now?: () => number;
}

export interface ProvisionOptions {
  /** cancel a build that runs longer than this (ms) */
  buildTimeoutMs: number;
  /** how long to wait for a guided console step (ms) */
  waitTimeoutMs: number;
  /** a person can act on guided steps (a TTY without CI), or --wait-timeout was given explicitly */
  canWait: boolean;
  /** apply RuleResult.fixes (--fix) */
  fix: boolean;
  failOn: 'warn' | 'fail';
  /** polling of guided steps and builds */
  guidedPoll: Backoff;
  buildPoll: Backoff;
}

export interface ProvisionRuntime {
  api: CloudApi;
  config: Config;
  target: PlanTarget;
  journal: Journal;
  signal: AbortSignal;
  options: ProvisionOptions;
  emit(e: ProvisionEvent): void;
  /** the live check (collect facts + run rules); `only` limits the rules (--only semantics) */
  check(opts: { only?: string[]; signal: AbortSignal }): Promise<CheckRun>;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export const DEFAULT_OPTIONS: ProvisionOptions = {
  buildTimeoutMs: 1800_000,
  waitTimeoutMs: 900_000,
  canWait: false,
  fix: false,
  failOn: 'fail',
  guidedPoll: { minMs: 1000, maxMs: 15_000 },
  buildPoll: { minMs: 500, maxMs: 5000 },
};

/** The runtime of one prepare or apply: the journal of the target under `cwd`, the real sleep. */
export function makeRuntime(
  deps: ProvisionDeps,
  run: { cwd: string; target: PlanTarget; signal: AbortSignal; options: ProvisionOptions; emit: (e: ProvisionEvent) => void },
): ProvisionRuntime {
  return {
    api: deps.api,
    config: deps.config,
    target: run.target,
    journal: Journal.open(run.cwd, run.target.key),
    signal: run.signal,
    options: run.options,
    emit: run.emit,
    check: (o) => deps.check(o),
    sleep,
    now: deps.now ?? (() => Date.now()),
  };
}
