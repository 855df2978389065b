// A rule's detail page as terminal rows (pure): status and message, evidence, the hop-by-hop path
// with the blocking hop marked, the fix with copyable commands, and the rule's docs.
import type { Report, RuleResult } from '../engine/types.js';
import type { RowStatus } from './state.js';
import { callCommand, proofText } from '../report/common.js';
import { evidenceLines, hopLines, STATUS_LABEL, STATUS_TONE, truncate, wrap, wrapCommand, type Line } from './format.js';

const COMMAND_RE = /^(?:sudo\s+)?(?:aliyun|acr-preflight|curl|ip|iptables|ip6tables|nft|git|ssh|openssl|gitlab-ctl|gitlab-rails|docker|systemctl|firewall-cmd|ufw|route|tailscale)\s/;

/** Commands in a remediation text: fenced blocks, `$ ` lines, indented lines, command-like `code` spans. */
export function extractCommands(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of text.split('\n')) {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    const line = raw.trim();
    if (!line) continue;
    if (fenced || /^ {4}\S/.test(raw) || (/^ {2}\S/.test(raw) && COMMAND_RE.test(line))) out.push(line.replace(/^\$\s+/, ''));
    else if (line.startsWith('$ ')) out.push(line.slice(2));
    else for (const m of line.matchAll(/`([^`]+)`/g)) if (COMMAND_RE.test(m[1]!)) out.push(m[1]!);
  }
  return [...new Set(out)];
}

/** Remediation prose without the fenced/indented/`$ ` command lines (those are printed as commands). */
function prose(text: string): string {
  const keep: string[] = [];
  let fenced = false;
  for (const raw of text.split('\n')) {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || /^ {4}\S/.test(raw) || raw.trim().startsWith('$ ') || (/^ {2}\S/.test(raw) && COMMAND_RE.test(raw.trim()))) continue;
    keep.push(raw);
  }
  return keep.join('\n').trim();
}

/**
 * A code line of a fenced block, wrapped (never cut). Shell lines (a shell or unnamed fence) break
 * between words with ` \` continuations, so the selected rows still paste as one command; other
 * code (YAML, JSON) breaks at the width with nothing added.
 */
export function codeLines(raw: string, width: number, shell: boolean, indent = '    '): string[] {
  const lead = /^\s*/.exec(raw)![0];
  const body = raw.slice(lead.length).trimEnd();
  const prefix = indent + lead;
  if (prefix.length + body.length <= width) return [prefix + body];
  const rows = shell ? wrapCommand(body, width, prefix) : [prefix + body];
  // a word longer than the row (or non-shell code): break it at the width
  const out: string[] = [];
  for (const r of rows) {
    if (r.length <= width) {
      out.push(r);
      continue;
    }
    const room = Math.max(1, width - prefix.length);
    for (let rest = r.slice(prefix.length); rest.length; rest = rest.slice(room)) out.push(prefix + rest.slice(0, room));
  }
  return out;
}

const SHELL_FENCE = /^(|sh|bash|shell|console|zsh|terminal)$/i;
const BULLET = /^(\s*(?:[-*+]|\d+\.)\s+)(.*)$/;

/**
 * Markdown docs rendered as plain rows: headings marked, paragraphs and list items wrapped (a list
 * item's continuation lines stay in the item), code wrapped but kept verbatim.
 */
export function docsLines(md: string, width: number): Line[] {
  const out: Line[] = [];
  let fence: { shell: boolean } | undefined;
  let para: string[] = [];
  let item: { marker: string; text: string[] } | undefined;
  const flush = () => {
    if (para.length) for (const t of wrap(para.join(' '), width, '  ')) out.push({ text: t });
    para = [];
    if (item) {
      const m = item.marker;
      for (const t of wrap(item.text.join(' '), width, `  ${m.replace(/[*+]/, '-')}`, `  ${' '.repeat(m.length)}`)) out.push({ text: t });
    }
    item = undefined;
  };
  const gap = () => {
    if (out.length && out[out.length - 1]!.text !== '') out.push({ text: '' });
  };
  for (const raw of md.split('\n')) {
    const f = /^\s*```\s*([\w+-]*)/.exec(raw);
    if (f) {
      flush();
      fence = fence ? undefined : { shell: SHELL_FENCE.test(f[1] ?? '') };
      continue;
    }
    if (fence) {
      for (const t of codeLines(raw, width, fence.shell)) out.push({ text: t, tone: 'code' });
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(raw);
    if (h) {
      flush();
      gap();
      out.push({ text: `  ${h[2]}`, tone: 'heading', bold: true });
      continue;
    }
    if (!raw.trim()) {
      flush();
      gap();
      continue;
    }
    const bullet = BULLET.exec(raw);
    if (bullet) {
      flush();
      item = { marker: bullet[1]!, text: [bullet[2]!.trim()] };
      continue;
    }
    if (raw.startsWith('|')) {
      flush();
      out.push({ text: truncate(`  ${raw}`, width) });
      continue;
    }
    // inside a list item, a following line (indented or lazy) continues the item
    if (item) item.text.push(raw.trim());
    else para.push(raw.trim());
  }
  flush();
  while (out.length && out[out.length - 1]!.text === '') out.pop();
  return out;
}

