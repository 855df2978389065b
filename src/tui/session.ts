// The TUI's controller: runs collection + rules and provision, and turns all of it into one stream
// of SessionEvents for the reducer. No ink, no React. The CLI builds a CheckSource over the live
// collector (live-source.ts); tests build one over a fact snapshot.
import type { FailOn } from '../engine/verdict.js';
import type { WaiverConfig } from '../config/types.js';
import type { EngineEvent, Report, Rule, ZoneTable } from '../engine/types.js';
import { runRules } from '../engine/runner.js';
import type { Facts } from '../facts/types.js';
import { PreflightError } from '../errors.js';
import { ruleDocs } from '../paths.js';
import type { ProvisionDriver, ProvisionEvent } from '../provision/types.js';
import type { CollectStep, SessionEvent } from './events.js';

export type { ProvisionDriver } from '../provision/types.js';
import { mergeReport } from './merge.js';

export interface CheckSource {
  rules: readonly { id: string; title: string }[];
  /** gather the facts, reporting each API round / probe as it starts and ends */
  collect(opts: { signal: AbortSignal; onStep: (step: CollectStep) => void }): Promise<Facts>;
  /** run the rules over the facts (only: --only semantics) */
  evaluate(facts: Facts, opts: { only?: string[]; onEvent: (e: EngineEvent) => void }): Report;
  /** the rule's docs (rules/<id>.md) */
  docs(ruleId: string): string | undefined;
  provision?: ProvisionDriver;
}

/** A CheckSource over a collector function and the rule registry. */
export function makeSource(opts: {
  rules: readonly Rule[];
  collect: CheckSource['collect'];
  waivers?: WaiverConfig[];
  failOn?: FailOn;
  now?: () => Date;
  /** the zone table (default: rules/data, with the config's additions applied by the engine) */
  zones?: ZoneTable;
  provision?: ProvisionDriver;
  docs?: (ruleId: string) => string | undefined;
}): CheckSource {
  return {
    rules: opts.rules.map((r) => ({ id: r.id, title: r.title })),
    collect: opts.collect,
    evaluate: (facts, { only, onEvent }) =>
      runRules(facts, {
        rules: opts.rules,
        ...(only ? { only } : {}),
        ...(opts.waivers ? { waivers: opts.waivers } : {}),
        ...(opts.failOn ? { failOn: opts.failOn } : {}),
        ...(opts.now ? { now: opts.now() } : {}),
        ...(opts.zones ? { zones: opts.zones } : {}),
        onEvent,
      }),
    docs: opts.docs ?? ruleDocs,
    ...(opts.provision ? { provision: opts.provision } : {}),
  };
}

export function errorLine(err: unknown): string {
  if (err instanceof PreflightError) return err.line();
  const e = err as { message?: string };
  return (e?.message ?? String(err)).split('\n')[0]!;
}

export type Listener = (e: SessionEvent) => void;

/** How far an apply had got: the build it follows, the step under way. */
export interface ApplyProgress {
  step?: string;
  buildId?: string;
  buildStatus?: string;
}

const BUILD_ENDED = /^(SUCCESS|FAILED|CANCELED|CANCELLED)$/i;

/**
 * The one line left on stderr when the TUI closes while provision applies: a build goes on in ACR,
 * and the journal holds the pending step, so `provision --resume` re-attaches instead of starting over.
 */
export function interruptedNote(p: ApplyProgress): string {
  const resume = '`acr-preflight provision --resume` re-attaches';
  if (p.buildId && !BUILD_ENDED.test(p.buildStatus ?? '')) {
    return `acr-preflight: quit while provision was applying — build ${p.buildId} is still running in ACR; ${resume}`;
  }
  return `acr-preflight: quit while provision was applying${p.step ? ` (${p.step})` : ''}; ${resume} and goes on from there`;
}

export class TuiSession {
  private readonly listeners = new Set<Listener>();
  private readonly life = new AbortController();
  private runAbort?: AbortController;
  private provisionAbort?: AbortController;
  private lastReport?: Report;
  private running = false;
  private provisioning = false;
  private planned = false;
  /** set while apply runs */
  private applying?: ApplyProgress;
  /** what apply had reached when close() stopped it */
  private interrupted?: ApplyProgress;

  constructor(
    readonly source: CheckSource,
    private readonly clock: () => number = Date.now,
  ) {}

  get report(): Report | undefined {
    return this.lastReport;
  }

  get busy(): boolean {
    return this.running || this.provisioning;
  }

  /** The line to print on exit when close() stopped a provision that was applying (else undefined). */
  get interruptedNote(): string | undefined {
    return this.interrupted ? interruptedNote(this.interrupted) : undefined;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: SessionEvent): void {
    const stamped = { ...e, at: e.at ?? this.clock() } as SessionEvent;
    for (const fn of this.listeners) fn(stamped);
  }

