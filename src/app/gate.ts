// The provision gate: which results of a check stop provision from writing. The CLI's provision,
// the TUI's provision view and the plan all decide it here.
import type { Report, Status } from '../engine/types.js';

export interface GateResult {
  /** nothing blocks (after fixes, if selected) */
  ok: boolean;
  verdict: string;
  summary: Record<string, number>;
  /** failing / erroring (not waived) results that stop provision */
  blocking: { ruleId: string; status: Status; message: string; fixable: boolean }[];
  /** results provision itself resolves (link-present, source-bound) */
  resolves: { ruleId: string; status: Status; message: string }[];
}

/** Results that describe what provision creates (the link, the source binding): provision resolves them. */
export const RESOLVED_BY_PROVISION: Readonly<Record<string, readonly Status[]>> = {
  // absent is a warn; present but missing GitLab or an extra endpoint is a fail: both are the
  // guided "Manage Link" step (create it, or edit it to add what is missing)
  'link-present': ['warn', 'fail'],
  // bound to another project / OverseaBuild on is a fail; UpdateRepoSourceCodeRepo is the fix
  'source-bound': ['warn', 'fail'],
};

export function evaluateGate(report: Report, failOn: 'warn' | 'fail' = 'fail'): GateResult {
  const blocking: GateResult['blocking'] = [];
  const resolves: GateResult['resolves'] = [];
  for (const r of report.results) {
    if (RESOLVED_BY_PROVISION[r.ruleId]?.includes(r.status)) {
      resolves.push({ ruleId: r.ruleId, status: r.status, message: r.message });
      continue;
    }
    if (r.waived) continue;
    const trips = r.status === 'fail' || r.status === 'error' || (failOn === 'warn' && r.status === 'warn');
    if (trips) blocking.push({ ruleId: r.ruleId, status: r.status, message: r.message, fixable: Boolean(r.fixes?.length) });
  }
  return { ok: blocking.length === 0, verdict: report.verdict, summary: { ...report.summary }, blocking, resolves };
}
