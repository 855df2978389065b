// The versioned JSON report (schemaVersion 1). Keys are written in a fixed order: the
// documented ones first, in the documented order, then additive fields.
import type { Hop, Report, RuleResult } from '../engine/types.js';
import type { ReportOptions } from './types.js';

function result(r: RuleResult): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ruleId: r.ruleId,
    status: r.status,
    severity: r.severity,
    title: r.title,
    message: r.message,
    evidence: r.evidence.map((e) => ({ label: e.label, value: e.value, ...(e.source !== undefined ? { source: e.source } : {}) })),
    remediation: r.remediation,
    docs: r.docs,
    durationMs: r.durationMs,
    messageId: r.messageId,
    data: r.data,
  };
  if (r.waived) o.waived = r.waived;
  if (r.waiverExpired) o.waiverExpired = r.waiverExpired;
  if (r.fixes?.length) o.fixes = r.fixes;
  return o;
}

function hop(h: Hop): Record<string, unknown> {
  return { hop: h.hop, id: h.id, verdict: h.verdict, detail: h.detail, direction: h.direction, ...(h.ruleId ? { ruleId: h.ruleId } : {}) };
}

/** The report as the documented JSON object (key order fixed). */
export function toJsonObject(report: Report): Record<string, unknown> {
  const s = report.summary;
  return {
    schemaVersion: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    verdict: report.verdict,
    exitCode: report.exitCode,
    summary: { pass: s.pass, warn: s.warn, fail: s.fail, skip: s.skip, error: s.error, waived: s.waived },
    results: report.results.map(result),
    path: report.path.map(hop),
    failOn: report.failOn,
    accessPath: { kind: report.accessPath.kind, ...(report.accessPath.address ? { address: report.accessPath.address } : {}), reason: report.accessPath.reason },
    generatedAt: report.generatedAt,
    collectedAt: report.collectedAt,
  };
}

export function renderJson(report: Report, _opts: ReportOptions = {}): string {
  return `${JSON.stringify(toJsonObject(report), null, 2)}\n`;
}
