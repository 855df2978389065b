// Saved inputs read offline (analyze, diff, redact): a support bundle (version 1 or 2), a bare fact
// snapshot, or a `check --format json` report; and judging a bundle the way it was judged when it
// was collected: expiries as of the collection time, the recorded flags and waivers, unless the
// caller overrides them (and the report's `analysis` header says which).
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import type { WaiverConfig } from '../config/types.js';
import { runRules } from '../engine/runner.js';
import type { Analysis, Report, ZoneTable } from '../engine/types.js';
import type { FailOn } from '../engine/verdict.js';
import { InputError } from '../errors.js';
import type { Bundle, BundleV1 } from '../facts/bundle.js';
import { BUNDLE_V2_RECORD } from '../facts/bundle-schema.js';
import { factsSchemaProblem } from '../facts/schema.js';
import type { Facts } from '../facts/types.js';
import { firstProblemLine } from '../util/issues.js';

/** Largest bundle we read. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
const HINT = 'pass a bundle written by `acr-preflight collect --out`';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Check a parsed snapshot against the fact schema; returns the first problem as "path: problem", or undefined. */
export function snapshotProblem(f: unknown): string | undefined {
  if (!isObj(f)) return 'expected a JSON object holding a fact snapshot';
  if (f.schemaVersion !== 1) return `schemaVersion: unsupported ${JSON.stringify(f.schemaVersion) ?? 'missing'} (this acr-preflight reads 1)`;
  return factsSchemaProblem(f);
}

/** Reads a JSON file of at most MAX_BUNDLE_BYTES; every problem is one InputError line. */
export function readJsonFile(path: string, cwd: string): unknown {
  const abs = resolve(cwd, path);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the bundle (${code === 'ENOENT' ? 'not found' : code ?? 'error'})`, HINT);
  }
  if (size > MAX_BUNDLE_BYTES) throw new InputError(`${path}: ${size} bytes is over the ${MAX_BUNDLE_BYTES}-byte limit for a bundle`);
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (err) {
    throw new InputError(`${path}: cannot read the bundle (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new InputError(`${path}: not a JSON bundle (binary data)`, HINT);
  }
  if (text.includes('\u0000')) throw new InputError(`${path}: not a JSON bundle (binary data)`, HINT);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!;
    throw new InputError(`${path}: not valid JSON (${msg})`, HINT);
  }
}

/** What a saved input turned out to be. */
export type SavedInput =
  | { kind: 'bundle'; version: 1; bundle: BundleV1; facts: Facts }
  | { kind: 'bundle'; version: 2; bundle: Bundle; facts: Facts }
  | { kind: 'snapshot'; facts: Facts }
  | { kind: 'report'; report: { verdict: string; exitCode: number; results: { ruleId: string; status: string; waived?: unknown; message?: string }[]; tool?: { version?: string }; collectedAt?: string } };

/**
 * Reads a support bundle (version 1 or 2), a bare fact snapshot, or (with `reports`) a
 * `check --format json` report. Throws InputError (one line) on anything else.
 */
export function loadSaved(path: string, cwd: string, opts: { reports?: boolean } = {}): SavedInput {
  const parsed = readJsonFile(path, cwd);
  if (opts.reports && isObj(parsed) && parsed.schemaVersion === 1 && Array.isArray(parsed.results) && typeof parsed.verdict === 'string' && !isObj(parsed.cloud)) {
    const bad = (parsed.results as unknown[]).findIndex((r) => !isObj(r) || typeof r.ruleId !== 'string' || typeof r.status !== 'string');
    if (bad >= 0) throw new InputError(`${path}: not a report: results[${bad}] needs ruleId and status`, 'pass a report written by `acr-preflight check --format json`');
    return { kind: 'report', report: parsed as never };
  }
  if (isObj(parsed) && !isObj(parsed.facts) && parsed.schemaVersion === undefined) {
    // neither shape: say which part is missing, not "schemaVersion: unsupported missing"
    const looksLikeBundle = ['bundleVersion', 'calls', 'redaction', 'facts'].some((k) => k in parsed);
    throw new InputError(
      looksLikeBundle
        ? `${path}: a support bundle without its facts (the "facts" field is ${'facts' in parsed ? 'not an object' : 'missing'})`
        : `${path}: neither a support bundle (no "facts") nor a fact snapshot (no "schemaVersion")`,
      'pass the whole file written by `acr-preflight collect --out`',
    );
  }
  const isBundle = isObj(parsed) && isObj(parsed.facts);
  const version = isBundle ? parsed.bundleVersion : undefined;
  if (version !== undefined && version !== 1 && version !== 2) {
    throw new InputError(`${path}: bundleVersion ${JSON.stringify(version)} is not one this acr-preflight reads (1, 2)`, 'analyze it with the acr-preflight version that wrote it');
  }
  const facts = isBundle ? parsed.facts : parsed;
  const problem = snapshotProblem(facts);
  if (problem) throw new InputError(`${path}: not a fact snapshot: ${isBundle ? 'facts.' : ''}${problem}`, opts.reports ? `${HINT}, or a \`check --format json\` report` : HINT);
  if (version === 2) {
    const p = firstProblemLine(BUNDLE_V2_RECORD, parsed);
    if (p) throw new InputError(`${path}: bundle version 2: ${p}`, HINT);
    return { kind: 'bundle', version: 2, bundle: parsed as unknown as Bundle, facts: facts as Facts };
  }
  // a version-1 bundle, or a wrapper written by hand around a snapshot: facts only
  if (isBundle) return { kind: 'bundle', version: 1, bundle: parsed as unknown as BundleV1, facts: facts as Facts };
  return { kind: 'snapshot', facts: facts as Facts };
}

