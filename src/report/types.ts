// What every reporter is: a pure function of the report (house style: pick the reporter once).
import type { Report, Rule } from '../engine/types.js';

export type Format = 'text' | 'json' | 'junit' | 'sarif' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'junit', 'sarif', 'markdown'];

export interface ReportOptions {
  /** ANSI colour (text only); false in CI, with NO_COLOR, or when not a TTY */
  color?: boolean;
  /** CI flavour: 'gitlab' adds collapsible sections to text output */
  ci?: 'github' | 'gitlab';
  /** the rule registry: SARIF rule descriptors, help text */
  rules?: readonly Rule[];
  /** what SARIF locations point at (the config file or the bundle), relative to the repo root */
  artifactUri?: string;
}

export type Reporter = (report: Report, opts?: ReportOptions) => string;
