// Support bundles: the fact snapshot plus raw evidence of every API call, redacted, and (version 2)
// what the verdict was made of: tool, Node and OS, collection time, flags, waivers and the verdict
// reached then, so `analyze` reproduces it. Secrets are never in facts by construction; as defence
// in depth every known secret value is also scrubbed from the serialised bundle.
//
// Pseudonymisation keeps meaning: IPv4 addresses go through a keyed prefix-preserving permutation
// (loopback and 100.64.0.0/10 kept, private and link-local addresses stay in their range), host
// names and URL hosts become stable tokens (host-1.example; the same name gets the same token
// everywhere in the bundle, so the endpoint, the certificate's names and the clone URL still agree),
// certificate fingerprints, serials and subject/issuer names are replaced by keyed hashes. The
// manifest (`redaction.replaced`) says what kinds of value were replaced, never the originals.
import { createHmac, randomBytes } from 'node:crypto';
import { ipToNum, numToIp } from '../net/cidr.js';
import { arch, platform, release } from 'node:os';
import { isIPv4 } from '../net/cidr.js';
import { TOOL_NAME, toolVersion } from '../paths.js';
import type { Facts } from './types.js';

export type { Bundle, BundleV1, CallRecord, RecordedFlags, RecordedVerdict, RecordedWaiver, Redaction } from './bundle-schema.js';
import type { Bundle, BundleV1, CallRecord, RecordedFlags, RecordedVerdict, RecordedWaiver, Redaction } from './bundle-schema.js';

export const BUNDLE_VERSION = 2;

/**
 * Subtrees the permutation keeps in place. 100.64.0.0/10 (which holds 100.104.0.0/16) and loopback
 * are kept whole: every relation to the reverse range survives, and loopback stays loopback. The
 * private and link-local ranges keep their prefix and are permuted inside it, so a private address
 * stays private (messages that say "private IP" stay true) while which one it was is hidden.
 */
const FIXED: { start: number; len: number; identity: boolean }[] = [
  { start: ipToNum('100.64.0.0'), len: 10, identity: true },
  { start: ipToNum('127.0.0.0'), len: 8, identity: true },
  { start: ipToNum('10.0.0.0'), len: 8, identity: false },
  { start: ipToNum('172.16.0.0'), len: 12, identity: false },
  { start: ipToNum('192.168.0.0'), len: 16, identity: false },
  { start: ipToNum('169.254.0.0'), len: 16, identity: false },
];
/** the first `bits` bits of a (as a number) */
const top = (a: number, bits: number) => (bits === 0 ? 0 : a >>> (32 - bits));

/**
 * A keyed, prefix-preserving permutation of IPv4 (Crypto-PAn style). Bit i of the output is bit i of
 * the input, flipped by a keyed bit of the first i input bits, except where those i bits lie on the
 * path to a fixed subtree's root (never flipped: an address off that path leaves it at the same bit,
 * so nothing is mapped into a fixed subtree) or inside an identity subtree.
 */
export function makePseudonymizer(key: Buffer = randomBytes(32)): (ip: string) => string {
  const cache = new Map<string, number>();
  const bit = (prefix: number, len: number): number => {
    const k = `${len}:${prefix}`;
    let v = cache.get(k);
    if (v === undefined) {
      v = createHmac('sha256', key).update(k).digest()[0]! & 1;
      cache.set(k, v);
    }
    return v;
  };
  const fixedAt = (a: number, i: number): boolean =>
    FIXED.some((f) => (i < f.len ? top(a, i) === top(f.start, i) : f.identity && top(a, f.len) === top(f.start, f.len)));
  return (ip: string) => {
    const a = ipToNum(ip);
    let out = 0;
    for (let i = 0; i < 32; i++) {
      const inBit = (a >>> (31 - i)) & 1;
      const flip = fixedAt(a, i) ? 0 : bit(top(a, i), i);
      out = (out * 2 + (inBit ^ flip)) >>> 0;
    }
    return numToIp(out >>> 0);
  };
}

const IP_RE = /\b((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})\b(?:\/(3[0-2]|[12]?\d)\b)?/g;

/**
 * Pseudonymises every IPv4 address in a string. A canonical CIDR keeps its length and gets its host
 * bits cleared after mapping (the mapping keeps the first `len` bits consistent, not the zero host
 * bits), so "192.168.1.0/24" stays a canonical prefix that contains the mapped 192.168.1.x.
 */
