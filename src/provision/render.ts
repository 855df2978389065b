// Text for people (pure): progress lines for the events apply emits (stderr), the done/not-done
// summary, and the JSON result (`--format json`, stdout).
import type { ApplyResult } from './apply.js';
import type { Plan, ProvisionEvent, StepOutcome } from './types.js';

export interface EventRenderer {
  /** lines for one event ("" = nothing to show) */
  (e: ProvisionEvent): string[];
}

const MARK: Record<string, string> = { running: '▸', waiting: '…', done: '✔', failed: '✖', skipped: '-', pending: ' ' };

/** A stateful renderer: groups log lines under their stage header once. */
export function eventRenderer(opts: { ascii?: boolean } = {}): EventRenderer {
  let stage: string | undefined;
  let build: string | undefined;
  /** steps whose verification was printed: their "done" note would say it again */
  const verified = new Set<string>();
  const m = (k: string) => (opts.ascii ? ({ running: '>', waiting: '...', done: 'ok', failed: 'x' } as Record<string, string>)[k] ?? k : MARK[k] ?? k);
  return (e) => {
    switch (e.type) {
      case 'provision-step':
        if (e.state === 'running') return [`${m('running')} ${e.title ?? e.stepId}`];
        if (e.state === 'done') return e.note && !verified.has(e.stepId) ? [`  ${m('done')} ${e.note}`] : [];
        if (e.state === 'waiting') return [`  ${m('waiting')} ${e.note ?? 'waiting'}`];
        if (e.state === 'failed') return [`  ${m('failed')} ${e.note ?? 'failed'}`];
        return [];
      case 'provision-guided': {
        const p = e.prompt;
        const width = Math.max(...p.values.map((v) => v.label.length));
        // what to do, the values to enter, then how long it waits
        const waiting = p.instructions.filter((i) => /^Waiting\b/.test(i));
        return [
          '',
          `  ┌ ${p.title}`,
          ...p.instructions.filter((i) => !waiting.includes(i)).map((i) => `  │ ${i}`),
          ...p.values.map((v) => `  │   ${v.label.padEnd(width)}  ${v.value}`),
          ...waiting.map((i) => `  │ ${i}`),
          '  └',
        ];
      }
      case 'provision-verified':
        verified.add(e.stepId);
        return [`  ${m('done')} ${e.message}`];
      case 'provision-log': {
        const out: string[] = [];
        if (e.stage !== stage) {
          stage = e.stage;
          out.push(`  [${e.stage || 'LOG'}]`);
        }
        for (const l of e.lines) out.push(`    ${l}`);
        return out;
      }
      case 'provision-build':
        // a status line between log lines of the same build does not start a new stage
        if (e.buildId !== build) stage = undefined;
        build = e.buildId;
        return [`  build ${e.buildId ?? ''}: ${e.status}`];
      case 'provision-note':
        return [`  ${e.message}`];
      case 'provision-finish':
      case 'provision-planning':
      case 'provision-plan':
      case 'provision-cancelled':
        // the summary and the plan text say these; the TUI shows them itself
        return [];
    }
  };
}

const STATE_LABEL: Record<StepOutcome['state'], string> = {
  done: 'done now',
  already: 'already done',
  failed: 'FAILED',
  'not-done': 'not done',
  skipped: 'skipped',
};

export function renderSummary(result: ApplyResult): string {
  const w = Math.max(...result.outcomes.map((o) => o.id.length));
  const lines = ['', `Provision ${result.ok ? 'succeeded' : 'did not finish'}: ${result.message}`];
  for (const o of result.outcomes) lines.push(`  ${o.id.padEnd(w)}  ${STATE_LABEL[o.state].padEnd(12)}  ${o.detail}`);
  return lines.join('\n') + '\n';
}

export const RESULT_SCHEMA = 1;

export function renderResultJson(plan: Plan, result: ApplyResult | undefined, extra: { planOnly?: boolean; refused?: string } = {}): string {
  return (
    JSON.stringify(
      {
        schemaVersion: RESULT_SCHEMA,
        kind: 'acr-preflight-provision',
        ok: result ? result.ok : !extra.refused,
        exitCode: result?.exitCode ?? (extra.refused ? 1 : 0),
        message: result?.message ?? extra.refused ?? (extra.planOnly ? 'plan only: nothing written' : ''),
        ...(result?.error ? { error: { code: result.error.code, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) } } : {}),
        plan,
        steps: result?.outcomes ?? [],
        builds: result?.builds ?? [],
        ...(result?.recheck ? { networkRecheck: result.recheck } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
