// The value `diff` computes (rules whose status changed, each with the fact changes that explain it,
// then the other fact changes) and the sentences every diff renderer shares, so text, markdown and
// HTML say the same thing in the same words.
import type { FactChange } from '../facts/diff.js';

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
  /** went from an unwaived fail/error to pass/warn/skip (or waived) */
  better: boolean;
  /** the message on the after side (why it is what it is now) */
  message?: string;
  /** the fact changes among the facts this rule reads */
  explainedBy: FactChange[];
}

export interface DiffSummary {
  /** rules that went from pass/warn/skip (or waived) to an unwaived fail/error */
  worse: number;
  /** rules that went from an unwaived fail/error to pass/warn/skip (or waived) */
  better: number;
  /** the other status changes (pass → warn, fail → error, a rule run on one side only, …) */
  otherChanges: number;
  /** rules run on both sides with the same status */
  unchanged: number;
}

export interface DiffResult {
  schemaVersion: 1;
  /** bundles: status and fact changes; reports: status changes only */
  mode: 'bundles' | 'reports';
  before: DiffSide;
  after: DiffSide;
  summary: DiffSummary;
  ruleChanges: RuleStatusChange[];
  /** fact changes no changed rule reads */
  otherFactChanges: FactChange[];
  worse: boolean;
  exitCode: 0 | 1;
}

export const modeLine = (d: DiffResult): string => (d.mode === 'bundles' ? 'bundles: status and fact changes' : 'reports: status changes only');

export const sideStatus = (s: RuleSide | null): string => (s ? `${s.status}${s.waived ? ' (waived)' : ''}` : 'not run');

export const sideLine = (s: DiffSide): string =>
  `${s.label} (${s.input}${s.collectedAt ? `, collected ${s.collectedAt}` : ''}${s.toolVersion ? `, acr-preflight ${s.toolVersion}` : ''}): verdict ${s.verdict}, exit ${s.exitCode}`;

export function factChangeLine(c: FactChange): string {
  const arrow = c.kind === 'added' ? `added ${c.after ?? ''}` : c.kind === 'removed' ? `removed ${c.before ?? ''}` : `${c.before ?? '?'} → ${c.after ?? '?'}`;
  return `${c.subject}: ${arrow.trim()}`;
}

export function summaryLine(d: DiffResult): string {
  const s = d.summary;
  return `${s.worse} got worse, ${s.better} got better, ${s.otherChanges} other status change${s.otherChanges === 1 ? '' : 's'}, ${s.unchanged} unchanged`;
}

/** what a bundle whose rule changed status but whose facts that rule reads did not says instead */
export const NO_FACT_CHANGE = 'no change in the facts this rule reads: the flags, waivers or the time judged at differ';

export function closing(d: DiffResult): string {
  if (d.worse) return `Worse: ${d.ruleChanges.filter((r) => r.worse).map((r) => `${r.ruleId} ${sideStatus(r.before)} → ${sideStatus(r.after)}`).join('; ')} (exit 1).`;
  if (!d.ruleChanges.length && !d.otherFactChanges.length) return 'No differences (exit 0).';
  return 'Nothing got worse (exit 0).';
}
