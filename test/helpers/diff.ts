// Reading a `diff` output back: the changed rule ids each format names, read the way a reader of
// that format would (so a test can hold the four formats to the same answer).
import type { DiffResult } from '../../src/report/diff.js';

/** the changed rule ids each format names, read the way a reader of that format would */
export function changedRuleIds(format: string, out: string): string[] {
  if (format === 'json') return (JSON.parse(out) as DiffResult).ruleChanges.map((r) => r.ruleId);
  if (format === 'html') return [...out.matchAll(/<article class="change[^"]*"[^>]* data-rule="([^"]+)"/g)].map((m) => m[1]!);
  if (format === 'markdown') {
    const section = /### Rules whose status changed\n([\s\S]*?)(?:\n###|$)/.exec(out)?.[1] ?? '';
    return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);
  }
  // a rule's line: its id padded to the widest, then its statuses (the lines under it say "now:" and "because")
  const section = /(?:^|\n)Rules whose status changed \(\d+\):\n([\s\S]*?)(?:\n\n|\n?$(?![\s\S]))/.exec(out)?.[1] ?? '';
  return [...section.matchAll(/^ {2}(?:WORSE | {6})(\S+) {2,}\S.* → /gm)].map((m) => m[1]!);
}
