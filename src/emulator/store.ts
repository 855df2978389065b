// Typed state per region (LocalStack's stores.py): the world's resources plus what write calls and
// console steps add. All invariants live here; handlers only read params and shape responses.
// Size: every invariant of the emulated cloud in one place (handlers only read and shape).
import { randomBytes, randomUUID } from 'node:crypto';
import { InvalidParameter, ManagedResource, NotFound, ApiError, CrError } from './errors.js';
import { isCidr, isIPv4 } from '../net/cidr.js';
import type {
  AclEntryWorld,
  BuildsWorld,
  CodeSourceWorld,
  CrBuildRuleWorld,
  CrInstanceWorld,
  CrNamespaceWorld,
  CrRepositoryWorld,
  CrSourceCodeRepoWorld,
  InstanceWorld,
  NetworkInterfaceWorld,
  PermissionWorld,
  RegionWorld,
  SecurityGroupWorld,
  World,
} from './world.js';

export function newId(prefix: string, len = 16): string {
  return `${prefix}-${randomBytes(len).toString('base64url').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, len)}`;
}

/** A stable creation time for world resources (the API reports one; ours is fixed). */
export const WORLD_EPOCH = Date.parse('2026-01-05T08:00:00Z');

export interface BuildLine {
  BuildStage: string;
  Message: string;
}

export interface BuildRecord {
  BuildRecordId: string;
  InstanceId: string;
  RepoId: string;
  BuildRuleId: string;
  createdAt: number;
  pendingMs: number;
  durationMs: number;
  outcome: 'SUCCESS' | 'FAILED';
  lines: BuildLine[];
  canceledAt?: number;
  image: { RepoId: string; RepoNamespaceName: string; RepoName: string; ImageTag: string };
}

export interface BuildRuleInput {
  InstanceId: string;
  RepoId: string;
  PushType: 'GIT_BRANCH' | 'GIT_TAG';
  PushName: string;
  ImageTag: string;
  DockerfileLocation: string;
  DockerfileName: string;
  BuildArgs: string[];
  Platforms: string[];
}

export type BuildStatus = 'PENDING' | 'BUILDING' | 'SUCCESS' | 'FAILED' | 'CANCELED';

/** Decide how a GitLab clone by the build would go; null = it works, else the git error line. */
export type CloneCheck = (source: CodeSourceWorld, namespace: string, name: string, ref: string) => string | null;

export class CrStore {
  instances: CrInstanceWorld[];
  namespaces: (CrNamespaceWorld & { NamespaceId: string })[];
  repositories: (CrRepositoryWorld & { RepoId: string; CreateTime: number })[];
  sourceCodeRepos: CrSourceCodeRepoWorld[];
  buildRules: CrBuildRuleWorld[];
  codeSources: CodeSourceWorld[];
  builds: BuildsWorld;
  buildRecords: BuildRecord[] = [];

  constructor(w: RegionWorld['cr']) {
    this.instances = w.instances.map((x) => ({ ...x }));
    this.namespaces = w.namespaces.map((n) => ({ ...n, NamespaceId: n.NamespaceId ?? newId('crn') }));
    this.repositories = w.repositories.map((r) => ({ ...r, RepoId: r.RepoId ?? newId('crr'), CreateTime: WORLD_EPOCH }));
    this.sourceCodeRepos = w.sourceCodeRepos.map((x) => ({ ...x }));
    this.buildRules = w.buildRules.map((x) => ({ ...x, BuildArgs: [...x.BuildArgs], Platforms: [...x.Platforms] }));
    this.codeSources = w.codeSources.map((x) => ({ ...x }));
    this.builds = w.builds;
  }

  instance(id: string): CrInstanceWorld {
    const i = this.instances.find((x) => x.InstanceId === id);
    if (!i) throw new CrError('INSTANCE_NOT_EXIST', `instance ${id} does not exist`);
    return i;
  }

  repo(instanceId: string, repoId: string): CrStore['repositories'][number] {
    this.instance(instanceId);
    const r = this.repositories.find((x) => x.InstanceId === instanceId && x.RepoId === repoId);
    if (!r) throw new CrError('REPO_NOT_EXIST', `repository ${repoId} does not exist`);
    return r;
  }

