// The report formats by name, and each reporter loaded only when its format is asked for: a check
// that prints text never reads the HTML, SARIF or JUnit code. Business code picks one here, once.
import { FORMATS, type Format, type Reporter } from './types.js';

export { FORMATS, type Format, type Reporter };

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

/** The reporter of `format`, loaded on first use. */
export async function loadReporter(format: Format): Promise<Reporter> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText;
    case 'json':
      return (await import('./json.js')).renderJson;
    case 'junit':
      return (await import('./junit.js')).renderJunit;
    case 'sarif':
      return (await import('./sarif.js')).renderSarif;
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown;
    case 'html':
      return (await import('./html.js')).renderHtml;
  }
}
