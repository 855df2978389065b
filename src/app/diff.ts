// `diff`: two saved inputs judged as they were collected, the rules whose status changed, and the
// fact changes that explain each (the changes among the facts the rule reads, from its `needs`).
import { RULES } from '../../rules/index.js';
import type { Report, Rule } from '../engine/types.js';
import { diffFacts, type FactChange } from '../facts/diff.js';
import type { DiffResult, DiffSide, RuleSide, RuleStatusChange } from '../report/diff-model.js';
import { judgeSaved, type JudgeOptions, type SavedInput } from './bundles.js';

interface Side {
  side: DiffSide;
  results: Map<string, RuleSide & { message?: string; title?: string }>;
  report?: Report;
}

function sideOf(label: string, input: SavedInput, judge: JudgeOptions = {}): Side {
  if (input.kind === 'report') {
    const r = input.report;
    return {
      side: { label, input: 'report', ...(r.collectedAt ? { collectedAt: r.collectedAt } : {}), ...(r.tool?.version ? { toolVersion: r.tool.version } : {}), verdict: r.verdict, exitCode: r.exitCode },
      results: new Map(r.results.map((x) => [x.ruleId, { status: x.status, waived: Boolean(x.waived), ...(x.message ? { message: x.message } : {}), ...((x as { title?: string }).title ? { title: (x as { title?: string }).title } : {}) }])),
    };
  }
  const report = judgeSaved(input, judge);
  return {
    side: { label, input: input.kind, collectedAt: report.analysis!.collectedAt, toolVersion: report.analysis!.collectedBy.version, verdict: report.verdict, exitCode: report.exitCode },
    results: new Map(report.results.map((x) => [x.ruleId, { status: x.status, waived: Boolean(x.waived), message: x.message, title: x.title }])),
    report,
  };
}

const blocking = (s: RuleSide | null) => Boolean(s && !s.waived && (s.status === 'fail' || s.status === 'error'));
const calm = (s: RuleSide | null) => Boolean(s && (s.waived || s.status === 'pass' || s.status === 'warn' || s.status === 'skip'));

/** The facts a changed rule's verdict may hang on: what it reads, and (for path rules) what the access path is derived from. */
function readsOf(rule: Rule | undefined, pathChanged: boolean): Set<string> {
  const reads = new Set(rule?.needs ?? []);
  if (rule?.paths && pathChanged) for (const f of ['gitlab.addresses', 'cloud.gitlabEnis', 'cloud.loadBalancers']) reads.add(f);
  return reads;
}

/** Each side is judged as it was collected, or with `judge` (e.g. a config's waivers for fresh facts). */
export function diffSaved(before: { label: string; input: SavedInput; judge?: JudgeOptions }, after: { label: string; input: SavedInput; judge?: JudgeOptions }): DiffResult {
  const b = sideOf(before.label, before.input, before.judge);
  const a = sideOf(after.label, after.input, after.judge);
  const bi = before.input;
  const ai = after.input;
  const bothBundles = bi.kind !== 'report' && ai.kind !== 'report';
  const facts: FactChange[] = bi.kind !== 'report' && ai.kind !== 'report' ? diffFacts(bi.facts, ai.facts) : [];
  const pathChanged = Boolean(b.report && a.report && b.report.accessPath.kind !== a.report.accessPath.kind);
  const order = [...new Set([...RULES.map((r) => r.id), ...b.results.keys(), ...a.results.keys()])];
  const used = new Set<FactChange>();
  const ruleChanges: RuleStatusChange[] = [];
  let unchanged = 0;
  for (const id of order) {
    const x = b.results.get(id) ?? null;
    const y = a.results.get(id) ?? null;
    if (!x && !y) continue;
    if (x && y && x.status === y.status && x.waived === y.waived) {
      unchanged++;
      continue;
    }
    const rule = RULES.find((r) => r.id === id);
    const reads = readsOf(rule, pathChanged);
    const explainedBy = facts.filter((c) => reads.has(c.fact));
    for (const c of explainedBy) used.add(c);
    ruleChanges.push({
      ruleId: id,
      title: rule?.title ?? y?.title ?? x?.title ?? id,
      before: x ? { status: x.status, waived: x.waived } : null,
      after: y ? { status: y.status, waived: y.waived } : null,
      worse: calm(x) && blocking(y),
      better: blocking(x) && calm(y),
      ...(y?.message ? { message: y.message } : {}),
      explainedBy,
    });
  }
  const worse = ruleChanges.some((r) => r.worse);
  const count = (p: (r: RuleStatusChange) => boolean) => ruleChanges.filter(p).length;
  return {
    schemaVersion: 1,
    mode: bothBundles ? 'bundles' : 'reports',
    before: b.side,
    after: a.side,
    summary: { worse: count((r) => r.worse), better: count((r) => r.better), otherChanges: count((r) => !r.worse && !r.better), unchanged },
    ruleChanges,
    otherFactChanges: facts.filter((c) => !used.has(c)),
    worse,
    exitCode: worse ? 1 : 0,
  };
}
