// Pure validation of a parsed config (docs/config.md): unknown keys name the path and the nearest valid
// key; ids, CIDRs, URLs, ports, dates and secret references are checked; a literal secret is
// refused without ever echoing it. Where a problem sits (file:line, or the env var / flag that set
// the value) is asked of a `locate` callback, so this module does no I/O.
// Size: the checks of every config section. Replacing this walker by one schema with the types
// inferred from it is the next architecture step (docs/architecture.md).
import { ConfigError } from '../errors.js';
import { isCanonicalCidr, isCidr, isIPv4 } from '../net/cidr.js';
import { nearest } from '../util/nearest.js';
import { lookupConnectTo, uncoveredProblem } from '../net/connect-to.js';
import { isKnownRegion, REGIONS, REGIONS_RETRIEVED } from './regions.js';
import type { Config } from './types.js';

export type PathSeg = string | number;
export type ConfigPath = readonly PathSeg[];

/** Where a path sits: "preflight.yaml:12", "ACR_PREFLIGHT_REGION", "--region"; undefined = unknown. */
export type Locate = (path: ConfigPath, at: 'key' | 'value') => string | undefined;

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

// ---------------------------------------------------------------------------------------------
// The schema, as data: validation, env-variable names (overrides.ts) and docs all walk it.

type LeafType = 'string' | 'integer' | 'boolean';

export interface LeafNode {
  kind: 'leaf';
  type: LeafType;
  /** returns a problem ("must start with vpc-") or undefined */
  check?: (v: never) => string | undefined;
  /** normalise a valid value (e.g. strip a trailing slash) */
  normalize?: (v: never) => unknown;
  /** the value is a secret reference: never echoed in messages */
  secret?: boolean;
  example?: string;
}
export interface ObjectNode {
  kind: 'object';
  fields: Record<string, { node: SchemaNode; required?: boolean }>;
}
export interface ArrayNode {
  kind: 'array';
  item: SchemaNode;
  minItems?: number;
}
export interface RecordNode {
  kind: 'record';
  keyCheck: (k: string) => string | undefined;
  value: SchemaNode;
}
export type SchemaNode = LeafNode | ObjectNode | ArrayNode | RecordNode;

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

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'binary data';
  if (v instanceof Map || v instanceof Set) return 'a YAML set/map of non-string keys';
  if (v instanceof Date) return 'a timestamp';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

const pattern =
  (re: RegExp, what: string) =>
  (v: string): string | undefined =>
    re.test(v) ? undefined : `${what}, got ${show(v)}`;

const leaf = (type: LeafType, extra: Partial<Omit<LeafNode, 'kind' | 'type'>> = {}): LeafNode => ({ kind: 'leaf', type, ...extra });
const str = (check?: (v: string) => string | undefined, extra: Partial<LeafNode> = {}): LeafNode =>
  leaf('string', { ...(check ? { check: check as LeafNode['check'] } : {}), ...extra });
const obj = (fields: Record<string, SchemaNode | { node: SchemaNode; required?: boolean }>): ObjectNode => ({
  kind: 'object',
  fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, 'node' in f ? f : { node: f }])),
});
const req = (node: SchemaNode) => ({ node, required: true });
const arr = (item: SchemaNode, minItems = 0): ArrayNode => ({ kind: 'array', item, minItems });

const nonEmpty = (v: string) => (v.trim() === '' ? 'must not be empty' : v.length > 4096 ? 'is too long (over 4096 characters)' : undefined);

export function checkPort(v: number): string | undefined {
  return v >= 1 && v <= 65535 ? undefined : `must be a TCP port 1-65535, got ${v}`;
}
const port = () => leaf('integer', { check: checkPort as LeafNode['check'], example: '22' });

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isHost(s: string): boolean {
  return isIPv4(s) || (HOSTNAME.test(s) && !/^[\d.]+$/.test(s));
}
const host = () => str((v) => (isHost(v) ? undefined : `expected an IPv4 address or host name, got ${show(v)}`), { example: '192.168.1.20' });

/** "host:port" with an IPv4 address (ipOnly) or a host name. */
export function checkHostPort(v: string, ipOnly: boolean): string | undefined {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  const what = ipOnly ? '"IPv4:port", e.g. "192.168.2.15:8081"' : '"host:port", e.g. "192.168.1.10:443"';
  if (!m) return `expected ${what}, got ${show(v)}`;
  if (ipOnly ? !isIPv4(m[1]!) : !isHost(m[1]!)) return `expected ${what}, got ${show(v)}`;
  return checkPort(Number(m[2]));
}

