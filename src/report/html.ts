// One self-contained HTML page for `check` and `analyze`: the verdict as the CI saw it, the target and
// provenance, the path diagram (inline SVG) with the path table as its text alternative, then failing
// and warning rules (a <details> each, open) with message, evidence, fix and copyable commands, then
// passed and skipped rules folded. No script and no external request: a CSP meta tag allows only the
// page's own stylesheet. Print (A4) shows every rule: the folded ones also appear in a print-only table.
import type { Report, RuleResult } from '../engine/types.js';
import { callCommand, countsText, evidenceValue, GROUP_ORDER, proofText, remediationBlocks, waiverNote } from './common.js';
import { blockedHopIndex, DIAGRAM_CSS, diagramModel, diagramSvg, HOP_LABEL } from './html-diagram.js';
import { anchor, badge, BASE_CSS, esc, keyValues, page, verdictBanner, when } from './html-kit.js';
import type { ReportContext, ReportOptions } from './types.js';

const CSS = `${BASE_CSS}${DIAGRAM_CSS}`;

const ACCESS_PATH: Record<Report['accessPath']['kind'], string> = {
  ecs: 'ECS (GitLab on an instance in the VPC)',
  slb: 'SLB (GitLab behind a classic load balancer)',
  idc: 'IDC (GitLab in the data center, over a VBR)',
  unknown: 'unknown',
};

function header(report: Report, ctx: ReportContext | undefined): string {
  const t = ctx?.target;
  const tool = `${report.tool.name} ${report.tool.version}`;
  const heading = t ? `ACR VPC preflight — ${t.region} ${t.acrInstanceId}` : 'ACR VPC preflight';
  const counts = (['fail', 'error', 'warn', 'pass', 'skip'] as const)
    .map((s) => `<li>${badge(s)} ${report.summary[s]}</li>`)
    .concat(`<li>${badge('waived')} ${report.summary.waived}</li>`)
    .join('');
  const banner = verdictBanner(report, heading, `<ul class="counts" aria-label="Counts: ${esc(countsText(report.summary))}">${counts}</ul>`);
  const target = keyValues([
    ['Region', t?.region, { code: true }],
    ['ACR instance', t?.acrInstanceId, { code: true }],
    ['VPC', t?.vpcId, { code: true }],
    ['vSwitch', t?.vSwitchId, { code: true }],
    ['GitLab endpoint', t?.gitlabEndpoint, { code: true }],
    ['Access path', `${ACCESS_PATH[report.accessPath.kind] ?? report.accessPath.kind} — ${report.accessPath.reason}`],
  ]);
  const provenance =
    ctx?.command === 'analyze'
      ? keyValues([
          ['Bundle', ctx.bundleFile, { code: true }],
          ['Facts collected', `${when(report.collectedAt)}${ctx.collectedBy ? ` by ${ctx.collectedBy}` : ''}`],
          ['Judged at', `${when(report.generatedAt)} by ${tool} (analyze)`],
          ['Gate', `--fail-on ${report.failOn}, exit code ${report.exitCode}`],
        ])
      : keyValues([
          ['Facts collected', when(report.collectedAt)],
          ['Judged at', `${when(report.generatedAt)} by ${tool}${ctx?.command === 'check' ? ' (check)' : ''}`],
          ['Gate', `--fail-on ${report.failOn}, exit code ${report.exitCode}`],
        ]);
  return `<header class="top">${banner}<h2 class="sr">Target</h2>${target}${provenance}</header>`;
}

function toc(report: Report, problems: number, rest: number): string {
  const links = [
    report.path.length ? '<li><a href="#path">Path</a></li>' : '',
    `<li><a href="#findings">Findings (${problems})</a></li>`,
    rest ? `<li><a href="#passed">Passed and skipped (${rest})</a></li>` : '',
  ].join('');
  return `<nav class="toc" aria-label="Sections"><ul>${links}</ul></nav>`;
}