  repoByName(instanceId: string, ns: string, name: string): CrStore['repositories'][number] {
    this.instance(instanceId);
    const r = this.repositories.find((x) => x.InstanceId === instanceId && x.RepoNamespaceName === ns && x.RepoName === name);
    if (!r) throw new CrError('REPO_NOT_EXIST', `repository ${ns}/${name} does not exist`);
    return r;
  }

  createNamespace(n: { InstanceId: string; NamespaceName: string; AutoCreateRepo: boolean; DefaultRepoType: 'PUBLIC' | 'PRIVATE' }): void {
    this.instance(n.InstanceId);
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(n.NamespaceName) || n.NamespaceName.length < 2 || n.NamespaceName.length > 120) {
      throw new InvalidParameter('NamespaceName', '2-120 lowercase letters, digits and separators (_ - .), not at the start or end');
    }
    if (this.namespaces.some((x) => x.InstanceId === n.InstanceId && x.NamespaceName === n.NamespaceName)) {
      throw new CrError('NAMESPACE_ALREADY_EXIST', `namespace ${n.NamespaceName} already exists`); // ours
    }
    this.namespaces.push({ ...n, NamespaceId: newId('crn'), NamespaceStatus: 'NORMAL' });
  }

  createRepository(r: { InstanceId: string; RepoNamespaceName: string; RepoName: string; RepoType: 'PUBLIC' | 'PRIVATE'; Summary: string; Detail?: string; TagImmutability: boolean }): string {
    this.instance(r.InstanceId);
    if (!this.namespaces.some((x) => x.InstanceId === r.InstanceId && x.NamespaceName === r.RepoNamespaceName)) {
      throw new CrError('NAMESPACE_NOT_EXIST', `namespace ${r.RepoNamespaceName} does not exist`);
    }
    if (!/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(r.RepoName) || r.RepoName.length > 64) {
      throw new InvalidParameter('RepoName', '1-64 lowercase letters, digits and separators (_ - . /)');
    }
    if (this.repositories.some((x) => x.InstanceId === r.InstanceId && x.RepoNamespaceName === r.RepoNamespaceName && x.RepoName === r.RepoName)) {
      throw new CrError('REPO_ALREADY_EXIST', `repository ${r.RepoNamespaceName}/${r.RepoName} already exists`); // ours
    }
    const RepoId = newId('crr');
    this.repositories.push({ ...r, RepoId, RepoStatus: 'NORMAL', RepoBuildType: 'MANUAL', CreateTime: Date.now() });
    return RepoId;
  }

  /** the bound GitLab account for an instance (console "Bind Account" state) */
  codeSource(instanceId: string, type: string): CodeSourceWorld | undefined {
    return this.codeSources.find((c) => c.CodeRepoType === type && (c.InstanceId === undefined || c.InstanceId === instanceId));
  }

  sourceOf(instanceId: string, repoId: string): CrSourceCodeRepoWorld | undefined {
    return this.sourceCodeRepos.find((s) => s.InstanceId === instanceId && s.RepoId === repoId);
  }

  setSource(s: CrSourceCodeRepoWorld, mode: 'create' | 'update', projectVisible: (src: CodeSourceWorld, ns: string, name: string) => boolean): void {
    this.repo(s.InstanceId, s.RepoId);
    const source = this.codeSource(s.InstanceId, s.CodeRepoType);
    if (!source) {
      // Ours: the console would say the code source account is not bound. No documented code exists.
      throw new CrError('SOURCE_CODE_ACCOUNT_NOT_BOUND', `no ${s.CodeRepoType} account is bound to instance ${s.InstanceId}; bind one on the Code Source page first`);
    }
    if (!projectVisible(source, s.CodeRepoNamespaceName, s.CodeRepoName)) {
      // Ours: the bound account cannot see that project.
      throw new CrError('SOURCE_CODE_REPO_NOT_EXIST', `code repository ${s.CodeRepoNamespaceName}/${s.CodeRepoName} not found with the bound ${s.CodeRepoType} account`);
    }
    const i = this.sourceCodeRepos.findIndex((x) => x.InstanceId === s.InstanceId && x.RepoId === s.RepoId);
    if (mode === 'create' && i >= 0) {
      throw new CrError('REPO_SOURCE_ALREADY_EXIST', `repository ${s.RepoId} is already bound to a code repository; use UpdateRepoSourceCodeRepo`); // ours
    }
    if (mode === 'update' && i < 0) {
      throw new CrError('REPO_SOURCE_NOT_EXIST', `repository ${s.RepoId} has no code repository binding; use CreateRepoSourceCodeRepo`); // ours
    }
    if (i >= 0) this.sourceCodeRepos[i] = s;
    else this.sourceCodeRepos.push(s);
  }

  createBuildRule(r: BuildRuleInput): string {
    this.repo(r.InstanceId, r.RepoId);
    const BuildRuleId = newId('crbr');
    this.buildRules.push({ ...r, BuildRuleId });
    return BuildRuleId;
  }

  buildRule(instanceId: string, repoId: string, ruleId: string): CrBuildRuleWorld {
    this.repo(instanceId, repoId);
    const r = this.buildRules.find((x) => x.InstanceId === instanceId && x.RepoId === repoId && x.BuildRuleId === ruleId);
    if (!r) throw new CrError('BUILD_RULE_NOT_EXIST', `build rule ${ruleId} does not exist`); // ours
    return r;
  }

  startBuild(instanceId: string, repoId: string, ruleId: string, now: number, cloneCheck: CloneCheck): string {
    const repo = this.repo(instanceId, repoId);
    const rule = this.buildRule(instanceId, repoId, ruleId);
    const src = this.sourceOf(instanceId, repoId);
    if (!src) throw new CrError('REPO_SOURCE_NOT_EXIST', `repository ${repoId} has no code repository binding`); // ours
    const account = this.codeSource(instanceId, src.CodeRepoType);
    const cloneError = account ? cloneCheck(account, src.CodeRepoNamespaceName, src.CodeRepoName, rule.PushName) : 'fatal: code source account is no longer bound';
    const url = account ? `${account.endpoint.replace(/\/$/, '')}/${src.CodeRepoNamespaceName}/${src.CodeRepoName}.git` : '(unbound)';
    const b = this.builds;
    let outcome = b.outcome;
    let failStage = b.failStage ?? (outcome === 'FAILED' ? 'DOCKER_BUILD' : undefined);
    if (cloneError) {
      outcome = 'FAILED';
      failStage = 'GIT_CLONE';
    }
    const lines = b.log && !cloneError ? b.log.map((l) => ({ ...l })) : defaultBuildLog(url, rule, repo.RepoNamespaceName, repo.RepoName, outcome, failStage, cloneError);
    const rec: BuildRecord = {
      BuildRecordId: randomUUID().toUpperCase(),
      InstanceId: instanceId,
      RepoId: repoId,
      BuildRuleId: ruleId,
      createdAt: now,
      pendingMs: b.pendingMs,
      durationMs: b.durationMs,
      outcome,
      lines,
      image: { RepoId: repoId, RepoNamespaceName: repo.RepoNamespaceName, RepoName: repo.RepoName, ImageTag: rule.ImageTag },
    };
    this.buildRecords.push(rec);
    return rec.BuildRecordId;
  }

  buildRecord(instanceId: string, recordId: string): BuildRecord {
    this.instance(instanceId);
    const r = this.buildRecords.find((x) => x.InstanceId === instanceId && x.BuildRecordId === recordId);
    if (!r) throw new CrError('BUILD_RECORD_NOT_EXIST', `build record ${recordId} does not exist`); // ours
    return r;
  }

  cancelBuild(instanceId: string, repoId: string, recordId: string, now: number): void {
    const r = this.buildRecord(instanceId, recordId);
    if (r.RepoId !== repoId) throw new CrError('BUILD_RECORD_NOT_EXIST', `build record ${recordId} does not belong to ${repoId}`); // ours
    const s = buildStatus(r, now);
    if (s !== 'PENDING' && s !== 'BUILDING') {
      throw new CrError('BUILD_RECORD_STATUS_NOT_SUPPORT', `build record ${recordId} is ${s} and cannot be canceled`); // ours
    }
    r.canceledAt = now;
  }
}

