// The TUI's state: a pure reducer over the session's events (collection, rules, provision) and the
// person's UI actions, plus the key map and the selectors the views read. No ink, no React: tested
// on its own (test/tui/state.test.ts).
// Size: one reducer and its selectors; splitting them would scatter the state transitions.
import type { Report, RuleResult, Status } from '../engine/types.js';
import { evaluateGate } from '../app/gate.js';
import type { CollectStep, GuidedPrompt, PlanView, ProvisionStepState, SessionEvent } from './events.js';

export type RowStatus = 'pending' | 'running' | Status;

export interface RuleRow {
  id: string;
  title: string;
  status: RowStatus;
  message: string;
  result?: RuleResult;
}

export type RunPhase = 'idle' | 'collecting' | 'evaluating' | 'done' | 'failed';

export interface RunState {
  phase: RunPhase;
  /** 'all' or the id of the rule being re-run */
  scope: 'all' | string;
  startedAt?: number;
  finishedAt?: number;
  /** collection work of the current run, in start order (bounded) */
  steps: CollectStep[];
  error?: string;
}

export type ProvisionPhase = 'idle' | 'planning' | 'confirm' | 'applying' | 'done' | 'failed' | 'cancelled';

export interface ProvisionState {
  phase: ProvisionPhase;
  plan?: PlanView;
  steps: { id: string; title: string; state: ProvisionStepState; note?: string }[];
  guided?: GuidedPrompt & { verified?: string };
  /** the build log, grouped by stage in arrival order */
  log: { stage: string; lines: string[] }[];
  buildStatus?: string;
  buildId?: string;
  message?: string;
}

export type View = 'list' | 'detail' | 'help' | 'provision';

export interface TuiState {
  width: number;
  height: number;
  rows: RuleRow[];
  run: RunState;
  report?: Report;
  /** id of the selected rule (stable across filtering and re-runs) */
  selected?: string;
  /** first visible row of the list */
  scroll: number;
  filter: boolean;
  view: View;
  /** the view `?` or Esc returns to */
  previousView: View;
  detailScroll: number;
  /** first row of the provision page; undefined = automatic (plan from the top, a run follows its tail) */
  provisionScroll?: number;
  notice?: string;
  /** the notice answers a key refused while busy: it goes when the run or provision ends */
  noticeUntilIdle?: boolean;
  /** q was pressed while provision applies: the next q / y quits, any other key stays */
  quitPending?: boolean;
  provisionAvailable: boolean;
  provision: ProvisionState;
}

export type UiAction =
  | { type: 'move'; delta: number }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'toggle-filter' }
  | { type: 'toggle-help' }
  | { type: 'scroll-detail'; delta: number; max: number }
  | { type: 'scroll-provision'; delta: number; max: number; from: number }
  | { type: 'show-provision' }
  | { type: 'notice'; text: string | undefined }
  /** a key (R, r) refused because a check run or provision is in flight */
  | { type: 'busy' }
  | { type: 'ask-quit' }
  | { type: 'cancel-quit' }
  | { type: 'resize'; width: number; height: number };

export type Action = SessionEvent | UiAction;

const MAX_STEPS = 200;
const MAX_LOG_LINES = 5000;

/** Rows the list view spends on things other than rules: title, collection line, summary, key hint. */
export const LIST_CHROME = 5;

export function initialState(opts: {
  rules: { id: string; title: string }[];
  width?: number;
  height?: number;
  provisionAvailable?: boolean;
}): TuiState {
  return {
    width: opts.width ?? 80,
    height: opts.height ?? 24,
    rows: opts.rules.map((r) => ({ id: r.id, title: r.title, status: 'pending', message: '' })),
    run: { phase: 'idle', scope: 'all', steps: [] },
    selected: opts.rules[0]?.id,
    scroll: 0,
    filter: false,
    view: 'list',
    previousView: 'list',
    detailScroll: 0,
    provisionAvailable: opts.provisionAvailable ?? false,
    provision: { phase: 'idle', steps: [], log: [] },
  };
}

// ---------------------------------------------------------------------------------------------
// Selectors

export const NON_PASSING: readonly RowStatus[] = ['warn', 'fail', 'error'];

