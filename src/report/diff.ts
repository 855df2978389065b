// The result of `diff`: a pure value (rules whose status changed, each with the fact changes that
// explain it, then the other fact changes) and its renderers. Every renderer is a pure function of
// the value, like the report renderers, so another format is one more function.
import type { FactChange } from '../facts/diff.js';
import { cell, mdEscape } from './markdown.js';

export interface DiffSide {
  /** the file as the user named it */
  label: string;
  /** a bundle (version), a bare snapshot, or a JSON report */
  input: 'bundle' | 'snapshot' | 'report';
  collectedAt?: string;
  toolVersion?: string;
  verdict: string;
  exitCode: number;
}

export interface RuleSide {
  status: string;
  waived: boolean;
}

export interface RuleStatusChange {
  ruleId: string;
  title: string;
  /** null: the rule did not run on that side */
  before: RuleSide | null;
  after: RuleSide | null;
  /** went from pass/warn/skip (or waived) to an unwaived fail/error */
  worse: boolean;
  /** the message on the after side (why it is what it is now) */
  message?: string;
  /** the fact changes among the facts this rule reads */
  explainedBy: FactChange[];
}

export interface DiffResult {
  schemaVersion: 1;
  /** bundles: status and fact changes; reports: status changes only */
  mode: 'bundles' | 'reports';
  before: DiffSide;
  after: DiffSide;
  ruleChanges: RuleStatusChange[];
  /** fact changes no changed rule reads */
  otherFactChanges: FactChange[];
  worse: boolean;
  exitCode: 0 | 1;
}

export type DiffFormat = 'text' | 'json' | 'markdown';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown'];

const sideStatus = (s: RuleSide | null) => (s ? `${s.status}${s.waived ? ' (waived)' : ''}` : 'not run');
const sideLine = (s: DiffSide) => `${s.label} (${s.input}${s.collectedAt ? `, collected ${s.collectedAt}` : ''}${s.toolVersion ? `, acr-preflight ${s.toolVersion}` : ''}): verdict ${s.verdict}, exit ${s.exitCode}`;

export function factChangeLine(c: FactChange): string {
  const arrow = c.kind === 'added' ? `added ${c.after ?? ''}` : c.kind === 'removed' ? `removed ${c.before ?? ''}` : `${c.before ?? '?'} → ${c.after ?? '?'}`;
  return `${c.subject}: ${arrow.trim()}`;
}

function closing(d: DiffResult): string {
  if (d.worse) return `Worse: ${d.ruleChanges.filter((r) => r.worse).map((r) => `${r.ruleId} ${sideStatus(r.before)} → ${sideStatus(r.after)}`).join('; ')} (exit 1).`;
  if (!d.ruleChanges.length && !d.otherFactChanges.length) return 'No differences (exit 0).';
  return 'Nothing got worse (exit 0).';
}

export function renderDiffText(d: DiffResult): string {
  const out = [`acr-preflight diff (${d.mode === 'bundles' ? 'bundles: status and fact changes' : 'reports: status changes only'})`, `  before: ${sideLine(d.before)}`, `  after:  ${sideLine(d.after)}`, ''];
  if (d.ruleChanges.length) {
    out.push(`Rules whose status changed (${d.ruleChanges.length}):`);
    const w = Math.max(...d.ruleChanges.map((r) => r.ruleId.length));
    for (const r of d.ruleChanges) {
      out.push(`  ${r.worse ? 'WORSE ' : '      '}${r.ruleId.padEnd(w)}  ${sideStatus(r.before)} → ${sideStatus(r.after)}  ${r.title}`);
      if (r.message) out.push(`        now: ${r.message}`);
      for (const c of r.explainedBy) out.push(`        because ${factChangeLine(c)}  [${c.fact}]`);
      if (d.mode === 'bundles' && !r.explainedBy.length) out.push('        (no change in the facts this rule reads: the flags, waivers or the time judged at differ)');
    }
  } else {
    out.push('No rule changed status.');
  }
  if (d.otherFactChanges.length) {
    out.push('', `Other fact changes (${d.otherFactChanges.length}):`);
    for (const c of d.otherFactChanges) out.push(`  ${factChangeLine(c)}  [${c.fact}]`);
  } else if (d.mode === 'bundles') {
    out.push('', 'No other fact changes.');
  }
  out.push('', closing(d), '');
  return out.join('\n');
}

export function renderDiffJson(d: DiffResult): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

export function renderDiffMarkdown(d: DiffResult): string {
  const out = [
    `## ${d.worse ? '❌' : '✅'} ACR VPC preflight diff`,
    '',
    `- **before:** ${mdEscape(sideLine(d.before))}`,
    `- **after:** ${mdEscape(sideLine(d.after))}`,
    '',
  ];
  if (d.ruleChanges.length) {
    out.push('### Rules whose status changed', '', '| Rule | Before | After | Explained by |', '| --- | --- | --- | --- |');
    for (const r of d.ruleChanges) {
      const why = r.explainedBy.map((c) => cell(factChangeLine(c))).join('<br>') || (d.mode === 'bundles' ? 'no change in the facts it reads' : '');
      out.push(`| \`${r.ruleId}\`${r.worse ? ' **worse**' : ''} | ${sideStatus(r.before)} | ${sideStatus(r.after)} | ${why} |`);
    }
    out.push('');
  } else {
    out.push('No rule changed status.', '');
  }
  if (d.otherFactChanges.length) {
    out.push('### Other fact changes', '', '| Fact | Change |', '| --- | --- |');
    for (const c of d.otherFactChanges) out.push(`| \`${c.fact}\` | ${cell(factChangeLine(c))} |`);
    out.push('');
  }
  out.push(mdEscape(closing(d)), '');
  return out.join('\n');
}

export const DIFF_RENDERERS: Readonly<Record<DiffFormat, (d: DiffResult) => string>> = {
  text: renderDiffText,
  json: renderDiffJson,
  markdown: renderDiffMarkdown,
};
