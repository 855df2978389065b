// Support bundles: the fact snapshot plus raw evidence of every API call, redacted. Secrets are never
// in facts by construction; as defence in depth every known secret value is also scrubbed from the
// serialised bundle. Optional prefix-preserving pseudonymisation of IPv4 addresses keeps overlap and
// route analysis valid: the 100.64.0.0/10 subtree (which holds 100.104.0.0/16) is left as is, and no
// other address is mapped into it, so every relation to the reverse range survives.
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

const REF = ipToNum('100.64.0.0'); // the fixed subtree: 100.64.0.0/10
const REF_LEN = 10;

/** A keyed, prefix-preserving permutation of IPv4 (Crypto-PAn style) that fixes 100.64.0.0/10. */
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
  return (ip: string) => {
    const a = ipToNum(ip);
    let out = 0;
    let onRefPath = true;
    for (let i = 0; i < 32; i++) {
      const shift = 31 - i;
      const inBit = (a >>> shift) & 1;
      const prefix = i === 0 ? 0 : a >>> (32 - i);
      let flip = 0;
      if (onRefPath && i < REF_LEN) flip = 0;
      else if (onRefPath && i >= REF_LEN) flip = 0; // inside 100.64.0.0/10: unchanged
      else flip = bit(prefix, i);
      if (onRefPath && i < REF_LEN && inBit !== ((REF >>> shift) & 1)) onRefPath = false;
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