export function pseudonymizeText(text: string, p: (ip: string) => string, seen?: Set<string>): string {
  return text.replace(IP_RE, (_m, ip: string, len?: string) => {
    const mapped = p(ip);
    if (mapped !== ip) seen?.add(ip);
    if (len === undefined) return mapped;
    const bits = Number(len);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    // an interface address ("192.168.1.10/24", host bits set) stays an address with a length
    if (((ipToNum(ip) & ~mask) >>> 0) !== 0) return `${mapped}/${bits}`;
    return `${numToIp((ipToNum(mapped) & mask) >>> 0)}/${bits}`;
  });
}

/** Maps every string of a JSON value; `key` is the property name the string sits under. */
function mapStrings(v: unknown, f: (s: string, key: string | undefined) => string, key?: string): unknown {
  if (typeof v === 'string') return f(v, key);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f, k)]));
  return v;
}

function eachString(v: unknown, f: (s: string, key: string | undefined) => void, key?: string): void {
  if (typeof v === 'string') f(v, key);
  else if (Array.isArray(v)) for (const x of v) eachString(x, f, key);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) eachString(x, f, k);
}

/** scheme://[user@]host — the host of any URL in a string */
const URL_HOST_RE = /\b([a-z][a-z0-9+.-]*:\/\/(?:[^\s/@"'<>]*@)?)([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)/gi;
/** keys whose string values name a host outright (facts: input.gitlab.host, hosts.*.host, codeRepoDomain) */
const HOST_KEYS = new Set(['host', 'codeRepoDomain']);
/** a SAN entry ("DNS:gitlab.corp.example") or a jump-host vantage ("jump:ops@bastion.corp") */
const NAMED_RE = /^(DNS:|jump:[^@\s]*@)(\*\.)?([A-Za-z0-9.-]+)$/;
/** certificate identity values hashed whole */
const CERT_HASH_KEY = /^(fingerprint\d*|serial(Number)?)$/i;
const CERT_NAME_KEY = /^(subject|issuer)$/;

const isName = (h: string) => /[A-Za-z]/.test(h) && !isIPv4(h) && !/^localhost$|\.localhost$/i.test(h);

/**
 * Host names the bundle mentions: URL hosts anywhere, values of host-naming keys, SAN and vantage
 * entries. IP literals are not names (the address permutation handles them); localhost is kept.
 */
function hostNames(body: unknown): string[] {
  const names = new Set<string>();
  eachString(body, (s, key) => {
    for (const m of s.matchAll(URL_HOST_RE)) if (isName(m[2]!)) names.add(m[2]!.toLowerCase());
    if (key && HOST_KEYS.has(key) && /^[A-Za-z0-9.-]+$/.test(s) && isName(s)) names.add(s.toLowerCase());
    const n = NAMED_RE.exec(s);
    if (n && isName(n[3]!)) names.add(n[3]!.toLowerCase());
  });
  return [...names].sort();
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface MeaningfulPseudonymizer {
  /** maps one string (its property name decides whether it is a certificate identity) */
  map(s: string, key: string | undefined): string;
  /** kinds replaced so far, with the number of distinct values; never the values */
  manifest(): { kind: string; count: number }[];
}

/**
 * The pseudonymiser for one bundle. Host names are found first (`hostNames`), numbered in sorted
 * order, and replaced wherever they occur as a whole name (case-insensitive), so the endpoint, the
 * certificate's names, the clone URL and every message agree; certificate fingerprints, serials and
 * subject/issuer names become keyed hashes (equal values stay equal: a leaf's issuer is still its
 * CA's subject); then IPv4 addresses go through the prefix-preserving permutation.
 */
export function meaningfulPseudonymizer(body: unknown, key: Buffer = randomBytes(32)): MeaningfulPseudonymizer {
  const ip = makePseudonymizer(key);
  const names = hostNames(body);
  const token = new Map(names.map((n, i) => [n, `host-${i + 1}.example`]));
  // longest first, so "gitlab.corp.example" is not replaced as "corp.example" plus a prefix
  const byLength = names.filter((n) => n.includes('.')).sort((a, b) => b.length - a.length);
  const nameRe = byLength.length ? new RegExp(`(?<![A-Za-z0-9.-])(${byLength.map(escapeRe).join('|')})(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'gi') : undefined;
  const usedNames = new Set<string>();
  const ips = new Set<string>();
  const certIds = new Set<string>();
  const certNames = new Set<string>();
  const hash = (kind: string, v: string) => createHmac('sha256', key).update(`${kind}\0${v}`).digest('hex');
  const replaceName = (n: string) => {
    const t = token.get(n.toLowerCase());
    if (!t) return n;
    usedNames.add(n.toLowerCase());
    return t;
  };
  return {
    map(s, k) {
      if (k && CERT_HASH_KEY.test(k)) {
        certIds.add(s);
        const h = hash('id', s).toUpperCase();
        // keep the shape: colon-separated hex pairs stay so (sha256 fingerprints), plain hex stays plain
        const hex = s.replace(/[^0-9A-Fa-f]/g, '');
        const out = h.repeat(Math.ceil(hex.length / h.length) + 1).slice(0, Math.max(hex.length, 8));
        return s.includes(':') ? out.match(/.{1,2}/g)!.join(':') : out;
      }
      if (k && CERT_NAME_KEY.test(k)) {
        certNames.add(s);
        return `CN=cert-${hash('name', s).slice(0, 12)}`;
      }
      let out = s;
      if (nameRe) out = out.replace(nameRe, (m) => replaceName(m));
      // a single-label name (no dot) is replaced only where it is clearly a host: a URL host, the
      // value of a host-naming key, a SAN or vantage entry (never a word like "GITLAB" elsewhere)
      out = out.replace(URL_HOST_RE, (_m, pre: string, h: string) => `${pre}${replaceName(h)}`);
      if (k && HOST_KEYS.has(k) && token.has(out.toLowerCase())) out = replaceName(out);
      const n = NAMED_RE.exec(out);
      if (n && token.has(n[3]!.toLowerCase())) out = `${n[1]}${n[2] ?? ''}${replaceName(n[3]!)}`;
      return pseudonymizeText(out, ip, ips);
    },
    manifest() {
      const kinds: { kind: string; count: number }[] = [
        { kind: 'IPv4 addresses (keyed prefix-preserving permutation: loopback and 100.64.0.0/10 kept, private and link-local addresses stay in their range)', count: ips.size },
        { kind: 'host names and URL hosts (stable tokens host-N.example: the same name gets the same token)', count: usedNames.size },
        { kind: 'certificate fingerprints and serial numbers (keyed hash, same shape)', count: certIds.size },
        { kind: 'certificate subject and issuer names (keyed hash)', count: certNames.size },
      ];
      return kinds.filter((x) => x.count > 0);
    },
  };
}

/** Parameter names whose values never go into a bundle, whatever they hold. */
const SECRET_KEY = /^(authorization|private-token|password|passphrase|token|secret|accesskeysecret|access_key_secret|securitytoken|security_token|signature|x-acs-security-token)$/i;
/** Secret shapes scrubbed wherever they appear, even when their value is not known (re-redaction). */
const SECRET_SHAPES = /\bglpat-[A-Za-z0-9_-]{8,}/g;

/** Replaces the values of secret-named keys in call parameters; returns how many were replaced. */
function scrubParams(calls: CallRecord[]): { calls: CallRecord[]; count: number } {
  let count = 0;
  const out = calls.map((c) => ({
    ...c,
    params: Object.fromEntries(Object.entries(c.params).map(([k, v]) => {
      if (!SECRET_KEY.test(k) || v === '[REDACTED]') return [k, v];
      count++;
      return [k, '[REDACTED]'];
    })),
  }));
  return { calls: out, count };
}

/** The parts of a bundle that redaction rewrites (everything that may hold a value from the customer's world). */
interface Body {
  facts: Facts;
  calls: CallRecord[];
  config?: Bundle['config'];
  waivers?: RecordedWaiver[];
}

/** Scrubs secrets (known values, secret-named parameters, known shapes) and, when asked, pseudonymises. */
function redactBody<B extends Body>(body: B, opts: { secrets: Record<string, string | undefined>; pseudonymize?: boolean; key?: Buffer }): { body: B; redaction: Omit<Redaction, 'note'> } {
  const scrubbed = scrubParams(body.calls);
  let out: B = { ...body, calls: scrubbed.calls };
  let replaced: { kind: string; count: number }[] | undefined;
  if (opts.pseudonymize) {
    const p = meaningfulPseudonymizer(out, opts.key);
    out = mapStrings(out, (s, k) => p.map(s, k)) as B;
    replaced = p.manifest();
  }
  let text = JSON.stringify(out);
  let occurrences = scrubbed.count;
  const kinds: string[] = ['secret-named call parameters (Authorization, tokens, passwords, signatures)', 'GitLab personal access tokens (glpat-…)'];
  for (const [kind, value] of Object.entries(opts.secrets)) {
    if (!value || value.length < 4) continue;
    kinds.push(kind);
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1)])) {
      const parts = text.split(form);
      occurrences += parts.length - 1;
      text = parts.join('[REDACTED]');
    }
  }
  text = text.replace(SECRET_SHAPES, () => {
    occurrences++;
    return '[REDACTED]';
  });
  return { body: JSON.parse(text) as B, redaction: { secretsScrubbed: kinds, occurrences, pseudonymized: Boolean(opts.pseudonymize), ...(replaced ? { replaced } : {}) } };
}

const NOTE_PSEUDO =
  'Pseudonymised: IPv4 addresses by a keyed prefix-preserving permutation (key not stored; loopback and 100.64.0.0/10 kept, so overlap and route analysis against 100.104.0.0/16 still hold), host names by stable host-N.example tokens, certificate identities by keyed hashes. Tokens, keys and passwords are never collected; known secret values were also scrubbed.';
const NOTE_PLAIN = 'Tokens, keys and passwords are never collected; known secret values were also scrubbed. Addresses and host names are kept (use --pseudonymize to replace them).';

export interface CollectionRecord {
  configFile: string | null;
  flags: RecordedFlags;
  waivers: RecordedWaiver[];
  verdict: RecordedVerdict;
}

export function makeBundle(
  facts: Facts,
  calls: CallRecord[],
  opts: { secrets: Record<string, string | undefined>; pseudonymize?: boolean; key?: Buffer; collection: CollectionRecord },
): Bundle {
  const c = opts.collection;
  const { body, redaction } = redactBody(
    { facts, calls, config: { file: c.configFile, summary: facts.input }, waivers: c.waivers.map((w) => ({ ...w })) },
    opts,
  );
  return {
    bundleVersion: 2,
    tool: { name: TOOL_NAME, version: toolVersion() },
    node: process.version,
    os: { platform: platform(), release: release(), arch: arch() },
    collectedAt: facts.collectedAt,
    config: body.config!,
    flags: c.flags,
    waivers: body.waivers!,
    verdict: c.verdict,
    facts: body.facts,
    calls: body.calls,
    redaction: { ...redaction, note: redaction.pseudonymized ? NOTE_PSEUDO : NOTE_PLAIN },
  };
}

/**
 * Re-redacts a bundle already written (any version): secret-named parameters and secret shapes
 * scrubbed again, and with `pseudonymize` host names, addresses and certificate identities
 * replaced. Everything else (versions, times, flags, the recorded verdict) is kept as it was.
 */
export function redactBundle<T extends Bundle | BundleV1>(bundle: T, opts: { pseudonymize?: boolean; key?: Buffer }): T {
  const v2 = bundle.bundleVersion === 2 ? (bundle as Bundle) : undefined;
  const { body, redaction } = redactBody(
    { facts: bundle.facts, calls: bundle.calls, ...(v2 ? { config: v2.config, waivers: v2.waivers } : {}) },
    { secrets: {}, ...opts },
  );
  const pseudonymized = redaction.pseudonymized || bundle.redaction.pseudonymized;
  return {
    ...bundle,
    ...body,
    redaction: {
      secretsScrubbed: [...new Set([...bundle.redaction.secretsScrubbed, ...redaction.secretsScrubbed])],
      occurrences: bundle.redaction.occurrences + redaction.occurrences,
      pseudonymized,
      ...(redaction.replaced ?? bundle.redaction.replaced ? { replaced: redaction.replaced ?? bundle.redaction.replaced } : {}),
      note: pseudonymized ? NOTE_PSEUDO : NOTE_PLAIN,
    },
  };
}
