// IPv4 interval arithmetic. Addresses are unsigned 32-bit numbers; a set of addresses is a sorted
// list of disjoint, non-adjacent inclusive ranges. Every operation is O(n log n) in the number of
// ranges, never in the number of addresses.

export interface Range {
  start: number; // inclusive
  end: number; // inclusive
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(s: string): boolean {
  return V4.test(s);
}

export function ipToNum(ip: string): number {
  if (!isIPv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
  const p = ip.split('.').map(Number);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function numToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** "a.b.c.d/n" (or a bare address = /32) is valid IPv4 CIDR notation. Host bits may be set. */
export function isCidr(s: string): boolean {
  const [ip, len, extra] = s.split('/');
  if (extra !== undefined || !ip || !isIPv4(ip)) return false;
  if (len === undefined) return true;
  return /^(3[0-2]|[12]?\d)$/.test(len);
}

/** The range a CIDR covers (host bits ignored, as the cloud APIs do). */
export function cidrToRange(cidr: string): Range {
  if (!isCidr(cidr)) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const [ip, lenS] = cidr.split('/');
  const len = lenS === undefined ? 32 : Number(lenS);
  const base = ipToNum(ip!);
  const size = 2 ** (32 - len);
  const start = Math.floor(base / size) * size;
  return { start, end: start + size - 1 };
}

/** Is the CIDR's host part zero ("10.0.0.0/8" yes, "10.0.0.1/8" no)? */
export function isCanonicalCidr(cidr: string): boolean {
  const [ip] = cidr.split('/');
  return cidrToRange(cidr).start === ipToNum(ip!);
}

export function prefixLength(cidr: string): number {
  const [, len] = cidr.split('/');
  return len === undefined ? 32 : Number(len);
}

export function containsAddress(cidr: string, ip: string): boolean {
  if (!isCidr(cidr) || !isIPv4(ip)) return false;
  const r = cidrToRange(cidr);
  const n = ipToNum(ip);
  return n >= r.start && n <= r.end;
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
