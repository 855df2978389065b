// The renderers of `diff`'s result (the value is in diff-model.ts): text, JSON, markdown here, the
// HTML page in diff-html.ts. Every renderer is a pure function of the value, like the report
// renderers, so another format is one more function.
import { renderDiffHtml } from './diff-html.js';
import { closing, factChangeLine, modeLine, NO_FACT_CHANGE, sideLine, sideStatus, summaryLine, type DiffResult } from './diff-model.js';
import { cell, mdEscape } from './markdown.js';

export type { DiffResult, DiffSide, DiffSummary, RuleSide, RuleStatusChange } from './diff-model.js';

export type DiffFormat = 'text' | 'json' | 'markdown' | 'html';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown', 'html'];

export function renderDiffText(d: DiffResult): string {
  const out = [`acr-preflight diff (${modeLine(d)})`, `  before: ${sideLine(d.before)}`, `  after:  ${sideLine(d.after)}`, `  summary: ${summaryLine(d)}`, ''];
  if (d.ruleChanges.length) {
    out.push(`Rules whose status changed (${d.ruleChanges.length}):`);
    const w = Math.max(...d.ruleChanges.map((r) => r.ruleId.length));
    for (const r of d.ruleChanges) {
      out.push(`  ${r.worse ? 'WORSE ' : '      '}${r.ruleId.padEnd(w)}  ${sideStatus(r.before)} → ${sideStatus(r.after)}  ${r.title}`);
      if (r.message) out.push(`        now: ${r.message}`);
      for (const c of r.explainedBy) out.push(`        because ${factChangeLine(c)}  [${c.fact}]`);
      if (d.mode === 'bundles' && !r.explainedBy.length) out.push(`        (${NO_FACT_CHANGE})`);
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
    `- **summary:** ${mdEscape(summaryLine(d))}`,
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
  html: renderDiffHtml,
};
