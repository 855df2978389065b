// IPv4 interval arithmetic. Addresses are unsigned 32-bit numbers; a set of addresses is a sorted
// list of disjoint, non-adjacent inclusive ranges. Every operation is O(n log n) in the number of
// ranges, never in the number of addresses.

export interface Range {
  start: number; // inclusive
  end: number; // inclusive
}

// Parsing is hand-written over char codes: a config or bundle may carry 100,000 data-center
// prefixes, and a regex plus split per prefix allocates several strings and arrays each time.
// The notation accepted is exactly `^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.…){3}(/(3[0-2]|[12]?\d))?$`
// (no leading zeros, no spaces); test/net/cidr.test.ts holds that regex as the oracle.

/** The address in s[from, to) as an unsigned number, or -1 when it is not dotted-quad IPv4. */
function parseAddress(s: string, from: number, to: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** The prefix length in s[from, to) (0–32, no leading zero), or -1. */
function parsePrefixLength(s: string, from: number, to: number): number {
  const n = to - from;
  if (n < 1 || n > 2) return -1;
  const a = s.charCodeAt(from) - 48;
  if (a < 0 || a > 9) return -1;
  if (n === 1) return a;
  const b = s.charCodeAt(from + 1) - 48;
  if (a === 0 || b < 0 || b > 9) return -1;
  const len = a * 10 + b;
  return len <= 32 ? len : -1;
}

/** Start of the block and its prefix length packed as start * 64 + len, or -1 (no allocation). */
function parseCidr(s: string): number {
  const slash = s.indexOf('/');
  if (slash === -1) {
    const a = parseAddress(s, 0, s.length);
    return a < 0 ? -1 : a * 64 + 32;
  }
  const a = parseAddress(s, 0, slash);
  if (a < 0) return -1;
  const len = parsePrefixLength(s, slash + 1, s.length);
  if (len < 0) return -1;
  const size = 2 ** (32 - len);
  return Math.floor(a / size) * size * 64 + len;
}

/** First address of a block packed by parseCidr. */
function blockStart(p: number): number {
  return (p - (p % 64)) / 64;
}

/** Last address of a block packed by parseCidr. */
function blockEnd(p: number): number {
  return blockStart(p) + 2 ** (32 - (p % 64)) - 1;
}

export function isIPv4(s: string): boolean {
  return parseAddress(s, 0, s.length) >= 0;
}

export function ipToNum(ip: string): number {
  const n = parseAddress(ip, 0, ip.length);
  if (n < 0) throw new Error(`not an IPv4 address: ${ip}`);
  return n;
}

export function numToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** "a.b.c.d/n" (or a bare address = /32) is valid IPv4 CIDR notation. Host bits may be set. */
export function isCidr(s: string): boolean {
  return parseCidr(s) >= 0;
}

/** The range a CIDR covers (host bits ignored, as the cloud APIs do). */
export function cidrToRange(cidr: string): Range {
  const p = parseCidr(cidr);
  if (p < 0) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  return { start: blockStart(p), end: blockEnd(p) };
}

/** Is the CIDR's host part zero ("10.0.0.0/8" yes, "10.0.0.1/8" no)? */
export function isCanonicalCidr(cidr: string): boolean {
  const p = parseCidr(cidr);
  if (p < 0) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const slash = cidr.indexOf('/');
  return blockStart(p) === parseAddress(cidr, 0, slash === -1 ? cidr.length : slash);
}

export function prefixLength(cidr: string): number {
  const slash = cidr.indexOf('/');
  return slash === -1 ? 32 : Number(cidr.slice(slash + 1));
}

export function containsAddress(cidr: string, ip: string): boolean {
  const p = parseCidr(cidr);
  const n = parseAddress(ip, 0, ip.length);
  if (p < 0 || n < 0) return false;
  return n >= blockStart(p) && n <= blockEnd(p);
}

/** Does the CIDR share an address with r? false for a malformed CIDR (no allocation). */
export function cidrOverlapsRange(cidr: string, r: Range): boolean {
  const p = parseCidr(cidr);
  if (p < 0) return false;
  return blockStart(p) <= r.end && r.start <= blockEnd(p);
}

/** Sort and merge overlapping or adjacent ranges. */
export function normalize(ranges: readonly Range[]): Range[] {
  if (ranges.length === 0) return [];
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [{ ...sorted[0]! }];
  for (let i = 1; i < sorted.length; i++) {
    const r = sorted[i]!;
    const last = out[out.length - 1]!;
    if (r.start <= last.end + 1) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

export function union(...sets: readonly Range[][]): Range[] {
  return normalize(sets.flat());
}

/** a minus b; both normalized. */
export function subtract(a: readonly Range[], b: readonly Range[]): Range[] {
  const A = normalize(a);
  const B = normalize(b);
  const out: Range[] = [];
  let j = 0;
  for (const r of A) {
    let start = r.start;
    while (j < B.length && B[j]!.end < start) j++;
    let k = j;
    while (k < B.length && B[k]!.start <= r.end) {
      const cut = B[k]!;
      if (cut.start > start) out.push({ start, end: cut.start - 1 });
      start = Math.max(start, cut.end + 1);
      if (start > r.end) break;
      k++;
    }
    if (start <= r.end) out.push({ start, end: r.end });
  }
  return out;
}

export function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const A = normalize(a);
  const B = normalize(b);
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < A.length && j < B.length) {
    const start = Math.max(A[i]!.start, B[j]!.start);
    const end = Math.min(A[i]!.end, B[j]!.end);
    if (start <= end) out.push({ start, end });
    if (A[i]!.end < B[j]!.end) i++;
    else j++;
  }
  return out;
}

export function size(ranges: readonly Range[]): number {
  return ranges.reduce((n, r) => n + (r.end - r.start + 1), 0);
}

export function overlaps(a: string, b: string): boolean {
  const x = cidrToRange(a);
  const y = cidrToRange(b);
  return x.start <= y.end && y.start <= x.end;
}

/** The minimal list of CIDRs that exactly covers a range. */
export function rangeToCidrs(r: Range): string[] {
  const out: string[] = [];
  let start = r.start;
  while (start <= r.end) {
    // largest block aligned at start that fits in the remaining range
    let len = 32;
    while (len > 0) {
      const bigger = 2 ** (32 - (len - 1));
      if (start % bigger !== 0 || start + bigger - 1 > r.end) break;
      len--;
    }
    out.push(`${numToIp(start)}/${len}`);
    start += 2 ** (32 - len);
  }
  return out;
}

export function rangesToCidrs(ranges: readonly Range[]): string[] {
  return normalize(ranges).flatMap(rangeToCidrs);
}

export function cidrsToRanges(cidrs: readonly string[]): Range[] {
  return normalize(cidrs.map(cidrToRange));
}

/** ACR's build cluster reaches GitLab from this range (the reverse-access range). */
export const REVERSE_RANGE_CIDR = '100.104.0.0/16';
export const REVERSE_RANGE: Range = cidrToRange(REVERSE_RANGE_CIDR);