export function visibleRows(s: TuiState): RuleRow[] {
  if (!s.filter) return s.rows;
  return s.rows.filter((r) => NON_PASSING.includes(r.status) || r.status === 'running' || r.id === s.selected && r.status === 'pending');
}

export function listCapacity(s: TuiState): number {
  return Math.max(1, s.height - LIST_CHROME);
}

export function selectedIndex(s: TuiState): number {
  const i = visibleRows(s).findIndex((r) => r.id === s.selected);
  return i < 0 ? 0 : i;
}

export function selectedRow(s: TuiState): RuleRow | undefined {
  return visibleRows(s)[selectedIndex(s)];
}

export function runActive(s: TuiState): boolean {
  return s.run.phase === 'collecting' || s.run.phase === 'evaluating';
}

export function provisionBusy(s: TuiState): boolean {
  return s.provision.phase === 'planning' || s.provision.phase === 'applying';
}

export type Gate = { ok: true } | { ok: false; reason: string };

/**
 * Whether `p` may start provision, and why not. The decision is provision's own (evaluateGate, as
 * `acr-preflight provision` makes it): waived findings and the ones provision resolves do not block.
 */
export function provisionGate(s: TuiState): Gate {
  if (!s.provisionAvailable) return { ok: false, reason: 'provision is not available here (no config to provision from)' };
  if (provisionBusy(s)) return { ok: true };
  if (runActive(s)) return { ok: false, reason: 'provision is disabled while the checks run' };
  const r = s.report;
  if (!r) return { ok: false, reason: 'provision is disabled until the checks have run' };
  const gate = evaluateGate(r, r.failOn);
  if (gate.ok) return { ok: true };
  const failing = gate.blocking.filter((b) => b.status !== 'error').map((b) => b.ruleId);
  if (failing.length) {
    return { ok: false, reason: `provision is disabled: ${failing.length} failing (${failing.join(', ')}) — fix them, then R` };
  }
  const errors = gate.blocking.map((b) => b.ruleId);
  return { ok: false, reason: `provision is disabled: checks incomplete (${errors.join(', ')} could not decide) — fix, then R` };
}

/** The provision page has something to show (a plan, a run, a result): `p` opens it instead of planning. */
export function provisionHasPage(s: TuiState): boolean {
  return s.provision.phase !== 'idle' && s.provision.phase !== 'cancelled';
}

/** The list's status line while provision is under way or has a result; undefined when idle. */
export function provisionStatus(s: TuiState, spin: string): string | undefined {
  const p = s.provision;
  switch (p.phase) {
    case 'planning':
      return `${spin} provision: making the plan… — p shows it`;
    case 'confirm':
      return 'provision: the plan waits for your y/n — p shows it';
    case 'applying': {
      const current = p.steps.find((st) => st.state === 'running' || st.state === 'waiting');
      const build = p.buildStatus ? `, build ${p.buildStatus}` : '';
      return `${spin} provision running${current ? `: ${current.title}` : ''}${build} — p shows it`;
    }
    case 'done':
      return 'provision done (SUCCESS) — p shows the result   ? keys  q quit';
    case 'failed':
      return 'provision FAILED — p shows why   ? keys  q quit';
    default:
      return undefined;
  }
}

export const QUIT_PROMPT = 'provision is still running — quit anyway? q/y quit · any other key stays';

/** "1 rule", "3 non-passing rules". */
export function pluralRules(n: number, filtered: boolean): string {
  return `${n}${filtered ? ' non-passing' : ''} rule${n === 1 ? '' : 's'}`;
}

/** Elapsed run time in ms (undefined before the first run). */
export function runElapsed(s: TuiState, now: number): number | undefined {
  if (s.run.startedAt === undefined) return undefined;
  return (s.run.finishedAt ?? now) - s.run.startedAt;
}

// ---------------------------------------------------------------------------------------------
// Reducer

function clampScroll(s: TuiState): TuiState {
  const rows = visibleRows(s);
  const cap = listCapacity(s);
  const i = selectedIndex(s);
  let scroll = Math.min(s.scroll, Math.max(0, rows.length - cap));
  if (i < scroll) scroll = i;
  if (i >= scroll + cap) scroll = i - cap + 1;
  scroll = Math.max(0, scroll);
  return scroll === s.scroll ? s : { ...s, scroll };
}

