// The TUI's input: one event stream. Live collection progress, the engine's rule events and the
// provision flow's events all arrive here and feed one reducer (state.ts). Nothing in this file
// imports ink or React.
import type { EngineEvent, Report, RuleResult } from '../engine/types.js';

/** One unit of collection work: an API round, one call, a probe, an SSH read. */
export interface CollectStep {
  id: string;
  label: string;
  state: 'running' | 'done' | 'failed';
}

/** What a guided (console-only) provision step asks the person to do. */
export interface GuidedPrompt {
  stepId: string;
  title: string;
  /** what was found (not an action): shown before the numbered steps */
  status?: string[];
  /** where to click, in order */
  instructions: string[];
  /** how long provision waits for it (absent: it does not wait) */
  waiting?: string;
  /** values to paste, shown plainly so a terminal selection copies them */
  values: { label: string; value: string }[];
}

export interface PlanStepView {
  id: string;
  title: string;
  kind: 'api' | 'guided' | 'check' | 'noop';
  /** the API call (action + params, secrets masked) or the guided action, and why */
  detail: string[];
}

export interface PlanView {
  target: string;
  steps: PlanStepView[];
  /** lines shown above the steps (e.g. "nothing to create: already linked") */
  notes: string[];
}

export type ProvisionStepState = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

export type ProvisionEvent =
  | { type: 'provision-planning' }
  | { type: 'provision-plan'; plan: PlanView }
  | { type: 'provision-step'; stepId: string; title?: string; state: ProvisionStepState; note?: string }
  | { type: 'provision-guided'; prompt: GuidedPrompt }
  /** results: the rules re-run to verify it (link-present), so the list shows them at once */
  | { type: 'provision-verified'; stepId: string; message: string; results?: RuleResult[] }
  | { type: 'provision-log'; stage: string; lines: string[] }
  | { type: 'provision-build'; status: string; buildId?: string }
  | { type: 'provision-finish'; ok: boolean; message: string }
  | { type: 'provision-cancelled'; message: string };

export type CollectEvent =
  | { type: 'collect-start'; scope: 'all' | string }
  | { type: 'collect-step'; step: CollectStep }
  | { type: 'collect-finish' }
  | { type: 'collect-error'; message: string };

/** A run's final report after merging a single-rule re-run into the previous report. */
export type RunFinishEvent = { type: 'run-complete'; report: Report; scope: 'all' | string };

/** Everything the session emits. `at` is the wall-clock time the event happened (ms). */
export type SessionEvent = (EngineEvent | CollectEvent | ProvisionEvent | RunFinishEvent) & { at?: number };
