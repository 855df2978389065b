// The rule engine's contracts: what a rule is, what it returns, what a run produces.
import type { Fact, Facts, NaclEntry, RouteNextHop, SgPermission } from '../facts/types.js';

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
/** What a rule's check returns. Tests assert messageId and data, not rendered text. */
export interface RuleOutcome {
  status: Status;
  messageId: string;
  data?: Record<string, string | number>;
  evidence?: Evidence[];
  /** key into rule.remediation; rendered with the same data */
  remediationId?: string;
  hops?: Hop[];
  /** fixes as fact patches; the engine proves each one (see engine/fixes.ts) */
  fixes?: Fix[];
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
  /**
   * rules (earlier in the registry) whose failure makes this rule meaningless: when one of them
   * fails, this rule is `skip` "depends on <id>" instead of a verdict on the wrong resource
   */
  dependsOn?: string[];
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
  /** the fixes the rule offers, each with its proof */
  fixes?: Fix[];
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
  /** present when the report judges a saved bundle (analyze): what was judged, as of when, with which flags */
  analysis?: Analysis;
}

/** How `analyze` judged a saved bundle: the header of its report. */
export interface Analysis {
  /** a support bundle (and its version) or a bare fact snapshot */
  input: 'bundle' | 'snapshot';
  bundleVersion?: number;
  collectedAt: string;
  /** the acr-preflight (and Node, OS) that collected it */
  collectedBy: { version: string; node?: string; os?: string };
  /** the time expiries (certificates, tokens, waivers) were judged at */
  judgedAt: string;
  /** `collection`: as of the collection time (reproduces the verdict); `now`: re-judged as of today (--now) */
  judgedAs: 'collection' | 'now';
  /** the flags applied */
  flags: { failOn: 'warn' | 'fail'; only?: string[]; skip?: string[]; noProbes?: boolean };
  /** flags given on the command line that replaced the recorded ones, e.g. ["--fail-on"] */
  overridden: string[];
  /** whose waivers applied: the ones recorded in the bundle, a config's (-c), or none */
  waivers: 'recorded' | 'config' | 'none';
  /** how many waivers that source held */
  waiverCount: number;
  /** the verdict `collect` reached (bundle version 2) */
  recorded?: { verdict: Verdict; exitCode: number; summary: Summary };
  notes: string[];
}

export type EngineEvent =
  | { type: 'run-start'; ruleIds: string[] }
  | { type: 'rule-start'; ruleId: string }
  | { type: 'rule-finish'; result: RuleResult }
  | { type: 'run-finish'; report: Report };

// ---------------------------------------------------------------------------------------------
// Fixes as data (applied and proven by engine/fixes.ts)

/** One change to the fact snapshot, naming the resource it changes by id. */
export type FactPatch =
  | { op: 'add-sg-rule'; securityGroupId: string; rule: SgPermission }
  | { op: 'remove-sg-rule'; securityGroupId: string; ruleId: string }
  | { op: 'insert-acl-entry'; networkAclId: string; direction: 'ingress' | 'egress'; /** 1-based; past the end appends */ position: number; entry: NaclEntry }
  | { op: 'remove-acl-entry'; networkAclId: string; direction: 'ingress' | 'egress'; /** 1-based */ position: number }
  | { op: 'set-vbr-route'; destinationCidrBlock: string; nextHops: RouteNextHop[] }
  | { op: 'remove-vbr-route'; destinationCidrBlock: string }
  | { op: 'add-slb-acl-entry'; aclId: string; entry: string }
  | { op: 'remove-slb-acl-entry'; aclId: string; entry: string }
  | { op: 'set-slb-listener'; loadBalancerId: string; listenerPort: number; status?: string; aclStatus?: string }
  | { op: 'use-vswitch'; vSwitchId: string }
  | { op: 'set-token-scopes'; scopes: string[] };

/** A documented API call that makes (part of) a fix real, in its current, non-deprecated form. */
export interface ApiCall {
  product: 'ecs' | 'vpc' | 'slb' | 'cr';
  action: string;
  params: Record<string, string | number | boolean>;
}

export interface FixProof {
  /** verified: the rule passes afterwards and nothing else got worse; breaks: something else got
   * worse; insufficient: the rule still does not pass */
  state: 'verified' | 'breaks' | 'insufficient';
  /** the rule's status with the fix applied */
  after: Status;
  /** other rules that would get worse */
  breaks: { ruleId: string; from: Status; to: Status; message: string }[];
  /** with `insufficient`: what the rule still says */
  remaining?: string;
}

export interface Fix {
  /** `<rule id>#<n>`, assigned by the engine */
  id?: string;
  title: string;
  why: string;
  patches: FactPatch[];
  /** how to make it real through the API (applied in order by `provision --fix`) */
  calls?: ApiCall[];
  /** where no API does it: console steps, CLI commands */
  steps?: string[];
  proof?: FixProof;
}
