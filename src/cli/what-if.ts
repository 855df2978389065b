// `acr-preflight what-if (bundle.json | -c preflight.yaml) --patch changes.yaml`: a proposed change,
// proven offline. The changes (the same vocabulary as the fixes the rules offer) are applied to the
// facts of a support bundle (judged as it was collected: its time, flags and waivers) or of a fresh
// collection (judged as `check` judges it: the config's waivers), and the before/after difference is printed as `diff` prints it: the rules whose status
// changed and the fact changes that explain them. Exit 0 when the gate passes with the changes, 1
// while it still fails, 3 when still incomplete, 2 for a bad changes file or one that names
// something the facts do not have.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectOnce } from '../app/check.js';
import { loadSaved, type JudgeOptions, type SavedInput } from '../app/bundles.js';
import { diffSaved } from '../app/diff.js';
import { parsePatchFile } from '../config/patch-file.js';
import { applyPatches, PatchError, type FactPatch } from '../engine/fixes.js';
import { InputError, UsageError } from '../errors.js';
import { DIFF_RENDERERS, type DiffFormat } from '../report/diff.js';
import type { CommandContext } from './context.js';
import { loadForCommand, progressPrinter } from './live.js';

const MAX_PATCH_BYTES = 1024 * 1024;
/** diff's formats whose closing line what-if can replace with its own */
const WHAT_IF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown'];

function readPatch(path: string, cwd: string): FactPatch[] {
  let text: string;
  try {
    const buf = readFileSync(resolve(cwd, path));
    if (buf.length > MAX_PATCH_BYTES) throw new InputError(`${path}: over the ${MAX_PATCH_BYTES}-byte limit for a changes file`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the changes file (${code === 'ENOENT' ? 'not found' : code ?? 'error'})`);
  }
  return parsePatchFile(text, path);
}

/** The saved input with the changes applied to its facts (everything else, flags and waivers, as it was). */
export function patched(input: Exclude<SavedInput, { kind: 'report' }>, changes: FactPatch[], patchName: string, source: string): Exclude<SavedInput, { kind: 'report' }> {
  try {
    return { ...input, facts: applyPatches(input.facts, changes) };
  } catch (err) {
    if (err instanceof PatchError) throw new InputError(`${patchName}: ${err.message}`, `the changes must name resources of ${source}`);
    throw err;
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const patchFile = values.patch;
  if (typeof patchFile !== 'string') throw new UsageError('what-if needs --patch FILE', 'usage: acr-preflight what-if (bundle.json | -c preflight.yaml) --patch changes.yaml');
  const format = (typeof values.format === 'string' ? values.format : 'text') as DiffFormat;
  if (!WHAT_IF_FORMATS.includes(format)) throw new UsageError(`--format ${format}: what-if writes ${WHAT_IF_FORMATS.join(', ')}`);
  const bundle = ctx.positionals[0];
  if (bundle && typeof values.config === 'string') throw new UsageError('what-if takes a bundle or -c CONFIG, not both');
  const changes = readPatch(patchFile, io.cwd);
  let before: Exclude<SavedInput, { kind: 'report' }>;
  let source: string;
  // fresh facts carry no record of the gate: they are judged as `check -c` would judge them, with the config's waivers
  let judge: JudgeOptions = {};
  if (bundle) {
    const input = loadSaved(bundle, io.cwd);
    if (input.kind === 'report') throw new UsageError(`${bundle}: a report, not a bundle`, 'what-if needs the facts: a bundle written by `acr-preflight collect`');
    before = input;
    source = bundle;
  } else {
    const loaded = loadForCommand(ctx);
    const { facts } = await collectOnce(loaded, { env: io.env, noProbes: values['no-probes'] === true, signal: ctx.signal, onProgress: progressPrinter(io.stderr) });
    before = { kind: 'snapshot', facts };
    source = `the facts collected for ${loaded.file}`;
    judge = { configWaivers: loaded.config.waivers ?? [] };
  }
  const after = patched(before, changes, patchFile, source);
  const d = diffSaved({ label: source, input: before, judge }, { label: `${source} with ${patchFile} (${changes.length} change${changes.length === 1 ? '' : 's'})`, input: after, judge });
  const exitCode = d.after.exitCode === 0 ? 0 : d.after.exitCode === 3 ? 3 : 1;
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ ...d, whatIf: { changes, exitCode } }, null, 2)}\n`);
  } else {
    // diff's closing line speaks of what got worse (its own exit code); what-if closes on the verdict with the changes
    const lines = DIFF_RENDERERS[format](d).trimEnd().split('\n');
    while (lines.length && /^(Nothing got worse|Worse:)/.test(lines[lines.length - 1]!)) lines.pop();
    const verdict = exitCode === 0 ? 'the gate passes' : exitCode === 3 ? 'still incomplete' : 'the gate still fails';
    lines.push(`${format === 'markdown' ? '**What if:** ' : 'What if: '}with the changes ${verdict} (verdict ${d.after.verdict}, exit ${exitCode}).`);
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return exitCode;
}
