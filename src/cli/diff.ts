// `acr-preflight diff before.json after.json [--format text|json|markdown|html] [--output FILE]`: what
// changed between two bundles (or two `check --format json` reports), and why the verdict did. Exit 0
// when nothing got worse, 1 when a rule went from pass/warn/skip to fail/error, 2 on bad input.
import { resolve } from 'node:path';
import { diffSaved } from '../app/diff.js';
import { loadSaved } from '../app/bundles.js';
import { UsageError } from '../errors.js';
import { DIFF_FORMATS, DIFF_RENDERERS, type DiffFormat } from '../report/diff.js';
import { FORMAT_EXTENSIONS } from '../report/formats.js';
import { nearest } from '../util/nearest.js';
import type { CommandContext } from './context.js';
import { assertWritable, sameFile, writeFileAtomic } from './output.js';

export const DIFF_USAGE = `usage: acr-preflight diff before.json after.json [--format ${DIFF_FORMATS.join('|')}] [--output FILE]`;

/** --format as given; without it, what the --output file's extension says (report.html → html); else text */
function formatOf(format: unknown, output: string | undefined): DiffFormat {
  if (typeof format === 'string') {
    if ((DIFF_FORMATS as readonly string[]).includes(format)) return format as DiffFormat;
    const guess = nearest(format, DIFF_FORMATS);
    throw new UsageError(`--format ${format}: diff writes ${DIFF_FORMATS.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`, DIFF_USAGE);
  }
  const lower = output?.toLowerCase() ?? '';
  return DIFF_FORMATS.find((f) => FORMAT_EXTENSIONS[f].some((ext) => lower.endsWith(ext))) ?? 'text';
}

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const [before, after] = ctx.positionals;
  if (!before || !after) throw new UsageError('diff needs two files: before.json after.json', DIFF_USAGE);
  const output = typeof values.output === 'string' ? values.output : undefined;
  if (output !== undefined && output.trim() === '') throw new UsageError('--output needs a file name', DIFF_USAGE);
  const format = formatOf(values.format, output);
  const file = output && output !== '-' ? resolve(io.cwd, output) : undefined;
  if (file) {
    for (const input of [before, after]) {
      if (sameFile(resolve(io.cwd, input), file)) throw new UsageError(`diff: --output ${output} is the input ${input}; it is never overwritten`, 'write the diff to another file');
    }
    assertWritable(file, output!, '--output');
  }
  const d = diffSaved({ label: before, input: loadSaved(before, io.cwd, { reports: true }) }, { label: after, input: loadSaved(after, io.cwd, { reports: true }) });
  const text = DIFF_RENDERERS[format](d);
  if (file) {
    writeFileAtomic(file, text);
    io.stderr.write(`acr-preflight: wrote the ${format} diff to ${output}\n`);
  } else {
    io.stdout.write(text);
  }
  return d.exitCode;
}
