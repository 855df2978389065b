// Support bundles: the fact snapshot plus raw evidence of every API call, redacted. Secrets are never
// in facts by construction; as defence in depth every known secret value is also scrubbed from the
// serialised bundle. Optional prefix-preserving pseudonymisation of IPv4 addresses keeps overlap and
// route analysis valid: the 100.64.0.0/10 subtree (which holds 100.104.0.0/16) is left as is, and no
// other address is mapped into it, so every relation to the reverse range survives; private
// addresses stay in their private range.
import { createHmac, randomBytes } from 'node:crypto';
import { ipToNum, numToIp } from '../net/cidr.js';
import { TOOL_NAME, toolVersion } from '../paths.js';
import type { Facts } from './types.js';

export interface CallRecord {
  product: string;
  action: string;
  params: Record<string, unknown>;
  ok: boolean;
  code?: string;
  ms: number;
}

export interface Bundle {
  bundleVersion: 1;
  tool: { name: string; version: string };
  createdAt: string;
  facts: Facts;
  calls: CallRecord[];
  redaction: {
    /** what kinds of secret were looked for and scrubbed */
    secretsScrubbed: string[];
    /** number of scrubbed occurrences (0 is the expected value) */
    occurrences: number;
    pseudonymized: boolean;
    note: string;
  };
}

/**
 * Subtrees the permutation keeps in place. 100.64.0.0/10 (which holds 100.104.0.0/16) is kept
 * whole: every relation to the reverse range survives. The private ranges keep their prefix and
 * are permuted inside it, so a private address stays private (messages that say "private IP" stay
 * true) while which one it was is hidden.
 */
const FIXED: { start: number; len: number; identity: boolean }[] = [
  { start: ipToNum('100.64.0.0'), len: 10, identity: true },
  { start: ipToNum('10.0.0.0'), len: 8, identity: false },
  { start: ipToNum('172.16.0.0'), len: 12, identity: false },
  { start: ipToNum('192.168.0.0'), len: 16, identity: false },
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
export function pseudonymizeText(text: string, p: (ip: string) => string): string {
  return text.replace(IP_RE, (_m, ip: string, len?: string) => {
    const mapped = p(ip);
    if (len === undefined) return mapped;
    const bits = Number(len);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    // an interface address ("192.168.1.10/24", host bits set) stays an address with a length
    if (((ipToNum(ip) & ~mask) >>> 0) !== 0) return `${mapped}/${bits}`;
    return `${numToIp((ipToNum(mapped) & mask) >>> 0)}/${bits}`;
  });
}

function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}

/** Parameter names whose values never go into a bundle, whatever they hold. */
const SECRET_KEY = /^(authorization|private-token|password|passphrase|token|secret|accesskeysecret|access_key_secret|securitytoken|security_token|signature|x-acs-security-token)$/i;

/** Replaces the values of secret-named keys in call parameters; returns how many were replaced. */
function scrubParams(calls: CallRecord[]): { calls: CallRecord[]; count: number } {
  let count = 0;
  const out = calls.map((c) => ({
    ...c,
    params: Object.fromEntries(Object.entries(c.params).map(([k, v]) => {
      if (!SECRET_KEY.test(k)) return [k, v];
      count++;
      return [k, '[REDACTED]'];
    })),
  }));
  return { calls: out, count };
}

export function makeBundle(facts: Facts, calls: CallRecord[], opts: { secrets: Record<string, string | undefined>; pseudonymize?: boolean; key?: Buffer }): Bundle {
  const scrubbed = scrubParams(calls);
  let body: { facts: Facts; calls: CallRecord[] } = { facts, calls: scrubbed.calls };
  if (opts.pseudonymize) {
    const p = makePseudonymizer(opts.key);
    body = mapStrings(body, (s) => pseudonymizeText(s, p)) as typeof body;
  }
  let text = JSON.stringify(body);
  let occurrences = scrubbed.count;
  const kinds: string[] = ['secret-named call parameters (Authorization, tokens, passwords, signatures)'];
  for (const [kind, value] of Object.entries(opts.secrets)) {
    if (!value || value.length < 4) continue;
    kinds.push(kind);
    const parts = text.split(value);
    occurrences += parts.length - 1;
    text = parts.join('[REDACTED]');
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) {
      const p2 = text.split(json);
      occurrences += p2.length - 1;
      text = p2.join('[REDACTED]');
    }
  }
  const clean = JSON.parse(text) as typeof body;
  return {
    bundleVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    createdAt: new Date().toISOString(),
    facts: clean.facts,
    calls: clean.calls,
    redaction: {
      secretsScrubbed: kinds,
      occurrences,
      pseudonymized: Boolean(opts.pseudonymize),
      note: opts.pseudonymize
        ? 'IPv4 addresses are replaced by a keyed prefix-preserving permutation (key not stored); 100.64.0.0/10 is kept, so overlap and route analysis against 100.104.0.0/16 still hold. Tokens, keys and passwords are never collected; known secret values were also scrubbed.'
        : 'Tokens, keys and passwords are never collected; known secret values were also scrubbed. Addresses are kept (use --pseudonymize to replace them).',
    },
  };
}