function defaultBuildLog(
  url: string,
  rule: CrBuildRuleWorld,
  ns: string,
  name: string,
  outcome: 'SUCCESS' | 'FAILED',
  failStage: string | undefined,
  cloneError: string | null,
): BuildLine[] {
  const L = (BuildStage: string, Message: string): BuildLine => ({ BuildStage, Message });
  const lines: BuildLine[] = [L('GIT_CLONE', 'fetch stage begin'), L('GIT_CLONE', `git clone --branch ${rule.PushName} ${url}`)];
  if (failStage === 'GIT_CLONE') {
    lines.push(L('GIT_CLONE', cloneError ?? `fatal: unable to access '${url}/': Failed to connect port after 30000 ms: Connection timed out`));
    lines.push(L('GIT_CLONE', 'fetch stage failed'));
    return lines;
  }
  lines.push(L('GIT_CLONE', 'fetch stage end'));
  lines.push(L('DOCKER_BUILD', `docker build -f ${rule.DockerfileLocation.replace(/\/$/, '')}/${rule.DockerfileName} ${rule.DockerfileLocation}`));
  lines.push(L('DOCKER_BUILD', 'Step 1/2 : FROM alpine:3.19'));
  if (failStage === 'DOCKER_BUILD') {
    lines.push(L('DOCKER_BUILD', 'Step 2/2 : RUN ./build.sh'));
    lines.push(L('DOCKER_BUILD', "The command '/bin/sh -c ./build.sh' returned a non-zero code: 127"));
    lines.push(L('DOCKER_BUILD', 'build stage failed'));
    return lines;
  }
  lines.push(L('DOCKER_BUILD', 'Step 2/2 : COPY . /app'));
  lines.push(L('DOCKER_BUILD', 'Successfully built'));
  lines.push(L('IMAGE_PUSH', `push ${ns}/${name}:${rule.ImageTag}`));
  if (outcome === 'FAILED') {
    lines.push(L('IMAGE_PUSH', 'push stage failed: denied'));
    return lines;
  }
  lines.push(L('IMAGE_PUSH', `${rule.ImageTag}: digest: sha256:${randomBytes(32).toString('hex')} size: 739`));
  lines.push(L('IMAGE_PUSH', 'build success'));
  return lines;
}

