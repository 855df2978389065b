// Provision's contracts: the plan value, the step events, and the seams apply works through.
// No I/O here. The plan is a value (house style: Terraform plans): `plan.ts` makes it from facts, the
// check report, what the CR API shows and the journal; `apply.ts` interprets it.
import type { Product } from '../cloud/api.js';
import type { RuleResult, Status } from '../engine/types.js';

export const PLAN_SCHEMA = 1 as const;

/** One API call a step will make. Params are shown as sent, except secrets: build-arg values are masked. */
export interface ApiCall {
  product: Product;
  action: string;
  params: Record<string, string | number | boolean>;
}

/** What a person has to do in the console (no public API exists for it: api-facts §0). */
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

export interface GateResult {
  /** nothing blocks (after fixes, if selected) */
  ok: boolean;
  verdict: string;
  summary: Record<string, number>;
  /** failing / erroring (not waived) results that stop provision */
  blocking: { ruleId: string; status: Status; message: string; fixable: boolean }[];
  /** results provision itself resolves (link-present, source-bound) */
  resolves: { ruleId: string; status: Status; message: string }[];
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
// What apply reports as it goes. Structurally the TUI's ProvisionEvent (src/tui/events.ts), plus
// plain progress lines for the text renderer.

export type StepState = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

export interface GuidedPromptEvent {
  stepId: string;
  title: string;
  /** what was found (e.g. the API's answer): context, not an action */
  status?: string[];
  instructions: string[];
  /** "Waiting until … (900 s) — Ctrl-C stops"; absent when the run does not wait */
  waiting?: string;
  values: { label: string; value: string }[];
}

export type ProvisionEvent =
  | { type: 'provision-step'; stepId: string; title?: string; state: StepState; note?: string }
  | { type: 'provision-guided'; prompt: GuidedPromptEvent }
  | { type: 'provision-verified'; stepId: string; message: string; results?: RuleResult[] }
  | { type: 'provision-log'; stage: string; lines: string[] }
  | { type: 'provision-build'; status: string; buildId?: string }
  | { type: 'provision-finish'; ok: boolean; message: string }
  | { type: 'provision-note'; message: string };

/** Outcome of one step in the final summary. */
export interface StepOutcome {
  id: string;
  title: string;
  state: 'done' | 'already' | 'failed' | 'not-done' | 'skipped';
  detail: string;
}