/** Drop a notice that only said "busy": the run or provision it waited for has ended. */
function idle(s: TuiState): TuiState {
  return s.noticeUntilIdle ? { ...s, notice: undefined, noticeUntilIdle: false } : s;
}

function updateRow(s: TuiState, id: string, f: (r: RuleRow) => RuleRow): TuiState {
  let found = false;
  const rows = s.rows.map((r) => {
    if (r.id !== id) return r;
    found = true;
    return f(r);
  });
  if (!found) rows.push(f({ id, title: id, status: 'pending', message: '' }));
  return { ...s, rows };
}

function resultRow(r: RuleRow, result: RuleResult): RuleRow {
  return { ...r, title: result.title || r.title, status: result.status, message: result.message, result };
}

function provisionReduce(p: ProvisionState, e: SessionEvent): ProvisionState {
  switch (e.type) {
    case 'provision-planning':
      return { phase: 'planning', steps: [], log: [] };
    case 'provision-plan':
      return {
        ...p,
        phase: 'confirm',
        plan: e.plan,
        steps: e.plan.steps.map((st) => ({ id: st.id, title: st.title, state: 'pending' as const })),
      };
    case 'provision-step': {
      const phase = p.phase === 'confirm' || p.phase === 'planning' ? 'applying' : p.phase;
      const exists = p.steps.some((st) => st.id === e.stepId);
      const steps = exists
        ? p.steps.map((st) =>
            st.id === e.stepId ? { ...st, state: e.state, title: e.title ?? st.title, ...(e.note !== undefined ? { note: e.note } : {}) } : st,
          )
        : [...p.steps, { id: e.stepId, title: e.title ?? e.stepId, state: e.state, ...(e.note !== undefined ? { note: e.note } : {}) }];
      // a guided prompt stays visible (with its verified line) until the next guided step starts
      return { ...p, phase, steps };
    }
    case 'provision-guided':
      return { ...p, phase: 'applying', guided: { ...e.prompt } };
    case 'provision-verified':
      return p.guided && p.guided.stepId === e.stepId ? { ...p, guided: { ...p.guided, verified: e.message } } : p;
    case 'provision-note':
      return provisionReduce(p, { type: 'provision-log', stage: 'note', lines: [e.message] });
    case 'provision-log': {
      if (!e.lines.length) return p;
      const log = p.log.slice();
      const last = log[log.length - 1];
      if (last && last.stage === e.stage) log[log.length - 1] = { stage: last.stage, lines: [...last.lines, ...e.lines] };
      else log.push({ stage: e.stage, lines: [...e.lines] });
      // bound memory: drop the oldest lines
      let total = log.reduce((n, g) => n + g.lines.length, 0);
      while (total > MAX_LOG_LINES && log.length) {
        const first = log[0]!;
        const drop = Math.min(first.lines.length, total - MAX_LOG_LINES);
        if (drop >= first.lines.length) log.shift();
        else log[0] = { stage: first.stage, lines: first.lines.slice(drop) };
        total -= drop;
      }
      return { ...p, phase: 'applying', log };
    }
    case 'provision-build':
      return { ...p, buildStatus: e.status, ...(e.buildId ? { buildId: e.buildId } : {}) };
    case 'provision-finish':
      return { ...p, phase: e.ok ? 'done' : 'failed', message: e.message };
    case 'provision-cancelled':
      return { ...p, phase: 'cancelled', message: e.message };
    default:
      return p;
  }
}