/** PENDING for pendingMs, BUILDING for durationMs, then the outcome; CANCELED once canceled. */
export function buildStatus(r: BuildRecord, now: number): BuildStatus {
  const t = now - r.createdAt;
  if (r.canceledAt !== undefined) return 'CANCELED';
  if (t < r.pendingMs) return 'PENDING';
  if (t < r.pendingMs + r.durationMs) return 'BUILDING';
  return r.outcome;
}

export function buildEndTime(r: BuildRecord, now: number): number | undefined {
  if (r.canceledAt !== undefined) return r.canceledAt;
  const end = r.createdAt + r.pendingMs + r.durationMs;
  return now >= end ? end : undefined;
}

/** log lines visible so far: spread evenly over the BUILDING phase; all of them at the end */
export function visibleLines(r: BuildRecord, now: number): BuildLine[] {
  const n = r.lines.length;
  const t = now - r.createdAt - r.pendingMs;
  if (t < 0) return [];
  const limit = r.canceledAt !== undefined ? r.canceledAt - r.createdAt - r.pendingMs : Number.POSITIVE_INFINITY;
  const tt = Math.min(t, limit);
  const count = r.durationMs === 0 ? n : Math.min(n, Math.floor((tt / r.durationMs) * n) + 1);
  const out = r.lines.slice(0, Math.max(0, count));
  if (r.canceledAt !== undefined && now >= r.canceledAt) out.push({ BuildStage: out.at(-1)?.BuildStage ?? 'GIT_CLONE', Message: 'build canceled' });
  return out;
}

export type Sg = SecurityGroupWorld & { CreationTime: string };

