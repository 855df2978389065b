// The rule engine's contracts: what a rule is, what it returns, what a run produces.
import type { Fact, Facts } from '../facts/types.js';

export type Status = 'pass' | 'warn' | 'fail' | 'skip' | 'error';
export const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

/** How bad a non-passing result of this rule is for the build (SARIF level, sort order). */
export type Severity = 'error' | 'warning';

/** One piece of evidence: what was looked at and what it said. `value` is JSON-serialisable. */
export interface Evidence {
  label: string;
  value: unknown;
  /** where it came from, e.g. "ecs:DescribeSecurityGroupAttribute sg-123" */
  source?: string;
}

/** Hop kinds in path order (request then reply). */
export type HopKind =
  | 'builder-eni' // ACR's ENI in the link vSwitch (managed security group egress)
  | 'vpc' // VPC routing / address overlap
  | 'slb' // SLB listener + ACL + health
  | 'security-group' // GitLab ENI security groups (request)
  | 'network-acl-in' // GitLab vSwitch ACL, inbound request
  | 'host' // GitLab host routing / firewall
  | 'gitlab' // the GitLab service (HTTP, TLS, token)
  | 'network-acl-out' // GitLab vSwitch ACL, reply to 100.104.0.0/16
  | 'vbr' // VBR return route (IDC)
  | 'idc-router'; // IDC router return route

export const HOP_ORDER: readonly HopKind[] = [
  'builder-eni', 'vpc', 'slb', 'security-group', 'network-acl-in', 'host', 'gitlab', 'network-acl-out', 'vbr', 'idc-router',
];

export interface Hop {
  hop: HopKind;
  direction: 'request' | 'reply';
  /** resource id: sg-…, acl-…, vbr-…, lb-…, host name */
  id: string;
  verdict: 'allow' | 'drop' | 'unknown';
  detail: string;
  /** rule whose result decided this hop */
  ruleId?: string;
}

/** A fix that one API call can make (offered by provision --fix). Never on managed resources. */
export interface FixAction {
  product: 'ecs' | 'vpc' | 'slb' | 'cr';
  action: string; // e.g. AuthorizeSecurityGroup
  params: Record<string, string | number | boolean>;
  why: string;
}

/** What a rule's check returns. Tests assert messageId and data, not rendered text. */
export interface RuleOutcome {
  status: Status;
  messageId: string;
  data?: Record<string, string | number>;
  evidence?: Evidence[];
  /** key into rule.remediation; rendered with the same data */
  remediationId?: string;
  hops?: Hop[];
  fixes?: FixAction[];
}

/** Access path to GitLab, derived from facts (engine/access-path.ts). */
export type AccessPathKind = 'ecs' | 'slb' | 'idc' | 'unknown';

export interface AccessPath {
  kind: AccessPathKind;
  /** the IPv4 address GitLab is reached at (endpoint literal or DNS answer) */
  address?: string;
  /** human reason, used in skip messages: "GitLab 192.168.1.10 is an SLB address (lb-1)" */
  reason: string;
}

export interface ZoneTable {
  source: string;
  retrieved: string;
  notes?: string;
  regions: Record<string, { zones: string[]; chineseDocsOnly?: string[] }>;
}

export interface RuleContext {
  facts: Facts;
  path: AccessPath;
  /** the value of an available fact; otherwise throws, and the engine turns it into skip/error */
  need<T>(fact: Fact<T>, what: string): T;
  /** TCP ports GitLab must be reachable on (endpoint port, plus sshPort when configured) */
  gitlabPorts: number[];
  zones: ZoneTable;
  now: Date;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** one-paragraph description (rules list, SARIF shortDescription is title) */
  description: string;
  /** fact paths the rule reads, e.g. "cloud.gitlabSecurityGroups" (docs + `r` re-collection in the TUI) */
  needs: string[];
  /** access paths the rule applies to; absent = all */
  paths?: AccessPathKind[];
  /** message templates keyed by id, placeholders {{name}} */
  messages: Record<string, string>;
  /** remediation templates keyed by id, placeholders {{name}} */
  remediation?: Record<string, string>;
  check(ctx: RuleContext): RuleOutcome;
}

export interface WaiverInfo {
  reason: string;
  owner: string;
  expires: string; // YYYY-MM-DD
  scope?: string;
}

/** A rule's result in a report (the JSON report's `results`). */
export interface RuleResult {
  ruleId: string;
  status: Status;
  severity: Severity;
  title: string;
  messageId: string;
  message: string;
  data: Record<string, string | number>;
  evidence: Evidence[];
  remediation: string;
  docs: string;
  durationMs: number;
  /** present when a valid waiver covers this non-passing result: it no longer trips the gate */
  waived?: WaiverInfo;
  /** present when a waiver matched but has expired: it no longer waives */
  waiverExpired?: WaiverInfo;
  fixes?: FixAction[];
}

export type Verdict = 'pass' | 'fail' | 'incomplete';

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  error: number;
  waived: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  verdict: Verdict;
  exitCode: 0 | 1 | 3;
  failOn: 'warn' | 'fail';
  summary: Summary;
  results: RuleResult[];
  path: Hop[];
  accessPath: AccessPath;
  generatedAt: string;
  collectedAt: string;
}

export type EngineEvent =
  | { type: 'run-start'; ruleIds: string[] }
  | { type: 'rule-start'; ruleId: string }
  | { type: 'rule-finish'; result: RuleResult }
  | { type: 'run-finish'; report: Report };
