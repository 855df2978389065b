// Provision for the TUI: a ProvisionDriver (types.ts) over the same prepare/apply.
// The TUI shows the plan, asks y/n itself, and a person is at the keyboard (guided steps wait).
// Pending journal operations are reconciled (looked up, never retried) as --resume does; the
// plan's notes say so.
import { applyPlan, prepare, type Prepared } from './apply.js';
import { DEFAULT_OPTIONS, makeRuntime, type ProvisionDeps, type ProvisionOptions, type ProvisionRuntime } from './context.js';
import { planView } from './plan.js';
import type { ProvisionDriver, ProvisionEvent } from './types.js';
import { targetOf } from './target.js';

export function makeProvisionDriver(deps: ProvisionDeps & { cwd: string; options?: Partial<ProvisionOptions> }): ProvisionDriver {
  const target = targetOf(deps.config);
  const options: ProvisionOptions = { ...DEFAULT_OPTIONS, canWait: true, ...deps.options };
  let prepared: Prepared | undefined;
  const runtime = (signal: AbortSignal, emit: (e: ProvisionEvent) => void): ProvisionRuntime => makeRuntime(deps, { cwd: deps.cwd, target, signal, options, emit });
  return {
    async plan({ signal }) {
      const rt = runtime(signal, () => {});
      prepared = await prepare(rt, { resume: true });
      return planView(prepared.plan);
    },
    async apply({ signal, emit }) {
      if (!prepared) return { ok: false, message: 'no plan: make one first' };
      const rt = runtime(signal, (e) => {
        // the session emits its own provision-finish once apply returns
        if (e.type !== 'provision-finish') emit(e);
        deps.onEvent?.(e);
      });
      const res = await applyPlan(rt, prepared);
      prepared = undefined;
      return { ok: res.ok, message: res.message };
    },
  };
}