function pathSection(report: Report, ctx: ReportContext | undefined): string {
  if (!report.path.length) {
    return '<section id="path" aria-labelledby="path-h"><h2 id="path-h">Path</h2><p class="muted">No rule on this run decided a hop of the network path (see the findings below).</p></section>';
  }
  const model = diagramModel(report, ctx?.target?.gitlabEndpoint);
  const blocked = blockedHopIndex(report.path);
  const rows = report.path
    .map((h, i) => {
      const verdict = h.verdict === 'drop' ? badge('fail', 'DROP') : h.verdict === 'allow' ? badge('pass', 'ALLOW') : badge('warn', 'UNKNOWN');
      const rule = h.ruleId ? `<a href="#${esc(anchor('rule', h.ruleId))}"><code>${esc(h.ruleId)}</code></a>` : '';
      return (
        `<tr id="${anchor('hop', i + 1)}" data-hop="${i}"${i === blocked ? ' class="blocked"' : ''}><td class="nw">${i + 1}</td><td class="nw">${h.direction === 'request' ? '→ request' : '← reply'}</td>` +
        `<td class="nw">${esc(HOP_LABEL[h.hop] ?? h.hop)}</td><td><code>${esc(h.id)}</code></td><td class="nw">${verdict}${i === blocked ? '<br><strong>blocked here</strong>' : ''}</td><td>${esc(h.detail)}</td><td class="nw">${rule}</td></tr>`
      );
    })
    .join('');
  return (
    '<section id="path" aria-labelledby="path-h"><h2 id="path-h">Path from the ACR builder to GitLab and back</h2>' +
    `<figure class="diagram">${diagramSvg(model)}<figcaption>Each box is one hop (resource id, verdict); select a box to jump to its row. The table below is the same path as text.</figcaption></figure>` +
    '<table class="path"><caption class="sr">Path hops in order</caption><thead><tr><th scope="col">#</th><th scope="col">Direction</th><th scope="col">Hop</th><th scope="col">Resource</th><th scope="col">Verdict</th><th scope="col">Detail</th><th scope="col">Rule</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></section>`
  );
}

