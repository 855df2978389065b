// Every config field can also come from an ACR_PREFLIGHT_* environment variable or a flag; both
// override the file and are validated the same way (docs/config.md).
//
// Naming rule: the field's path, each segment in UPPER_SNAKE (a camelCase word boundary becomes "_",
// a one-letter lower-case prefix stays attached), joined by "_", after "ACR_PREFLIGHT_":
//   region                 -> ACR_PREFLIGHT_REGION
//   gitlab.endpoint        -> ACR_PREFLIGHT_GITLAB_ENDPOINT
//   vpc.vSwitchId          -> ACR_PREFLIGHT_VPC_VSWITCH_ID
//   probe.jumpHost.privateKeyFile -> ACR_PREFLIGHT_PROBE_JUMP_HOST_PRIVATE_KEY_FILE
// Lists of plain values (datacenter.cidrs, extraEndpoints) take "a,b,c" or a JSON list; lists of
// objects and maps (waivers, build.rules, zones) take JSON; probe.connectTo also takes "from=to,from=to".
// Empty variables count as unset (CI systems often define unset secrets as "").
import { ConfigError } from '../errors.js';
import { nearest } from '../util/nearest.js';
import '../util/zod-mode.js';
import * as z from 'zod/v4/core';
import { fieldSchema, type PathSeg } from '../util/issues.js';
import { CONFIG_SCHEMA } from './schema.js';

/** Config values from flags, keyed by config path ("region", "cloud.endpoint"). */
export type FlagValues = Record<string, string | undefined>;

export interface Override {
  path: PathSeg[];
  value: unknown;
  /** "ACR_PREFLIGHT_REGION" or "--region": where the value came from, for messages */
  origin: string;
}

export type SettingForm = 'scalar' | 'list' | 'json';

export interface EnvSetting {
  path: string[];
  env: string;
  form: SettingForm;
  /** a scalar's type (text is read as an integer or a boolean where the field is one) */
  scalar?: 'string' | 'integer' | 'boolean';
  /** a mapping (probe.connectTo, zones): also takes "from=to,from=to" */
  pairs?: boolean;
}

export const ENV_PREFIX = 'ACR_PREFLIGHT_';

/** ACR_PREFLIGHT_* variables that are not config fields. */
export const RESERVED_ENV: readonly string[] = ['ACR_PREFLIGHT_CONFIG', 'ACR_PREFLIGHT_LOOPBACK_ONLY', 'ACR_PREFLIGHT_NETNS'];

/** Flags of the command table that set config fields. */
export const CLI_FLAG_PATHS: Readonly<Record<string, string>> = {
  region: 'region',
  endpoint: 'cloud.endpoint',
  profile: 'cloud.profile',
};

export function segmentToEnv(seg: string): string {
  return seg.replace(/([a-z0-9]{2,})([A-Z])/g, '$1_$2').toUpperCase();
}

export function envName(path: readonly string[]): string {
  return ENV_PREFIX + path.map(segmentToEnv).join('_');
}

/** The settable fields under a schema: one per scalar, list of scalars, or structure set as JSON. */
function settings(schema: z.$ZodType, path: string[], out: EnvSetting[]): EnvSetting[] {
  const s = fieldSchema(schema);
  if (s instanceof z.$ZodObject) {
    for (const [k, f] of Object.entries(s._zod.def.shape)) settings(f, [...path, k], out);
    return out;
  }
  const scalar = (x: z.$ZodType | undefined): EnvSetting['scalar'] | undefined => {
    const u = x && fieldSchema(x);
    return u instanceof z.$ZodNumber ? 'integer' : u instanceof z.$ZodBoolean ? 'boolean' : u instanceof z.$ZodString || u instanceof z.$ZodEnum ? 'string' : undefined;
  };
  const base = { path, env: envName(path) };
  const type = scalar(s);
  if (type) out.push({ ...base, form: 'scalar', scalar: type });
  else if (s instanceof z.$ZodArray && scalar(s._zod.def.element)) out.push({ ...base, form: 'list' });
  else out.push({ ...base, form: 'json', ...(s instanceof z.$ZodRecord ? { pairs: true } : {}) });
  return out;
}