export class RegionStore {
  readonly world: RegionWorld;
  vpcs: RegionWorld['vpcs'];
  vSwitches: RegionWorld['vSwitches'];
  networkAcls: RegionWorld['networkAcls'];
  instances: InstanceWorld[];
  networkInterfaces: NetworkInterfaceWorld[];
  securityGroups: Sg[];
  prefixLists: RegionWorld['prefixLists'];
  loadBalancers: RegionWorld['loadBalancers'];
  accessControlLists: RegionWorld['accessControlLists'];
  virtualBorderRouters: RegionWorld['virtualBorderRouters'];
  routeTables: RegionWorld['routeTables'];
  routerInterfaces: RegionWorld['routerInterfaces'];
  bgpPeers: RegionWorld['bgpPeers'];
  bgpNetworks: RegionWorld['bgpNetworks'];
  cr: CrStore;

  constructor(
    readonly regionId: string,
    w: RegionWorld,
  ) {
    this.world = w;
    const clone = <T>(x: T): T => structuredClone(x);
    this.vpcs = clone(w.vpcs);
    this.vSwitches = clone(w.vSwitches);
    this.networkAcls = clone(w.networkAcls);
    this.instances = clone(w.instances);
    this.networkInterfaces = clone(w.networkInterfaces);
    this.securityGroups = clone(w.securityGroups).map((sg) => ({
      ...sg,
      CreationTime: '2026-01-05T08:00:00Z',
      Permissions: sg.Permissions.map((p, i) => ({ ...p, SecurityGroupRuleId: p.SecurityGroupRuleId ?? `sgr-${sg.SecurityGroupId.replace(/^sg-/, '')}-${i + 1}` })),
    }));
    this.prefixLists = clone(w.prefixLists);
    this.loadBalancers = clone(w.loadBalancers);
    this.accessControlLists = clone(w.accessControlLists);
    this.virtualBorderRouters = clone(w.virtualBorderRouters);
    this.routeTables = clone(w.routeTables);
    this.routerInterfaces = clone(w.routerInterfaces);
    this.bgpPeers = clone(w.bgpPeers);
    this.bgpNetworks = clone(w.bgpNetworks);
    this.cr = new CrStore(w.cr);
  }

  /** world ENIs plus each instance's primary ENI (derived: DescribeNetworkInterfaces shows it too) */
  allNetworkInterfaces(): NetworkInterfaceWorld[] {
    const primaries: NetworkInterfaceWorld[] = this.instances
      .filter((i) => !this.networkInterfaces.some((n) => n.InstanceId === i.InstanceId && n.Type === 'Primary'))
      .map((i) => ({
        NetworkInterfaceId: primaryEniId(i),
        Type: 'Primary',
        Status: 'InUse',
        VpcId: i.VpcAttributes.VpcId,
        VSwitchId: i.VpcAttributes.VSwitchId,
        ZoneId: i.ZoneId,
        PrivateIpAddress: i.VpcAttributes.PrivateIpAddress[0]!,
        PrivateIpSets: [...i.VpcAttributes.PrivateIpAddress],
        SecurityGroupIds: [...i.SecurityGroupIds],
        ServiceManaged: false,
        InstanceId: i.InstanceId,
      }));
    return [...primaries, ...this.networkInterfaces];
  }

  sg(id: string): Sg {
    const sg = this.securityGroups.find((s) => s.SecurityGroupId === id);
    if (!sg) throw new NotFound('InvalidSecurityGroupId.NotFound', 'SecurityGroupId', id);
    return sg;
  }

  vpc(id: string): RegionWorld['vpcs'][number] {
    const v = this.vpcs.find((x) => x.VpcId === id);
    if (!v) throw new NotFound('InvalidVpcId.NotFound', 'VpcId', id);
    return v;
  }

  vSwitch(id: string): RegionWorld['vSwitches'][number] {
    const v = this.vSwitches.find((x) => x.VSwitchId === id);
    if (!v) throw new NotFound('InvalidVSwitchId.NotFound', 'VSwitchId', id);
    return v;
  }

