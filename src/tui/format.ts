// Pure text formatting for the TUI: status labels, wrapping, evidence rendered readably (security
// group rules, ACL entries, routes, probe timings), hops, and fixes as copyable commands.
import type { Evidence, Hop } from '../engine/types.js';
import type { RowStatus } from './state.js';

export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'heading' | 'code' | 'accent' | 'plain';

/** One terminal row of a view. */
export interface Line {
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** the blocking hop, the selected row: shown inverse in colour, marked with text otherwise */
  highlight?: boolean;
}

export const STATUS_LABEL: Record<RowStatus, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
  error: 'ERR ',
  pending: 'WAIT',
  running: 'RUN ',
};

export const STATUS_ICON: Record<RowStatus, string> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  skip: '-',
  error: '?',
  pending: '·',
  running: '…',
};

export const STATUS_TONE: Record<RowStatus, Tone> = {
  pass: 'ok',
  warn: 'warn',
  fail: 'bad',
  skip: 'dim',
  error: 'accent',
  pending: 'dim',
  running: 'plain',
};

/** Display width of a string (ASCII plus the few symbols we print, all single width). */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  const flat = s.replace(/\s*\n\s*/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

/** Word-wrap to `width` columns; the first line gets `first`, the others `rest` as prefix. */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = out.length === 0 ? first : rest;
    const words = para.split(/ +/).filter((w) => w.length);
    if (!words.length) {
      out.push(line.trimEnd());
      continue;
    }
    let empty = true;
    for (let w of words) {
      if (!empty && line.length + 1 + w.length > width) {
        out.push(line);
        line = rest;
        empty = true;
      }
      // a word longer than the room left on an empty row: break it
      while (empty && line.length + w.length > width) {
        const room = Math.max(1, width - line.length);
        out.push(line + w.slice(0, room));
        w = w.slice(room);
        line = rest;
      }
      line = empty ? line + w : `${line} ${w}`;
      empty = false;
    }
    out.push(line);
  }
  return out;
}

/**
 * A shell command broken over lines with ` \` continuations, so a terminal selection of the rows
 * still pastes as one valid command.
 */
export function wrapCommand(cmd: string, width: number, indent = '  '): string[] {
  if (indent.length + cmd.length <= width) return [indent + cmd];
  // keep `--Flag value` pairs together
  const words: string[] = [];
  for (const w of cmd.split(' ')) {
    const prev = words[words.length - 1];
    if (prev !== undefined && /^--?[A-Za-z]/.test(prev) && !/^-/.test(w) && !prev.includes(' ')) words[words.length - 1] = `${prev} ${w}`;
    else words.push(w);
  }
  const out: string[] = [];
  let line = indent;
  for (const w of words) {
    const candidate = line.trim() ? `${line} ${w}` : line + w;
    if (line.trim() && candidate.length + 2 > width) {
      out.push(`${line} \\`);
      line = `${indent}  ${w}`;
    } else {
      line = candidate;
    }
  }
  out.push(line);
  return out;
}

