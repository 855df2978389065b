// SARIF 2.1.0 for code-scanning views. Rule descriptors come from the registry (id, name, title,
// description, docs, remediation as help); one result per non-passing rule (warn, fail, error).
//   fail  -> kind "fail", level from the rule's severity (error | warning)
//   warn  -> kind "fail", level "warning"
//   error -> kind "open" (could not be decided), level "none" as the SARIF 2.1.0 result object requires for kind≠fail
// Waived results carry an accepted external suppression (reason, owner, expiry); an expired waiver
// is noted in the result's properties and does not suppress.
import { createHash } from 'node:crypto';
import type { Report, Rule, RuleResult } from '../engine/types.js';
import { docsUrl, isUrl, projectUrl } from '../paths.js';
import { evidenceValue, isProblem, pascal } from './common.js';
import type { ReportOptions } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

interface Descriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' };
  properties: Record<string, unknown>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Templates shown as help text: a placeholder "{{sg}}" reads "<sg>", the usual notation for a value to fill in. */
function plain(template: string): string {
  return template.replace(PLACEHOLDER, '<$1>');
}

/**
 * A prose line of help markdown: placeholders read "<sg>" as in the text; outside inline code spans
 * "<" and ">" are escaped so that a renderer does not take "<sg>" (or "<host>") for an HTML tag and
 * hide it. Inside code spans (and code blocks) they stay literal.
 */
function prose(line: string): string {
  return line
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? plain(part) : plain(part).replace(/[<>]/g, (c) => `\\${c}`)))
    .join('');
}

/** One fix as a markdown list item; its indented lines (commands) as a code block inside the item. */
function fixMarkdown(fix: string): string[] {
  const out: string[] = [];
  let code: string[] = [];
  const flush = () => {
    if (code.length) out.push('', '  ```sh', ...code.map((c) => `  ${c}`), '  ```', '');
    code = [];
  };
  fix.split(/\r?\n/).forEach((line, i) => {
    if (i > 0 && /^\s{2,}\S/.test(line)) return void code.push(plain(line.trim()));
    flush();
    out.push(i === 0 ? `- ${prose(line)}` : `  ${prose(line)}`);
  });
  flush();
  return out;
}

function descriptor(rule: Pick<Rule, 'id' | 'title' | 'severity'> & Partial<Rule>): Descriptor {
  const docs = docsUrl(rule.id);
  const templates = Object.values(rule.remediation ?? {});
  const description = rule.description || rule.title;
  const link = isUrl(docs) ? `[docs](${docs})` : `docs (\`${docs}\`)`;
  const text = [description, '', templates.length ? 'How to fix:' : `How to fix: see ${docs}`, ...templates.map((f) => `- ${plain(f)}`), '', `Docs: ${docs}`].join('\n');
  const markdown = [description, '', templates.length ? '**How to fix**' : `**How to fix**: see the ${link}`, '', ...templates.flatMap(fixMarkdown), '', isUrl(docs) ? `[Docs](${docs})` : `Docs: \`${docs}\``].join('\n');
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: description },
    ...(isUrl(docs) ? { helpUri: docs } : {}),
    help: { text, markdown },
    defaultConfiguration: { level: rule.severity === 'error' ? 'error' : 'warning' },
    properties: { tags: ['acr', 'vpc', 'network'], severity: rule.severity },
  };
}

function levelOf(r: RuleResult): { kind: 'fail' | 'open'; level: 'error' | 'warning' | 'none' } {
  if (r.status === 'error') return { kind: 'open', level: 'none' };
  if (r.status === 'warn') return { kind: 'fail', level: 'warning' };
  return { kind: 'fail', level: r.severity === 'error' ? 'error' : 'warning' };
}

function resultText(r: RuleResult): string {
  const parts = [r.message];
  if (r.remediation) parts.push(`Fix: ${r.remediation}`);
  if (r.waiverExpired) parts.push(`Note: the waiver by ${r.waiverExpired.owner} expired on ${r.waiverExpired.expires}.`);
  return parts.join(' ');
}

export function toSarifObject(report: Report, opts: ReportOptions = {}): Record<string, unknown> {
  const registry = [...(opts.rules ?? [])];
  for (const r of report.results) {
    if (!registry.some((x) => x.id === r.ruleId)) registry.push({ id: r.ruleId, title: r.title, severity: r.severity } as Rule);
  }
  const descriptors = registry.map(descriptor);
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const uri = opts.artifactUri ?? 'preflight.yaml';
  const results = report.results.filter(isProblem).map((r) => {
    const { kind, level } = levelOf(r);
    const res: Record<string, unknown> = {
      ruleId: r.ruleId,
      ruleIndex: index.get(r.ruleId),
      kind,
      level,
      message: { text: resultText(r) },
      locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } } }],
      partialFingerprints: { 'acrPreflightFinding/v1': createHash('sha256').update(`${r.ruleId}\u0000${r.messageId}`).digest('hex').slice(0, 32) },
    };
    if (r.waived) {
      const w = r.waived;
      res.suppressions = [{ kind: 'external', status: 'accepted', justification: `${w.reason} (owner: ${w.owner}; expires ${w.expires}${w.scope ? `; scope ${w.scope}` : ''})` }];
    }
    const props: Record<string, unknown> = {
      status: r.status,
      messageId: r.messageId,
      evidence: r.evidence.map((e) => ({ label: e.label, value: evidenceValue(e.value, 1000), ...(e.source ? { source: e.source } : {}) })),
      remediation: r.remediation,
    };
    if (r.waived) props.waived = r.waived;
    if (r.waiverExpired) props.waiverExpired = r.waiverExpired;
    res.properties = props;
    return res;
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, ...(projectUrl() ? { informationUri: projectUrl() } : {}), rules: descriptors } },
        invocations: [
          {
            executionSuccessful: true,
            endTimeUtc: report.generatedAt,
            exitCode: report.exitCode,
            properties: { verdict: report.verdict, failOn: report.failOn },
          },
        ],
        results,
        properties: {
          verdict: report.verdict,
          summary: report.summary,
          accessPath: report.accessPath,
          collectedAt: report.collectedAt,
        },
      },
    ],
  };
}

export function renderSarif(report: Report, opts: ReportOptions = {}): string {
  return `${JSON.stringify(toSarifObject(report, opts), null, 2)}\n`;
}
