// `diff --format html`: one self-contained page built from the HTML kit (no script, no external
// request, light/dark, print on A4). The banner says whether anything got worse and what the exit
// code means; then the two inputs side by side (file, kind, when collected, by which version,
// verdict and exit code), the summary counts, each rule whose status changed (before → after as a
// word and a colour) with the fact changes that explain it in the order the text and markdown
// renderers use, and last the other fact changes. Nothing is folded: the page reads and prints whole.
import type { FactChange } from '../facts/diff.js';
import { closing, modeLine, NO_FACT_CHANGE, summaryLine, type DiffResult, type DiffSide, type RuleSide, type RuleStatusChange } from './diff-model.js';
import { anchor, badge, banner, BASE_CSS, esc, page, STATUS_LABEL, VERDICT_LABEL, when } from './html-kit.js';

const DIFF_CSS = `
.sides{table-layout:fixed}.sides thead td,.sides th[scope=row]{width:9.5rem}
.arrow{margin:.5rem 0 0;font-weight:600}
.change{border:1px solid var(--line);border-left-width:6px;border-radius:8px;padding:.1rem 1rem .7rem;margin:.8rem 0}
.change h3{margin:.7rem 0 .3rem}
.c-worse{border-left-color:var(--fail)}.c-better{border-left-color:var(--pass)}.c-other{border-left-color:var(--warn)}
.tag{font-size:.75rem;font-weight:800;letter-spacing:.05em;margin-left:.5rem;white-space:nowrap}
.t-worse{color:var(--fail)}.t-better{color:var(--pass)}.t-other{color:var(--warn)}
.transition{margin:.2rem 0;font-weight:600}
.kind{font-size:.75rem;font-weight:700;letter-spacing:.04em}
.closing{font-weight:700;margin-top:1.5rem}
@media print{.change{break-inside:avoid-page}}
`;
const CSS = `${BASE_CSS}${DIFF_CSS}`;

const INPUT_KIND: Record<DiffSide['input'], string> = {
  bundle: 'support bundle (facts, flags, waivers)',
  snapshot: 'fact snapshot',
  report: 'JSON report (statuses only)',
};

const EXIT_MEANING: Record<number, string> = {
  0: 'pass',
  1: 'the gate tripped',
  2: 'usage or config error',
  3: 'incomplete: a rule could not decide',
  130: 'interrupted',
};

/** a status or verdict the kit knows as its badge; anything else (a report from elsewhere) as a neutral word */
function wordBadge(word: string): string {
  if (word in STATUS_LABEL || word in VERDICT_LABEL) return badge(word as keyof typeof STATUS_LABEL);
  return `<span class="badge b-skip">${esc(word.toUpperCase())}</span>`;
}

function statusBadge(s: RuleSide | null): string {
  if (!s) return '<span class="badge b-skip">NOT RUN</span>';
  return `${wordBadge(s.status)}${s.waived ? ` ${badge('waived')}` : ''}`;
}

const CHANGE: Record<'worse' | 'better' | 'other', string> = { worse: 'GOT WORSE', better: 'GOT BETTER', other: 'CHANGED' };
const changeOf = (r: RuleStatusChange): 'worse' | 'better' | 'other' => (r.worse ? 'worse' : r.better ? 'better' : 'other');

const nothingChanged = (d: DiffResult) => !d.ruleChanges.length && !d.otherFactChanges.length;
const bannerWord = (d: DiffResult) => (d.worse ? 'WORSE' : nothingChanged(d) ? 'NO CHANGES' : 'NOT WORSE');

function header(d: DiffResult): string {
  const nothing = nothingChanged(d);
  const word = bannerWord(d);
  const n = d.summary.worse;
  const sentence = d.worse
    ? `Exit code 1: ${n} rule${n === 1 ? '' : 's'} went from pass, warn or skip to fail or error; a pipeline gating on this diff stops here.`
    : nothing
      ? `Exit code 0: no changes — no rule changed status${d.mode === 'bundles' ? ' and no fact changed' : ''}.`
      : 'Exit code 0: nothing got worse.';
  const arrow = `<p class="arrow">Verdict ${wordBadge(d.before.verdict)} → ${wordBadge(d.after.verdict)}</p>`;
  const row = (label: string, f: (s: DiffSide) => string) => `<tr><th scope="row">${esc(label)}</th><td>${f(d.before)}</td><td>${f(d.after)}</td></tr>`;
  const unknown = '<span class="muted">not recorded</span>';
  const sides =
    '<table class="sides"><caption class="sr">The two inputs compared</caption><thead><tr><td></td><th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody>' +
    row('File', (s) => `<code>${esc(s.label)}</code>`) +
    row('Input', (s) => esc(INPUT_KIND[s.input] ?? s.input)) +
    row('Collected', (s) => (s.collectedAt ? esc(when(s.collectedAt)) : unknown)) +
    row('Tool version', (s) => (s.toolVersion ? `acr-preflight ${esc(s.toolVersion)}` : unknown)) +
    row('Verdict', (s) => wordBadge(s.verdict)) +
    row('Exit code', (s) => `${esc(s.exitCode)}${EXIT_MEANING[s.exitCode] ? ` — ${esc(EXIT_MEANING[s.exitCode])}` : ''}`) +
    '</tbody></table>';
  const mode = `<p class="muted">Compared as ${esc(modeLine(d))}${d.mode === 'reports' ? ' (JSON reports hold no facts)' : ''}.</p>`;
  return `<header class="top">${banner(d.worse ? 'fail' : 'pass', word, 'ACR VPC preflight diff', sentence, arrow)}${sides}${mode}</header>`;
}

