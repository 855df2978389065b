// Merging a single-rule re-run into the previous full report: the rule's result and its hops are
// replaced, the summary and verdict recomputed by the engine's own functions. Pure.
import type { Report } from '../engine/types.js';
import { orderHops } from '../engine/runner.js';
import { decide, summarize } from '../engine/verdict.js';

export function mergeReport(prev: Report | undefined, partial: Report, ruleIds: readonly string[]): Report {
  if (!prev) return partial;
  const ids = new Set(ruleIds);
  const fresh = new Map(partial.results.map((r) => [r.ruleId, r]));
  const results = prev.results.map((r) => fresh.get(r.ruleId) ?? r);
  for (const r of partial.results) if (!prev.results.some((p) => p.ruleId === r.ruleId)) results.push(r);
  const path = orderHops([...prev.path.filter((h) => !h.ruleId || !ids.has(h.ruleId)), ...partial.path.filter((h) => h.ruleId && ids.has(h.ruleId))]);
  const { verdict, exitCode } = decide(results, prev.failOn);
  return {
    ...prev,
    verdict,
    exitCode,
    summary: summarize(results),
    results,
    path,
    accessPath: partial.accessPath,
    generatedAt: partial.generatedAt,
    collectedAt: partial.collectedAt,
  };
}
