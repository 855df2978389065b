// The one formatter of schema problems, for every contract read from outside (the config, fact
// bundles, emulator worlds): each problem is its dotted path, where it sits (file:line, or the
// environment variable or flag that set it, asked of a `locate` callback) and what is wrong — the
// nearest valid key for an unknown one, what was expected and what was found. A value is echoed only
// for scalars of fields not marked secret; a secret's value is never echoed.
// Only zod's public API is used: the issues' fields, a parse-level error map and the schemas'
// definitions (`_zod.def`: shape, element, valueType, options, innerType, in/out), read through
// zod's core classes, so that this works alike for schemas built with zod's classic API and with
// zod/mini (the config and the API answers use zod/mini: it builds its schemas faster, and the
// `check` path loads nothing of the classic API).
import './zod-mode.js';
import * as z from 'zod/v4/core';
import { nearest } from './nearest.js';

export type PathSeg = string | number;
export type IssuePath = readonly PathSeg[];

/** Where a path sits: "preflight.yaml:12", "ACR_PREFLIGHT_REGION", "--region"; undefined = unknown. */
export type Locate = (path: IssuePath, at: 'key' | 'value') => string | undefined;

/** One problem: its path, whether it is about the key or the value, what is wrong, what to do. */
export interface Problem {
  path: PathSeg[];
  at: 'key' | 'value';
  problem: string;
  hint?: string;
}

/** What a schema says about a field beyond its type: a secret is never echoed; an example helps a missing field. */
export interface FieldMeta {
  secret?: boolean;
  example?: string;
}
export const FIELD_META = z.registry<FieldMeta>();

const MAX_SHOWN = 60;

/** A value as it may appear in a message (never used for secrets). */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? String(v));
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s;
}

/** What kind of value this is, in words ("a list", "an integer", "binary data"). */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'binary data';
  if (v instanceof Map || v instanceof Set) return 'a YAML set/map of non-string keys';
  if (v instanceof Date) return 'a timestamp';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

/** A plain key: value mapping (not a list, binary data, a YAML set or a timestamp). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Map) && !(v instanceof Set) && !(v instanceof Date);
}

/** "gitlab.token", "waivers[0].expires", 'probe.connectTo["192.168.1.10:443"]', "regions.cn-hangzhou.vpcs[0]" */
export function dotted(path: IssuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${show(seg.length > 80 ? `${seg.slice(0, 80)}…` : seg)}]`;
  }
  return out || '(top level)';
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  map: 'a mapping (key: value)',
  null: 'null',
};

const orList = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);
const items = (n: number | bigint) => `${n} item${Number(n) === 1 ? '' : 's'}`;

type RawIssue = z.$ZodRawIssue;

/** A required field that is not there: the issue of a type, a form or a value, about nothing. */
const isMissing = (iss: { code: string; input?: unknown }): boolean => iss.input === undefined && ['invalid_type', 'invalid_union', 'invalid_value'].includes(iss.code);

/**
 * The words for zod's own issue codes, without the value (the value is added by `withValue`, which
 * knows whether the field is secret). Used as the parse-level error map: a schema's own message
 * (a refinement's, or its `error` option) takes precedence.
 */
export function describeIssue(iss: RawIssue | z.$ZodIssue): string {
  if (isMissing(iss)) return 'missing (required)';
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${typeName(iss.input)}`;
    case 'invalid_value':
      return `expected ${orList(iss.values.map((v) => (typeof v === 'string' ? v : show(v))))}`;
    case 'too_small':
      if (iss.origin === 'array' || iss.origin === 'set') return `must list at least ${items(iss.minimum)}`;
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? 'must not be empty' : `must be at least ${iss.minimum} characters`;
      return `must be ${iss.inclusive === false ? 'over' : 'at least'} ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'array' || iss.origin === 'set') return `must list at most ${items(iss.maximum)}`;
      if (iss.origin === 'string') return `must be at most ${iss.maximum} characters`;
      return `must be ${iss.inclusive === false ? 'under' : 'at most'} ${iss.maximum}`;
    case 'invalid_format':
      return `expected ${iss.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${iss.divisor}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'invalid_key':
      return 'invalid key';
    case 'invalid_union':
      {
        // a discriminated union whose discriminator matches no form names the values it allows
        const options: unknown = 'options' in iss ? iss.options : undefined;
        if (Array.isArray(options) && options.length) return `expected ${orList(options.map((o: unknown) => show(o)))}`;
      }
      return `not one of the allowed forms (got ${typeName(iss.input)})`;
    case 'invalid_element':
      return 'invalid element';
    default:
      return 'invalid value';
  }
}

/** The schema of the field at `path` (through optional, default, pipes, unions), or undefined. */
export function schemaAt(schema: z.$ZodType, path: IssuePath): z.$ZodType | undefined {
  let s: z.$ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (!s) return undefined;
    s = unwrap(child(s, seg));
  }
  return s;
}

