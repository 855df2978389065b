// Reading the config (I/O): find the file, refuse what is not a sane config file (too big, binary,
// YAML bombs, several documents), parse YAML or JSON keeping positions for "file:line" messages,
// apply ACR_PREFLIGHT_* and flag overrides, then validate (pure, validate.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Document } from 'yaml';
import { ConfigError } from '../errors.js';
import { applyOverrides, collectOverrides, type FlagValues, type Override } from './overrides.js';
import type { LoadedConfig } from './types.js';
import { yaml } from '../util/yaml-lib.js';
import { yamlLocator } from '../util/yaml-locate.js';
import { readPlainYaml } from './plain-yaml.js';
import { validateConfig, type Locate } from './validate.js';

/**
 * Largest config file we read. A hand-written config is a few KiB; the limit is generous enough for
 * generated ones (100,000 data-center prefixes in flow style is about 1.9 MB) and still bounds memory.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** YAML alias expansions allowed before we call it a "billion laughs" bomb. */
export const MAX_ALIAS_COUNT = 100;
/** JSON configs above this size skip the line-number model (memory) */
export const LARGE_JSON_BYTES = 256 * 1024;

export interface ParsedText {
  raw: unknown;
  /** "file:line" for a path, when the text has it */
  locate: Locate;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/**
 * Parse config text (YAML, or JSON — JSON is chosen by a .json label or a leading "{").
 * Pure apart from the text; throws only ConfigError.
 */
export function parseConfigText(text: string, label: string): ParsedText {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000') || /[\u0001-\u0008\u000e-\u001a\u001c-\u001f]/.test(text)) {
    throw new ConfigError(`${label}: not a text file (it contains binary data)`, 'pass a YAML or JSON config file');
  }
  if (text.trim() === '') throw new ConfigError(`${label}: the file is empty`, 'see examples/preflight.yaml for a complete config');
  const looksJson = /\.json$/i.test(label) || text.trimStart().startsWith('{');
  let jsonValue: unknown;
  if (looksJson) {
    try {
      jsonValue = JSON.parse(text);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const pos = /position (\d+)/.exec(msg);
      const lineM = /line (\d+)/.exec(msg);
      const line = lineM ? Number(lineM[1]) : pos ? lineOfOffset(text, Number(pos[1])) : undefined;
      throw new ConfigError(`${label}${line ? `:${line}` : ''}: not valid JSON (${firstLine(msg).replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')})`);
    }
  }
  if (looksJson && jsonValue !== undefined && text.length > LARGE_JSON_BYTES) {
    // a large generated JSON config (say 100,000 data-center prefixes): the YAML document model
    // that gives line numbers would cost several times the file in memory; errors name paths only
    return { raw: jsonValue, locate: () => label };
  }
  if (!looksJson) {
    // nearly every config: read without loading the yaml package (same value, same lines)
    const plain = readPlainYaml(text);
    if (plain) return { raw: plain.value, locate: plain.locator(label) };
  }
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true, strict: true, version: '1.2' });
  } catch (err) {
    throw new ConfigError(`${label}: cannot be parsed (${firstLine(err instanceof Error ? err.message : String(err))})`);
  }
  const locate = yamlLocator(doc, lc, label);
  const err = doc.errors[0];
  if (err) {
    if (looksJson && jsonValue !== undefined && err.code !== 'DUPLICATE_KEY') {
      // valid JSON the YAML parser dislikes (rare, e.g. tabs): positions are unavailable, the value is fine
      return { raw: jsonValue, locate: () => label };
    }
    const line = err.linePos?.[0]?.line;
    // the key as written at the error's position (a key name, never a value)
    const at = text.slice(err.pos[0]).match(/^\s*(?:-\s*)?(["']?)([\w.-]{1,60})\1\s*:/);
    const dupKey = err.code === 'DUPLICATE_KEY' && at ? at[2]! : '';
    const what = err.code === 'DUPLICATE_KEY' ? `duplicate key${dupKey ? ` ${JSON.stringify(dupKey)}` : ''} (each key may appear once)` : err.code === 'MULTIPLE_DOCS' ? 'several YAML documents in one file (only one is allowed)' : `YAML syntax error: ${firstLine(err.message)}`;
    throw new ConfigError(`${label}${line ? `:${line}` : ''}: ${what}`);
  }
  if (looksJson && jsonValue !== undefined) return { raw: jsonValue, locate };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/alias/i.test(msg)) {
      throw new ConfigError(`${label}: too many YAML alias expansions (over ${MAX_ALIAS_COUNT}; a "billion laughs" bomb?) — refused`, 'write the values out instead of nesting aliases');
    }
    throw new ConfigError(`${label}: cannot be read as data (${firstLine(msg)})`);
  }
  if (raw === null || raw === undefined) throw new ConfigError(`${label}: the file holds no settings (only comments?)`, 'see examples/preflight.yaml for a complete config');
  return { raw, locate };
}

