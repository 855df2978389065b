// What every reporter is: a pure function of the report (house style: pick the reporter once).
import type { Report, Rule } from '../engine/types.js';
import type { Facts } from '../facts/types.js';

export type Format = 'text' | 'json' | 'junit' | 'sarif' | 'markdown' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'junit', 'sarif', 'markdown', 'html'];

/** What was checked, for page headers (the report itself holds results and the path only). */
export interface ReportTarget {
  region: string;
  acrInstanceId: string;
  vpcId: string;
  vSwitchId: string;
  gitlabEndpoint: string;
}

/** Where a report came from: a live check, or analyze of a saved bundle (whose metadata may be partial). */
export interface ReportContext {
  command: 'check' | 'analyze';
  target?: ReportTarget;
  /** analyze: the bundle file as the user named it */
  bundleFile?: string;
  /** which tool version collected the facts ("acr-vpc-preflight 0.1.0"), when known */
  collectedBy?: string;
}

/** The page-header context of a run over `facts`. */
export function reportContext(command: ReportContext['command'], facts: Pick<Facts, 'input' | 'tool'>, bundleFile?: string): ReportContext {
  const i = facts.input;
  return {
    command,
    target: { region: i.region, acrInstanceId: i.acr.instanceId, vpcId: i.vpc.vpcId, vSwitchId: i.vpc.vSwitchId, gitlabEndpoint: i.gitlab.endpoint },
    ...(bundleFile ? { bundleFile } : {}),
    ...(facts.tool?.name && facts.tool.version ? { collectedBy: `${facts.tool.name} ${facts.tool.version}` } : {}),
  };
}

export interface ReportOptions {
  /** ANSI colour (text only); false in CI, with NO_COLOR, or when not a TTY */
  color?: boolean;
  /** CI flavour: 'gitlab' adds collapsible sections to text output */
  ci?: 'github' | 'gitlab';
  /** the rule registry: SARIF rule descriptors, help text */
  rules?: readonly Rule[];
  /** what SARIF locations point at (the config file or the bundle), relative to the repo root */
  artifactUri?: string;
  /** html: the target and provenance shown in the page header */
  context?: ReportContext;
}

export type Reporter = (report: Report, opts?: ReportOptions) => string;
