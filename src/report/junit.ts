// JUnit XML: one testcase per rule, for GitLab CI test reports and common JUnit consumers.
//   fail                         -> <failure type="fail">
//   warn                         -> <failure type="warn"> when --fail-on warn; otherwise a passing
//                                   testcase whose <system-out> carries the warning
//   error (could not decide)     -> <error type="error">
//   skip                         -> <skipped message="…">
//   waived (a valid waiver)      -> <skipped message="waived by … until …">: it does not block
// The body of failures and errors holds the message, the evidence, the fix and the docs link.
import type { Report, RuleResult } from '../engine/types.js';
import { countsText, evidenceLine, trips, waiverNote } from './common.js';
import type { ReportOptions } from './types.js';

// XML 1.0 allows only these characters; everything else is dropped before escaping.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values: also keep line breaks (attribute normalisation would turn them into spaces). */
function attr(s: string): string {
  return xmlEscape(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function body(r: RuleResult): string {
  const lines = [`${r.title}`, '', r.message];
  if (r.evidence.length) {
    lines.push('', 'Evidence:');
    for (const e of r.evidence) lines.push(`- ${evidenceLine(e, 2000)}`);
  }
  if (r.remediation) lines.push('', `Fix: ${r.remediation}`);
  const note = waiverNote(r);
  if (note) lines.push('', `Note: ${note}`);
  lines.push('', `Docs: ${r.docs}`);
  return lines.join('\n');
}

type Kind = 'failure' | 'error' | 'skipped' | 'passed';

function kindOf(r: RuleResult, report: Report): Kind {
  if (r.waived) return 'skipped';
  if (r.status === 'skip') return 'skipped';
  if (r.status === 'error') return 'error';
  if (trips(r, report.failOn)) return 'failure';
  return 'passed';
}

export function renderJunit(report: Report, _opts: ReportOptions = {}): string {
  const kinds = report.results.map((r) => kindOf(r, report));
  const count = (k: Kind) => kinds.filter((x) => x === k).length;
  const total = report.results.reduce((t, r) => t + r.durationMs, 0);
  const name = report.tool.name;
  const head = `tests="${report.results.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${seconds(total)}"`;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${attr(name)}" ${head}>`);
  out.push(`  <testsuite name="${attr(name)}" ${head} timestamp="${attr(report.generatedAt.replace(/\.\d+Z$/, '').replace(/Z$/, ''))}">`);
  out.push('    <properties>');
  const props: [string, string][] = [
    ['version', report.tool.version],
    ['verdict', report.verdict],
    ['exitCode', String(report.exitCode)],
    ['failOn', report.failOn],
    ['accessPath', `${report.accessPath.kind}: ${report.accessPath.reason}`],
    ['summary', countsText(report.summary)],
    ['collectedAt', report.collectedAt],
  ];
  for (const [k, v] of props) out.push(`      <property name="${attr(k)}" value="${attr(v)}"/>`);
  out.push('    </properties>');
  report.results.forEach((r, i) => {
    const kind = kinds[i]!;
    const open = `    <testcase name="${attr(r.ruleId)}" classname="${attr(name)}" time="${seconds(r.durationMs)}"`;
    if (kind === 'passed' && r.status === 'pass' && !r.waiverExpired) {
      out.push(`${open}/>`);
      return;
    }
    out.push(`${open}>`);
    if (kind === 'failure') {
      out.push(`      <failure message="${attr(r.message)}" type="${r.status}">${xmlEscape(body(r))}</failure>`);
    } else if (kind === 'error') {
      out.push(`      <error message="${attr(r.message)}" type="error">${xmlEscape(body(r))}</error>`);
    } else if (kind === 'skipped') {
      const msg = r.waived ? `${r.status} ${waiverNote(r)}` : r.message;
      out.push(`      <skipped message="${attr(msg)}"/>`);
      if (r.waived) out.push(`      <system-out>${xmlEscape(body(r))}</system-out>`);
    } else {
      out.push(`      <system-out>${xmlEscape(r.status === 'warn' ? `WARNING (does not fail the gate at --fail-on ${report.failOn}): ${body(r)}` : body(r))}</system-out>`);
    }
    out.push('    </testcase>');
  });
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
