// `acr-preflight check`: collect facts from the cloud, GitLab and SSH hosts, run every rule, report.
import { RULE_IDS } from '../../rules/ids.js';
import { checkOnce, loadRules } from '../app/check.js';
import { reportContext } from '../report/types.js';
import type { CommandContext } from './context.js';
import { gateRunOptions, parseGateOptions } from './gate-options.js';
import { loadForCommand, progressPrinter } from './live.js';
import { loadReporters, parseOutputPlan, writeOutputs } from './output.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const gate = parseGateOptions(values, RULE_IDS);
  const targets = parseOutputPlan(values, io.cwd);
  const loaded = loadForCommand(ctx);
  const { report, facts } = await checkOnce(loaded, {
    env: io.env,
    noProbes: values['no-probes'] === true,
    signal: ctx.signal,
    onProgress: progressPrinter(io.stderr),
    gate: gateRunOptions(gate, loaded.config.waivers),
    // the reporters, and stdout (opened on first use), made ready while the answers are awaited
    prefetch: [() => loadReporters(targets), () => io.stdout],
    // --debug: every cloud call on stderr (action, outcome, time); parameters hold ids only, never secrets
    ...(ctx.debug ? { onCall: (c: { product: string; action: string; params: Record<string, unknown>; ok: boolean; code?: string; ms: number }) => io.stderr.write(`acr-preflight: debug: ${c.product}:${c.action} ${c.ok ? 'ok' : `failed ${c.code ?? ''}`} ${Math.round(c.ms)} ms ${JSON.stringify(c.params)}\n`) } : {}),
  });
  await writeOutputs(report, targets, { io, rules: await loadRules(), color: ctx.color, context: reportContext('check', facts), ...(loaded.file !== '<env>' ? { artifactUri: loaded.file } : {}) });
  return report.exitCode;
}