  /** AuthorizeSecurityGroup: refuses managed groups and exact duplicates */
  authorize(sgId: string, rules: PermissionWorld[]): void {
    const sg = this.sg(sgId);
    if (sg.ServiceManaged) throw new ManagedResource(sgId);
    for (const r of rules) {
      const dup = sg.Permissions.some(
        (p) =>
          p.Direction === r.Direction &&
          (p.Policy ?? 'accept').toLowerCase() === (r.Policy ?? 'accept').toLowerCase() &&
          String(p.Priority ?? 1) === String(r.Priority ?? 1) &&
          p.IpProtocol.toUpperCase() === r.IpProtocol.toUpperCase() &&
          (p.PortRange ?? '-1/-1') === (r.PortRange ?? '-1/-1') &&
          (p.SourceCidrIp ?? '') === (r.SourceCidrIp ?? '') &&
          (p.SourcePrefixListId ?? '') === (r.SourcePrefixListId ?? ''),
      );
      if (dup) throw new ApiError(400, 'InvalidPermission.Duplicate', 'The specified rule already exists.');
    }
    for (const r of rules) sg.Permissions.push({ ...r, SecurityGroupRuleId: newId('sgr', 20) });
  }

  /** RevokeSecurityGroup by SecurityGroupRuleId.N: refuses managed groups and unknown rule ids */
  revoke(sgId: string, ruleIds: string[]): void {
    const sg = this.sg(sgId);
    if (sg.ServiceManaged) throw new ManagedResource(sgId);
    for (const id of ruleIds) {
      if (!sg.Permissions.some((p) => p.SecurityGroupRuleId === id)) throw new NotFound('InvalidSecurityGroupRuleId.NotFound', 'SecurityGroupRuleId', id);
    }
    sg.Permissions = sg.Permissions.filter((p) => !ruleIds.includes(p.SecurityGroupRuleId ?? ''));
  }

  /** console "Manage Link": a managed SG (egress only to GitLab + extra IPs) and a managed ENI */
  link(req: { vpcId: string; vSwitchId: string; gitlabIp: string; extraIps: string[]; ports?: number[] }): { securityGroupId: string; networkInterfaceId: string } {
    this.vpc(req.vpcId);
    const vsw = this.vSwitch(req.vSwitchId);
    if (vsw.VpcId !== req.vpcId) throw new InvalidParameter('vSwitchId', `vSwitch ${req.vSwitchId} is not in VPC ${req.vpcId}`);
    if (!isIPv4(req.gitlabIp)) throw new InvalidParameter('gitlabIp', `"${req.gitlabIp}" is not an IPv4 address`);
    const sgId = newId('sg', 20);
    const perms: PermissionWorld[] = [];
    const egress = (ip: string, port?: number): PermissionWorld => ({
      Direction: 'egress',
      Policy: 'Accept',
      Priority: 1,
      IpProtocol: 'TCP',
      PortRange: port ? `${port}/${port}` : '1/65535',
      DestCidrIp: ip.includes('/') ? ip : `${ip}/32`,
      Description: 'created by Container Registry build link',
    });
    if (req.ports?.length) for (const p of req.ports) perms.push(egress(req.gitlabIp, p));
    else perms.push(egress(req.gitlabIp));
    for (const e of req.extraIps) {
      const m = /^([\d.]+(?:\/\d+)?)(?::(\d+))?$/.exec(e);
      if (!m || !isCidr(m[1]!) || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) throw new InvalidParameter('extraIps', `"${e}" is not an IP, CIDR or ip:port`);
      perms.push(egress(m[1]!, m[2] ? Number(m[2]) : undefined));
    }
    this.securityGroups.push({
      SecurityGroupId: sgId,
      SecurityGroupName: `acr-build-link-${req.vSwitchId}`,
      VpcId: req.vpcId,
      SecurityGroupType: 'enterprise',
      ServiceManaged: true,
      Description: 'Managed by Container Registry (VPC build link)',
      CreationTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      Permissions: perms.map((p, i) => ({ ...p, SecurityGroupRuleId: `sgr-${sgId.replace(/^sg-/, '')}-${i + 1}` })),
    });
    const eniId = newId('eni', 20);
    this.networkInterfaces.push({
      NetworkInterfaceId: eniId,
      Type: 'Secondary',
      Status: 'InUse',
      VpcId: req.vpcId,
      VSwitchId: req.vSwitchId,
      ZoneId: vsw.ZoneId,
      PrivateIpAddress: this.freeIp(vsw.CidrBlock),
      SecurityGroupIds: [sgId],
      ServiceManaged: true,
      Description: 'Managed by Container Registry (VPC build link)',
    });
    return { securityGroupId: sgId, networkInterfaceId: eniId };
  }

