// `acr-preflight diff before.json after.json [--format text|json|markdown]`: what changed between two
// bundles (or two `check --format json` reports), and why the verdict did. Exit 0 when nothing got
// worse, 1 when a rule went from pass/warn/skip to fail/error, 2 on bad input.
import { diffSaved } from '../app/diff.js';
import { loadSaved } from '../app/bundles.js';
import { UsageError } from '../errors.js';
import { DIFF_FORMATS, DIFF_RENDERERS, type DiffFormat } from '../report/diff.js';
import { nearest } from '../util/nearest.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const usage = 'usage: acr-preflight diff before.json after.json [--format text|json|markdown]';
  const [before, after] = ctx.positionals;
  if (!before || !after) throw new UsageError('diff needs two files: before.json after.json', usage);
  const f = typeof values.format === 'string' ? values.format : 'text';
  if (!(DIFF_FORMATS as readonly string[]).includes(f)) {
    const guess = nearest(f, DIFF_FORMATS);
    throw new UsageError(`--format ${f}: diff writes ${DIFF_FORMATS.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`, usage);
  }
  const d = diffSaved({ label: before, input: loadSaved(before, io.cwd, { reports: true }) }, { label: after, input: loadSaved(after, io.cwd, { reports: true }) });
  io.stdout.write(DIFF_RENDERERS[f as DiffFormat](d));
  return d.exitCode;
}