export function detailLines(opts: { result?: RuleResult; rowStatus: RowStatus; ruleId: string; title: string; report?: Report; docs?: string; width: number }): Line[] {
  const { result: r, width } = opts;
  const out: Line[] = [];
  const status = r?.status ?? opts.rowStatus;
  out.push({ text: truncate(`${STATUS_LABEL[status].trim()}  ${opts.ruleId} — ${r?.title ?? opts.title}`, width), tone: STATUS_TONE[status], bold: true });
  if (!r) {
    out.push({ text: status === 'running' || status === 'pending' ? '  running…' : '  no result yet', tone: 'dim' });
  } else {
    for (const t of wrap(r.message, width, '  ')) out.push({ text: t });
    const meta = [`severity ${r.severity}`, `${r.durationMs} ms`].join(' · ');
    out.push({ text: truncate(`  ${meta}`, width), tone: 'dim' });
    if (r.waived) {
      for (const t of wrap(`Waived by ${r.waived.owner} until ${r.waived.expires}: ${r.waived.reason}`, width, '  ')) out.push({ text: t, tone: 'warn' });
    }
    if (r.waiverExpired) {
      for (const t of wrap(`Waiver by ${r.waiverExpired.owner} expired ${r.waiverExpired.expires} — it no longer waives this result`, width, '  ')) {
        out.push({ text: t, tone: 'warn' });
      }
    }

    out.push({ text: '' }, { text: 'Evidence', tone: 'heading', bold: true });
    if (r.evidence.length) out.push(...evidenceLines(r.evidence, width));
    else out.push({ text: '  (none recorded)', tone: 'dim' });
  }

  out.push({ text: '' }, { text: 'Path  (hop by hop; the first DROP is where it breaks)', tone: 'heading', bold: true });
  out.push(...hopLines(opts.report?.path ?? [], width, opts.ruleId));

  const remediation = r?.remediation?.trim() ?? '';
  const fixes = r?.fixes ?? [];
  if (remediation || fixes.length) {
    out.push({ text: '' }, { text: 'Fix', tone: 'heading', bold: true });
    const p = prose(remediation);
    if (p) for (const t of wrap(p, width, '  ')) out.push({ text: t });
    // the remediation's own commands first; a fix's command only when the remediation has none for that action
    const own = extractCommands(remediation);
    const calls = fixes.flatMap((f) => f.calls ?? []);
    const commands = [...own, ...calls.filter((c) => !own.some((o) => o.includes(` ${c.action} `))).map(callCommand)];
    if (commands.length) {
      out.push({ text: '' }, { text: '  Commands (select to copy):', tone: 'dim' });
      for (const c of [...new Set(commands)]) for (const t of wrapCommand(c, width)) out.push({ text: t, tone: 'code' });
    }
    for (const f of fixes) {
      for (const t of wrap(`${f.title} — ${proofText(f)}`, width, '  # ', '  # ')) out.push({ text: t, tone: f.proof?.state === 'verified' ? 'ok' : 'dim' });
      for (const s of f.steps ?? []) for (const t of wrap(s, width, '    - ', '      ')) out.push({ text: t });
    }
  }

  out.push({ text: '' }, { text: 'Docs', tone: 'heading', bold: true });
  if (opts.docs) out.push(...docsLines(opts.docs, width));
  out.push({ text: truncate(`  ${r?.docs ?? ''}`.trimEnd() || '  (no docs)', width), tone: 'dim' });
  return out;
}
