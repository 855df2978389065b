// Network-ACL evaluation (docs/alibaba-api.md, "Network ACLs"): stateless, entries in list order, first match
// decides, unmatched traffic is dropped. Evaluated exactly over address × destination-port space:
// each entry decides the part of (addresses × ports) that no earlier entry decided, so two entries
// that split the port range (1024/32767 + 32768/65535) together admit everything, and an entry
// that drops some ports for some addresses fails exactly those.
import type { NaclEntry } from '../../src/facts/types.js';
import { cidrToRange, isCidr, normalize, type Range } from '../../src/net/cidr.js';
import { parsePortRange } from './ports.js';

/** An inclusive destination-port interval. */
export type PortRange = [number, number];

/** What one entry (or the implicit drop) decided: every address in `ranges` × every port in `ports`. */
export interface AclDecision {
  ranges: Range[];
  ports: PortRange[];
  policy: 'accept' | 'drop';
  entry?: NaclEntry;
  index?: number;
}

function protocolCoversTcp(p: string): boolean {
  const v = p.trim().toLowerCase();
  return v === 'tcp' || v === 'all' || v === '6' || v === '-1';
}

/** One undecided rectangle: addresses a × ports p (both inclusive). */
interface Box {
  a: Range;
  p: PortRange;
}

/** box minus (a × p): up to four disjoint boxes, plus the intersection (undefined = none). */
function cut(box: Box, a: Range, p: PortRange): { hit?: Box; rest: Box[] } {
  const as = Math.max(box.a.start, a.start);
  const ae = Math.min(box.a.end, a.end);
  const ps = Math.max(box.p[0], p[0]);
  const pe = Math.min(box.p[1], p[1]);
  if (as > ae || ps > pe) return { rest: [box] };
  const rest: Box[] = [];
  // addresses outside the hit, all ports of the box
  if (box.a.start < as) rest.push({ a: { start: box.a.start, end: as - 1 }, p: box.p });
  if (ae < box.a.end) rest.push({ a: { start: ae + 1, end: box.a.end }, p: box.p });
  // addresses of the hit, ports outside it
  if (box.p[0] < ps) rest.push({ a: { start: as, end: ae }, p: [box.p[0], ps - 1] });
  if (pe < box.p[1]) rest.push({ a: { start: as, end: ae }, p: [pe + 1, box.p[1]] });
  return { hit: { a: { start: as, end: ae }, p: [ps, pe] }, rest };
}

const sameRanges = (x: Range[], y: Range[]) => x.length === y.length && x.every((r, i) => r.start === y[i]!.start && r.end === y[i]!.end);

/**
 * A set of boxes as a canonical list of products (addresses × ports): the port axis is split at
 * every box edge, adjacent port intervals with the same address set are merged, and port
 * intervals that share an address set form one product.
 */
function products(boxes: Box[]): { ranges: Range[]; ports: PortRange[] }[] {
  if (boxes.length === 0) return [];
  const edges = [...new Set(boxes.flatMap((b) => [b.p[0], b.p[1] + 1]))].sort((x, y) => x - y);
  const slices: { p: PortRange; ranges: Range[] }[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const p: PortRange = [edges[i]!, edges[i + 1]! - 1];
    const ranges = normalize(boxes.filter((b) => b.p[0] <= p[0] && b.p[1] >= p[1]).map((b) => b.a));
    if (ranges.length === 0) continue;
    const last = slices[slices.length - 1];
    if (last && last.p[1] + 1 === p[0] && sameRanges(last.ranges, ranges)) last.p = [last.p[0], p[1]];
    else slices.push({ p, ranges });
  }
  const out: { ranges: Range[]; ports: PortRange[] }[] = [];
  for (const s of slices) {
    const same = out.find((o) => sameRanges(o.ranges, s.ranges));
    if (same) same.ports.push(s.p);
    else out.push({ ranges: s.ranges, ports: [s.p] });
  }
  return out.sort((x, y) => x.ranges[0]!.start - y.ranges[0]!.start || x.ports[0]![0] - y.ports[0]![0]);
}

/**
 * First-match evaluation of `entries` for TCP traffic whose peer address is in `target` and whose
 * destination port lies in `ports`. Returns what each matching entry decided (in list order), then
 * the implicit drop of whatever no entry matched. Together the decisions partition target × ports.
 */
export function evaluateAcl(entries: readonly NaclEntry[], target: Range[], ports: PortRange): AclDecision[] {
  let remaining: Box[] = normalize(target).map((a) => ({ a, p: ports }));
  const out: AclDecision[] = [];
  entries.forEach((entry, index) => {
    if (remaining.length === 0 || !protocolCoversTcp(entry.protocol) || !isCidr(entry.cidr)) return;
    const p = parsePortRange(entry.port);
    if (!p) return;
    const a = cidrToRange(entry.cidr);
    const hits: Box[] = [];
    const next: Box[] = [];
    for (const box of remaining) {
      const { hit, rest } = cut(box, a, p);
      if (hit) hits.push(hit);
      next.push(...rest);
    }
    if (hits.length === 0) return;
    remaining = next;
    for (const d of products(hits)) out.push({ ...d, policy: entry.policy, entry, index });
  });
  for (const d of products(remaining)) out.push({ ...d, policy: 'drop' });
  return out;
}

export function admitted(d: AclDecision): boolean {
  return d.policy === 'accept';
}

export function portList(ports: readonly PortRange[]): string {
  return ports.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
}

/** Normalised union of port intervals. */
export function mergePorts(ports: readonly PortRange[]): PortRange[] {
  const sorted = [...ports].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: PortRange[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The entry itself: "egress entry nae-3 (position 3): drop all port -1/-1 to 100.104.0.0/17", or the implicit drop. */
export function describeEntry(d: AclDecision, direction: 'ingress' | 'egress'): string {
  if (!d.entry) return `no ${direction} entry matches (implicit drop)`;
  const e = d.entry;
  const name = e.entryId ?? e.name ?? `#${(d.index ?? 0) + 1}`;
  return `${direction} entry ${name} (position ${(d.index ?? 0) + 1}): ${e.policy} ${e.protocol} port ${e.port} ${direction === 'ingress' ? 'from' : 'to'} ${e.cidr}`;
}
