// Provision for the TUI: the ProvisionDriver of src/tui/session.ts over the same prepare/apply.
// The TUI shows the plan, asks y/n itself, and a person is at the keyboard (guided steps wait).
// Pending journal operations are reconciled (looked up, never retried) as --resume does; the
// plan's notes say so.
import type { ProvisionDriver } from '../tui/session.js';
import type { ProvisionEvent as TuiProvisionEvent } from '../tui/events.js';
import { applyPlan, prepare, type Prepared } from './apply.js';
import type { ProvisionDeps } from './command.js';
import { targetOf } from './command.js';
import { DEFAULT_OPTIONS, type ProvisionOptions, type ProvisionRuntime } from './context.js';
import { openJournal } from './journal-scope.js';
import { planView } from './plan.js';
import type { ProvisionEvent } from './types.js';
import { sleep } from './util.js';

/** The TUI's event for ours; `provision-finish` is the session's own (it emits one after apply). */
export function toTuiEvent(e: ProvisionEvent): TuiProvisionEvent | undefined {
  if (e.type === 'provision-finish') return undefined;
  if (e.type === 'provision-note') return { type: 'provision-log', stage: 'note', lines: [e.message] };
  return e;
}

export function makeProvisionDriver(deps: ProvisionDeps & { cwd: string; options?: Partial<ProvisionOptions> }): ProvisionDriver {
  const target = targetOf(deps.config);
  const options: ProvisionOptions = { ...DEFAULT_OPTIONS, canWait: true, ...deps.options };
  let prepared: Prepared | undefined;
  const runtime = async (signal: AbortSignal, emit: (e: ProvisionEvent) => void): Promise<ProvisionRuntime> => ({
    api: deps.api,
    config: deps.config,
    target,
    // read afresh for each plan and apply (another process may have written it meanwhile)
    journal: await openJournal(deps.cwd, target, deps.api),
    signal,
    options,
    emit,
    check: (o) => deps.check(o),
    sleep,
    now: deps.now ?? (() => Date.now()),
  });
  return {
    async plan({ signal }) {
      const rt = await runtime(signal, () => {});
      prepared = await prepare(rt, { resume: true });
      return planView(prepared.plan);
    },
    async apply({ signal, emit }) {
      if (!prepared) return { ok: false, message: 'no plan: make one first' };
      const rt = await runtime(signal, (e) => {
        const t = toTuiEvent(e);
        if (t) emit(t);
        deps.onEvent?.(e);
      });
      const res = await applyPlan(rt, prepared);
      prepared = undefined;
      return { ok: res.ok, message: res.message };
    },
  };
}