function child(s: z.$ZodType, seg: PathSeg): z.$ZodType | undefined {
  if (s instanceof z.$ZodObject) {
    const shape = s._zod.def.shape;
    return Object.hasOwn(shape, String(seg)) ? shape[String(seg)] : undefined;
  }
  if (s instanceof z.$ZodArray) return typeof seg === 'number' ? s._zod.def.element : undefined;
  if (s instanceof z.$ZodRecord) return s._zod.def.valueType;
  if (s instanceof z.$ZodUnion) {
    for (const o of s._zod.def.options) {
      const c = child(fieldSchema(o), seg);
      if (c) return c;
    }
  }
  return undefined;
}

/** One wrapper that does not change a field's place (optional, nullable, default, a pipe), or `s` itself. */
function unwrap1(s: z.$ZodType): z.$ZodType {
  if (s instanceof z.$ZodOptional || s instanceof z.$ZodNullable || s instanceof z.$ZodDefault || s instanceof z.$ZodPrefault || s instanceof z.$ZodCatch || s instanceof z.$ZodReadonly) return s._zod.def.innerType;
  if (s instanceof z.$ZodPipe) return s._zod.def.in instanceof z.$ZodTransform ? s._zod.def.out : s._zod.def.in;
  return s;
}

/** The schema of a field's value, through the wrappers that do not change its place. */
export function fieldSchema(s: z.$ZodType): z.$ZodType {
  for (let i = 0; i < 20; i++) {
    const next = unwrap1(s);
    if (next === s) break;
    s = next;
  }
  return s;
}
const unwrap = (s: z.$ZodType | undefined): z.$ZodType | undefined => (s ? fieldSchema(s) : undefined);

/** A number schema that takes integers only (z.int(), `.int()`, or a whole-number step), as zod's classic `isInt` reads it. */
function isInt(s: z.$ZodNumber): boolean {
  const defs = [s._zod.def, ...(s._zod.def.checks ?? []).map((c) => c._zod.def)] as { format?: string; check?: string; value?: unknown }[];
  return defs.some((d) => (d.format ?? '').includes('int') || (d.check === 'multiple_of' && Number.isSafeInteger(d.value)));
}

/** What the schema says of the field at `path`: its metadata (on the field or a wrapper), whether null is allowed, whether it is an integer. */
function fieldInfo(schema: z.$ZodType, path: IssuePath): FieldMeta & { nullable?: boolean; int?: boolean } {
  let s: z.$ZodType | undefined = schema;
  for (const seg of path) {
    s = unwrap(s);
    s = s ? child(s, seg) : undefined;
  }
  const out: FieldMeta & { nullable?: boolean; int?: boolean } = {};
  for (let i = 0; i < 20 && s; i++) {
    Object.assign(out, FIELD_META.get(s));
    if (s instanceof z.$ZodNullable) out.nullable = true;
    if (s instanceof z.$ZodNumber && isInt(s)) out.int = true;
    const next = unwrap1(s);
    if (next === s) break;
    s = next;
  }
  return out;
}

/** The keys an object schema allows at `path` (the first object form of a union). */
export function keysAt(schema: z.$ZodType, path: IssuePath): string[] {
  const s = schemaAt(schema, path);
  if (s instanceof z.$ZodObject) return Object.keys(s._zod.def.shape);
  if (s instanceof z.$ZodUnion) {
    const o = s._zod.def.options.map((x) => unwrap(x)).find((x) => x instanceof z.$ZodObject);
    if (o instanceof z.$ZodObject) return Object.keys(o._zod.def.shape);
  }
  return [];
}

type Issue = z.$ZodIssue;

/** The most specific issue of a union: the deepest one among the branches' issues. */
function deepest(iss: Issue & { code: 'invalid_union' }): Issue | undefined {
  const flat = iss.errors.flat();
  let best: Issue | undefined;
  for (const e of flat) if (!best || e.path.length > best.path.length) best = e;
  return best ? { ...best, path: [...iss.path, ...best.path] } : undefined;
}

const segs = (p: readonly PropertyKey[]): PathSeg[] => p.map((s) => (typeof s === 'number' ? s : String(s)));
const startsWith = (p: IssuePath, prefix: IssuePath) => prefix.length <= p.length && prefix.every((s, i) => s === p[i]);