/** Every settable field with its environment variable, in schema order. */
let envSettingsMemo: readonly EnvSetting[] | undefined;
/** Every setting the environment can make, named from the schema (walked on first use: a run without ACR_PREFLIGHT_* variables or flags never needs it). */
export function envSettings(): readonly EnvSetting[] {
  return (envSettingsMemo ??= settings(CONFIG_SCHEMA, [], []));
}

function parseValue(s: EnvSetting, text: string, origin: string): unknown {
  const t = text.trim();
  if (s.form === 'scalar') {
    if (s.scalar === 'integer' && /^[+-]?\d{1,15}$/.test(t)) return Number(t);
    if (s.scalar === 'boolean') {
      if (/^(true|1|yes)$/i.test(t)) return true;
      if (/^(false|0|no)$/i.test(t)) return false;
    }
    return t;
  }
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t) as unknown;
    } catch (err) {
      throw new ConfigError(`${origin}: not valid JSON (${(err as Error).message.split('\n')[0]})`, `set ${s.path.join('.')} as JSON, or a comma-separated list for lists of values`);
    }
  }
  if (s.form === 'list') {
    return t
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  }
  if (s.pairs && t.includes('=')) {
    const out: Record<string, string> = {};
    for (const pair of t.split(',').map((x) => x.trim()).filter(Boolean)) {
      const i = pair.indexOf('=');
      if (i <= 0) throw new ConfigError(`${origin}: expected "from=to" pairs separated by commas`);
      Object.defineProperty(out, pair.slice(0, i).trim(), { value: pair.slice(i + 1).trim(), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new ConfigError(`${origin}: expected JSON for ${s.path.join('.')}`, 'e.g. [{"rule":"gitlab-tls","reason":"…","owner":"…","expires":"2027-01-31"}]');
}

/** The overrides set by the environment, then by flags (flags win). Unknown names near a real one warn. */
export function collectOverrides(env: NodeJS.ProcessEnv, flags: FlagValues): { overrides: Override[]; warnings: string[] } {
  const overrides: Override[] = [];
  const warnings: string[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !RESERVED_ENV.includes(name))
    .sort();
  if (!names.length && Object.values(flags).every((v) => v === undefined)) return { overrides, warnings };
  const byEnv = new Map(envSettings().map((s) => [s.env, s]));
  for (const name of names) {
    const value = env[name];
    const s = byEnv.get(name);
    if (!s) {
      const guess = nearest(name, [...byEnv.keys()]);
      if (guess) warnings.push(`${name} is not a setting (did you mean ${guess}?); ignored`);
      continue;
    }
    if (value === undefined || value.trim() === '') continue;
    overrides.push({ path: s.path, value: parseValue(s, value, name), origin: name });
  }
  const byPath = new Map(envSettings().map((s) => [s.path.join('.'), s]));
  for (const [path, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const s = byPath.get(path);
    const flag = Object.entries(CLI_FLAG_PATHS).find(([, p]) => p === path)?.[0];
    const origin = flag ? `--${flag}` : `flag for ${path}`;
    if (!s) throw new ConfigError(`${origin}: ${path} is not a config field`);
    overrides.push({ path: s.path, value: parseValue(s, value, origin), origin });
  }
  return { overrides, warnings };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A copy of `raw` with the overrides set (objects on the way are copied, never mutated). */
export function applyOverrides(raw: Record<string, unknown>, overrides: readonly Override[]): Record<string, unknown> {
  const root: Record<string, unknown> = { ...raw };
  for (const o of overrides) {
    let cur = root;
    for (let i = 0; i < o.path.length - 1; i++) {
      const k = String(o.path[i]);
      const next = Object.hasOwn(cur, k) ? cur[k] : undefined;
      const copy = isPlainObject(next) ? { ...next } : {};
      cur[k] = copy;
      cur = copy;
    }
    cur[String(o.path[o.path.length - 1])] = o.value;
  }
  return root;
}

/** Config flags out of a command's parsed values (--region, --endpoint, --profile). */
export function configFlags(values: Record<string, unknown>): FlagValues {
  const out: FlagValues = {};
  for (const [flag, path] of Object.entries(CLI_FLAG_PATHS)) {
    const v = values[flag];
    if (typeof v === 'string') out[path] = v;
  }
  return out;
}
