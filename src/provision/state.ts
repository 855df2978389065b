// What provision observes before it plans and again right before it writes: the gate over the check
// report, the link (managed security group / ENI), and the CR state it creates (namespace,
// repository, source binding, build rules). observeCr does reads only; the rest is pure.
import { createHash } from 'node:crypto';
import type { CloudApi } from '../cloud/api.js';
import type { Config } from '../config/types.js';
import { RULES } from '../../rules/index.js';
import type { Report, Rule, RuleResult, Status } from '../engine/types.js';
import type { Facts } from '../facts/types.js';
import { call, errorCode, listAll } from './util.js';

/** The rules about the network path from the build to GitLab (not about accounts, tokens or the instance). */
const NETWORK_RULE_IDS: ReadonlySet<string> = new Set([
  'link-present',
  'reverse-cidr-overlap',
  'sg-ingress',
  'nacl-ingress',
  'slb-listener',
  'vbr-return-route',
  'idc-return-route',
  'host-route',
  'gitlab-reachable',
]);

/**
 * The network rules that apply on an access path — re-run next to a GIT_CLONE failure. Which path a
 * rule applies to is the rule's own `paths` (absent: every path), in registry order.
 */
export function networkRules(pathKind: string, rules: readonly Pick<Rule, 'id' | 'paths'>[] = RULES): string[] {
  return rules.filter((r) => NETWORK_RULE_IDS.has(r.id) && (!r.paths || (r.paths as readonly string[]).includes(pathKind))).map((r) => r.id);
}

export interface CheckRun {
  facts: Facts;
  report: Report;
}

// ---------------------------------------------------------------------------------------------
// The link

export interface LinkState {
  present: boolean;
  /** present and its egress admits GitLab and every extraEndpoints entry (as far as known) */
  ok: boolean;
  /** the link-present result, when the rule ran */
  status?: Status;
  message: string;
  securityGroupIds: string[];
  eniIds: string[];
}

export function linkState(run: CheckRun, vSwitchId: string): LinkState {
  const f = run.facts.cloud;
  const sgs = f.managedSecurityGroups.state === 'ok' ? f.managedSecurityGroups.value.map((s) => s.securityGroupId) : [];
  const enis =
    f.managedEnis.state === 'ok' ? f.managedEnis.value.filter((e) => e.vSwitchId === vSwitchId).map((e) => e.networkInterfaceId ?? '(unnamed ENI)') : [];
  const r = run.report.results.find((x) => x.ruleId === 'link-present');
  if (r && (r.status === 'pass' || r.status === 'warn' || r.status === 'fail')) {
    return { present: r.status !== 'warn', ok: r.status === 'pass', status: r.status, message: r.message, securityGroupIds: sgs, eniIds: enis };
  }
  // the rule did not decide (or is not registered): fall back to the raw facts, presence only
  const present = sgs.length > 0 && enis.length > 0;
  const why = r ? ` (link-present: ${r.status}: ${r.message})` : '';
  return {
    present,
    ok: present,
    ...(r ? { status: r.status } : {}),
    message: present ? `managed security group ${sgs.join(', ')} and ENI ${enis.join(', ')} found${why}` : `no managed security group / ENI of a build link found${why}`,
    securityGroupIds: sgs,
    eniIds: enis,
  };
}

/** GitLab's private address as the link must admit it: the DNS answer, else the endpoint literal. */
export function gitlabAddress(facts: Facts): string {
  if (facts.gitlab.addresses.state === 'ok' && facts.gitlab.addresses.value.length) return facts.gitlab.addresses.value[0]!;
  return facts.input.gitlab.host;
}

// ---------------------------------------------------------------------------------------------
// The CR state provision writes

export interface SourceState {
  codeRepoType: string;
  codeRepoNamespaceName: string;
  codeRepoName: string;
  codeRepoDomain?: string;
  overseaBuild: boolean;
}

export interface ExistingBuildRule {
  buildRuleId: string;
  pushType: string;
  pushName: string;
  imageTag: string;
  dockerfileLocation?: string;
  dockerfileName?: string;
}

export interface CrState {
  namespaceExists: boolean;
  repoId: string | null;
  source: SourceState | null;
  buildRules: ExistingBuildRule[];
}

const NOT_FOUND = /^(REPO_NOT_EXIST|NAMESPACE_NOT_EXIST|REPO_SOURCE_NOT_EXIST|SOURCE_NOT_EXIST|SOURCE_REPO_NOT_EXIST)$/;

function asBool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

export async function readSource(api: CloudApi, instanceId: string, repoId: string, signal: AbortSignal): Promise<SourceState | null> {
  let b: Record<string, any>;
  try {
    b = await call(api, 'cr', 'GetRepoSourceCodeRepo', { InstanceId: instanceId, RepoId: repoId }, signal);
  } catch (err) {
    if (NOT_FOUND.test(errorCode(err))) return null;
    throw err;
  }
  // an unbound repository may also answer success with an empty binding (UNCONFIRMED): treat as none
  if (!b.CodeRepoType || !b.CodeRepoName) return null;
  return {
    codeRepoType: String(b.CodeRepoType),
    codeRepoNamespaceName: String(b.CodeRepoNamespaceName ?? ''),
    codeRepoName: String(b.CodeRepoName),
    ...(b.CodeRepoDomain ? { codeRepoDomain: String(b.CodeRepoDomain) } : {}),
    overseaBuild: asBool(b.OverseaBuild),
  };
}

