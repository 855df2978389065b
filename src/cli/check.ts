// `acr-preflight check`: collect facts from the cloud, GitLab and SSH hosts, run every rule, report.
import { RULES } from '../../rules/index.js';
import { checkOnce } from '../app/check.js';
import type { CommandContext } from './context.js';
import { gateRunOptions, parseGateOptions } from './gate-options.js';
import { loadForCommand, progressPrinter } from './live.js';
import { parseOutputPlan, writeOutputs } from './output.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const gate = parseGateOptions(values, RULES.map((r) => r.id));
  const targets = parseOutputPlan(values, io.cwd);
  const loaded = loadForCommand(ctx);
  const { report } = await checkOnce(loaded, {
    env: io.env,
    noProbes: values['no-probes'] === true,
    signal: ctx.signal,
    onProgress: progressPrinter(io.stderr),
    gate: gateRunOptions(gate, loaded.config.waivers),
    // --debug: every cloud call on stderr (action, outcome, time); parameters hold ids only, never secrets
    ...(ctx.debug ? { onCall: (c: { product: string; action: string; params: Record<string, unknown>; ok: boolean; code?: string; ms: number }) => io.stderr.write(`acr-preflight: debug: ${c.product}:${c.action} ${c.ok ? 'ok' : `failed ${c.code ?? ''}`} ${Math.round(c.ms)} ms ${JSON.stringify(c.params)}\n`) } : {}),
  });
  writeOutputs(report, targets, { io, rules: RULES, color: ctx.color, ...(loaded.file !== '<env>' ? { artifactUri: loaded.file } : {}) });
  return report.exitCode;
}
