// The support bundle's envelope as one schema (versions 1 and 2, around the fact snapshot of
// schema.ts): the bundle types are inferred from it, and `analyze` checks a bundle it reads against
// it, with the shared issue formatter (src/util/issues.ts).
import '../util/zod-mode.js';
import * as z from 'zod';
import { FACTS_SCHEMA } from './schema.js';

const str = z.string();

const callRecord = z.object({ product: str, action: str, params: z.record(str, z.unknown()), ok: z.boolean(), code: str.optional(), ms: z.number() });
export type CallRecord = z.output<typeof callRecord>;

/** The gate flags a collection ran with (recorded so `analyze` applies the same ones). */
const recordedFlags = z.object({
  failOn: z.enum(['warn', 'fail']),
  only: z.array(str).optional(),
  skip: z.array(str).optional(),
  noProbes: z.boolean(),
  noWaivers: z.boolean(),
});
export type RecordedFlags = z.output<typeof recordedFlags>;

/** A waiver as the config held it at collection time. */
const recordedWaiver = z.object({ rule: str, reason: str, owner: str, expires: str, scope: str.optional() });
export type RecordedWaiver = z.output<typeof recordedWaiver>;

const count = z.number().int().min(0);
/** The verdict `collect` reached, judged at `judgedAt` (the collection time). */
const recordedVerdict = z.object({
  verdict: z.enum(['pass', 'fail', 'incomplete']),
  exitCode: z.number().int(),
  summary: z.object({ pass: count, warn: count, fail: count, skip: count, error: count, waived: count }),
  judgedAt: str,
  results: z.array(z.object({ ruleId: str, status: str, waived: z.literal(true).optional() })),
});
export type RecordedVerdict = z.output<typeof recordedVerdict>;

const redaction = z.object({
  /** what kinds of secret were looked for and scrubbed */
  secretsScrubbed: z.array(str),
  /** number of scrubbed occurrences (0 is the expected value) */
  occurrences: count,
  pseudonymized: z.boolean(),
  /** what kinds of value pseudonymisation replaced, and how many distinct ones; never the originals */
  replaced: z.array(z.object({ kind: str, count })).optional(),
  note: str,
});
export type Redaction = z.output<typeof redaction>;

const tool = z.object({ name: str, version: str });

/** Version 1: facts and calls only (still read by analyze and diff). */
export const BUNDLE_V1_SCHEMA = z.object({
  bundleVersion: z.literal(1),
  tool,
  createdAt: str,
  facts: FACTS_SCHEMA,
  calls: z.array(callRecord),
  redaction,
});
export type BundleV1 = z.output<typeof BUNDLE_V1_SCHEMA>;

/** Version 2: also what the verdict was made of, so `analyze` reproduces it. */
export const BUNDLE_V2_SCHEMA = z.object({
  collectedAt: str,
  flags: recordedFlags,
  waivers: z.array(recordedWaiver),
  verdict: recordedVerdict,
  bundleVersion: z.literal(2),
  tool,
  node: str,
  os: z.object({ platform: str, release: str, arch: str }),
  /** the redacted config summary: the non-secret inputs the rules read (same as facts.input) and the config file's name */
  config: z.object({ file: str.nullable(), summary: FACTS_SCHEMA.shape.input }),
  facts: FACTS_SCHEMA,
  calls: z.array(callRecord),
  redaction,
});
export type Bundle = z.output<typeof BUNDLE_V2_SCHEMA>;

/**
 * What `analyze` reads of a version-2 bundle beside its facts: the record of the collection (flags,
 * waivers, verdict, when, on what). As lenient as analyze can afford with bundles edited by hand: the
 * probe and waiver switches, the verdict's time and per-rule results may be left out.
 */
export const BUNDLE_V2_RECORD = BUNDLE_V2_SCHEMA.pick({ collectedAt: true, flags: true, waivers: true, verdict: true, node: true, os: true }).extend({
  flags: recordedFlags.partial({ noProbes: true, noWaivers: true }),
  verdict: recordedVerdict.partial({ judgedAt: true, results: true }),
});