export function checkSecretRef(v: string): string | undefined {
  if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return undefined;
  if (/^file:\S/.test(v)) return undefined;
  if (v.startsWith('env:')) return 'env: needs an environment variable name (letters, digits, _), e.g. env:GITLAB_TOKEN';
  if (v.startsWith('file:')) return 'file: needs a path, e.g. file:/run/secrets/gitlab-token';
  return 'a literal secret is not allowed here: use a reference env:NAME or file:PATH (e.g. env:GITLAB_TOKEN)';
}
const secret = () => str(checkSecretRef, { secret: true, example: 'env:GITLAB_TOKEN' });

interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
}

/** Parse an http(s) URL the way the config accepts it; returns a problem string on refusal. */
export function parseHttpUrl(v: string, allowPath: boolean): ParsedUrl | string {
  if (/\s/.test(v)) return `expected a URL without spaces, got ${show(v)}`;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `expected an http:// or https:// URL, got ${show(v)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `expected an http:// or https:// URL, got ${show(u.protocol)}`;
  if (u.username || u.password) return 'credentials in the URL are not allowed (the token goes in gitlab.token as env:/file:)';
  if (u.search || u.hash || v.includes('?') || v.includes('#')) return `expected a URL without query or fragment, got ${show(v)}`;
  if (u.hostname.startsWith('[')) return 'IPv6 addresses are not supported (ACR reverse access is IPv4)';
  if (!isHost(u.hostname)) return `expected a host name or IPv4 address in the URL, got ${show(u.hostname)}`;
  const path = u.pathname.replace(/\/+$/, '');
  if (path && !allowPath) return `expected a URL without a path, got ${show(u.pathname)}`;
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  return { scheme, host: u.hostname, port: u.port ? Number(u.port) : scheme === 'https' ? 443 : 80, path };
}

const normalizeUrl = (v: string): string => v.replace(/\/+$/, '');

export function checkDate(v: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return `expected a date YYYY-MM-DD, got ${show(v)}`;
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) return `${show(v)} is not a calendar date`;
  return undefined;
}

const REGION = /^[a-z]{2,4}(-[a-z0-9]+){1,4}$/;

/** A region id of the dated list in regions.ts; otherwise the problem, with the nearest listed id. */
export function checkRegion(v: string): string | undefined {
  if (isKnownRegion(v)) return undefined;
  if (!REGION.test(v)) return `expected a region id like cn-hangzhou, got ${show(v)}`;
  const guess = nearest(v, REGIONS);
  return `${show(v)} is not an Alibaba Cloud region id${guess ? ` (did you mean ${guess}?)` : ''}; the known ids (list of ${REGIONS_RETRIEVED}) are in docs/regions.md`;
}
const ZONE = /^[a-z]{2,4}(-[a-z0-9]+){2,5}$/;
const ACR_NAME = /^[a-z0-9](?:[a-z0-9]|[._-](?=[a-z0-9]))*$/;

const idOf = (prefix: string) => str(pattern(new RegExp(`^${prefix}-[a-z0-9]+$`), `expected an id like ${prefix}-xxxxxxxx`), { example: `${prefix}-xxxxxxxx` });

const sshTarget = (): ObjectNode =>
  obj({
    host: req(host()),
    port: port(),
    username: req(str(pattern(/^[A-Za-z0-9_.][A-Za-z0-9_.@-]{0,63}$/, 'expected a user name'), { example: 'ops' })),
    privateKeyFile: str(nonEmpty, { example: '~/.ssh/id_ed25519' }),
    passphrase: secret(),
    knownHostsFile: str(nonEmpty, { example: '~/.ssh/known_hosts' }),
  });

