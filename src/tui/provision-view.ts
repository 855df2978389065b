// The provision page as terminal rows (pure): the plan to confirm, the steps, the guided prompt
// with the values to paste, the build log by stage, the result.
import type { ProvisionStepState } from './events.js';
import { truncate, wrap, type Line, type Tone } from './format.js';
import type { ProvisionState } from './state.js';

const STEP_MARK: Record<ProvisionStepState, [string, Tone]> = {
  pending: ['·', 'dim'],
  running: ['>', 'plain'],
  waiting: ['…', 'warn'],
  done: ['✓', 'ok'],
  failed: ['✗', 'bad'],
  skipped: ['-', 'dim'],
};

/** `spin` is the spinner frame for things in progress (a fixed character without animation). */
export function provisionLines(p: ProvisionState, width: number, spin: string): Line[] {
  const out: Line[] = [];
  const title = {
    idle: 'not started',
    planning: 'planning',
    confirm: 'confirm the plan',
    applying: 'applying',
    done: 'done',
    failed: 'failed',
    cancelled: 'cancelled',
  }[p.phase];
  out.push({ text: truncate(`Provision: link → bind → build   (${title})`, width), tone: 'heading', bold: true });

  if (p.phase === 'planning') {
    out.push({ text: `  ${spin} reading the current state and making the plan…` });
    return out;
  }

  if (p.plan && (p.phase === 'confirm' || p.phase === 'cancelled')) {
    out.push({ text: truncate(`  Plan for ${p.plan.target}`, width) });
    for (const n of p.plan.notes) for (const t of wrap(n, width, '  ')) out.push({ text: t, tone: 'dim' });
    p.plan.steps.forEach((st, i) => {
      const kind = st.kind === 'guided' ? 'you, in the console' : st.kind === 'api' ? 'API call' : st.kind === 'check' ? 'check' : 'nothing to do';
      out.push({ text: truncate(`  ${i + 1}. ${st.title}  [${kind}]`, width), bold: true });
      for (const d of st.detail) for (const t of wrap(d, width, '       ', '         ')) out.push({ text: t });
    });
    if (p.phase === 'confirm') {
      out.push({ text: '' }, { text: 'Apply this plan?  y = yes   n = no', tone: 'warn', bold: true });
    }
  }

  if (p.phase === 'applying' || p.phase === 'done' || p.phase === 'failed') {
    for (const st of p.steps) {
      const [mark, tone] = STEP_MARK[st.state];
      const m = st.state === 'running' || st.state === 'waiting' ? spin : mark;
      out.push({ text: truncate(`  ${m} ${st.title}${st.note ? ` — ${st.note}` : ''}`, width), tone });
    }
    const g = p.guided;
    const guidedStep = g ? p.steps.find((s) => s.id === g.stepId) : undefined;
    // the console box belongs to the run: gone once provision has finished, unless the person still
    // has the console step to do (it is what failed)
    if (g && (p.phase === 'applying' || (p.phase === 'failed' && guidedStep?.state === 'failed' && !g.verified))) {
      out.push({ text: '' }, { text: truncate(g.title, width), tone: 'heading', bold: true });
      // what was found is context, not a step to do
      for (const st of g.status ?? []) for (const t of wrap(st, width, '  ', '  ')) out.push({ text: t, tone: 'dim' });
      g.instructions.forEach((ins, i) => {
        for (const t of wrap(ins, width, `  ${i + 1}. `, '     ')) out.push({ text: t });
      });
      if (g.values.length) {
        out.push({ text: '  Values to paste:', tone: 'dim' });
        const w = Math.min(24, Math.max(...g.values.map((v) => v.label.length)));
        // long values wrap under their value column (never cut: they are read and pasted)
        for (const v of g.values) for (const t of wrap(v.value, width, `    ${v.label.padEnd(w)}  `, ' '.repeat(w + 6))) out.push({ text: t, tone: 'code' });
      }
      if (g.verified) out.push({ text: truncate(`  ✓ verified: ${g.verified}`, width), tone: 'ok' });
      else if (guidedStep?.state !== 'failed' && p.phase === 'applying') {
        out.push({ text: truncate(`  ${spin} waiting for it to appear (checked through the API)…`, width), tone: 'warn' });
      }
    }
    if (p.log.length || p.buildStatus) {
      out.push({ text: '' }, { text: truncate(`Build log${p.buildId ? ` ${p.buildId}` : ''}${p.buildStatus ? `   status ${p.buildStatus}` : ''}`, width), tone: 'heading', bold: true });
      for (const g2 of p.log) {
        out.push({ text: truncate(`  [${g2.stage}]`, width), bold: true });
        for (const l of g2.lines) for (const t of wrap(l, width, '    ', '      ')) out.push({ text: t });
      }
    }
  }

  if (p.message && (p.phase === 'done' || p.phase === 'failed' || p.phase === 'cancelled')) {
    const tone: Tone = p.phase === 'done' ? 'ok' : p.phase === 'failed' ? 'bad' : 'warn';
    const head = p.phase === 'done' ? 'SUCCESS' : p.phase === 'failed' ? 'FAILED' : 'CANCELLED';
    out.push({ text: '' });
    for (const t of wrap(`${head}: ${p.message}`, width, '')) out.push({ text: t, tone, bold: true });
  }
  return out;
}
