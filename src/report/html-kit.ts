// Building blocks of our HTML pages (the check/analyze report, the diff page): escaping
// for text and attribute contexts, the page shell with its Content-Security-Policy (the one <style>
// element allowed by its hash; no script, no external request of any kind), the shared stylesheet
// (light and dark schemes, print on A4), the verdict banner and key/value lists.
import { createHash } from 'node:crypto';
import type { Report, Status, Verdict } from '../engine/types.js';

/** C0/C1 control characters other than tab and newline: invalid in HTML text, dropped. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape any value for HTML text AND double- or single-quoted attribute values (and SVG text): every
 * character that could end a text run or an attribute is an entity. Values from the cloud or GitLab
 * pass through here, never around it.
 */
export function esc(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v ?? '');
  if (!NEEDS_ESCAPE.test(s)) return s; // most values: nothing to do
  return s.replace(CONTROL, '').replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** "2026-12-03T08:00:00.000Z" → "2026-12-03 08:00:00 UTC" (times stay UTC: the page is read anywhere) */
export function when(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A fragment id for `id=` / `href="#…"`: only [a-z0-9-] survive, so no value can leave the page. */
export function anchor(prefix: string, key: string | number): string {
  const slug = String(key).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${prefix}-${slug || 'x'}`;
}

/** Cut a string to `max` characters with an ellipsis (the caller keeps the full text elsewhere). */
export function ellipsize(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

/**
 * Break `s` into at most `lines` lines of at most `width` characters, preferring breaks after
 * ", ", spaces, "-", "/" or ":"; the last line is ellipsized when text remains.
 */
export function wrapText(s: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let rest = s.trim();
  while (rest && out.length < lines) {
    if (rest.length <= width) {
      out.push(rest);
      rest = '';
      break;
    }
    if (out.length === lines - 1) {
      out.push(ellipsize(rest, width));
      rest = '';
      break;
    }
    let cut = -1;
    for (let i = Math.min(width, rest.length - 1); i > width / 3; i--) {
      const c = rest[i - 1]!;
      if (c === ' ' || c === ',' || c === '-' || c === '/' || c === ':') {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return out;
}

export const STATUS_LABEL: Record<Status | 'waived', string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS', waived: 'WAIVED' };
export const VERDICT_LABEL: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', incomplete: 'INCOMPLETE' };

/** A status badge: the word is the information, the colour only repeats it. */
export function badge(status: Status | 'waived' | Verdict, label?: string): string {
  const word = label ?? (status in STATUS_LABEL ? STATUS_LABEL[status as Status] : VERDICT_LABEL[status as Verdict]);
  return `<span class="badge b-${esc(status)}">${esc(word)}</span>`;
}

/** A definition list of the rows that have a value. */
export function keyValues(rows: readonly [label: string, value: string | undefined, opts?: { code?: boolean }][]): string {
  const items = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v, o]) => `<div><dt>${esc(k)}</dt><dd>${o?.code ? `<code>${esc(v)}</code>` : esc(v)}</dd></div>`);
  return items.length ? `<dl class="kv">${items.join('')}</dl>` : '';
}

/** What the exit code means for the pipeline, in one sentence. */
export function gateSentence(report: Pick<Report, 'verdict' | 'exitCode' | 'failOn'>): string {
  const gate = `--fail-on ${report.failOn}`;
  if (report.verdict === 'pass') return `Exit code ${report.exitCode}: nothing at or above ${gate}; the pipeline goes on.`;
  if (report.verdict === 'fail') return `Exit code ${report.exitCode}: the gate tripped (${gate}); the pipeline stops here.`;
  return `Exit code ${report.exitCode}: incomplete — a needed rule could not decide and nothing failed (${gate}).`;
}

/** A banner: the word in its colour (`state` picks it), the heading, what the exit code means. */
export function banner(state: Verdict, word: string, heading: string, sentence: string, extra = ''): string {
  return (
    `<section class="verdict v-${esc(state)}" aria-labelledby="verdict-h">` +
    `<h1 id="verdict-h"><span class="vword">${esc(word)}</span> ${esc(heading)}</h1>` +
    `<p class="gate">${esc(sentence)}</p>${extra}</section>`
  );
}

/** The verdict banner: what the CI saw, as the first thing on the page. */
export function verdictBanner(report: Pick<Report, 'verdict' | 'exitCode' | 'failOn'>, heading: string, extra = ''): string {
  return banner(report.verdict, VERDICT_LABEL[report.verdict], heading, gateSentence(report), extra);
}

/** The shared stylesheet. Colours are variables with a dark variant; print is A4, black on white. */
export const BASE_CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--code:#eff2f5;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;
--error:#8250df;--error-bg:#fbefff;--skip:#59636e;--skip-bg:#eff2f5;--waived:#0969da;--waived-bg:#ddf4ff;--focus:#0969da;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--code:#1f2630;
--pass:#3fb950;--pass-bg:#12261e;--fail:#f85149;--fail-bg:#2d1214;--warn:#d29922;--warn-bg:#2b2111;
--error:#ab7df8;--error-bg:#231a33;--skip:#9198a1;--skip-bg:#1f2630;--waived:#4493f8;--waived-bg:#121d2f;--focus:#4493f8;--accent:#4493f8}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Helvetica,Arial,sans-serif}
body{margin:0 auto;max-width:1040px;padding:0 20px 40px}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .5rem}h4{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.9rem 0 .3rem}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.86em}
code{background:var(--code);padding:.05em .3em;border-radius:4px;overflow-wrap:anywhere}
pre{background:var(--code);padding:.6rem .8rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0}
pre code{background:none;padding:0}
pre.cmd{user-select:all;border-left:3px solid var(--accent)}
a{color:var(--accent)}
a:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:3px}
.skip-link{position:absolute;left:-9999px;top:0}.skip-link:focus{left:8px;top:8px;background:var(--bg);padding:.4rem .6rem;z-index:2}
.muted{color:var(--muted)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.badge{display:inline-block;min-width:4.2em;text-align:center;font-weight:700;font-size:.75rem;letter-spacing:.04em;padding:.1em .45em;border-radius:999px;border:1px solid currentColor}
.b-pass{color:var(--pass);background:var(--pass-bg)}.b-fail{color:var(--fail);background:var(--fail-bg)}.b-warn{color:var(--warn);background:var(--warn-bg)}
.b-error,.b-incomplete{color:var(--error);background:var(--error-bg)}.b-skip{color:var(--skip);background:var(--skip-bg)}.b-waived{color:var(--waived);background:var(--waived-bg)}
header.top{padding-top:20px}
.verdict{border:2px solid var(--line);border-left-width:10px;border-radius:8px;padding:.9rem 1.1rem;margin:0 0 1rem}
.verdict .vword{font-weight:800;letter-spacing:.03em}
.v-pass{border-color:var(--pass)}.v-pass .vword{color:var(--pass)}.v-fail{border-color:var(--fail)}.v-fail .vword{color:var(--fail)}
.v-incomplete{border-color:var(--error)}.v-incomplete .vword{color:var(--error)}
.gate{margin:.2rem 0;font-weight:600}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0 0;padding:0;list-style:none}
dl.kv{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:.35rem 1.2rem;margin:.5rem 0}
dl.kv div{min-width:0}dl.kv dt{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}dl.kv dd{margin:0;overflow-wrap:anywhere}
nav.toc ul{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
th{white-space:nowrap;font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
tr.blocked td{background:var(--fail-bg)}
td.nw{white-space:nowrap}td.nw code{white-space:nowrap;overflow-wrap:normal}
details{border:1px solid var(--line);border-radius:8px;margin:.5rem 0;background:var(--bg)}
details>summary{cursor:pointer;padding:.55rem .8rem;list-style-position:outside;margin-left:1rem}
details[open]>summary{border-bottom:1px solid var(--line)}
details .body{padding:.2rem 1rem .8rem}
details.group{border-style:dashed}
details.group>.body>details{margin-left:0}
.r-fail{border-left:5px solid var(--fail)}.r-error{border-left:5px solid var(--error)}.r-warn{border-left:5px solid var(--warn)}
.r-pass{border-left:5px solid var(--pass)}.r-skip{border-left:5px solid var(--skip)}
.waiver{border-left:4px solid var(--waived);background:var(--waived-bg);padding:.4rem .7rem;border-radius:4px;margin:.5rem 0}
.waiver.expired{border-left-color:var(--warn);background:var(--warn-bg)}
footer{margin-top:2.5rem;padding-top:.6rem;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
.print-only{display:none}
@media print{
 @page{size:A4;margin:14mm 12mm}
 :root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--panel:#f4f4f4;--code:#f2f2f2;color-scheme:light}
 html{font-size:11px}body{max-width:none;padding:0}
 nav.toc,.skip-link,.screen-only{display:none}
 .print-only{display:block}table.print-only{display:table}
 details{break-inside:auto;border-color:#999}
 details::details-content{content-visibility:visible;display:block}
 summary{list-style:none;margin-left:0}summary::-webkit-details-marker{display:none}
 h2,h3,summary{break-after:avoid}tr,.callout,figure{break-inside:avoid}
 pre{white-space:pre-wrap;overflow:visible}
 a{color:inherit;text-decoration:none}
}
`;

/** The Content-Security-Policy for a page whose only active content is the one stylesheet. */
export function cspFor(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

/** The whole document: doctype, CSP, the stylesheet, a skip link, the body. No script. */
export function page(opts: { title: string; css: string; body: string; lang?: string }): string {
  return (
    `<!DOCTYPE html>\n<html lang="${esc(opts.lang ?? 'en')}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${esc(cspFor(opts.css))}">\n` +
    `<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="color-scheme" content="light dark">\n<title>${esc(opts.title)}</title>\n<style>${opts.css}</style>\n</head>\n` +
    `<body>\n<a class="skip-link" href="#main">Skip to the report</a>\n${opts.body}\n</body>\n</html>\n`
  );
}