function evidenceHtml(r: RuleResult): string {
  if (!r.evidence.length) return '';
  const rows = r.evidence
    .map((e) => `<tr><th scope="row">${esc(e.label)}</th><td>${esc(evidenceValue(e.value, 2000))}</td><td class="muted">${esc(e.source ?? '')}</td></tr>`)
    .join('');
  return `<h4>Evidence</h4><table class="evidence"><thead><tr><th scope="col">What</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function fixHtml(r: RuleResult): string {
  const parts: string[] = [];
  if (r.remediation) {
    for (const b of remediationBlocks(r.remediation)) {
      if (b.kind === 'code') parts.push(`<pre class="cmd" tabindex="0" aria-label="command to copy"><code>${esc(b.lines.join('\n'))}</code></pre>`);
      else if (b.line.trim()) parts.push(`<p>${esc(b.line)}</p>`);
    }
  }
  for (const f of r.fixes ?? []) {
    // the proposed change and its proof: verified, not safe (what it would break) or not enough
    const state = f.proof?.state ?? 'unproven';
    const commands = (f.calls ?? []).map((c) => `<pre class="cmd" tabindex="0" aria-label="command to copy"><code>${esc(callCommand(c))}</code></pre>`).join('');
    const steps = f.steps?.length ? `<ol>${f.steps.map((x) => `<li>${esc(x)}</li>`).join('')}</ol>` : '';
    const apply = state === 'verified' && f.calls?.length ? '<p class="muted"><code>acr-preflight provision --fix</code> applies it.</p>' : '';
    parts.push(`<div class="proposed proof-${esc(state)}"><p><strong>${state === 'verified' ? 'Proven change' : 'Proposed change'}:</strong> ${esc(f.title)} <span class="muted">(${esc(proofText(f))})</span></p>${commands}${steps}${apply}</div>`);
  }
  return parts.length ? `<h4>Fix</h4>${parts.join('')}` : '';
}

function waiverHtml(r: RuleResult): string {
  const note = waiverNote(r);
  if (!note) return '';
  return `<p class="waiver${r.waiverExpired ? ' expired' : ''}"><strong>${r.waived ? 'Waived' : 'Waiver expired'}:</strong> ${esc(note)}</p>`;
}

function ruleDetails(r: RuleResult, open: boolean): string {
  const status = r.waived ? `${badge(r.status)} ${badge('waived')}` : badge(r.status);
  const owner = r.waived ? ` <span class="muted">(waived by ${esc(r.waived.owner)} until ${esc(r.waived.expires)})</span>` : '';
  return (
    `<details class="rule r-${esc(r.status)}" id="${anchor('rule', r.ruleId)}" data-rule="${esc(r.ruleId)}" data-status="${esc(r.status)}"${r.waived ? ' data-waived="true"' : ''}${open ? ' open' : ''}>` +
    `<summary>${status} <code>${esc(r.ruleId)}</code> ${esc(r.title)}${owner}</summary><div class="body">` +
    `<p class="msg">${esc(r.message)}</p>${waiverHtml(r)}${evidenceHtml(r)}${fixHtml(r)}` +
    `<p class="muted docs">Rule docs: <span class="mono">${esc(r.docs)}</span> · <code>acr-preflight explain ${esc(r.ruleId)}</code></p></div></details>`
  );
}

const isOpenProblem = (r: RuleResult) => r.status === 'fail' || r.status === 'error' || r.status === 'warn';

export function renderHtml(report: Report, opts: ReportOptions = {}): string {
  const ctx = opts.context;
  const order = (r: RuleResult) => GROUP_ORDER.indexOf(r.status) + (r.waived ? GROUP_ORDER.length : 0);
  const problems = report.results.filter(isOpenProblem).sort((a, b) => order(a) - order(b));
  const rest = report.results.filter((r) => !isOpenProblem(r)).sort((a, b) => order(a) - order(b));
  const findings = problems.length
    ? problems.map((r) => ruleDetails(r, !r.waived)).join('')
    : '<p>No failing, undecided or warning rule.</p>';
  const restSection = rest.length
    ? '<section id="passed" aria-labelledby="passed-h"><h2 id="passed-h">Passed and skipped rules</h2>' +
      `<details class="group screen-only"><summary>${rest.length} rule${rest.length === 1 ? '' : 's'} passed or skipped — show</summary><div class="body">${rest.map((r) => ruleDetails(r, false)).join('')}</div></details>` +
      '<table class="print-only"><thead><tr><th>Status</th><th>Rule</th><th>Message</th></tr></thead><tbody>' +
      rest.map((r) => `<tr data-print-rule="${esc(r.ruleId)}"><td class="nw">${badge(r.status)}</td><td class="nw"><code>${esc(r.ruleId)}</code></td><td>${esc(r.message)}</td></tr>`).join('') +
      '</tbody></table></section>'
    : '';
  const body =
    header(report, ctx) +
    toc(report, problems.length, rest.length) +
    '<main id="main">' +
    pathSection(report, ctx) +
    `<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings: failing, undecided and warning rules (${problems.length})</h2>${findings}</section>` +
    restSection +
    '</main>' +
    `<footer>Written by ${esc(report.tool.name)} ${esc(report.tool.version)} at ${esc(when(report.generatedAt))}. This page loads nothing from anywhere: it has no script, and its policy allows only its own stylesheet.</footer>`;
  const title = `${report.verdict.toUpperCase()} · ACR VPC preflight${ctx?.target ? ` · ${ctx.target.region} ${ctx.target.acrInstanceId}` : ''}`;
  return page({ title, css: CSS, body });
}
