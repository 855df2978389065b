// Human report: grouped by status (what blocks first), message, evidence, fix, the path hop by hop
// with the blocking hop marked, and a summary line. Colour only when allowed; in GitLab CI the
// passing and skipped groups fold into collapsible sections.
import type { Report, RuleResult, Status } from '../engine/types.js';
import { analysisLines, countsText, evidenceLine, exitLine, fixLines, grouped, hopArrow, verdictWord, waiverNote } from './common.js';
import type { ReportOptions } from './types.js';

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Paint = (code: keyof typeof ANSI, s: string) => string;

const LABEL: Record<Status | 'waived', string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS', waived: 'WAIVED' };
const HEADING: Record<Status | 'waived', string> = {
  fail: 'Failed',
  error: 'Could not decide',
  warn: 'Warnings',
  skip: 'Skipped',
  pass: 'Passed',
  waived: 'Waived — not blocking until they expire',
};
const COLOUR: Record<Status | 'waived', keyof typeof ANSI> = { fail: 'red', error: 'magenta', warn: 'yellow', skip: 'dim', pass: 'green', waived: 'cyan' };

function detailed(r: RuleResult, paint: Paint, label: string): string[] {
  const lines = [`  ${label}  ${paint('bold', r.ruleId)}  ${r.title}`, `        ${r.message}`];
  for (const e of r.evidence.slice(0, 8)) lines.push(`        evidence: ${evidenceLine(e)}`);
  if (r.evidence.length > 8) lines.push(`        evidence: … ${r.evidence.length - 8} more (see --format json)`);
  if (r.remediation) lines.push(`        fix: ${r.remediation.replace(/\n/g, '\n             ')}`);
  for (const f of r.fixes ?? []) {
    const [head, ...rest] = fixLines(f);
    lines.push(`        proposed change: ${head}`, ...rest.map((l) => `             ${l}`));
  }
  const note = waiverNote(r);
  if (note) lines.push(`        ${r.waived ? 'waived' : 'note'}: ${note.replace(/^waived /, '')}`);
  lines.push(`        docs: ${r.docs}`);
  return lines;
}

function brief(r: RuleResult, paint: Paint, label: string): string {
  return `  ${label}  ${paint('bold', r.ruleId)}  ${r.message}`;
}

export function renderText(report: Report, opts: ReportOptions = {}): string {
  const color = Boolean(opts.color) && opts.ci !== 'gitlab';
  const paint: Paint = (code, s) => (color ? `\x1b[${ANSI[code]}m${s}\x1b[0m` : s);
  const gitlab = opts.ci === 'gitlab';
  const ts = Math.floor((Date.parse(report.generatedAt) || 0) / 1000);
  const out: string[] = [];
  out.push(`${report.tool.name} ${report.tool.version} — access path: ${report.accessPath.kind} (${report.accessPath.reason})`);
  if (report.analysis) for (const l of analysisLines(report.analysis)) out.push(paint('dim', l));
  for (const g of grouped(report.results)) {
    const label = paint(COLOUR[g.status], LABEL[g.status].padEnd(6));
    const heading = `${HEADING[g.status]} (${g.results.length})`;
    const folded = gitlab && (g.status === 'pass' || g.status === 'skip');
    out.push('');
    if (folded) out.push(`\x1b[0Ksection_start:${ts}:acr_preflight_${g.status}[collapsed=true]\r\x1b[0K${heading}`);
    else out.push(paint('bold', heading));
    for (const r of g.results) {
      if (g.status === 'pass' || g.status === 'skip') out.push(brief(r, paint, label));
      else out.push(...detailed(r, paint, g.status === 'waived' ? paint('cyan', `${r.status.toUpperCase()}~`.padEnd(6)) : label));
    }
    if (folded) out.push(`\x1b[0Ksection_end:${ts}:acr_preflight_${g.status}\r\x1b[0K`);
  }
  if (report.path.length) {
    out.push('', paint('bold', 'Path from the ACR builder to GitLab and back:'));
    const w1 = Math.max(...report.path.map((h) => h.hop.length));
    const w2 = Math.max(...report.path.map((h) => h.id.length));
    for (const h of report.path) {
      const verdict = h.verdict === 'drop' ? paint('red', 'DROP ') : h.verdict === 'allow' ? paint('green', 'allow') : paint('yellow', '?    ');
      const mark = h.verdict === 'drop' ? paint('red', '   <-- blocks here') : '';
      out.push(`  ${hopArrow(h)} ${h.hop.padEnd(w1)}  ${h.id.padEnd(w2)}  ${verdict}  ${h.detail}${mark}`);
    }
  }
  const v = verdictWord(report);
  const vc = report.verdict === 'pass' ? 'green' : report.verdict === 'fail' ? 'red' : 'magenta';
  out.push('', `${paint(vc, paint('bold', v))}: ${countsText(report.summary)} (${exitLine(report)})`, '');
  return out.join('\n');
}
