// Provision's contracts: the plan value, the step events, and the seams apply works through.
// No I/O here. The plan is a value (house style: Terraform plans): `plan.ts` makes it from facts, the
// check report, what the CR API shows and the journal; `apply.ts` interprets it.
import type { Product } from '../cloud/api.js';
import type { GateResult } from '../app/gate.js';
import type { Report } from '../engine/types.js';

export const PLAN_SCHEMA = 1 as const;

/** One API call a step will make. Params are shown as sent, except secrets: build-arg values are masked. */
export interface ApiCall {
  product: Product;
  action: string;
  params: Record<string, string | number | boolean>;
}

/** What a person has to do in the console (no public API exists for it: docs/alibaba-behaviour.md). */
export interface GuidedAction {
  title: string;
  /** where to click */
  consolePath: string;
  /** values to enter, in dialog order; the token is named by its secret reference, never shown */
  values: { label: string; value: string }[];
  /** further instructions, in order */
  instructions: string[];
  /** how the tool verifies that it was done */
  verify: string;
}

export type StepPhase = 'fix' | 'link' | 'bind' | 'build';

/**
 * `done`: already in place, nothing to do. `api`: the calls listed. `guided`: a console step, then
 * verification. `verify`: reads/conditional calls that decide at apply time (e.g. bind account).
 */
export type StepKind = 'done' | 'api' | 'guided' | 'verify';

export interface PlanStep {
  /** stable id, e.g. "link", "source", "build-rule:GIT_BRANCH:main:latest" */
  id: string;
  phase: StepPhase;
  title: string;
  kind: StepKind;
  /** why this step exists / why it is done */
  why: string;
  /** the calls it makes, in order (placeholders like "<RepoId>" where an earlier step creates the id) */
  calls: ApiCall[];
  guided?: GuidedAction;
  /** further detail lines (what was found, what happens after the calls) */
  notes: string[];
}

export interface PlanTarget {
  region: string;
  instanceId: string;
  namespace: string;
  repository: string;
  project: string;
  /** journal file name stem */
  key: string;
}

export interface Plan {
  schemaVersion: typeof PLAN_SCHEMA;
  kind: 'acr-preflight-plan';
  target: PlanTarget;
  createdAt: string;
  /** sha256 over the state the plan was made from (rule statuses + what provision reads/writes) */
  fingerprint: string;
  /** the parts the fingerprint is made of, so a stale saved plan can say what changed */
  observed?: Record<string, string>;
  gate: GateResult;
  steps: PlanStep[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// What provision reports as it goes: the one event type apply, the text renderer and the TUI share.

export type StepState = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

/** What a guided (console-only) step asks the person to do. */
export interface GuidedPrompt {
  stepId: string;
  title: string;
  /** where to click, in order */
  instructions: string[];
  /** values to paste, shown plainly so a terminal selection copies them */
  values: { label: string; value: string }[];
}

/** One step of a plan as the TUI lists it. */
export interface PlanStepView {
  id: string;
  title: string;
  kind: 'api' | 'guided' | 'check' | 'noop';
  /** the API call (action + params, secrets masked) or the guided action, and why */
  detail: string[];
}

/** A plan as the TUI shows it (plan.ts `planView`). */
export interface PlanView {
  target: string;
  steps: PlanStepView[];
  /** lines shown above the steps (e.g. "nothing to create: already linked") */
  notes: string[];
}

/**
 * `provision-planning`, `provision-plan` and `provision-cancelled` come from the TUI session around a
 * run; the others from apply. `provision-note` is a plain progress line.
 */
export type ProvisionEvent =
  | { type: 'provision-planning' }
  | { type: 'provision-plan'; plan: PlanView }
  | { type: 'provision-step'; stepId: string; title?: string; state: StepState; note?: string }
  | { type: 'provision-guided'; prompt: GuidedPrompt }
  | { type: 'provision-verified'; stepId: string; message: string }
  | { type: 'provision-log'; stage: string; lines: string[] }
  | { type: 'provision-build'; status: string; buildId?: string }
  | { type: 'provision-finish'; ok: boolean; message: string }
  | { type: 'provision-cancelled'; message: string }
  | { type: 'provision-note'; message: string };

/** Provision as the TUI drives it (driver.ts): plan, show, confirm, apply. */
export interface ProvisionDriver {
  /** make the plan (reads the cloud, writes nothing) */
  plan(opts: { signal: AbortSignal; report: Report }): Promise<PlanView>;
  /** apply the last plan, emitting steps, guided prompts and the build log */
  apply(opts: { signal: AbortSignal; emit: (e: ProvisionEvent) => void }): Promise<{ ok: boolean; message: string }>;
}

/** Outcome of one step in the final summary. */
export interface StepOutcome {
  id: string;
  title: string;
  state: 'done' | 'already' | 'failed' | 'not-done' | 'skipped';
  detail: string;
}