/** The problems of zod issues against `schema`, unknown keys first within their mapping. */
export function problemsOf(schema: z.$ZodType, issues: readonly Issue[]): Problem[] {
  const flat: Issue[] = [];
  for (const iss of issues) {
    const d = iss.code === 'invalid_union' ? deepest(iss) : undefined;
    flat.push(d ?? iss);
  }
  // a bad record key: its value's problems say nothing more
  const badKeys = flat.filter((i) => i.code === 'invalid_key').map((i) => segs(i.path));
  const out: { p: Problem; unknownIn?: PathSeg[] }[] = [];
  for (const iss of flat) {
    const path = segs(iss.path);
    if (iss.code !== 'invalid_key' && badKeys.some((k) => path.length > k.length && startsWith(path, k))) continue;
    if (iss.code === 'unrecognized_keys') {
      const known = keysAt(schema, path);
      for (const key of iss.keys) {
        const guess = nearest(key.slice(0, 200), known);
        const problem = `unknown key${guess ? ` (did you mean ${dotted([...path, guess])}?)` : known.length ? ` (valid here: ${known.join(', ')})` : ''}`;
        out.push({ p: { path: [...path, key], at: 'key', problem }, unknownIn: path });
      }
      continue;
    }
    if (iss.code === 'invalid_key') {
      const inner = iss.issues[0];
      out.push({ p: { path, at: 'key', problem: inner ? inner.message : iss.message } });
      continue;
    }
    out.push({ p: { path, at: isMissing(iss) ? 'key' : 'value', problem: withValue(schema, iss, path) } });
  }
  // an unknown key usually explains a missing or wrong one beside it: list it before its siblings
  // (the walk reports a mapping's fields before its unknown keys; a shallower mapping's unknown keys come first)
  const order = out.map((o, i) => {
    const u = o.unknownIn;
    const anchor = u ? out.findIndex((x, j) => j !== i && startsWith(x.p.path, u)) : -1;
    return { o, key: u && anchor >= 0 && anchor < i ? anchor - 1 + u.length / 1000 : i, i };
  });
  order.sort((a, b) => a.key - b.key || a.i - b.i);
  return order.map((x) => x.o.p);
}

/** The message of one issue, with the value where it helps and is not a secret. */
function withValue(schema: z.$ZodType, iss: Issue, path: IssuePath): string {
  const info = fieldInfo(schema, path);
  let ours = describeIssue(iss);
  if (iss.message !== ours) {
    // the schema's own words; a secret's checks never quote it, and if one did, it is cut out here
    // (values under 6 characters are not cut: "env:" and "file:" are the checks' own words)
    const v = iss.input;
    const quoted = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    return info.secret && quoted.length >= 6 ? iss.message.replaceAll(quoted, '[secret]') : iss.message;
  }
  let v = iss.input;
  if (isMissing(iss)) {
    const key = path[path.length - 1];
    return info.example && typeof key === 'string' ? `${ours} — add e.g. ${key}: ${info.example}` : ours;
  }
  if (iss.code === 'invalid_type') {
    // zod names the base type ("number") where the field is an integer, and leaves out a null it allows
    if (info.int && iss.expected === 'number') ours = ours.replace(/^expected a number/, 'expected an integer');
    if (info.nullable) ours = ours.replace(/, got /, ' or null, got ');
  }
  // a discriminated union's issue holds the whole object: the value is its discriminator's
  if (iss.code === 'invalid_union' && iss.discriminator && isMapping(v)) v = v[iss.discriminator];
  const scalar = v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);
  if (info.secret || !scalar) return ours;
  if (iss.code === 'invalid_type') return `${ours} (${show(v)})`;
  if (['invalid_value', 'invalid_format', 'too_small', 'too_big', 'invalid_union'].includes(iss.code)) return `${ours}, got ${show(v)}`;
  return ours;
}

/** Parse with zod and turn a failure into problems (the formatter's words as the parse-level error map). */
export function parseProblems<S extends z.$ZodType>(schema: S, raw: unknown): { ok: true; data: z.output<S> } | { ok: false; problems: Problem[] } {
  const r = z.safeParse(schema, raw, { reportInput: true, error: describeIssue });
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, problems: problemsOf(schema, r.error.issues) };
}

/** The first problem of `raw` against `schema` as one line ("path: problem"), or undefined. */
export function firstProblemLine(schema: z.$ZodType, raw: unknown, locate?: Locate): string | undefined {
  const r = parseProblems(schema, raw);
  const first = r.ok ? undefined : r.problems[0];
  return first ? problemLine(first, locate) : undefined;
}

/** "file:line: path: problem" (the place only when `locate` knows it). */
export function problemLine(p: Problem, locate?: Locate): string {
  const loc = locate?.(p.path, p.at);
  return `${loc ? `${loc}: ` : ''}${dotted(p.path)}: ${p.problem}`;
}

/** Problems listed in one message at most; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Every problem in one message: a single problem as one line (its hint apart), several as
 * "<subject> has N problems:" and one line each (place, path, problem, hint), up to MAX_LISTED_PROBLEMS.
 */
export function problemsMessage(problems: readonly Problem[], subject: string, locate?: Locate): { message: string; hint?: string } {
  const [first] = problems;
  if (!first) return { message: `${subject} has no problems` };
  if (problems.length === 1) return { message: problemLine(first, locate), ...(first.hint ? { hint: first.hint } : {}) };
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${problemLine(p, locate)}${p.hint ? ` — ${p.hint}` : ''}`);
  const rest = problems.length - shown.length;
  return { message: [`${subject} has ${problems.length} problems:`, ...shown, ...(rest > 0 ? [`  … and ${rest} more`] : [])].join('\n') };
}
