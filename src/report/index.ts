// The reporters by format name, all loaded at once (formats.ts loads one at a time). Business
// code picks one here, once.
import type { Report } from '../engine/types.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import { FORMATS, reportContext, type Format, type Reporter, type ReportContext, type ReportOptions, type ReportTarget } from './types.js';

export { FORMAT_EXTENSIONS, isFormat, loadReporter } from './formats.js';
export { FORMATS, reportContext, type Format, type Reporter, type ReportContext, type ReportOptions, type ReportTarget };

export const REPORTERS: Readonly<Record<Format, Reporter>> = {
  text: renderText,
  json: renderJson,
  junit: renderJunit,
  sarif: renderSarif,
  markdown: renderMarkdown,
  html: renderHtml,
};

export function renderReport(format: Format, report: Report, opts: ReportOptions = {}): string {
  return REPORTERS[format](report, opts);
}