export function reduce(s: TuiState, a: Action): TuiState {
  switch (a.type) {
    // --- collection ------------------------------------------------------------------------
    case 'collect-start': {
      const rows = s.rows.map((r) => (a.scope === 'all' || r.id === a.scope ? { ...r, status: 'pending' as const, message: '' } : r));
      return {
        ...s,
        rows,
        run: { phase: 'collecting', scope: a.scope, steps: [], ...(a.at !== undefined ? { startedAt: a.at } : {}) },
        notice: undefined,
      };
    }
    case 'collect-step': {
      const steps = s.run.steps.filter((st) => st.id !== a.step.id);
      steps.push(a.step);
      return { ...s, run: { ...s.run, steps: steps.slice(-MAX_STEPS) } };
    }
    case 'collect-finish':
      return { ...s, run: { ...s.run, phase: 'evaluating' } };
    case 'collect-error':
      return {
        ...idle(s),
        run: { ...s.run, phase: 'failed', error: a.message, ...(a.at !== undefined ? { finishedAt: a.at } : {}) },
        rows: s.rows.map((r) => (r.status === 'pending' || r.status === 'running' ? { ...r, status: r.result?.status ?? 'pending' } : r)),
      };

    // --- engine ----------------------------------------------------------------------------
    case 'run-start': {
      let n = s;
      for (const id of a.ruleIds) n = updateRow(n, id, (r) => ({ ...r, status: 'pending' }));
      return { ...n, run: { ...n.run, phase: 'evaluating' } };
    }
    case 'rule-start':
      return updateRow(s, a.ruleId, (r) => ({ ...r, status: 'running' }));
    case 'rule-finish':
      return updateRow(s, a.result.ruleId, (r) => resultRow(r, a.result));
    case 'run-finish':
      return s; // a partial report (single-rule re-run); the session follows with run-complete
    case 'run-complete': {
      let n: TuiState = { ...idle(s), report: a.report };
      for (const res of a.report.results) n = updateRow(n, res.ruleId, (r) => resultRow(r, res));
      // rules the report does not contain (deselected) are not pending any more
      n = { ...n, rows: n.rows.map((r) => (r.status === 'pending' || r.status === 'running' ? { ...r, status: 'skip', message: 'not run' } : r)) };
      return clampScroll({ ...n, run: { ...n.run, phase: 'done', ...(a.at !== undefined ? { finishedAt: a.at } : {}) } });
    }

    // --- provision ---------------------------------------------------------------------------
    case 'provision-planning':
    case 'provision-plan':
    case 'provision-step':
    case 'provision-guided':
    case 'provision-verified':
    case 'provision-log':
    case 'provision-note':
    case 'provision-build':
    case 'provision-finish':
    case 'provision-cancelled': {
      const provision = provisionReduce(s.provision, a);
      const view = a.type === 'provision-planning' ? 'provision' : a.type === 'provision-cancelled' ? 'list' : s.view;
      const auto = a.type === 'provision-planning' || a.type === 'provision-plan' || (a.type === 'provision-step' && s.provision.phase === 'confirm');
      // the end of provision: nothing is left to lose by quitting, and a "busy" notice is stale
      const ended = a.type === 'provision-finish' || a.type === 'provision-cancelled' || a.type === 'provision-plan';
      let base = ended ? { ...idle(s), quitPending: false } : s;
      // a step verified by re-running its rule (the link): the list shows that result at once
      if (a.type === 'provision-verified' && a.results) for (const res of a.results) base = updateRow(base, res.ruleId, (r) => resultRow(r, res));
      return {
        ...base,
        provision,
        view,
        notice: a.type === 'provision-cancelled' ? a.message : base.notice,
        ...(auto ? { provisionScroll: undefined } : {}),
      };
    }

    // --- UI -----------------------------------------------------------------------------------
    case 'move': {
      if (s.view !== 'list') return s;
      const rows = visibleRows(s);
      if (!rows.length) return s;
      const i = Math.max(0, Math.min(rows.length - 1, selectedIndex(s) + a.delta));
      return clampScroll({ ...s, selected: rows[i]!.id, notice: undefined });
    }
    case 'open': {
      const row = selectedRow(s);
      if (!row) return s;
      return { ...s, selected: row.id, view: 'detail', previousView: 'list', detailScroll: 0, notice: undefined };
    }
    case 'back':
      if (s.view === 'help') return { ...s, view: s.previousView };
      if (s.view === 'detail' || s.view === 'provision') return clampScroll({ ...s, view: 'list', notice: undefined });
      return { ...s, notice: undefined };
    case 'toggle-filter': {
      const n = { ...s, filter: !s.filter, scroll: 0 };
      // keep the selection on a visible row
      const rows = visibleRows(n);
      const selected = rows.some((r) => r.id === s.selected) ? s.selected : rows[0]?.id ?? s.selected;
      return clampScroll({ ...n, selected, notice: n.filter && !rows.length ? 'no failing rules — f shows all' : undefined });
    }
    case 'toggle-help':
      if (s.view === 'help') return { ...s, view: s.previousView };
      return { ...s, view: 'help', previousView: s.view };
    case 'scroll-detail':
      return { ...s, detailScroll: Math.max(0, Math.min(a.max, s.detailScroll + a.delta)) };
    case 'scroll-provision': {
      const next = Math.max(0, Math.min(a.max, a.from + a.delta));
      // scrolling back to the end returns to following the newest lines
      return { ...s, provisionScroll: next >= a.max && s.provision.phase !== 'confirm' ? undefined : next };
    }
    case 'show-provision':
      return { ...s, view: 'provision', notice: undefined };
    case 'notice':
      return { ...s, notice: a.text, noticeUntilIdle: false };
    case 'busy': {
      const text = provisionBusy(s)
        ? 'provision is running — wait until it has finished (p shows it; the checks re-run then)'
        : 'busy — wait for the current run to finish';
      return { ...s, notice: text, noticeUntilIdle: true };
    }
    case 'ask-quit':
      return { ...s, quitPending: true };
    case 'cancel-quit':
      return { ...s, quitPending: false };
    case 'resize':
      return clampScroll({ ...s, width: a.width, height: a.height });
    default:
      return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Keys -> intents. `KeyLike` is the part of ink's Key we read (so this file needs no ink).

export interface KeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

export type Intent =
  | { kind: 'ui'; action: UiAction }
  | { kind: 'rerun'; ruleId?: string }
  | { kind: 'quit' }
  | { kind: 'interrupt' }
  | { kind: 'provision-start' }
  | { kind: 'provision-confirm' }
  | { kind: 'provision-decline' };

const ui = (action: UiAction): Intent => ({ kind: 'ui', action });

/**
 * What a key press means in the current state. `detailMax` is how far the detail view can scroll
 * (the view knows its rendered height). Returns undefined for keys that do nothing here.
 */
export function keyIntent(
  s: TuiState,
  input: string,
  key: KeyLike,
  ctx: { detailMax?: number; page?: number; provisionMax?: number; provisionAt?: number } = {},
): Intent | undefined {
  if (key.ctrl && input === 'c') return { kind: 'interrupt' };
  // q while provision applies asks first: the next q / y quits, any other key stays
  if (s.quitPending) return input === 'q' || input === 'y' || input === 'Y' ? { kind: 'quit' } : ui({ type: 'cancel-quit' });
  const quit = (): Intent => (s.provision.phase === 'applying' ? ui({ type: 'ask-quit' }) : { kind: 'quit' });
  // `p` re-opens a plan, a running provision or its last result; planning again is `p` on that page
  const provisionKey = (): Intent => (provisionHasPage(s) ? ui({ type: 'show-provision' }) : { kind: 'provision-start' });
  if (s.view === 'help') return input === 'q' ? quit() : ui({ type: 'toggle-help' });
  const page = Math.max(1, ctx.page ?? listCapacity(s) - 1);
  const scrollProvision = (): Intent | undefined => {
    const max = ctx.provisionMax ?? 0;
    const from = ctx.provisionAt ?? 0;
    if (key.upArrow || input === 'k') return ui({ type: 'scroll-provision', delta: -1, max, from });
    if (key.downArrow || input === 'j') return ui({ type: 'scroll-provision', delta: 1, max, from });
    if (key.pageUp) return ui({ type: 'scroll-provision', delta: -page, max, from });
    if (key.pageDown) return ui({ type: 'scroll-provision', delta: page, max, from });
    return undefined;
  };

  if (s.view === 'provision' && s.provision.phase === 'confirm') {
    if (input === 'y' || input === 'Y') return { kind: 'provision-confirm' };
    if (input === 'n' || input === 'N' || key.escape) return { kind: 'provision-decline' };
    if (input === 'q') return quit();
    return scrollProvision();
  }

  if (input === 'q') return quit();
  if (input === '?') return ui({ type: 'toggle-help' });
  const back = key.escape || key.backspace || key.delete;

  if (s.view === 'detail') {
    if (back) return ui({ type: 'back' });
    const max = ctx.detailMax ?? 0;
    if (key.upArrow || input === 'k') return ui({ type: 'scroll-detail', delta: -1, max });
    if (key.downArrow || input === 'j') return ui({ type: 'scroll-detail', delta: 1, max });
    if (key.pageUp) return ui({ type: 'scroll-detail', delta: -page, max });
    if (key.pageDown) return ui({ type: 'scroll-detail', delta: page, max });
    if (key.home || input === 'g') return ui({ type: 'scroll-detail', delta: -Infinity, max });
    if (key.end || input === 'G') return ui({ type: 'scroll-detail', delta: Infinity, max });
    if (input === 'r') return s.selected ? { kind: 'rerun', ruleId: s.selected } : undefined;
    if (input === 'R') return { kind: 'rerun' };
    if (input === 'p') return provisionKey();
    return undefined;
  }

  if (s.view === 'provision') {
    if (back) return ui({ type: 'back' });
    if (input === 'p' && !provisionBusy(s)) return { kind: 'provision-start' };
    return scrollProvision();
  }

  // list
  if (key.upArrow || input === 'k') return ui({ type: 'move', delta: -1 });
  if (key.downArrow || input === 'j') return ui({ type: 'move', delta: 1 });
  if (key.pageUp) return ui({ type: 'move', delta: -page });
  if (key.pageDown) return ui({ type: 'move', delta: page });
  if (key.home || input === 'g') return ui({ type: 'move', delta: -Infinity });
  if (key.end || input === 'G') return ui({ type: 'move', delta: Infinity });
  if (key.return) return ui({ type: 'open' });
  if (back) return ui({ type: 'back' });
  if (input === 'f') return ui({ type: 'toggle-filter' });
  if (input === 'r') return s.selected ? { kind: 'rerun', ruleId: s.selected } : undefined;
  if (input === 'R') return { kind: 'rerun' };
  if (input === 'p') return provisionKey();
  return undefined;
}

/** A key press as one character: what `keyIntent` reads. */
export interface KeyPress {
  input: string;
  key: KeyLike;
}

const NAMED_KEYS: (keyof KeyLike)[] = ['upArrow', 'downArrow', 'pageUp', 'pageDown', 'home', 'end', 'return', 'escape', 'backspace', 'delete', 'ctrl'];

/**
 * One key press per character. Keys that arrive together (tmux send-keys j j j, a paste, key repeat,
 * a slow SSH link) reach ink's useInput as one string ("jjj"); the key map reads single characters.
 * Named keys (arrows, Enter, Esc, Ctrl-C) come on their own and pass through unchanged; control
 * characters inside a run become the key they are (Enter, Backspace, Ctrl-C).
 */
export function splitKeys(input: string, key: KeyLike): KeyPress[] {
  const chars = Array.from(input);
  if (chars.length <= 1 || NAMED_KEYS.some((k) => key[k])) return [{ input, key }];
  const out: KeyPress[] = [];
  for (const c of chars) {
    if (c === '\r' || c === '\n') out.push({ input: '', key: { return: true } });
    else if (c === '\x7f' || c === '\b') out.push({ input: '', key: { backspace: true } });
    else if (c === '\x03') out.push({ input: 'c', key: { ctrl: true } });
    else if (c === '\x1b') out.push({ input: '', key: { escape: true } });
    else if (c >= ' ') out.push({ input: c, key: {} });
  }
  return out;
}

export const KEY_HELP: [string, string][] = [
  ['↑/↓  j/k', 'move (scroll in a rule\'s detail)'],
  ['PgUp/PgDn g/G', 'page, first, last'],
  ['Enter', 'open the selected rule: evidence, path, fix, docs'],
  ['Esc  Backspace', 'back'],
  ['r', 're-run the selected rule (collects its facts again)'],
  ['R', 're-run every rule'],
  ['f', 'show only non-passing rules / show all'],
  ['p', 'provision: link → bind → build (when the checks pass); shows a running or finished provision'],
  ['p (on its page)', 'plan provision again'],
  ['y / n', 'confirm / decline the provision plan'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit (Ctrl-C exits 130); while provision applies, q asks first'],
];
