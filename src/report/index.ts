// The reporters by format name. Business code picks one here, once.
import type { Report } from '../engine/types.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import { FORMATS, reportContext, type Format, type Reporter, type ReportContext, type ReportOptions, type ReportTarget } from './types.js';

export { FORMATS, reportContext, type Format, type Reporter, type ReportContext, type ReportOptions, type ReportTarget };

export const REPORTERS: Readonly<Record<Format, Reporter>> = {
  text: renderText,
  json: renderJson,
  junit: renderJunit,
  sarif: renderSarif,
  markdown: renderMarkdown,
  html: renderHtml,
};

/** File extensions that imply a format (used to catch mismatched --format/--output pairs). */
export const FORMAT_EXTENSIONS: Readonly<Record<Format, readonly string[]>> = {
  text: ['.txt', '.log'],
  json: ['.json'],
  junit: ['.xml'],
  sarif: ['.sarif', '.sarif.json'],
  markdown: ['.md', '.markdown'],
  html: ['.html', '.htm'],
};

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

export function renderReport(format: Format, report: Report, opts: ReportOptions = {}): string {
  return REPORTERS[format](report, opts);
}
