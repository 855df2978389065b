// Pure validation of a parsed config (docs/config.md) against the one schema (schema.ts), with the
// shared issue formatter (src/util/issues.ts): unknown keys name the path and the nearest valid key,
// a literal secret is refused without ever echoing it, and every problem is reported at once. Where a
// problem sits (file:line, or the env var / flag that set the value) is asked of a `locate`
// callback, so this module does no I/O. The checks across fields follow the schema's.
import { ConfigError } from '../errors.js';
import { isCanonicalCidr } from '../net/cidr.js';
import { lookupConnectTo, uncoveredProblem } from '../net/connect-to.js';
import { parseProblems, problemLine, problemsMessage, show, type IssuePath, type Locate, type PathSeg, type Problem } from '../util/issues.js';
import { nearest } from '../util/nearest.js';
import { CONFIG_SCHEMA, parseHttpUrl, type Config } from './schema.js';

export type { Locate, PathSeg };
export type ConfigPath = IssuePath;

export interface ValidateOptions {
  locate?: Locate;
  /** clock for waiver-expiry warnings (pure: the caller passes it) */
  now?: Date;
  /** known rule ids; when given (non-empty), a waiver for another id is an error */
  ruleIds?: readonly string[];
}

export interface Validated {
  config: Config;
  warnings: string[];
}

/** The checks across fields of a config the schema accepted: problems, and warnings (with their place). */
function crossChecks(c: Config, opts: ValidateOptions): { problems: Problem[]; warnings: string[] } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const where = (path: IssuePath): string => {
    const loc = opts.locate?.(path, 'value');
    return loc ? `${loc}: ` : '';
  };
  for (const cidr of c.datacenter?.cidrs ?? []) {
    if (cidr.includes('/') && !isCanonicalCidr(cidr)) {
      warnings.push(`${where(['datacenter', 'cidrs'])}datacenter.cidrs: ${cidr} has host bits set; it is read as its network (like the cloud APIs do)`);
    }
  }
  const ep = parseHttpUrl(c.gitlab.endpoint, true);
  if (typeof ep !== 'string' && ep.scheme === 'http' && c.gitlab.caFile) {
    warnings.push(`${where(['gitlab', 'caFile'])}gitlab.caFile is ignored: gitlab.endpoint is plain http`);
  }
  // the GitLab probe (from here and through the jump host) is the one thing probe.connectTo maps
  if (typeof ep !== 'string') {
    const m = lookupConnectTo(c.probe?.connectTo, ep.host, ep.port);
    if (m.kind === 'uncovered') problems.push({ path: ['gitlab', 'endpoint'], at: 'value', problem: uncoveredProblem(c.gitlab.endpoint, ep.host, ep.port, m.keys) });
  }
  // provision matches build rules on push type, push name and image tag: two entries with the same
  // three would be one rule in ACR, and the second would silently never be used
  const rulesSeen = new Map<string, number>();
  (c.build?.rules ?? []).forEach((r, i) => {
    const key = `${r.pushType} ${r.pushName} → :${r.imageTag}`;
    const first = rulesSeen.get(key);
    if (first !== undefined) {
      problems.push({
        path: ['build', 'rules', i],
        at: 'value',
        problem: `the same push type, push name and image tag as build.rules[${first}] (${key})`,
        hint: 'ACR tells build rules apart by these three: change the image tag or remove one',
      });
    } else rulesSeen.set(key, i);
  });
  const ids = opts.ruleIds?.length ? opts.ruleIds : undefined;
  const seen = new Set<string>();
  (c.waivers ?? []).forEach((wv, i) => {
    if (ids && !ids.includes(wv.rule)) {
      const guess = nearest(wv.rule, ids);
      problems.push({ path: ['waivers', i, 'rule'], at: 'value', problem: `unknown rule id ${show(wv.rule)}${guess ? ` (did you mean ${guess}?)` : ''}`, hint: 'run `acr-preflight rules` to list the ids' });
    }
    const key = `${wv.rule}\u0000${wv.scope ?? ''}`;
    if (seen.has(key)) warnings.push(`${where(['waivers', i])}waivers[${i}]: a second waiver for ${wv.rule}${wv.scope ? ` (scope ${wv.scope})` : ''}; the first one that has not expired applies`);
    seen.add(key);
    if (opts.now) {
      const end = Date.parse(`${wv.expires}T23:59:59.999Z`);
      if (opts.now.getTime() > end) {
        warnings.push(`${where(['waivers', i, 'expires'])}waivers[${i}]: the waiver for ${wv.rule} (owner ${wv.owner}) expired on ${wv.expires}; it no longer waives`);
      }
    }
  });
  return { problems, warnings };
}

function check(raw: unknown, opts: ValidateOptions): { config?: Config; problems: Problem[]; warnings: string[] } {
  const r = parseProblems(CONFIG_SCHEMA, raw);
  if (!r.ok) return { problems: r.problems, warnings: [] };
  return { config: r.data, ...crossChecks(r.data, opts) };
}

/**
 * Validate a parsed config. Throws one ConfigError: a single problem as one line (with its hint), or
 * several as a count followed by one line each (place, path, problem, hint), up to MAX_LISTED_PROBLEMS.
 */
export function validateConfig(raw: unknown, opts: ValidateOptions = {}): Validated {
  const { config, problems, warnings } = check(raw, opts);
  if (problems.length || !config) {
    const { message, hint } = problemsMessage(problems, 'the config', opts.locate);
    throw new ConfigError(message, hint);
  }
  return { config, warnings };
}

/** Every problem, not only the first (for tests and `--debug`). */
export function configProblems(raw: unknown, opts: ValidateOptions = {}): string[] {
  return check(raw, opts).problems.map((p) => problemLine(p, opts.locate));
}