  /** Collect and run every rule, or (ruleId) collect again and re-run just that rule. */
  async runChecks(ruleId?: string): Promise<Report | undefined> {
    if (this.running || this.provisioning || this.life.signal.aborted) return undefined;
    this.running = true;
    const ac = new AbortController();
    this.runAbort = ac;
    const onLife = () => ac.abort(this.life.signal.reason);
    this.life.signal.addEventListener('abort', onLife, { once: true });
    const scope = ruleId ?? 'all';
    try {
      this.emit({ type: 'collect-start', scope });
      let facts: Facts;
      try {
        facts = await this.source.collect({ signal: ac.signal, onStep: (step) => this.emit({ type: 'collect-step', step }) });
      } catch (err) {
        this.emit({ type: 'collect-error', message: errorLine(err) });
        return undefined;
      }
      if (ac.signal.aborted) {
        this.emit({ type: 'collect-error', message: 'interrupted' });
        return undefined;
      }
      this.emit({ type: 'collect-finish' });
      let partial: Report;
      try {
        partial = this.source.evaluate(facts, { ...(ruleId ? { only: [ruleId] } : {}), onEvent: (e) => this.emit(e) });
      } catch (err) {
        this.emit({ type: 'collect-error', message: errorLine(err) });
        return undefined;
      }
      const report = ruleId ? mergeReport(this.lastReport, partial, [ruleId]) : partial;
      this.lastReport = report;
      this.emit({ type: 'run-complete', report, scope });
      return report;
    } finally {
      this.life.signal.removeEventListener('abort', onLife);
      this.running = false;
      this.runAbort = undefined;
    }
  }

  /** Make the provision plan and show it for confirmation. Callers check the gate first. */
  async planProvision(): Promise<void> {
    const driver = this.source.provision;
    if (!driver || !this.lastReport || this.running || this.provisioning) return;
    this.provisioning = true;
    const ac = new AbortController();
    this.provisionAbort = ac;
    const onLife = () => ac.abort(this.life.signal.reason);
    this.life.signal.addEventListener('abort', onLife, { once: true });
    try {
      this.emit({ type: 'provision-planning' });
      const plan = await driver.plan({ signal: ac.signal, report: this.lastReport });
      this.planned = true;
      this.emit({ type: 'provision-plan', plan });
    } catch (err) {
      this.emit({ type: 'provision-finish', ok: false, message: `planning failed: ${errorLine(err)}` });
    } finally {
      this.life.signal.removeEventListener('abort', onLife);
      this.provisioning = false;
    }
  }

  declineProvision(): void {
    if (!this.planned || this.provisioning) return;
    this.planned = false;
    this.emit({ type: 'provision-cancelled', message: 'provision not confirmed — nothing was changed' });
  }

  /**
   * Apply the confirmed plan; resolves when provision has finished (or failed) and the checks have
   * run again, so the rule list shows what provision changed (the link, the binding).
   */
  async applyProvision(): Promise<boolean> {
    const driver = this.source.provision;
    if (!driver || !this.planned || this.provisioning || this.running) return false;
    this.planned = false;
    this.provisioning = true;
    const progress: ApplyProgress = {};
    this.applying = progress;
    const ac = new AbortController();
    this.provisionAbort = ac;
    const onLife = () => ac.abort(this.life.signal.reason);
    this.life.signal.addEventListener('abort', onLife, { once: true });
    const emit = (e: ProvisionEvent) => {
      if (e.type === 'provision-build') {
        progress.buildStatus = e.status;
        if (e.buildId) progress.buildId = e.buildId;
      } else if (e.type === 'provision-step' && (e.state === 'running' || e.state === 'waiting')) {
        progress.step = e.title ?? e.stepId;
      }
      this.emit(e);
    };
    let ok = false;
    try {
      const r = await driver.apply({ signal: ac.signal, emit });
      ok = r.ok;
      this.emit({ type: 'provision-finish', ok: r.ok, message: r.message });
    } catch (err) {
      this.emit({ type: 'provision-finish', ok: false, message: errorLine(err) });
    } finally {
      this.life.signal.removeEventListener('abort', onLife);
      this.provisioning = false;
      this.provisionAbort = undefined;
      this.applying = undefined;
    }
    // provision changed the world (also when it failed half-way): check it again, like R
    await this.runChecks();
    return ok;
  }

  /** Stop everything in flight (quit, Ctrl-C). */
  close(reason: unknown = new Error('closed')): void {
    if (this.applying && !this.interrupted) this.interrupted = { ...this.applying };
    if (!this.life.signal.aborted) this.life.abort(reason);
    this.runAbort?.abort(reason);
    this.provisionAbort?.abort(reason);
  }
}