  private freeIp(cidrBlock: string): string {
    const [base, lenS] = cidrBlock.split('/');
    const len = Number(lenS ?? 32);
    const b = base!.split('.').map(Number).reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - len);
    const used = new Set(this.allNetworkInterfaces().flatMap((n) => [n.PrivateIpAddress, ...(n.PrivateIpSets ?? [])]));
    // highest usable addresses first (the console allocates from the pool; any free one will do)
    for (let i = size - 4; i > 2; i--) {
      const n = b + i;
      const s = [24, 16, 8, 0].map((sh) => (n >>> sh) & 255).join('.');
      if (!used.has(s)) return s;
    }
    throw new ApiError(400, 'InvalidVSwitchId.IpNotEnough', `The vSwitch ${cidrBlock} has no free IP address.`);
  }
}

export function primaryEniId(i: InstanceWorld): string {
  return i.NetworkInterfaceId ?? `eni-${i.InstanceId.replace(/^i-/, '')}`;
}

export function aclEntryId(aclId: string, dir: 'ingress' | 'egress', i: number, e: AclEntryWorld): string {
  return e.NetworkAclEntryId ?? `nae-${aclId.replace(/^nacl-/, '')}-${dir[0]}${i + 1}`;
}

/** Public region ids (the endpoint lists of the API references). A region the world does not list but that
 * exists answers like an empty region; anything else is InvalidRegionId.NotFound. */
export const KNOWN_REGIONS = new Set([
  'cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'cn-qingdao', 'cn-zhangjiakou', 'cn-huhehaote',
  'cn-wulanchabu', 'cn-chengdu', 'cn-hongkong', 'cn-heyuan', 'cn-guangzhou', 'cn-nanjing', 'cn-fuzhou', 'cn-wuhan-lr',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'us-east-1', 'us-west-1', 'us-southeast-1', 'eu-central-1',
  'eu-west-1', 'me-east-1', 'me-central-1', 'na-south-1', 'cn-hangzhou-finance', 'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1', 'cn-beijing-finance-1',
]);

/** The whole emulated cloud: credentials, faults and one store per region. */
export class CloudState {
  readonly regions = new Map<string, RegionStore>();
  constructor(readonly world: World) {
    for (const [id, r] of Object.entries(world.regions)) this.regions.set(id, new RegionStore(id, r));
  }

  /** regions the world does not list answer like empty regions */
  region(id: string): RegionStore {
    let r = this.regions.get(id);
    if (!r) {
      if (!KNOWN_REGIONS.has(id)) throw new NotFound('InvalidRegionId.NotFound', 'RegionId', id);
      r = new RegionStore(id, emptyRegion());
      this.regions.set(id, r);
    }
    return r;
  }

  /** cr calls may omit RegionId (the endpoint carries it): find the region holding the instance */
  crRegion(regionId: string | undefined, instanceId: string | undefined): RegionStore {
    if (regionId) return this.region(regionId);
    if (instanceId) for (const r of this.regions.values()) if (r.cr.instances.some((i) => i.InstanceId === instanceId)) return r;
    const first = this.regions.values().next().value as RegionStore | undefined;
    return first ?? this.region('cn-hangzhou');
  }
}

function emptyRegion(): RegionWorld {
  return {
    vpcs: [],
    vSwitches: [],
    networkAcls: [],
    instances: [],
    networkInterfaces: [],
    securityGroups: [],
    prefixLists: [],
    loadBalancers: [],
    accessControlLists: [],
    virtualBorderRouters: [],
    routeTables: [],
    routerInterfaces: [],
    bgpPeers: [],
    bgpNetworks: [],
    cr: {
      instances: [],
      namespaces: [],
      repositories: [],
      sourceCodeRepos: [],
      buildRules: [],
      codeSources: [],
      builds: { outcome: 'SUCCESS', durationMs: 2000, pendingMs: 200 },
    },
  };
}