export interface JudgeOptions {
  /** --now: judge expiries as of this time instead of the collection time */
  now?: Date;
  /** flags given on the command line; each replaces the recorded one */
  failOn?: FailOn;
  only?: string[];
  skip?: string[];
  noWaivers?: boolean;
  /** waivers of a config given on the command line (-c): they replace the recorded ones */
  configWaivers?: WaiverConfig[];
  zones?: ZoneTable;
}

/**
 * Judges a saved bundle or snapshot. By default it reproduces the verdict of the collection: the
 * rules run as of the collection time, with the recorded flags and waivers. The report's
 * `analysis` says what was judged, as of when, with which flags, and what was overridden.
 */
export function judgeSaved(input: Exclude<SavedInput, { kind: 'report' }>, opts: JudgeOptions = {}): Report {
  const { facts } = input;
  const v2 = input.kind === 'bundle' && input.version === 2 ? input.bundle : undefined;
  const recordedFlags = v2?.flags;
  const overridden: string[] = [];
  const pick = <T>(flag: string, given: T | undefined, recorded: T | undefined): T | undefined => {
    if (given !== undefined) {
      if (recordedFlags) overridden.push(flag);
      return given;
    }
    return recorded;
  };
  const failOn = pick('--fail-on', opts.failOn, recordedFlags?.failOn) ?? 'fail';
  const only = pick('--only', opts.only, recordedFlags?.only);
  const skip = pick('--skip', opts.skip, recordedFlags?.skip);
  let waivers: WaiverConfig[] = [];
  let waiverSource: Analysis['waivers'] = 'none';
  if (opts.noWaivers) {
    if (v2?.waivers.length) overridden.push('--no-waivers');
  } else if (opts.configWaivers) {
    waivers = opts.configWaivers;
    waiverSource = 'config';
    if (v2) overridden.push('-c (its waivers)');
  } else if (v2) {
    waivers = v2.waivers;
    waiverSource = 'recorded';
  }
  const collectedAt = v2?.collectedAt ?? facts.collectedAt;
  const judgedAt = opts.now ?? new Date(collectedAt);
  const report = runRules(facts, {
    rules: RULES,
    failOn,
    ...(only ? { only } : {}),
    ...(skip ? { skip } : {}),
    waivers,
    now: judgedAt,
    ...(opts.zones ? { zones: opts.zones } : {}),
  });
  const notes: string[] = [];
  if (input.kind === 'bundle' && input.version === 1) {
    notes.push('bundle version 1: it does not record the flags, waivers or verdict of its collection; judged with the default flags and no waivers (pass -c to apply a config\'s waivers)');
  }
  if (input.kind === 'snapshot') notes.push('a bare fact snapshot: no flags, waivers or verdict recorded');
  if (opts.now) notes.push(`re-judged as of ${judgedAt.toISOString()} (--now): certificate, token and waiver expiry are judged as of then, not as of the collection`);
  if (v2 && !opts.now && !overridden.length && (report.verdict !== v2.verdict.verdict || report.exitCode !== v2.verdict.exitCode)) {
    notes.push(`this verdict (${report.verdict}) differs from the one recorded at collection (${v2.verdict.verdict}): the bundle was written by acr-preflight ${v2.tool.version}, whose rules judged differently`);
  }
  const analysis: Analysis = {
    input: input.kind,
    ...(input.kind === 'bundle' ? { bundleVersion: input.version } : {}),
    collectedAt,
    collectedBy: {
      version: (input.kind === 'bundle' ? input.bundle.tool?.version : undefined) ?? facts.tool?.version ?? 'unknown',
      ...(v2 ? { node: v2.node, os: `${v2.os.platform} ${v2.os.release} ${v2.os.arch}` } : {}),
    },
    judgedAt: judgedAt.toISOString(),
    judgedAs: opts.now ? 'now' : 'collection',
    flags: { failOn, ...(only ? { only } : {}), ...(skip ? { skip } : {}), ...(recordedFlags ? { noProbes: recordedFlags.noProbes } : {}) },
    overridden,
    waivers: waiverSource,
    waiverCount: waivers.length,
    ...(v2 ? { recorded: { verdict: v2.verdict.verdict, exitCode: v2.verdict.exitCode, summary: v2.verdict.summary } } : {}),
    notes,
  };
  return { ...report, analysis };
}
