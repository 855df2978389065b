// The TUI's input: one event stream. Live collection progress, the engine's rule events and the
// provision flow's events all arrive here and feed one reducer (state.ts). Nothing in this file
// imports ink or React.
import type { EngineEvent, Report } from '../engine/types.js';
import type { ProvisionEvent } from '../provision/types.js';

export type { GuidedPrompt, PlanStepView, PlanView, ProvisionEvent, StepState as ProvisionStepState } from '../provision/types.js';

/** One unit of collection work: an API round, one call, a probe, an SSH read. */
export interface CollectStep {
  id: string;
  label: string;
  state: 'running' | 'done' | 'failed';
}

export type CollectEvent =
  | { type: 'collect-start'; scope: 'all' | string }
  | { type: 'collect-step'; step: CollectStep }
  | { type: 'collect-finish' }
  | { type: 'collect-error'; message: string };

/** A run's final report after merging a single-rule re-run into the previous report. */
export type RunFinishEvent = { type: 'run-complete'; report: Report; scope: 'all' | string };

/** Everything the session emits. `at` is the wall-clock time the event happened (ms). */
export type SessionEvent = (EngineEvent | CollectEvent | ProvisionEvent | RunFinishEvent) & { at?: number };
