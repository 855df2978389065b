// Writing reports (shared by check and analyze): one or more --format/--output pairs. stdout carries
// only the report (at most one format goes there); files are written atomically (temp file in the
// same directory, then rename); GitHub Actions annotations go to stderr when GITHUB_ACTIONS=true;
// in GitLab CI the text report gets collapsible sections and no colour.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Report, Rule } from '../engine/types.js';
import { EXIT, PreflightError, UsageError } from '../errors.js';
import { githubAnnotations } from '../report/annotations.js';
import { FORMAT_EXTENSIONS, FORMATS, isFormat, loadReporter, type Format, type Reporter } from '../report/formats.js';
import type { ReportContext } from '../report/types.js';
import { nearest } from '../util/nearest.js';
import type { CommandIO } from './context.js';

export interface OutputTarget {
  format: Format;
  /** absolute path; undefined = stdout */
  file?: string;
  /** as the user wrote it, for messages */
  label?: string;
}

/**
 * Can a report be written at `file`? Checked before anything is collected, so a typo in the
 * directory does not cost a whole check run. Throws a one-line UsageError naming the path.
 */
export function assertWritable(file: string, label: string, flag: string): void {
  const dir = dirname(file);
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new UsageError(`${flag} ${label}: the directory ${dir} does not exist`, 'create it, or write the file elsewhere');
  }
  if (!st.isDirectory()) throw new UsageError(`${flag} ${label}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${label}: the directory ${dir} is not writable`, 'write the file elsewhere');
  }
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${flag} ${label}: is a directory`, 'name a file');
}

/** the same file, even through a symlink or another spelling of the path */
export function sameFile(a: string, b: string): boolean {
  const sa = statSync(a, { throwIfNoEntry: false });
  const sb = statSync(b, { throwIfNoEntry: false });
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  try {
    return realpathSync(a) === resolve(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

function toArray(v: unknown): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function formatFromName(file: string): Format | undefined {
  const lower = file.toLowerCase();
  let best: { f: Format; len: number } | undefined;
  for (const f of FORMATS) {
    for (const ext of FORMAT_EXTENSIONS[f]) if (lower.endsWith(ext) && (!best || ext.length > best.len)) best = { f, len: ext.length };
  }
  return best?.f;
}

function checkFormat(f: string): Format {
  if (isFormat(f)) return f;
  const guess = nearest(f, FORMATS);
  throw new UsageError(`unknown --format "${f}"${guess ? ` (did you mean ${guess}?)` : ''}`, `formats: ${FORMATS.join(', ')}`);
}

/**
 * Pair --format and --output values in order: the n-th --output belongs to the n-th --format.
 * Formats without an output go to stdout (only one may); outputs without a format take it from
 * their extension (.json .xml .sarif .md .html .txt). "-" as an output means stdout.
 */
export function parseOutputPlan(values: Record<string, unknown>, cwd: string): OutputTarget[] {
  const formats = toArray(values.format).map(checkFormat);
  const outputs = toArray(values.output);
  for (const o of outputs) if (o.trim() === '') throw new UsageError('--output needs a file name');
  const targets: OutputTarget[] = [];
  const n = Math.max(formats.length, outputs.length, 1);
  for (let i = 0; i < n; i++) {
    const out = outputs[i];
    let format = formats[i];
    if (format === undefined) {
      if (out === undefined) format = 'text';
      else {
        const inferred = out === '-' ? 'text' : formatFromName(out);
        if (!inferred) throw new UsageError(`--output ${out} has no --format and its extension does not tell one`, `add --format before it (${FORMATS.join(', ')})`);
        format = inferred;
      }
    } else if (out !== undefined && out !== '-') {
      const implied = formatFromName(out);
      if (implied && implied !== format && !FORMAT_EXTENSIONS[format].some((e) => out.toLowerCase().endsWith(e))) {
        throw new UsageError(
          `--format ${format} is paired with --output ${out}, which looks like ${implied}`,
          'the n-th --output belongs to the n-th --format: give the pairs in the same order',
        );
      }
    }
    if (out === undefined || out === '-') targets.push({ format });
    else {
      assertWritable(resolve(cwd, out), out, '--output');
      targets.push({ format, file: resolve(cwd, out), label: out });
    }
  }
  const toStdout = targets.filter((t) => !t.file);
  if (toStdout.length > 1) {
    throw new UsageError(
      `only one report can go to stdout, but ${toStdout.map((t) => t.format).join(' and ')} have no --output`,
      'give each --format but one an --output FILE',
    );
  }
  const files = targets.filter((t) => t.file).map((t) => t.file!);
  const dup = files.find((f, i) => files.indexOf(f) !== i);
  if (dup) throw new UsageError(`--output ${dup} is given twice`);
  return targets;
}

/** Write `data` to `path` atomically: a temp file in the same directory, then rename over. */
export function writeFileAtomic(path: string, data: string, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { mode, flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new PreflightError('ERR_OUTPUT', `cannot write ${path} (${code ?? (err as Error).message})`, {
      exitCode: EXIT.usage,
      hint: code === 'ENOENT' ? 'does the directory exist?' : code === 'EACCES' ? 'check the permissions of the directory' : undefined,
    });
  }
}

/** SARIF artifact URIs are relative to the repository (the working directory) when the file is inside it. */
export function artifactUriFor(path: string, cwd: string): string {
  const rel = isAbsolute(path) ? relative(cwd, path) : path;
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return `file://${resolve(cwd, path).split(sep).map(encodeURIComponent).join('/')}`;
}

export function ciFlavor(env: NodeJS.ProcessEnv): 'github' | 'gitlab' | undefined {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  return undefined;
}

export interface WriteOutputsOptions {
  io: CommandIO;
  /** the rule registry (SARIF descriptors) */
  rules?: readonly Rule[];
  /** colour allowed (ctx.color); also needs stdout to be a TTY */
  color?: boolean;
  /** what SARIF locations point at, e.g. the config file relative to the repository */
  artifactUri?: string;
  /** what was checked and where the facts came from (page headers) */
  context?: ReportContext;
}

/** The reporters `targets` need, loading each once (a check can start loading them while it waits). */
export function loadReporters(targets: readonly OutputTarget[]): Promise<Reporter[]> {
  return Promise.all(targets.map((t) => loadReporter(t.format)));
}

/**
 * Render every target and write it: files first (atomically), then stdout, then the GitHub
 * annotations on stderr. Rendering happens before any write, so nothing is half-written.
 */
export async function writeOutputs(report: Report, targets: readonly OutputTarget[], opts: WriteOutputsOptions): Promise<void> {
  const ci = ciFlavor(opts.io.env);
  const artifactUri = opts.artifactUri ? artifactUriFor(opts.artifactUri, opts.io.cwd) : undefined;
  const reporters = await loadReporters(targets);
  const rendered = targets.map((t, i) => ({
    t,
    text: reporters[i]!(report, {
      rules: opts.rules,
      artifactUri,
      ...(opts.context ? { context: opts.context } : {}),
      color: !t.file && Boolean(opts.color) && Boolean(opts.io.stdout.isTTY) && !ci,
      ...(ci && !t.file ? { ci } : {}),
    }),
  }));
  for (const { t, text } of rendered) {
    if (t.file) {
      writeFileAtomic(t.file, text);
      opts.io.stderr.write(`acr-preflight: wrote ${t.format} report to ${t.label ?? t.file}\n`);
    }
  }
  for (const { t, text } of rendered) if (!t.file) opts.io.stdout.write(text);
  if (ci === 'github') opts.io.stderr.write(githubAnnotations(report));
}