export const SCHEMA: ObjectNode = obj({
  region: req(str(checkRegion, { example: 'cn-hangzhou' })),
  acr: req(
    obj({
      instanceId: req(idOf('cri')),
      namespace: str((v) => (v.length >= 2 && v.length <= 120 && ACR_NAME.test(v) ? undefined : `expected an ACR namespace (2-120 lower-case letters, digits, . _ -), got ${show(v)}`)),
      repository: str((v) => (v.length >= 1 && v.length <= 64 && ACR_NAME.test(v) ? undefined : `expected an ACR repository name (1-64 lower-case letters, digits, . _ -), got ${show(v)}`)),
    }),
  ),
  vpc: req(obj({ vpcId: req(idOf('vpc')), vSwitchId: req(idOf('vsw')) })),
  gitlab: req(
    obj({
      endpoint: req(
        str((v) => {
          const p = parseHttpUrl(v, true);
          return typeof p === 'string' ? p : undefined;
        }, { normalize: normalizeUrl as LeafNode['normalize'], example: 'https://192.168.1.10' }),
      ),
      username: req(str(pattern(/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}$/, 'expected a GitLab user name'), { example: 'builder' })),
      token: req(secret()),
      project: req(str(pattern(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/, 'expected a project path like group/app'), { example: 'group/app' })),
      caFile: str(nonEmpty),
      sshPort: port(),
    }),
  ),
  datacenter: obj({
    cidrs: req(arr(str((v) => (isCidr(v) ? undefined : `expected an IPv4 CIDR like 10.20.0.0/16, got ${show(v)}`)), 1)),
    vbrId: idOf('vbr'),
    router: obj({
      ssh: req(sshTarget()),
      // only Linux routers are read: vendor CLIs (show ip route) have no parser verified against real output yet
      flavor: str((v) =>
        v === 'linux'
          ? undefined
          : ['cisco', 'huawei', 'juniper'].includes(v)
            ? `${v} routers cannot be read yet (only linux): leave datacenter.router out and let BGP (datacenter.vbrId) or datacenter.attest.returnRoute prove the return route`
            : `expected linux, got ${show(v)}`,
      ),
    }),
    attest: obj({ returnRoute: str(nonEmpty) }),
  }),
  extraEndpoints: arr(str((v) => checkHostPort(v, true))),
  probe: obj({
    jumpHost: sshTarget(),
    connectTo: { kind: 'record', keyCheck: (k) => checkHostPort(k, false), value: str((v) => checkHostPort(v, false)) },
    gitlabHost: obj({ ssh: req(sshTarget()), sudo: leaf('boolean') }),
    timeoutMs: leaf('integer', { check: ((v: number) => (v >= 100 && v <= 600_000 ? undefined : `must be 100-600000 ms, got ${v}`)) as LeafNode['check'] }),
  }),
  build: obj({
    rules: req(
      arr(
        obj({
          pushType: req(str((v) => (v === 'GIT_BRANCH' || v === 'GIT_TAG' ? undefined : `expected GIT_BRANCH or GIT_TAG, got ${show(v)}`))),
          pushName: req(str(nonEmpty)),
          imageTag: req(str(pattern(/^[A-Za-z0-9_{}][A-Za-z0-9_.{}-]{0,127}$/, 'expected an image tag (letters, digits, _ . -; up to 128)'))),
          dockerfileLocation: str(pattern(/^\/\S*$/, 'expected a directory in the repository starting with /')),
          dockerfileName: str(pattern(/^[^/\s]+$/, 'expected a file name like Dockerfile')),
          buildArgs: arr(str(pattern(/^[A-Za-z_][A-Za-z0-9_]*=/, 'expected KEY=VALUE'))),
          platforms: arr(str(pattern(/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/, 'expected a platform like linux/amd64'))),
        }),
        1,
      ),
    ),
  }),
  cloud: obj({
    endpoint: str(
      (v) => {
        const p = parseHttpUrl(v, false);
        return typeof p === 'string' ? p : undefined;
      },
      { normalize: normalizeUrl as LeafNode['normalize'], example: 'http://127.0.0.1:8790' },
    ),
    profile: str(pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a profile name')),
  }),
  zones: {
    kind: 'record',
    keyCheck: checkRegion,
    value: arr(str(pattern(ZONE, 'expected a zone id like cn-hangzhou-k')), 1),
  },
  waivers: arr(
    obj({
      rule: req(str(pattern(/^[a-z0-9][a-z0-9-]*$/, 'expected a rule id like gitlab-tls'))),
      reason: req(str(nonEmpty)),
      owner: req(str(nonEmpty)),
      expires: req(str(checkDate, { example: '2027-01-31' })),
      scope: str(
        (v) =>
          /^[a-z][a-z0-9]*-[A-Za-z0-9]+$/.test(v) || isCidr(v)
            ? undefined
            : `expected a resource id (sg-…, nacl-…, lb-…, acl-…, vbr-…, rte-…, i-…, eni-…, vsw-…), an IPv4 address or a CIDR, got ${show(v)}`,
        { example: 'sg-bp1gitlab' },
      ),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------

/** "gitlab.token", "waivers[0].expires", 'probe.connectTo["192.168.1.10:443"]' */
export function dotted(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${show(seg.length > 80 ? `${seg.slice(0, 80)}…` : seg)}]`;
  }
  return out || '(top level)';
}

interface Issue {
  path: ConfigPath;
  at: 'key' | 'value';
  problem: string;
  hint?: string;
}

class Walker {
  issues: Issue[] = [];
  warnings: string[] = [];
  constructor(readonly opts: ValidateOptions) {}

  problem(path: ConfigPath, problem: string, at: 'key' | 'value' = 'value', hint?: string): void {
    // paths of list items are one reused array (see array()): keep a copy
    this.issues.push({ path: [...path], at, problem, hint });
  }

  where(path: ConfigPath, at: 'key' | 'value' = 'value'): string {
    const loc = this.opts.locate?.(path, at);
    return loc ? `${loc}: ` : '';
  }

  walk(node: SchemaNode, v: unknown, path: PathSeg[]): unknown {
    switch (node.kind) {
      case 'leaf':
        return this.leaf(node, v, path);
      case 'object':
        return this.object(node, v, path);
      case 'array':
        return this.array(node, v, path);
      case 'record':
        return this.record(node, v, path);
    }
  }

  leaf(node: LeafNode, v: unknown, path: PathSeg[]): unknown {
    const ok =
      node.type === 'string' ? typeof v === 'string' : node.type === 'integer' ? typeof v === 'number' && Number.isInteger(v) : typeof v === 'boolean';
    if (!ok) {
      const want = node.type === 'string' ? 'a string' : node.type === 'integer' ? 'an integer' : 'true or false';
      // a secret given as a non-string is still a literal secret: never echo it
      const got = node.secret || typeof v === 'object' || v === undefined ? typeName(v) : `${typeName(v)} (${show(v)})`;
      this.problem(path, `expected ${want}, got ${got}`);
      return undefined;
    }
    const p = node.check?.(v as never);
    if (p) {
      this.problem(path, p);
      return undefined;
    }
    return node.normalize ? node.normalize(v as never) : v;
  }

  object(node: ObjectNode, v: unknown, path: PathSeg[]): unknown {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array || v instanceof Map || v instanceof Set || v instanceof Date) {
      this.problem(path, `expected a mapping (key: value), got ${typeName(v)}`);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    const known = Object.keys(node.fields);
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(node.fields, key)) {
        const guess = nearest(key.slice(0, 200), known);
        const full = (k: string) => dotted([...path, k]);
        this.problem([...path, key], `unknown key${guess ? ` (did you mean ${full(guess)}?)` : ` (valid here: ${known.join(', ')})`}`, 'key');
      }
    }
    for (const [key, field] of Object.entries(node.fields)) {
      const value = (v as Record<string, unknown>)[key];
      if (!Object.hasOwn(v, key) || value === undefined) {
        if (field.required) {
          const ex = field.node.kind === 'leaf' && field.node.example ? ` — add e.g. ${key}: ${field.node.example}` : '';
          this.problem([...path, key], `missing (required)${ex}`, 'key');
        }
        continue;
      }
      const r = this.walk(field.node, value, [...path, key]);
      if (r !== undefined) out[key] = r;
    }
    return out;
  }

  array(node: ArrayNode, v: unknown, path: PathSeg[]): unknown {
    if (!Array.isArray(v)) {
      this.problem(path, `expected a list, got ${typeName(v)}${typeof v === 'string' ? ` (${show(v)}) — write [${show(v)}] or one "- item" per line` : ''}`);
      return undefined;
    }
    if (v.length < (node.minItems ?? 0)) {
      this.problem(path, `must list at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
      return undefined;
    }
    const out: unknown[] = [];
    // one path array for every item (a list may hold 100,000 data-center prefixes): walk() and its
    // callees only read it, problem() copies it
    const itemPath: PathSeg[] = [...path, 0];
    for (let i = 0; i < v.length; i++) {
      itemPath[itemPath.length - 1] = i;
      const r = this.walk(node.item, v[i], itemPath);
      if (r !== undefined) out.push(r);
      if (this.issues.length > 20) break;
    }
    return out;
  }

  record(node: RecordNode, v: unknown, path: PathSeg[]): unknown {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array || v instanceof Map || v instanceof Set || v instanceof Date) {
      this.problem(path, `expected a mapping (key: value), got ${typeName(v)}`);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const p = node.keyCheck(key);
      if (p) {
        this.problem([...path, key], p, 'key');
        continue;
      }
      const r = this.walk(node.value, (v as Record<string, unknown>)[key], [...path, key]);
      if (r !== undefined) Object.defineProperty(out, key, { value: r, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

function crossChecks(w: Walker, c: Config): void {
  for (const cidr of c.datacenter?.cidrs ?? []) {
    if (cidr.includes('/') && !isCanonicalCidr(cidr)) {
      w.warnings.push(`${w.where(['datacenter', 'cidrs'])}datacenter.cidrs: ${cidr} has host bits set; it is read as its network (like the cloud APIs do)`);
    }
  }
  const ep = parseHttpUrl(c.gitlab.endpoint, true);
  if (typeof ep !== 'string' && ep.scheme === 'http' && c.gitlab.caFile) {
    w.warnings.push(`${w.where(['gitlab', 'caFile'])}gitlab.caFile is ignored: gitlab.endpoint is plain http`);
  }
  // the GitLab probe (from here and through the jump host) is the one thing probe.connectTo maps
  if (typeof ep !== 'string') {
    const m = lookupConnectTo(c.probe?.connectTo, ep.host, ep.port);
    if (m.kind === 'uncovered') w.problem(['gitlab', 'endpoint'], uncoveredProblem(c.gitlab.endpoint, ep.host, ep.port, m.keys));
  }
  // provision matches build rules on push type, push name and image tag: two entries with the same
  // three would be one rule in ACR, and the second would silently never be used
  const rulesSeen = new Map<string, number>();
  (c.build?.rules ?? []).forEach((r, i) => {
    const key = `${r.pushType} ${r.pushName} → :${r.imageTag}`;
    const first = rulesSeen.get(key);
    if (first !== undefined) {
      w.problem(['build', 'rules', i], `the same push type, push name and image tag as build.rules[${first}] (${key})`, 'value', 'ACR tells build rules apart by these three: change the image tag or remove one');
    } else rulesSeen.set(key, i);
  });
  const ids = w.opts.ruleIds?.length ? w.opts.ruleIds : undefined;
  const seen = new Set<string>();
  (c.waivers ?? []).forEach((wv, i) => {
    if (ids && !ids.includes(wv.rule)) {
      const guess = nearest(wv.rule, ids);
      w.problem(['waivers', i, 'rule'], `unknown rule id ${show(wv.rule)}${guess ? ` (did you mean ${guess}?)` : ''}`, 'value', 'run `acr-preflight rules` to list the ids');
    }
    const key = `${wv.rule}\u0000${wv.scope ?? ''}`;
    if (seen.has(key)) w.warnings.push(`${w.where(['waivers', i])}waivers[${i}]: a second waiver for ${wv.rule}${wv.scope ? ` (scope ${wv.scope})` : ''}; the first one that has not expired applies`);
    seen.add(key);
    if (w.opts.now) {
      const end = Date.parse(`${wv.expires}T23:59:59.999Z`);
      if (w.opts.now.getTime() > end) {
        w.warnings.push(`${w.where(['waivers', i, 'expires'])}waivers[${i}]: the waiver for ${wv.rule} (owner ${wv.owner}) expired on ${wv.expires}; it no longer waives`);
      }
    }
  });
}

/** Problems listed in one config error at most; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * Validate a parsed config. Throws one ConfigError: a single problem as one line (with its hint), or
 * several as a count followed by one line each (place, path, problem, hint), up to MAX_LISTED_PROBLEMS.
 */
export function validateConfig(raw: unknown, opts: ValidateOptions = {}): Validated {
  const w = new Walker(opts);
  const value = w.walk(SCHEMA, raw, []);
  if (!w.issues.length) crossChecks(w, value as Config);
  const line = (i: (typeof w.issues)[number]) => `${w.where(i.path, i.at)}${dotted(i.path)}: ${i.problem}`;
  const [first] = w.issues;
  if (first && w.issues.length === 1) throw new ConfigError(line(first), first.hint);
  if (first) {
    const shown = w.issues.slice(0, MAX_LISTED_PROBLEMS).map((i) => `  - ${line(i)}${i.hint ? ` — ${i.hint}` : ''}`);
    const rest = w.issues.length - shown.length;
    throw new ConfigError([`the config has ${w.issues.length} problems:`, ...shown, ...(rest > 0 ? [`  … and ${rest} more`] : [])].join('\n'));
  }
  return { config: value as Config, warnings: w.warnings };
}

/** Every problem, not only the first (for tests and `--debug`). */
export function configProblems(raw: unknown, opts: ValidateOptions = {}): string[] {
  const w = new Walker(opts);
  const value = w.walk(SCHEMA, raw, []);
  if (!w.issues.length) crossChecks(w, value as Config);
  return w.issues.map((i) => `${w.where(i.path, i.at)}${dotted(i.path)}: ${i.problem}`);
}
