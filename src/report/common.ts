// Helpers shared by the reporters: ordering, evidence summaries, waiver notes, counts.
import type { Analysis, ApiCall, Evidence, Fix, Hop, Report, RuleResult, Status, Summary } from '../engine/types.js';

/** Group order in human reports: what blocks first. */
export const GROUP_ORDER: readonly Status[] = ['fail', 'error', 'warn', 'skip', 'pass'];

/** Does this result trip the gate (ignoring waivers)? */
export function trips(r: RuleResult, failOn: Report['failOn']): boolean {
  return r.status === 'fail' || (failOn === 'warn' && r.status === 'warn');
}

export function isProblem(r: RuleResult): boolean {
  return r.status === 'fail' || r.status === 'warn' || r.status === 'error';
}

/** One evidence value as a short, single-line string. */
export function evidenceValue(v: unknown, max = 200): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || v === null) s = String(v);
  else if (Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) s = v.length ? v.join(', ') : '(none)';
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  s = s.replace(/\s*\n\s*/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function evidenceLine(e: Evidence, max = 200): string {
  return `${e.label}: ${evidenceValue(e.value, max)}${e.source ? ` (${e.source})` : ''}`;
}

export function waiverNote(r: RuleResult): string | undefined {
  if (r.waived) {
    const w = r.waived;
    return `waived by ${w.owner} until ${w.expires}${w.scope ? ` (scope ${w.scope})` : ''}: ${w.reason}`;
  }
  if (r.waiverExpired) {
    const w = r.waiverExpired;
    return `the waiver by ${w.owner} expired on ${w.expires} and no longer waives (${w.reason})`;
  }
  return undefined;
}

export function countsText(s: Summary): string {
  return `${s.pass} passed, ${s.warn} warning${s.warn === 1 ? '' : 's'}, ${s.fail} failed, ${s.error} undecided, ${s.skip} skipped, ${s.waived} waived`;
}

export function verdictWord(report: Report): string {
  return report.verdict === 'pass' ? 'PASS' : report.verdict === 'fail' ? 'FAIL' : 'INCOMPLETE';
}

export function exitLine(report: Report): string {
  return `fail-on ${report.failOn}, exit ${report.exitCode}`;
}

export function hopArrow(h: Hop): string {
  return h.direction === 'request' ? '→' : '←';
}

/** Results grouped by status in GROUP_ORDER; waived results in their own group at the end. */
export function grouped(results: readonly RuleResult[]): { status: Status | 'waived'; results: RuleResult[] }[] {
  const groups: { status: Status | 'waived'; results: RuleResult[] }[] = [];
  for (const st of GROUP_ORDER) {
    const rs = results.filter((r) => r.status === st && !r.waived);
    if (rs.length) groups.push({ status: st, results: rs });
  }
  const waived = results.filter((r) => r.waived);
  if (waived.length) groups.push({ status: 'waived', results: waived });
  return groups;
}

/** "Title Case" id for names: sg-ingress -> SgIngress */
export function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function quoteArg(v: string | number | boolean): string {
  const s = String(v);
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The aliyun CLI command that makes one API call of a fix (the call provision --fix would make). */
export function callCommand(call: ApiCall): string {
  const params = Object.entries(call.params).map(([k, v]) => `--${k} ${quoteArg(v)}`);
  return ['aliyun', call.product, call.action, ...params].join(' ');
}

/** What the proof says of a fix, in a few words. */
export function proofText(fix: Fix): string {
  const p = fix.proof;
  if (!p) return 'not proven';
  if (p.state === 'verified') return 'verified: with it this rule passes and no other rule gets worse';
  if (p.state === 'breaks') return `not safe: it would make ${p.breaks.map((b) => `${b.ruleId} ${b.from} → ${b.to}`).join(', ')}`;
  return `not enough: with it the rule is still ${p.after}${p.remaining ? ` — ${p.remaining}` : ''}`;
}

/** A fix as lines of text: title and proof, then its commands or steps. */
export function fixLines(fix: Fix): string[] {
  return [
    `${fix.title} [${proofText(fix)}]`,
    ...(fix.calls ?? []).map((c) => `$ ${callCommand(c)}`),
    ...(fix.steps ?? []).map((s) => `- ${s}`),
  ];
}

/**
 * The header of a report that judged a saved bundle: when it was collected and by which version,
 * the time it was judged at, the flags applied and which came from the command line. Plain lines.
 */
export function analysisLines(a: Analysis): string[] {
  const by = [`acr-preflight ${a.collectedBy.version}`, ...(a.collectedBy.node ? [`Node ${a.collectedBy.node}`] : []), ...(a.collectedBy.os ? [a.collectedBy.os] : [])].join(', ');
  const what = a.input === 'bundle' ? `bundle (version ${a.bundleVersion})` : 'fact snapshot';
  const lines = [`${what} collected ${a.collectedAt} by ${by}`];
  lines.push(
    a.judgedAs === 'collection'
      ? `judged as of ${a.judgedAt} (the collection time)${a.recorded ? `; verdict recorded at collection: ${a.recorded.verdict} (exit ${a.recorded.exitCode})` : ''}`
      : `judged as of ${a.judgedAt} (now, --now)${a.recorded ? `; verdict recorded at collection: ${a.recorded.verdict} (exit ${a.recorded.exitCode})` : ''}`,
  );
  const f = a.flags;
  const flags = [`--fail-on ${f.failOn}`, ...(f.only ? [`--only ${f.only.join(',')}`] : []), ...(f.skip ? [`--skip ${f.skip.join(',')}`] : []), ...(f.noProbes ? ['--no-probes (at collection)'] : [])];
  const n = `${a.waiverCount} waiver${a.waiverCount === 1 ? '' : 's'}`;
  const waivers = a.waivers === 'recorded' ? `${n} recorded in the bundle` : a.waivers === 'config' ? `${n} from the config (-c)` : 'no waivers';
  lines.push(`flags: ${flags.join(' ')}; ${waivers}${a.overridden.length ? `; from the command line: ${a.overridden.join(', ')}` : a.input === 'bundle' && a.bundleVersion === 2 ? '; as recorded' : ''}`);
  for (const n of a.notes) lines.push(`note: ${n}`);
  return lines;
}

export type RemediationBlock = { kind: 'text'; line: string; first: boolean } | { kind: 'code'; lines: string[] };

/** A fix split into prose lines and command blocks (the indented lines after the first, as rules write them). */
export function remediationBlocks(text: string): RemediationBlock[] {
  const out: RemediationBlock[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (i > 0 && /^\s{2,}\S/.test(line)) {
      const last = out[out.length - 1];
      if (last?.kind === 'code') last.lines.push(line.trim());
      else out.push({ kind: 'code', lines: [line.trim()] });
    } else out.push({ kind: 'text', line, first: i === 0 });
  });
  return out;
}
