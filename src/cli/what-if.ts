// `acr-preflight what-if (bundle.json | -c preflight.yaml) --patch changes.yaml`: a proposed change,
// proven offline. The changes (the same vocabulary as the fixes the rules offer) are applied to the
// facts of a support bundle or of a fresh collection, every rule runs before and after, and the
// difference is printed. Exit 0 when the gate passes afterwards, 1 while it still fails, 3 when
// still incomplete, 2 for a bad patch file or a change that names something the facts do not have.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { parsePatchFile } from '../config/patch-file.js';
import type { WaiverConfig } from '../config/types.js';
import { applyPatches, PatchError, type FactPatch } from '../engine/fixes.js';
import { runRules } from '../engine/runner.js';
import type { Report, Status } from '../engine/types.js';
import { InputError, UsageError } from '../errors.js';
import type { Facts } from '../facts/types.js';
import { loadSnapshot } from './analyze.js';
import type { CommandContext } from './context.js';
import { gateRunOptions, parseGateOptions } from './gate-options.js';
import { collectOnce } from '../app/check.js';
import { loadForCommand, progressPrinter } from './live.js';

export interface WhatIf {
  source: string;
  changes: FactPatch[];
  before: Pick<Report, 'verdict' | 'exitCode' | 'summary'>;
  after: Pick<Report, 'verdict' | 'exitCode' | 'summary'>;
  /** rules whose status changed, in rule order */
  changed: { ruleId: string; from: Status; to: Status; message: string }[];
}

const MAX_PATCH_BYTES = 1024 * 1024;

function readPatch(path: string, cwd: string): FactPatch[] {
  let text: string;
  try {
    const buf = readFileSync(resolve(cwd, path));
    if (buf.length > MAX_PATCH_BYTES) throw new InputError(`${path}: over the ${MAX_PATCH_BYTES}-byte limit for a patch file`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the patch file (${code === 'ENOENT' ? 'not found' : code ?? 'error'})`);
  }
  return parsePatchFile(text, path);
}

/** Before and after, as a value (pure once the facts are in hand). */
export function whatIf(facts: Facts, changes: FactPatch[], source: string, run: (f: Facts) => Report, patchName: string): WhatIf {
  let patched: Facts;
  try {
    patched = applyPatches(facts, changes);
  } catch (err) {
    if (err instanceof PatchError) throw new InputError(`${patchName}: ${err.message}`, `the changes must name resources of ${source}`);
    throw err;
  }
  const before = run(facts);
  const after = run(patched);
  const changed = after.results
    .map((r) => ({ r, was: before.results.find((b) => b.ruleId === r.ruleId) }))
    .filter(({ r, was }) => was && was.status !== r.status)
    .map(({ r, was }) => ({ ruleId: r.ruleId, from: was!.status, to: r.status, message: r.message }));
  const pick = (x: Report) => ({ verdict: x.verdict, exitCode: x.exitCode, summary: x.summary });
  return { source, changes, before: pick(before), after: pick(after), changed };
}

export function renderWhatIf(w: WhatIf, format: string): string {
  if (format === 'json') return `${JSON.stringify(w, null, 2)}\n`;
  const md = format === 'markdown';
  const out: string[] = [];
  out.push(md ? `## What if: ${w.changes.length} change${w.changes.length === 1 ? '' : 's'} to ${w.source}` : `what-if: ${w.changes.length} change${w.changes.length === 1 ? '' : 's'} applied to ${w.source}`, '');
  if (!w.changed.length) out.push('No rule changes status.');
  for (const c of w.changed) out.push(md ? `- \`${c.ruleId}\`: ${c.from} → **${c.to}** — ${c.message}` : `  ${c.ruleId}: ${c.from} → ${c.to}  ${c.message}`);
  out.push('', `${md ? '**Verdict:** ' : 'verdict: '}${w.before.verdict} → ${w.after.verdict} (exit ${w.before.exitCode} → ${w.after.exitCode})`);
  return `${out.join('\n')}\n`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const patchFile = values.patch;
  if (typeof patchFile !== 'string') throw new UsageError('what-if needs --patch FILE', 'usage: acr-preflight what-if (bundle.json | -c preflight.yaml) --patch changes.yaml');
  const format = typeof values.format === 'string' ? values.format : 'text';
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format ${format}: what-if writes text, json or markdown`);
  const bundle = ctx.positionals[0];
  if (bundle && typeof values.config === 'string') throw new UsageError('what-if takes a bundle or -c CONFIG, not both');
  const gate = parseGateOptions(values, RULES.map((r) => r.id));
  const changes = readPatch(patchFile, io.cwd);
  let facts: Facts;
  let waivers: WaiverConfig[] | undefined;
  let source: string;
  if (bundle) {
    facts = loadSnapshot(bundle, io.cwd);
    source = bundle;
  } else {
    const loaded = loadForCommand(ctx);
    waivers = loaded.config.waivers;
    ({ facts } = await collectOnce(loaded, { env: io.env, noProbes: values['no-probes'] === true, signal: ctx.signal, onProgress: progressPrinter(io.stderr) }));
    source = `the facts collected for ${loaded.file}`;
  }
  const result = whatIf(facts, changes, source, (f) => runRules(f, { rules: RULES, ...gateRunOptions(gate, waivers) }), patchFile);
  io.stdout.write(renderWhatIf(result, format));
  return result.after.exitCode;
}