export async function readBuildRules(api: CloudApi, instanceId: string, repoId: string, signal: AbortSignal): Promise<ExistingBuildRule[]> {
  const items = await listAll(api, 'ListRepoBuildRule', { InstanceId: instanceId, RepoId: repoId }, 'BuildRules', signal);
  return items.map((r) => ({
    buildRuleId: String(r.BuildRuleId),
    pushType: String(r.PushType ?? ''),
    pushName: String(r.PushName ?? ''),
    imageTag: String(r.ImageTag ?? ''),
    ...(r.DockerfileLocation ? { dockerfileLocation: String(r.DockerfileLocation) } : {}),
    ...(r.DockerfileName ? { dockerfileName: String(r.DockerfileName) } : {}),
  }));
}

export async function observeCr(api: CloudApi, config: Config, signal: AbortSignal): Promise<CrState> {
  const inst = config.acr.instanceId;
  const ns = config.acr.namespace!;
  const name = config.acr.repository!;
  const namespaces = await listAll(api, 'ListNamespace', { InstanceId: inst, NamespaceName: ns }, 'Namespaces', signal);
  const namespaceExists = namespaces.some((n) => n.NamespaceName === ns);
  let repoId: string | null = null;
  if (namespaceExists) {
    try {
      const r = await call(api, 'cr', 'GetRepository', { InstanceId: inst, RepoNamespaceName: ns, RepoName: name }, signal);
      repoId = r.RepoId ? String(r.RepoId) : null;
    } catch (err) {
      if (!NOT_FOUND.test(errorCode(err))) throw err;
    }
  }
  const source = repoId ? await readSource(api, inst, repoId, signal) : null;
  const buildRules = repoId ? await readBuildRules(api, inst, repoId, signal) : [];
  return { namespaceExists, repoId, source, buildRules };
}

/** "group/sub/app" → namespace "group/sub", name "app" (CreateRepoSourceCodeRepo takes CodeRepoNamespaceName + CodeRepoName). */
export function splitProject(project: string): { namespace: string; name: string } {
  const i = project.lastIndexOf('/');
  return { namespace: project.slice(0, i), name: project.slice(i + 1) };
}

/** How the binding differs from the wanted one ([] = as wanted). */
export function sourceDiff(s: SourceState, project: string): string[] {
  const want = splitProject(project);
  const out: string[] = [];
  if (s.codeRepoType.toUpperCase() !== 'GITLAB') out.push(`type ${s.codeRepoType} (want GITLAB)`);
  if (s.codeRepoNamespaceName !== want.namespace || s.codeRepoName !== want.name) out.push(`project ${s.codeRepoNamespaceName}/${s.codeRepoName} (want ${project})`);
  if (s.overseaBuild) out.push('OverseaBuild on (want off: the build must run in the VPC)');
  return out;
}

export function ruleKey(r: { pushType: string; pushName: string; imageTag: string }): string {
  return `${r.pushType}:${r.pushName}:${r.imageTag}`;
}

// ---------------------------------------------------------------------------------------------
// Fingerprint: the state a plan was made from

export interface FingerprintInput {
  results: Pick<RuleResult, 'ruleId' | 'status' | 'waived'>[];
  link: LinkState;
  cr: CrState;
}

export function fingerprintParts(x: FingerprintInput): Record<string, string> {
  // one part per rule, so a change names the rule that changed
  const rules = Object.fromEntries([...x.results].sort((a, b) => a.ruleId.localeCompare(b.ruleId)).map((r) => [`rule ${r.ruleId}`, `${r.status}${r.waived ? ' (waived)' : ''}`]));
  return {
    ...rules,
    link: `${x.link.present ? 'present' : 'absent'}${x.link.ok ? '' : '/incomplete'} sg=${[...x.link.securityGroupIds].sort().join(',')} eni=${[...x.link.eniIds].sort().join(',')}`,
    namespace: x.cr.namespaceExists ? 'exists' : 'missing',
    repository: x.cr.repoId ?? 'missing',
    source: x.cr.source ? `${x.cr.source.codeRepoType} ${x.cr.source.codeRepoNamespaceName}/${x.cr.source.codeRepoName} oversea=${x.cr.source.overseaBuild}` : 'none',
    buildRules: [...x.cr.buildRules].map((r) => `${r.buildRuleId}=${ruleKey(r)}`).sort().join(' '),
  };
}

export function fingerprint(x: FingerprintInput): string {
  const parts = fingerprintParts(x);
  return 'sha256:' + createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** What changed between two fingerprint inputs, one line per part. */
export function fingerprintChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if (before[k] !== after[k]) out.push(`${k}: ${before[k] ?? '(none)'} → ${after[k] ?? '(none)'}`);
  return out;
}

/**
 * Did the state move only toward what the plan is for? A person who reads the plan, does "Manage
 * Link" or "Bind Account" in the console and then confirms has not made the plan stale: the link
 * became complete, the link/binding rules now pass, the binding now is the wanted one. Anything
 * else (another rule changed, a resource appeared or vanished) is a change the plan did not foresee.
 */
export function onlyProgress(before: Record<string, string>, after: Record<string, string>, wantedSource: string): boolean {
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[k] === after[k]) continue;
    const now = after[k] ?? '';
    if (k === 'link' && now.startsWith('present ')) continue;
    if ((k === 'rule link-present' || k === 'rule source-bound') && now === 'pass') continue;
    if (k === 'source' && now === wantedSource) continue;
    return false;
  }
  return true;
}

/** The fingerprint part of the binding provision makes. */
export function wantedSourcePart(project: string): string {
  const w = splitProject(project);
  return `GITLAB ${w.namespace}/${w.name} oversea=false`;
}

