// The config file contract (docs/config.md) as one zod schema: the types (types.ts) are inferred
// from it, validation (validate.ts) parses with it, and the ACR_PREFLIGHT_* variables (overrides.ts)
// are named after its fields. Ids, CIDRs, URLs, ports, dates and secret references are checked here;
// the words of a problem are the checks' own, or the shared issue formatter's (src/util/issues.ts).
// Built with zod/mini, not zod's classic API: the schema is built on every start before the first
// cloud request, and a mini schema is about half the cost to build (no methods attached to each
// instance, no clone per `.optional()`); `check` loads nothing of the classic API.
import '../util/zod-mode.js';
import * as z from 'zod/mini';
import { isCidr, isIPv4 } from '../net/cidr.js';
import { FIELD_META, isMapping, show, typeName, type FieldMeta } from '../util/issues.js';
import { nearest } from '../util/nearest.js';
import { isKnownRegion, REGIONS, REGIONS_RETRIEVED } from './regions.js';

/** A check: the problem ("must start with vpc-") or undefined. */
type Check<T> = (v: T) => string | undefined;

/** `schema` with a check whose problem is the message, as is. */
function checked<S extends z.ZodMiniType>(schema: S, check: Check<z.output<S>>): S {
  return schema.check(
    z.superRefine<z.output<S>>((v, ctx) => {
      const p = check(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
  );
}

function withMeta<S extends z.ZodMiniType>(schema: S, meta: FieldMeta): S {
  FIELD_META.add(schema, meta);
  return schema;
}
// the one plain string that the checked strings are built from (a check makes a new schema of it; it
// never changes, and carries no metadata)
const STRING = z.string();
const str = (check?: Check<string>, example?: string) => {
  const s = check ? checked(STRING, check) : z.string();
  return example ? withMeta(s, { example }) : s;
};
const pattern =
  (re: RegExp, what: string): Check<string> =>
  (v) =>
    re.test(v) ? undefined : `${what}, got ${show(v)}`;

/** A key: value mapping of exactly these keys (anything else is not a mapping, whatever YAML made of it). */
function mapping<S extends z.ZodMiniType>(inner: S) {
  return z.pipe(
    z.transform((v: unknown, ctx): unknown => {
      if (v === undefined || isMapping(v)) return v;
      ctx.issues.push({ code: 'custom', message: `expected a mapping (key: value), got ${typeName(v)}`, input: v });
      return z.NEVER;
    }),
    inner,
  );
}
const obj = <T extends z.core.$ZodLooseShape>(shape: T) => mapping(z.strictObject(shape));

/** A list; a single string where a list belongs says how to write the list. */
function list<S extends z.ZodMiniType>(item: S, minItems = 0) {
  const l = z.array(item, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input !== undefined ? `expected a list, got ${typeName(iss.input)}${typeof iss.input === 'string' ? ` (${show(iss.input)}) — write [${show(iss.input)}] or one "- item" per line` : ''}` : undefined),
  });
  return minItems ? l.check(z.minLength(minItems)) : l;
}

const nonEmpty: Check<string> = (v) => (v.trim() === '' ? 'must not be empty' : v.length > 4096 ? 'is too long (over 4096 characters)' : undefined);

export function checkPort(v: number): string | undefined {
  return v >= 1 && v <= 65535 ? undefined : `must be a TCP port 1-65535, got ${v}`;
}
/** A number whose refusal of another type says an integer was expected (the base of every `int`). */
const NUMBER = z.number({
  error: (iss) => (iss.code === 'invalid_type' && iss.input !== undefined ? `expected an integer, got ${typeName(iss.input)}${isMapping(iss.input) || Array.isArray(iss.input) ? '' : ` (${show(iss.input)})`}` : undefined),
});
/** An integer, then `check` (a number that is not an integer says so; so does any other value). */
const int = (check?: Check<number>) => checked(NUMBER, (v) => (Number.isInteger(v) ? check?.(v) : `expected an integer, got a number (${show(v)})`));
const port = () => withMeta(int(checkPort), { example: '22' });

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isHost(s: string): boolean {
  return isIPv4(s) || (HOSTNAME.test(s) && !/^[\d.]+$/.test(s));
}
const host = () => str((v) => (isHost(v) ? undefined : `expected an IPv4 address or host name, got ${show(v)}`), '192.168.1.20');

/** "host:port" with an IPv4 address (ipOnly) or a host name. */
export function checkHostPort(v: string, ipOnly: boolean): string | undefined {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  const what = ipOnly ? '"IPv4:port", e.g. "192.168.2.15:8081"' : '"host:port", e.g. "192.168.1.10:443"';
  if (!m) return `expected ${what}, got ${show(v)}`;
  if (ipOnly ? !isIPv4(m[1]!) : !isHost(m[1]!)) return `expected ${what}, got ${show(v)}`;
  return checkPort(Number(m[2]));
}

/** A secret reference; the problem never holds the value. */
export function checkSecretRef(v: string): string | undefined {
  if (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return undefined;
  if (/^file:\S/.test(v)) return undefined;
  if (v.startsWith('env:')) return 'env: needs an environment variable name (letters, digits, _), e.g. env:GITLAB_TOKEN';
  if (v.startsWith('file:')) return 'file: needs a path, e.g. file:/run/secrets/gitlab-token';
  return 'a literal secret is not allowed here: use a reference env:NAME or file:PATH (e.g. env:GITLAB_TOKEN)';
}
/** "env:NAME" or "file:PATH". Literal secrets are refused, and never echoed. */
const secretRef = () => withMeta(checked(STRING, checkSecretRef), { secret: true, example: 'env:GITLAB_TOKEN' });

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

/** An http(s) URL, without the trailing slash. */
const url = (allowPath: boolean, example: string) =>
  withMeta(
    z.pipe(
      checked(STRING, (v) => {
        const p = parseHttpUrl(v, allowPath);
        return typeof p === 'string' ? p : undefined;
      }),
      z.transform((v: string) => v.replace(/\/+$/, '')),
    ),
    { example },
  );

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

const idOf = (prefix: string) => str(pattern(new RegExp(`^${prefix}-[a-z0-9]+$`), `expected an id like ${prefix}-xxxxxxxx`), `${prefix}-xxxxxxxx`);

const sshTarget = () =>
  obj({
    host: host(),
    port: z.optional(port()),
    username: str(pattern(/^[A-Za-z0-9_.][A-Za-z0-9_.@-]{0,63}$/, 'expected a user name'), 'ops'),
    /** absent = use the SSH agent (SSH_AUTH_SOCK) */
    privateKeyFile: z.optional(str(nonEmpty, '~/.ssh/id_ed25519')),
    passphrase: z.optional(secretRef()),
    /** default ~/.ssh/known_hosts */
    knownHostsFile: z.optional(str(nonEmpty, '~/.ssh/known_hosts')),
  });

// only Linux routers are read: vendor CLIs (show ip route) have no parser verified against real output yet
const FLAVORS = ['linux', 'cisco', 'huawei', 'juniper'] as const;
const flavor = checked(z.enum(FLAVORS, { error: (iss) => (iss.code === 'invalid_value' ? `expected linux, got ${show(iss.input)}` : undefined) }), (v) =>
  v === 'linux' ? undefined : `${v} routers cannot be read yet (only linux): leave datacenter.router out and let BGP (datacenter.vbrId) or datacenter.attest.returnRoute prove the return route`,
);

const buildRule = obj({
  pushType: z.enum(['GIT_BRANCH', 'GIT_TAG']),
  pushName: str(nonEmpty),
  imageTag: str(pattern(/^[A-Za-z0-9_{}][A-Za-z0-9_.{}-]{0,127}$/, 'expected an image tag (letters, digits, _ . -; up to 128)')),
  dockerfileLocation: z.optional(str(pattern(/^\/\S*$/, 'expected a directory in the repository starting with /'))),
  dockerfileName: z.optional(str(pattern(/^[^/\s]+$/, 'expected a file name like Dockerfile'))),
  buildArgs: z.optional(list(str(pattern(/^[A-Za-z_][A-Za-z0-9_]*=/, 'expected KEY=VALUE')))),
  platforms: z.optional(list(str(pattern(/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/, 'expected a platform like linux/amd64')))),
});

const waiver = obj({
  rule: str(pattern(/^[a-z0-9][a-z0-9-]*$/, 'expected a rule id like gitlab-tls')),
  reason: str(nonEmpty),
  owner: str(nonEmpty),
  /** YYYY-MM-DD */
  expires: str(checkDate, '2027-01-31'),
  /** a resource id the waiver is limited to */
  scope: z.optional(str(
    (v) =>
      /^[a-z][a-z0-9]*-[A-Za-z0-9]+$/.test(v) || isCidr(v)
        ? undefined
        : `expected a resource id (sg-…, nacl-…, lb-…, acl-…, vbr-…, rte-…, i-…, eni-…, vsw-…), an IPv4 address or a CIDR, got ${show(v)}`,
    'sg-bp1gitlab',
  )),
});

const recordOf = <V extends z.ZodMiniType>(keyCheck: Check<string>, value: V) => mapping(z.record(checked(STRING, keyCheck), value));

export const CONFIG_SCHEMA = obj({
  region: str(checkRegion, 'cn-hangzhou'),
  acr: obj({
    instanceId: idOf('cri'),
    namespace: z.optional(str((v) => (v.length >= 2 && v.length <= 120 && ACR_NAME.test(v) ? undefined : `expected an ACR namespace (2-120 lower-case letters, digits, . _ -), got ${show(v)}`))),
    repository: z.optional(str((v) => (v.length >= 1 && v.length <= 64 && ACR_NAME.test(v) ? undefined : `expected an ACR repository name (1-64 lower-case letters, digits, . _ -), got ${show(v)}`))),
  }),
  vpc: obj({ vpcId: idOf('vpc'), vSwitchId: idOf('vsw') }),
  gitlab: obj({
    endpoint: url(true, 'https://192.168.1.10'),
    username: str(pattern(/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}$/, 'expected a GitLab user name'), 'builder'),
    token: secretRef(),
    project: str(pattern(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/, 'expected a project path like group/app'), 'group/app'),
    caFile: z.optional(str(nonEmpty)),
    sshPort: z.optional(port()),
  }),
  datacenter: z.optional(obj({
    cidrs: list(str((v) => (isCidr(v) ? undefined : `expected an IPv4 CIDR like 10.20.0.0/16, got ${show(v)}`)), 1),
    vbrId: z.optional(idOf('vbr')),
    router: z.optional(obj({ ssh: sshTarget(), flavor: z.optional(flavor) })),
    attest: z.optional(obj({ returnRoute: z.optional(str(nonEmpty)) })),
  })),
  extraEndpoints: z.optional(list(str((v) => checkHostPort(v, true)))),
  probe: z.optional(obj({
    jumpHost: z.optional(sshTarget()),
    connectTo: z.optional(recordOf((k) => checkHostPort(k, false), str((v) => checkHostPort(v, false)))),
    /** sudo: the firewall reads may retry with `sudo -n` (never prompts) when the SSH user is refused */
    gitlabHost: z.optional(obj({ ssh: sshTarget(), sudo: z.optional(z.boolean()) })),
    timeoutMs: z.optional(int((v) => (v >= 100 && v <= 600_000 ? undefined : `must be 100-600000 ms, got ${v}`))),
  })),
  build: z.optional(obj({ rules: list(buildRule, 1) })),
  cloud: z.optional(obj({ endpoint: z.optional(url(false, 'http://127.0.0.1:8790')), profile: z.optional(str(pattern(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a profile name'))) })),
  /** zone table additions per region (new zones Alibaba added after our table's date) */
  zones: z.optional(recordOf(checkRegion, list(str(pattern(ZONE, 'expected a zone id like cn-hangzhou-k')), 1))),
  waivers: z.optional(list(waiver)),
});

export type Config = z.output<typeof CONFIG_SCHEMA>;
export type SshTarget = z.output<ReturnType<typeof sshTarget>>;
export type BuildRuleConfig = z.output<typeof buildRule>;
export type WaiverConfig = z.output<typeof waiver>;