function summarySection(d: DiffResult): string {
  const s = d.summary;
  const items: [key: keyof typeof s, label: string][] = [
    ['worse', 'Got worse'],
    ['better', 'Got better'],
    ['otherChanges', 'Other status changes'],
    ['unchanged', 'Unchanged'],
  ];
  const dl = items.map(([k, label]) => `<div data-count="${k}"><dt>${esc(label)}</dt><dd>${esc(s[k])}</dd></div>`).join('');
  return `<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><dl class="kv" aria-label="${esc(summaryLine(d))}">${dl}</dl></section>`;
}

function factTable(changes: readonly FactChange[], caption: string): string {
  const none = '<span class="muted">—</span>';
  const rows = changes
    .map(
      (c) =>
        `<tr data-fact="${esc(c.fact)}" data-kind="${esc(c.kind)}"><td class="nw"><span class="kind">${esc(c.kind.toUpperCase())}</span></td><td>${esc(c.subject)}</td>` +
        `<td>${c.before !== undefined ? esc(c.before) : none}</td><td>${c.after !== undefined ? esc(c.after) : none}</td><td class="nw"><code>${esc(c.fact)}</code></td></tr>`,
    )
    .join('');
  return (
    `<table class="facts"><caption class="sr">${esc(caption)}</caption><thead><tr><th scope="col">Change</th><th scope="col">What</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Fact</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

function ruleChange(d: DiffResult, r: RuleStatusChange): string {
  const kind = changeOf(r);
  const why = r.explainedBy.length
    ? `<h4>Fact changes that explain it (${r.explainedBy.length})</h4>${factTable(r.explainedBy, `Fact changes behind ${r.ruleId}`)}`
    : d.mode === 'bundles'
      ? `<p class="muted">${esc(`${NO_FACT_CHANGE.charAt(0).toUpperCase()}${NO_FACT_CHANGE.slice(1)}.`)}</p>`
      : '';
  return (
    `<article class="change c-${kind}" id="${anchor('rule', r.ruleId)}" data-rule="${esc(r.ruleId)}" data-change="${kind}">` +
    `<h3><code>${esc(r.ruleId)}</code> ${esc(r.title)}<span class="tag t-${kind}">${CHANGE[kind]}</span></h3>` +
    `<p class="transition">${statusBadge(r.before)} → ${statusBadge(r.after)}</p>` +
    (r.message ? `<p class="msg">Now: ${esc(r.message)}</p>` : '') +
    `${why}</article>`
  );
}

export function renderDiffHtml(d: DiffResult): string {
  const rules = d.ruleChanges.length ? d.ruleChanges.map((r) => ruleChange(d, r)).join('') : '<p>No rule changed status.</p>';
  const other = d.otherFactChanges.length
    ? factTable(d.otherFactChanges, 'Fact changes no changed rule reads')
    : `<p>${d.mode === 'bundles' ? 'No other fact changes.' : 'None: JSON reports hold no facts, so only status changes are compared.'}</p>`;
  const toc =
    '<nav class="toc" aria-label="Sections"><ul><li><a href="#summary">Summary</a></li>' +
    `<li><a href="#changes">Rules whose status changed (${d.ruleChanges.length})</a></li><li><a href="#other">Other fact changes (${d.otherFactChanges.length})</a></li></ul></nav>`;
  const body =
    header(d) +
    toc +
    '<main id="main">' +
    summarySection(d) +
    `<section id="changes" aria-labelledby="changes-h"><h2 id="changes-h">Rules whose status changed (${d.ruleChanges.length})</h2>${rules}</section>` +
    `<section id="other" aria-labelledby="other-h"><h2 id="other-h">Other fact changes (${d.otherFactChanges.length})</h2>${other}</section>` +
    `<p class="closing">${esc(closing(d))}</p>` +
    '</main>' +
    '<footer>Written by acr-preflight diff. This page loads nothing from anywhere: it has no script, and its policy allows only its own stylesheet.</footer>';
  const title = `${bannerWord(d)} · ACR VPC preflight diff`;
  return page({ title, css: CSS, body });
}
