// GitHub Actions workflow commands (::error / ::warning / ::notice) for each non-passing rule, so
// findings show on the run's summary page. Written to stderr by the CLI when GITHUB_ACTIONS=true.
import type { Report } from '../engine/types.js';
import { isProblem, waiverNote } from './common.js';

/** Escaping of workflow-command data (the message). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of workflow-command properties (title=…). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotations(report: Report): string {
  const lines: string[] = [];
  for (const r of report.results) {
    if (!isProblem(r)) continue;
    const cmd = r.waived ? 'notice' : r.status === 'warn' ? 'warning' : 'error';
    const prefix = r.waived ? 'waived ' : r.status === 'error' ? 'could not decide ' : '';
    const title = `acr-preflight ${prefix}${r.ruleId}: ${r.title}`;
    const parts = [r.message];
    if (r.remediation) parts.push(`Fix: ${r.remediation}`);
    const note = waiverNote(r);
    if (note) parts.push(`Note: ${note}`);
    parts.push(`Docs: ${r.docs}`);
    lines.push(`::${cmd} title=${escapeProperty(title)}::${escapeData(parts.join('\n'))}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
