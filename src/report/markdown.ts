// Markdown for $GITHUB_STEP_SUMMARY and merge-request notes: verdict, a counts table, each
// non-passing rule with why and the fix, waived findings listed with owner and expiry, the path.
import type { Report, RuleResult, Status } from '../engine/types.js';
import { isUrl } from '../paths.js';
import { evidenceLine, exitLine, hopArrow, isProblem, waiverNote } from './common.js';
import type { ReportOptions } from './types.js';

const ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️', error: '⛔' };
const VERDICT_ICON = { pass: '✅', fail: '❌', incomplete: '⛔' } as const;

/** Text inside a table cell: one line, no pipe. */
export function cell(s: string): string {
  return mdEscape(s).replace(/\r?\n/g, '<br>').replace(/\|/g, '\\|');
}

/** Escape what would otherwise become markup (HTML tags, emphasis, links) in running text. */
export function mdEscape(s: string): string {
  return s.replace(/[\\*[\]<>]/g, (c) => `\\${c}`);
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.replace(/\r?\n/g, ' ')}${ticks}`;
}

/** The fix: prose lines as text, indented lines (commands the rules give) as a shell code block. */
export function remediationMd(text: string): string[] {
  const out: string[] = [];
  let code: string[] = [];
  const flush = () => {
    if (!code.length) return;
    const fence = code.some((l) => l.includes('```')) ? '~~~' : '```';
    out.push('', `${fence}sh`, ...code, fence, '');
    code = [];
  };
  text.split(/\r?\n/).forEach((line, i) => {
    if (i > 0 && /^\s{2,}\S/.test(line)) {
      code.push(line.trim());
      return;
    }
    flush();
    out.push(i === 0 ? `**Fix:** ${mdEscape(line)}` : mdEscape(line));
  });
  flush();
  while (out[out.length - 1] === '') out.pop();
  return out;
}

function section(r: RuleResult): string[] {
  const out = [`### ${ICON[r.status]} ${code(r.ruleId)} — ${mdEscape(r.title)}`, '', mdEscape(r.message), ''];
  if (r.waiverExpired) out.push(`> **Waiver expired:** ${mdEscape(waiverNote(r)!)}`, '');
  if (r.evidence.length) {
    out.push('<details><summary>Evidence</summary>', '');
    for (const e of r.evidence) out.push(`- ${mdEscape(evidenceLine(e, 500))}`);
    out.push('', '</details>', '');
  }
  if (r.remediation) out.push(...remediationMd(r.remediation), '');
  out.push(isUrl(r.docs) ? `[Rule docs](${r.docs})` : `Rule docs: \`${r.docs}\``, '');
  return out;
}

export function renderMarkdown(report: Report, _opts: ReportOptions = {}): string {
  const s = report.summary;
  const v = report.verdict;
  const out: string[] = [
    `## ${VERDICT_ICON[v]} ACR VPC preflight: ${v === 'pass' ? 'passed' : v === 'fail' ? 'failed' : 'incomplete'}`,
    '',
    `${mdEscape(report.tool.name)} ${mdEscape(report.tool.version)} · ${exitLine(report)} · access path **${report.accessPath.kind}**: ${mdEscape(report.accessPath.reason)}`,
    '',
    '| Status | Count |',
    '| --- | ---: |',
    `| ${ICON.fail} fail | ${s.fail} |`,
    `| ${ICON.error} error (undecided) | ${s.error} |`,
    `| ${ICON.warn} warn | ${s.warn} |`,
    `| ${ICON.pass} pass | ${s.pass} |`,
    `| ${ICON.skip} skip | ${s.skip} |`,
    `| 🔕 waived | ${s.waived} |`,
    '',
  ];
  const open = report.results.filter((r) => isProblem(r) && !r.waived);
  const order: Status[] = ['fail', 'error', 'warn'];
  open.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  if (open.length) {
    out.push('## Findings', '');
    for (const r of open) out.push(...section(r));
  }
  const waived = report.results.filter((r) => r.waived);
  if (waived.length) {
    out.push('## Waived (not blocking until expiry)', '', '| Rule | Status | Owner | Expires | Reason |', '| --- | --- | --- | --- | --- |');
    for (const r of waived) {
      const w = r.waived!;
      out.push(`| ${code(r.ruleId)} | ${ICON[r.status]} ${r.status} | ${cell(w.owner)} | ${w.expires} | ${cell(w.reason)}${w.scope ? ` (scope ${cell(w.scope)})` : ''} |`);
    }
    out.push('');
  }
  if (report.path.length) {
    out.push('<details><summary>Path from the ACR builder to GitLab and back</summary>', '', '| | Hop | Resource | Verdict | Detail |', '| --- | --- | --- | --- | --- |');
    for (const h of report.path) {
      const verdict = h.verdict === 'drop' ? '❌ **drop**' : h.verdict === 'allow' ? '✅ allow' : '❔ unknown';
      out.push(`| ${hopArrow(h)} | ${h.hop} | ${code(h.id)} | ${verdict} | ${cell(h.detail)} |`);
    }
    out.push('', '</details>', '');
  }
  const rest = report.results.filter((r) => !isProblem(r));
  if (rest.length) {
    out.push('<details><summary>Passed and skipped rules</summary>', '', '| | Rule | Message |', '| --- | --- | --- |');
    for (const r of rest) out.push(`| ${ICON[r.status]} | ${code(r.ruleId)} | ${cell(r.message)} |`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