/** Read a config file's text, refusing huge and non-UTF-8 files. */
export function readConfigText(path: string, label: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ConfigError(`${label}: not a regular file`, 'pass the path of a YAML or JSON config file with -c');
    size = st.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${label}: cannot read the config file (${code ?? String(err)})`, code === 'ENOENT' ? 'check the path, or pass -c FILE' : undefined);
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new ConfigError(`${label}: the file is ${size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for a config file`, 'is this the right file?');
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${label}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new ConfigError(`${label}: not a text file (it is not UTF-8; binary data?)`, 'pass a YAML or JSON config file');
  }
}

export interface LoadConfigOptions {
  /** -c FILE; otherwise ACR_PREFLIGHT_CONFIG; otherwise ./preflight.yaml */
  file?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** config values from command-line flags, keyed by config path ("region", "cloud.endpoint") */
  flags?: FlagValues;
  /** known rule ids: waivers for other ids are refused with the nearest id */
  ruleIds?: readonly string[];
  /** clock for waiver-expiry warnings (default now) */
  now?: Date;
}

function labelFor(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

function overrideLocator(overrides: Override[], fallback: Locate): Locate {
  return (path, at) => {
    let best: Override | undefined;
    for (const o of overrides) {
      if (o.path.length <= path.length && o.path.every((s, i) => String(s) === String(path[i])) && (!best || o.path.length > best.path.length)) best = o;
    }
    return best ? best.origin : fallback(path, at);
  };
}

/** Load, override and validate the config. Throws ConfigError (one line, with file:line or the env var). */
export function loadConfig(opts: LoadConfigOptions): LoadedConfig {
  const { env, cwd } = opts;
  const explicit = opts.file ?? (env.ACR_PREFLIGHT_CONFIG || undefined);
  const abs = resolve(cwd, explicit ?? 'preflight.yaml');
  const label = labelFor(abs, cwd);
  const { overrides, warnings: envWarnings } = collectOverrides(env, opts.flags ?? {});

  let raw: unknown = {};
  let locate: Locate = () => undefined;
  let file = '<env>';
  let baseDir = cwd;
  if (existsSync(abs) || explicit) {
    if (!existsSync(abs)) {
      const via = opts.file ? '' : ' (from ACR_PREFLIGHT_CONFIG)';
      throw new ConfigError(`${label}: config file not found${via}`, 'check the path, or see examples/preflight.yaml');
    }
    const parsed = parseConfigText(readConfigText(abs, label), label);
    raw = parsed.raw;
    locate = parsed.locate;
    file = abs;
    baseDir = dirname(abs);
  } else if (!overrides.length) {
    throw new ConfigError(
      `no config: ${label} does not exist and no ACR_PREFLIGHT_* settings are set`,
      'create preflight.yaml (see examples/preflight.yaml), pass -c FILE, or set ACR_PREFLIGHT_CONFIG',
    );
  }
  if (overrides.length) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      // let validation report the top-level shape first
      validateConfig(raw, { locate });
    }
    raw = applyOverrides(raw as Record<string, unknown>, overrides);
    locate = overrideLocator(overrides, locate);
  }
  const { config, warnings } = validateConfig(raw, { locate, now: opts.now ?? new Date(), ruleIds: opts.ruleIds });
  const fileWarnings: string[] = [];
  const check = (p: string | undefined, key: string) => {
    if (!p) return;
    const full = resolveUserPath(p, baseDir, env);
    const loc = locate(key.split('.'), 'value');
    if (!existsSync(full)) fileWarnings.push(`${loc ? `${loc}: ` : ''}${key}: ${p} does not exist${full === p ? '' : ` (resolved to ${full})`}`);
  };
  check(config.gitlab.caFile, 'gitlab.caFile');
  check(config.probe?.jumpHost?.privateKeyFile, 'probe.jumpHost.privateKeyFile');
  check(config.probe?.gitlabHost?.ssh.privateKeyFile, 'probe.gitlabHost.ssh.privateKeyFile');
  check(config.datacenter?.router?.ssh.privateKeyFile, 'datacenter.router.ssh.privateKeyFile');
  return { config, file, baseDir, warnings: [...envWarnings, ...warnings, ...fileWarnings] };
}

/** Expand "~/" with HOME and resolve a relative path against the config's directory. */
export function resolveUserPath(p: string, baseDir: string, env: NodeJS.ProcessEnv): string {
  if (p === '~' || p.startsWith('~/')) {
    const home = env.HOME || env.USERPROFILE;
    if (home) return join(home, p.slice(2));
  }
  return resolve(baseDir, p);
}