export function ms(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '?';
  if (n < 1000) return `${Math.round(n)} ms`;
  return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} s`;
}

// ---------------------------------------------------------------------------------------------
// Evidence

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, ...keys: string[]) => keys.every((k) => k in o);
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function sgRule(o: Obj): string {
  const from = o.sourceCidrIp ?? o.sourcePrefixListId ?? o.sourceGroupId;
  const to = o.destCidrIp ?? o.destPrefixListId ?? o.destGroupId;
  const parts = [
    o.securityGroupId ? `${str(o.securityGroupId)}:` : '',
    str(o.direction),
    str(o.policy).toLowerCase() === 'drop' ? 'DROP' : 'accept',
    `prio ${str(o.priority)}`,
    str(o.ipProtocol),
    str(o.portRange),
    from ? `from ${str(from)}` : '',
    to ? `to ${str(to)}` : '',
    o.ruleId ? `(${str(o.ruleId)})` : '',
    o.description ? `“${str(o.description)}”` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

function naclEntry(o: Obj): string {
  const name = o.name ?? o.entryId;
  return [str(o.policy).toLowerCase() === 'drop' ? 'DROP' : 'accept', str(o.protocol), str(o.port), str(o.cidr), name ? `(${str(name)})` : '']
    .filter(Boolean)
    .join(' ');
}

function routeEntry(o: Obj): string {
  const hops = Array.isArray(o.nextHops)
    ? (o.nextHops as unknown[]).filter(isObj).map((h) => `${str(h.nextHopType)} ${str(h.nextHopId)}`.trim())
    : [];
  return `${str(o.destinationCidrBlock)} → ${hops.join(', ') || 'no next hop'}  [${[o.status, o.type].filter(Boolean).map(str).join(', ')}]`;
}

export function timing(o: Obj): string {
  const parts: string[] = [];
  const add = (label: string, key: string) => {
    if (typeof o[key] === 'number') parts.push(`${label} ${ms(o[key] as number)}`);
  };
  add('dns', 'dnsMs');
  add('connect', 'connectMs');
  add('tls', 'tlsMs');
  add('first byte', 'firstByteMs');
  add('total', 'totalMs');
  return parts.join(' · ');
}

function probe(o: Obj): string[] {
  const head = [
    `${str(o.vantage)}: ${str(o.outcome)}`,
    typeof o.httpStatus === 'number' ? `HTTP ${o.httpStatus}` : '',
    o.gitlabVersion ? `GitLab ${str(o.gitlabVersion)}` : '',
    o.error ? `(${str(o.error)})` : '',
  ].filter(Boolean).join(' ');
  const lines = [head, `${str(o.url)}${o.dialed ? ` via ${str(o.dialed)}` : ''}`];
  if (isObj(o.timing)) lines.push(timing(o.timing));
  return lines;
}

/** A one-line rendering for the shapes rules put in evidence, or undefined. */
export function inline(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'none';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return v.length ? v.map(String).join(', ') : 'none';
    return undefined;
  }
  const o = v as Obj;
  if (has(o, 'policy', 'priority') && ('portRange' in o || 'ipProtocol' in o)) return sgRule(o);
  if (has(o, 'policy', 'protocol', 'cidr')) return naclEntry(o);
  if (has(o, 'destinationCidrBlock')) return routeEntry(o);
  if (has(o, 'totalMs')) return timing(o);
  if (has(o, 'start', 'end') && Object.keys(o).length <= 3) return `${str(o.start)} – ${str(o.end)}`;
  const entries = Object.entries(o).filter(([, x]) => x !== undefined);
  if (entries.every(([, x]) => x === null || typeof x !== 'object') && entries.length <= 6) {
    const s = entries.map(([k, x]) => `${k} ${x === null ? 'none' : String(x)}`).join(', ');
    if (s.length <= 70) return s;
  }
  return undefined;
}

/** Lines for an evidence value: known shapes on one line, other objects as an indented outline. */
export function valueLines(v: unknown, width: number, indent = '    ', depth = 0): string[] {
  if (isObj(v) && has(v, 'vantage', 'outcome')) return probe(v).flatMap((l) => wrap(l, width, indent, `${indent}  `));
  const one = inline(v);
  if (one !== undefined) return wrap(one, width, indent, `${indent}  `);
  if (depth > 4) return [`${indent}…`];
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      const i1 = inline(item);
      if (i1 !== undefined) return wrap(i1, width, `${indent}• `, `${indent}  `);
      if (isObj(item) && has(item, 'vantage', 'outcome')) return probe(item).flatMap((l, i) => wrap(l, width, i ? `${indent}  ` : `${indent}• `, `${indent}  `));
      return [`${indent}•`, ...valueLines(item, width, `${indent}  `, depth + 1)];
    });
  }
  const o = v as Obj;
  return Object.entries(o)
    .filter(([, x]) => x !== undefined)
    .flatMap(([k, x]) => {
      const i1 = inline(x);
      if (i1 !== undefined) return wrap(`${k}: ${i1}`, width, indent, `${indent}  `);
      if (isObj(x) && has(x, 'vantage', 'outcome')) return [`${indent}${k}:`, ...probe(x).flatMap((l) => wrap(l, width, `${indent}  `, `${indent}    `))];
      return [`${indent}${k}:`, ...valueLines(x, width, `${indent}  `, depth + 1)];
    });
}

export function evidenceLines(ev: Evidence[], width: number): Line[] {
  const out: Line[] = [];
  for (const e of ev) {
    out.push({ text: `  ${e.label}${e.source ? `  (${e.source})` : ''}`, bold: true });
    for (const t of valueLines(e.value, width)) out.push({ text: t });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Path

export const HOP_LABEL: Record<Hop['hop'], string> = {
  'builder-eni': 'ACR builder ENI',
  vpc: 'VPC',
  slb: 'SLB listener',
  'security-group': 'security group',
  'network-acl-in': 'network ACL (in)',
  host: 'GitLab host',
  gitlab: 'GitLab',
  'network-acl-out': 'network ACL (out)',
  vbr: 'VBR return route',
  'idc-router': 'IDC router',
};

/** The first hop that drops, in path order: where the packet dies. */
export function blockingHop(path: Hop[]): number {
  return path.findIndex((h) => h.verdict === 'drop');
}

export function hopLines(path: Hop[], width: number, focusRule?: string): Line[] {
  if (!path.length) return [{ text: '  (no hops: the rules that judge the path did not run or were skipped)', tone: 'dim' }];
  const block = blockingHop(path);
  const out: Line[] = [];
  let dir: Hop['direction'] | undefined;
  path.forEach((h, i) => {
    if (h.direction !== dir) {
      dir = h.direction;
      out.push({ text: dir === 'request' ? '  request  100.104.0.0/16 → GitLab' : '  reply    GitLab → 100.104.0.0/16', tone: 'dim' });
    }
    const mark = h.verdict === 'allow' ? '✓' : h.verdict === 'drop' ? '✗' : '?';
    const verdict = h.verdict === 'drop' ? 'DROP' : h.verdict === 'allow' ? 'allow' : 'unknown';
    const tail = i === block ? '  ◀ blocked here' : '';
    const head = `  ${mark} ${HOP_LABEL[h.hop].padEnd(18)} ${h.id.padEnd(14)} ${verdict}${tail}`;
    out.push({
      text: truncate(head, width),
      tone: h.verdict === 'drop' ? 'bad' : h.verdict === 'allow' ? 'ok' : 'warn',
      highlight: i === block,
      bold: focusRule !== undefined && h.ruleId === focusRule,
    });
    if (h.detail) for (const t of wrap(h.detail, width, '      ')) out.push({ text: t, tone: i === block ? 'bad' : 'dim' });
  });
  return out;
}
