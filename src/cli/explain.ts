// `acr-preflight explain RULE_ID`: the rule's docs (rules/<id>.md, rendered as plain text), what
// its messages and fixes say, and its metadata.
import { RULES } from '../../rules/index.js';
import { ENGINE_MESSAGES } from '../engine/runner.js';
import { UsageError } from '../errors.js';
import { docsUrl, ruleDocs } from '../paths.js';
import { nearest } from '../util/nearest.js';
import type { CommandContext } from './context.js';

/** Markdown to plain terminal text: headings underlined, emphasis and link syntax dropped, code kept. */
export function markdownToText(md: string): string {
  const out: string[] = [];
  let fence = false;
  for (const line of md.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) {
      out.push(`    ${line}`);
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const text = inline(h[2]!);
      if (out.length && out[out.length - 1] !== '') out.push('');
      out.push(text, (h[1]!.length === 1 ? '=' : '-').repeat(Math.min(text.length, 78)));
      continue;
    }
    if (/^\s*\|?\s*:?-{3,}/.test(line) && line.includes('-') && /^[\s|:-]+$/.test(line)) continue; // table rule
    out.push(inline(line.replace(/^(\s*)[*+-]\s+/, '$1- ').replace(/^\s*\|(.*)\|\s*$/, (_m, row: string) => row.split('|').map((c) => c.trim()).join('  |  '))));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function inline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, t: string, u: string) => (t === u ? u : `${t} (${u})`))
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/__([^_]+)__/g, '$1')
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '');
}

export async function run(ctx: CommandContext): Promise<number> {
  const id = ctx.positionals[0];
  const ids = RULES.map((r) => r.id);
  if (!id) throw new UsageError('explain needs a rule id', 'run `acr-preflight rules` to list the ids');
  const rule = RULES.find((r) => r.id === id);
  if (!rule) {
    const guess = nearest(id, ids);
    throw new UsageError(`unknown rule id "${id}"${guess ? ` (did you mean ${guess}?)` : ''}`, 'run `acr-preflight rules` to list the ids');
  }
  const doc = ruleDocs(rule.id);
  const out: string[] = [];
  out.push(doc ? markdownToText(doc) : `${rule.id} — ${rule.title}\n\n${rule.description}`);
  const heading = (t: string) => out.push('', t, '-'.repeat(t.length));
  heading('Rule');
  out.push(`id:        ${rule.id}`, `severity:  ${rule.severity}`, `applies:   ${rule.paths ? `${rule.paths.join(', ')} access path${rule.paths.length > 1 ? 's' : ''}` : 'every access path'}`);
  out.push(`reads:     ${rule.needs.join(', ') || '(input only)'}`, `docs:      ${docsUrl(rule.id)}`);
  heading('Messages (what a result says; {{name}} is filled from the evidence)');
  for (const [mid, text] of Object.entries(rule.messages)) out.push(`${mid}:`, `    ${text}`);
  if (rule.remediation && Object.keys(rule.remediation).length) {
    heading('Fixes');
    for (const [rid, text] of Object.entries(rule.remediation)) out.push(`${rid}:`, `    ${text}`);
  }
  heading('Any rule can also say');
  for (const [mid, text] of Object.entries(ENGINE_MESSAGES)) out.push(`${mid}:`, `    ${text}`);
  ctx.io.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
