// Targeted fact collection: only the resources that matter to this GitLab, found by its address,
// never by listing the account. Independent calls run in parallel; the critical path is three API
// round trips (find → describe → expand). Every failure becomes an unavailable fact naming why.
// Size: the round schedule and the per-product normalisation are still one module; splitting it into
// paging, normalisation, probes and a short scheduler is the next architecture step (docs/architecture.md).
import { readFileSync } from 'node:fs';
import type { CloudApi, CloudCallError, Product } from '../cloud/api.js';
import type { LoadedConfig } from '../config/types.js';
import { resolveSecret } from '../config/secrets.js';
import { inputSummaryFromConfig } from '../config/summary.js';
import { resolveUserPath } from '../config/load.js';
import { TOOL_NAME, toolVersion } from '../paths.js';
import { containsAddress, isIPv4 } from '../net/cidr.js';
import { collectGitlab, resolveHost, type JumpVantage } from './gitlab-probe.js';
import { connectSsh, forward, readGitlabHost, readIdcRouter, resolveSshTarget, SshError } from './ssh.js';
import { CloudUnreachableError, ConfigError, CredentialsError } from '../errors.js';
import { shapeProblem } from './shapes.js';
import { closest } from '../util/nearest.js';
import type {
  AcrRepository, AcrInstance, BgpNetwork, BgpPeer, Eni, Fact, Facts, LoadBalancer, NaclEntry, NetworkAcl, PrefixList,
  RegionVpc, RouteEntry, SecurityGroup, SgPermission, SlbAcl, SlbBackend, SlbBackendNetwork, SlbListener, SourceBinding, Unavailable, Vbr, Vpc, VSwitch,
} from './types.js';
import { PROBES_DISABLED } from './types.js';

export interface ProgressEvent {
  type: 'step-start' | 'step-finish';
  step: string;
  detail?: string;
}

export interface CollectOptions {
  api: CloudApi;
  env: NodeJS.ProcessEnv;
  noProbes?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** raw evidence sink (support bundle): one entry per API call */
  onCall?: (e: { product: Product; action: string; params: Record<string, unknown>; ok: boolean; code?: string; ms: number }) => void;
  /**
   * Fact paths to collect ("cloud.vpc", "gitlab.token": the `needs` of the selected rules); absent =
   * all. What the access path is derived from is always collected. A fact left out is unavailable
   * with reason not-configured, so a rule that reads it skips and says why.
   */
  needs?: readonly string[];
}

/** Facts the access path is derived from: collected whatever rules are selected. */
const PATH_FACTS = ['gitlab.addresses', 'cloud.gitlabEnis', 'cloud.loadBalancers', 'cloud.linkVSwitch', 'cloud.vSwitches'];

const now = () => new Date().toISOString();
const okF = <T>(value: T, source: string): Fact<T> => ({ state: 'ok', value, source, at: now() });
const un = (reason: Unavailable['reason'], message: string, source: string, extra: Partial<Unavailable> = {}): Unavailable => ({ state: 'unavailable', reason, message, source, at: now(), ...extra });

const NOT_FOUND = /NotFound|NOT_EXIST|NotExist/;
/** pages read of one list at most (1,000 pages of 100 route entries is far beyond any VBR's quota) */
export const MAX_PAGES = 1000;
/** the API refused who we are, not what we asked: every call will fail alike */
const CREDENTIALS_REFUSED = /^(InvalidAccessKeyId|InvalidAccessKeySecret|SignatureDoesNotMatch|InvalidSecurityToken|IncompleteSignature|InvalidTimeStamp)/;

/** the API endpoint itself cannot be reached: every call will fail alike, so nothing can be decided */
const CLOUD_UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

export function factFromError(err: unknown, source: string): Unavailable {
  const e = err as Partial<CloudCallError>;
  const code = e.code ?? 'Error';
  if (CLOUD_UNREACHABLE.test(code)) {
    const why = code === 'ECONNREFUSED' ? 'the connection was refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'its host name does not resolve' : 'no route to it';
    throw new CloudUnreachableError(`cannot reach the cloud API (${source}): ${why} (${(e.message ?? code).replace(/^[a-z]+:[A-Za-z]+: /, '')})`, 'check cloud.endpoint / --endpoint (or, without one, the network, DNS and HTTPS_PROXY towards *.aliyuncs.com)');
  }
  if (CREDENTIALS_REFUSED.test(code)) {
    // not "instance not found" (InvalidAccessKeyId.NotFound) and not ten undecided rules: one line
    throw new CredentialsError(`the cloud API refused the credentials (${code} on ${source}): ${(e.message ?? '').replace(/^[a-z]+:[A-Za-z]+: /, '')}`, 'check the AccessKey in ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or the profile in use (--profile), and the machine clock for InvalidTimeStamp');
  }
  const msg = (e.message ?? String(err)).replace(/^[a-z]+:[A-Za-z]+: /, '');
  if (/^Forbidden|NoPermission|NoPrivilege/.test(code)) return un('forbidden', msg, source, { code, ...(e.ramAction ? { ramAction: e.ramAction } : {}) });
  if (NOT_FOUND.test(code)) return un('not-found', msg, source, { code });
  if (/Timeout|ETIMEDOUT/.test(code)) return un('timeout', msg, source, { code });
  return un('api-error', msg, source, { code });
}

/** a wrapped list: body.A.B → array (absent → []) */
function list(body: Record<string, any> | undefined, outer: string, inner?: string): any[] {
  const o = body?.[outer];
  if (Array.isArray(o)) return o;
  if (inner && o && Array.isArray(o[inner])) return o[inner];
  return [];
}
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

/** Every ACL id of a listener (AclId and AclIds, wrapped or plain), in order, once each. */
function listenerAclIds(l: Record<string, any>): string[] {
  return [...new Set([str(l.AclId), ...list(l, 'AclIds', 'AclId').map(str)].filter((x): x is string => Boolean(x)))];
}

/** A DescribeLoadBalancerListeners entry as a listener fact; every ACL id is kept (aclId = the first, for older readers). */
export function normListener(l: Record<string, any>): SlbListener {
  const aclIds = listenerAclIds(l);
  return {
    listenerPort: Number(l.ListenerPort),
    listenerProtocol: String(l.ListenerProtocol ?? 'tcp').toLowerCase(),
    status: String(l.Status ?? 'running'),
    aclStatus: String(l.AclStatus ?? 'off').toLowerCase(),
    ...(str(l.AclType) ? { aclType: String(l.AclType).toLowerCase() } : {}),
    ...(aclIds.length ? { aclIds, aclId: aclIds[0]! } : {}),
    ...(l.BackendServerPort !== undefined ? { backendServerPort: Number(l.BackendServerPort) } : {}),
  };
}

export function normPermission(p: Record<string, any>): SgPermission {
  const out: SgPermission = {
    direction: String(p.Direction ?? 'ingress').toLowerCase() === 'egress' ? 'egress' : 'ingress',
    policy: String(p.Policy ?? 'accept').toLowerCase() === 'drop' ? 'drop' : 'accept',
    priority: Number(p.Priority ?? 1) || 1,
    ipProtocol: String(p.IpProtocol ?? 'ALL').toUpperCase(),
    portRange: String(p.PortRange ?? '-1/-1'),
  };
  const opt: [keyof SgPermission, unknown][] = [
    ['ruleId', p.SecurityGroupRuleId], ['sourceCidrIp', p.SourceCidrIp], ['sourcePrefixListId', p.SourcePrefixListId], ['sourceGroupId', p.SourceGroupId],
    ['destCidrIp', p.DestCidrIp], ['destPrefixListId', p.DestPrefixListId], ['destGroupId', p.DestGroupId], ['description', p.Description],
    ['portRangeListId', p.PortRangeListId], ['sourcePortRange', p.SourcePortRange],
  ];
  for (const [k, v] of opt) if (str(v)) (out as any)[k] = str(v);
  return out;
}

function normAclEntry(e: Record<string, any>, direction: 'ingress' | 'egress'): NaclEntry {
  return {
    ...(str(e.NetworkAclEntryId) ? { entryId: str(e.NetworkAclEntryId) } : {}),
    ...(str(e.NetworkAclEntryName) ? { name: str(e.NetworkAclEntryName) } : {}),
    policy: String(e.Policy ?? 'accept').toLowerCase() === 'drop' ? 'drop' : 'accept',
    protocol: String(e.Protocol ?? 'all').toLowerCase(),
    port: String(e.Port ?? '-1/-1'),
    cidr: String((direction === 'ingress' ? e.SourceCidrIp : e.DestinationCidrIp) ?? ''),
    ...(str(e.EntryType) ? { entryType: str(e.EntryType) } : {}),
  };
}

/** A DescribeNetworkAclAttributes answer as the network ACL fact (entries in evaluation order). */
export function normNetworkAcl(b: Record<string, any>, id: string): NetworkAcl {
  const a = b.NetworkAclAttribute ?? b;
  return {
    networkAclId: String(a.NetworkAclId ?? id),
    ...(str(a.VpcId) ? { vpcId: str(a.VpcId) } : {}),
    ...(str(a.Status) ? { status: str(a.Status) } : {}),
    ingress: list(a, 'IngressAclEntries', 'IngressAclEntry').map((e: any) => normAclEntry(e, 'ingress')),
    egress: list(a, 'EgressAclEntries', 'EgressAclEntry').map((e: any) => normAclEntry(e, 'egress')),
  };
}

function normVSwitch(v: Record<string, any>): VSwitch {
  return {
    vSwitchId: String(v.VSwitchId),
    vpcId: String(v.VpcId ?? ''),
    zoneId: String(v.ZoneId ?? ''),
    cidrBlock: String(v.CidrBlock ?? ''),
    ...(str(v.NetworkAclId) ? { networkAclId: str(v.NetworkAclId) } : {}),
    ...(str(v.Status) ? { status: str(v.Status) } : {}),
  };
}

/** A GetInstance answer as the instance fact. */
export function normInstance(b: Record<string, any>, instanceId: string): AcrInstance {
  return {
    instanceId: String(b.InstanceId ?? instanceId),
    ...(str(b.InstanceName) ? { instanceName: str(b.InstanceName) } : {}),
    status: String(b.InstanceStatus ?? 'UNKNOWN'),
    ...(str(b.InstanceSpecification) ? { specification: str(b.InstanceSpecification) } : {}),
  };
}

/** A GetRepoSourceCodeRepo answer as the binding fact (null: no binding); the flags are strings here. */
export function normSourceBinding(b: Record<string, any>): SourceBinding | null {
  if (!b.CodeRepoType) return null;
  return {
    codeRepoType: String(b.CodeRepoType),
    codeRepoNamespaceName: String(b.CodeRepoNamespaceName ?? ''),
    codeRepoName: String(b.CodeRepoName ?? ''),
    ...(str(b.CodeRepoDomain) ? { codeRepoDomain: str(b.CodeRepoDomain) } : {}),
    overseaBuild: String(b.OverseaBuild) === 'true',
    autoBuild: String(b.AutoBuild) === 'true',
  };
}

type PagedNumber = (product: Product, action: string, params: Record<string, unknown>, pick: (b: Record<string, any>) => any[], pageSize?: number) => Promise<any[]>;

/**
 * The region's VPCs with their vSwitch ids, read only when the configured VPC or link vSwitch does not
 * exist: a typo is then named with the nearest existing ids instead of leaving every rule undecided.
 */
async function regionVpcsIfMissing(vpc: Fact<Vpc>, linkVSwitch: Fact<VSwitch>, pagedNumber: PagedNumber): Promise<Fact<RegionVpc[]> | undefined> {
  const missing = (f: Fact<unknown>) => f.state === 'unavailable' && f.reason === 'not-found';
  if (!missing(vpc) && !missing(linkVSwitch)) return undefined;
  const source = 'vpc:DescribeVpcs';
  try {
    const vpcs = await pagedNumber('vpc', 'DescribeVpcs', {}, (b) => list(b, 'Vpcs', 'Vpc'), 50);
    return okF(vpcs.map((v: any) => ({ vpcId: String(v.VpcId), vSwitchIds: list(v, 'VSwitchIds', 'VSwitchId').map(String) })), source);
  } catch (err) {
    return factFromError(err, source);
  }
}

/**
 * Runs the collection. Credentials/config problems throw (one-line errors); API problems become facts.
 * When the collection fails, everything still in flight (GitLab probes, SSH reads) is cancelled
 * before the error goes up: nothing is sent, and no progress is reported, after the run has failed.
 */
export async function collectFacts(loaded: LoadedConfig, opts: CollectOptions): Promise<Facts> {
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const onProgress = opts.onProgress;
  try {
    return await collectAll(loaded, { ...opts, signal, ...(onProgress ? { onProgress: (e: ProgressEvent) => { if (!signal.aborted) onProgress(e); } } : {}) });
  } catch (err) {
    stop.abort(err);
    throw err;
  }
}

async function collectAll(loaded: LoadedConfig, opts: CollectOptions & { signal: AbortSignal }): Promise<Facts> {
  const { config, baseDir } = loaded;
  const { api, env } = opts;
  const region = config.region;
  const input = inputSummaryFromConfig(config);
  const progress = opts.onProgress ?? (() => {});
  const timeoutMs = config.probe?.timeoutMs ?? 5000;

  // Secrets and SSH targets first, before any call: an unset token variable or a missing key file
  // is a config problem (one line, exit 2), not something to find out halfway through.
  const wanted = opts.needs ? new Set([...opts.needs, ...PATH_FACTS]) : undefined;
  const want = (...paths: string[]) => !wanted || paths.some((p) => wanted.has(p));
  const unselected = <T>(): Fact<T> => un('not-configured', 'not collected: no rule selected by collect --only/--skip reads it', 'config', { hint: 'collect without --only/--skip to include it' });
  const gitlabWanted = want('gitlab.probeLocal', 'gitlab.probeJump', 'gitlab.tls', 'gitlab.token', 'gitlab.user', 'gitlab.project', 'gitlab.gitDiscovery');
  const probing = !opts.noProbes && (gitlabWanted || want('hosts.gitlabHost', 'hosts.idcRouter'));
  const sshTarget = (t: NonNullable<typeof config.probe>['jumpHost'], where: string) => {
    if (!t || !probing) return undefined;
    try {
      return resolveSshTarget(t, baseDir, env, timeoutMs);
    } catch (err) {
      if (err instanceof SshError) throw new ConfigError(`${where}: ${err.message}`, 'fix the key file or passphrase reference in the config');
      throw err;
    }
  };
  const gitlabToken = probing ? resolveSecret(config.gitlab.token, baseDir, env, 'gitlab.token') : undefined;
  const jumpTarget = sshTarget(config.probe?.jumpHost, 'probe.jumpHost');
  const gitlabHostTarget = sshTarget(config.probe?.gitlabHost?.ssh, 'probe.gitlabHost.ssh');
  const routerTarget = sshTarget(config.datacenter?.router?.ssh, 'datacenter.router.ssh');

  const call = async (product: Product, action: string, params: Record<string, unknown>): Promise<Record<string, any>> => {
    const t0 = performance.now();
    try {
      const body = await api.call(product, action, params, { ...(opts.signal ? { signal: opts.signal } : {}) });
      const problem = shapeProblem(product, action, body);
      if (problem) {
        opts.onCall?.({ product, action, params, ok: false, code: 'MalformedResponse', ms: performance.now() - t0 });
        throw Object.assign(new Error(`${product}:${action}: malformed answer: ${problem}`), { code: 'MalformedResponse', product, action });
      }
      opts.onCall?.({ product, action, params, ok: true, ms: performance.now() - t0 });
      return body;
    } catch (err) {
      opts.onCall?.({ product, action, params, ok: false, code: (err as CloudCallError).code, ms: performance.now() - t0 });
      throw err;
    }
  };
  const fact = async <T>(product: Product, action: string, fn: () => Promise<T>): Promise<Fact<T>> => {
    const source = `${product}:${action}`;
    try {
      return okF(await fn(), source);
    } catch (err) {
      return factFromError(err, source);
    }
  };
  // Paging is bounded; a list longer than the bound, or a cursor that repeats, is an error: a verdict
  // on part of a route table or rule set would be a verdict on the wrong thing.
  const tooMany = (action: string, pages: number) =>
    Object.assign(new Error(`${action}: more than ${pages} pages; the list was not read whole, so it cannot be judged`), { code: 'TooManyPages' });
  /** NextToken/MaxResults pagination (bounded) */
  const pagedToken = async (product: Product, action: string, params: Record<string, unknown>, pick: (b: Record<string, any>) => any[], pageKey = 'MaxResults', pageSize = 100): Promise<any[]> => {
    const out: any[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await call(product, action, { ...params, [pageKey]: pageSize, ...(token ? { NextToken: token } : {}) });
      out.push(...pick(body));
      token = str(body.NextToken);
      if (!token) return out;
      if (seen.has(token)) throw Object.assign(new Error(`${action}: the NextToken ${token} came back twice; paging would not end`), { code: 'MalformedResponse' });
      seen.add(token);
    }
    throw tooMany(action, MAX_PAGES);
  };
  /** PageNumber/PageSize pagination (bounded) */
  const pagedNumber = async (product: Product, action: string, params: Record<string, unknown>, pick: (b: Record<string, any>) => any[], pageSize = 50, numberKey = 'PageNumber', totalKey = 'TotalCount'): Promise<any[]> => {
    const out: any[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const body = await call(product, action, { ...params, [numberKey]: page, PageSize: pageSize });
      const items = pick(body);
      out.push(...items);
      const total = Number(body[totalKey] ?? out.length);
      if (items.length < pageSize || out.length >= total) return out;
    }
    throw tooMany(action, MAX_PAGES);
  };

  // ---- GitLab address (needed to find its ENI / SLB) ------------------------------------------
  progress({ type: 'step-start', step: 'resolve', detail: input.gitlab.host });
  const addresses = await resolveHost(input.gitlab.host);
  const address = addresses.state === 'ok' ? addresses.value.find(isIPv4) : undefined;
  progress({ type: 'step-finish', step: 'resolve', detail: address ?? 'unresolved' });
  const noAddress = (source: string) => un('error', `GitLab address unknown: ${addresses.state === 'unavailable' ? addresses.message : 'no IPv4 address'}`, source);

  // ---- live probes run alongside the cloud rounds ----------------------------------------------
  const probes = (async (): Promise<Facts['gitlab']> => {
    if (!gitlabWanted) {
      const off = unselected<never>();
      return { addresses, probeLocal: off, probeJump: off, tls: off, token: off, user: off, project: off, gitDiscovery: off };
    }
    if (opts.noProbes) {
      const off = un('not-configured', 'live probes are off (--no-probes)', 'config', { code: PROBES_DISABLED, hint: 'run without --no-probes to probe GitLab' });
      return { addresses, probeLocal: off, probeJump: off, tls: off, token: off, user: off, project: off, gitDiscovery: off };
    }
    progress({ type: 'step-start', step: 'gitlab', detail: input.gitlab.endpoint });
    const token = gitlabToken!;
    let ca: string | undefined;
    if (config.gitlab.caFile) {
      try {
        ca = readFileSync(resolveUserPath(config.gitlab.caFile, baseDir, env), 'utf8');
      } catch {
        ca = undefined; // loadConfig already warned that the file does not exist
      }
      // a `ca` list replaces Node's default store, which NODE_EXTRA_CA_CERTS extends: keep those too
      const extra = env.NODE_EXTRA_CA_CERTS;
      if (ca && extra) {
        try {
          ca = `${ca}\n${readFileSync(extra, 'utf8')}`;
        } catch {
          /* Node itself warns about an unreadable NODE_EXTRA_CA_CERTS */
        }
      }
    }
    const probeInput = { endpoint: config.gitlab.endpoint, token, username: config.gitlab.username, project: config.gitlab.project, ...(ca ? { ca } : {}), ...(config.probe?.connectTo ? { connectTo: config.probe.connectTo } : {}), timeoutMs, env, ...(opts.signal ? { signal: opts.signal } : {}) };
    const jump = config.probe?.jumpHost;
    let result: Facts['gitlab'];
    if (jump) {
      // SSH to the jump host runs beside the local probe, not before it
      const label = `jump:${jump.username}@${jump.host}`;
      const ssh = connectSsh(jumpTarget!, { env, ...(opts.signal ? { signal: opts.signal } : {}) }).then(
        (client) => ({ client }),
        (err: Error) => ({ err }),
      );
      const vantage = ssh.then((r): JumpVantage =>
        'client' in r
          ? { tunnel: (h, p) => forward(r.client, h, p), label }
          : { unavailable: un('probe-failed', `jump host ${jump.host}: ${r.err.message}`, `ssh:${label}`) },
      );
      try {
        result = await collectGitlab(probeInput, { jump: vantage });
      } finally {
        const r = await ssh;
        if ('client' in r) r.client.end();
      }
    } else {
      result = await collectGitlab(probeInput);
    }
    progress({ type: 'step-finish', step: 'gitlab' });
    return { ...result!, addresses };
  })();

  // ---- round 1: find -----------------------------------------------------------------------------
  progress({ type: 'step-start', step: 'cloud', detail: 'round 1: instance, VPC, vSwitches, GitLab ENI/SLB, link, repository' });
  const gated = <T>(paths: string[], f: () => Promise<Fact<T>>): Promise<Fact<T>> => (want(...paths) ? f() : Promise.resolve(unselected<T>()));
  const [acrInstance, vpc, linkVSwitch, vSwitches, enis, loadBalancersRaw, vbr, managedGroupsRaw, managedEnis, repository] = await Promise.all([
    gated(['cloud.acrInstance'], async (): Promise<Fact<AcrInstance>> => {
      const f = await fact('cr', 'GetInstance', async () => normInstance(await call('cr', 'GetInstance', { InstanceId: config.acr.instanceId }), config.acr.instanceId));
      return f;
    }),
    gated(['cloud.vpc'], () => fact('vpc', 'DescribeVpcAttribute', async (): Promise<Vpc> => {
      const b = await call('vpc', 'DescribeVpcAttribute', { VpcId: config.vpc.vpcId });
      if (!b.VpcId && !b.CidrBlock) throw Object.assign(new Error(`VPC ${config.vpc.vpcId} not found`), { code: 'InvalidVpcId.NotFound' });
      return {
        vpcId: String(b.VpcId ?? config.vpc.vpcId),
        cidrBlock: String(b.CidrBlock ?? ''),
        secondaryCidrBlocks: list(b, 'SecondaryCidrBlocks', 'SecondaryCidrBlock').map(String),
        userCidrs: list(b, 'UserCidrs', 'UserCidr').map(String),
        ...(str(b.Status) ? { status: str(b.Status) } : {}),
      };
    })),
    fact('vpc', 'DescribeVSwitchAttributes', async (): Promise<VSwitch> => {
      const b = await call('vpc', 'DescribeVSwitchAttributes', { VSwitchId: config.vpc.vSwitchId });
      if (!b.VSwitchId) throw Object.assign(new Error(`vSwitch ${config.vpc.vSwitchId} not found`), { code: 'InvalidVSwitchId.NotFound' });
      return normVSwitch(b);
    }),
    fact('vpc', 'DescribeVSwitches', async () => (await pagedNumber('vpc', 'DescribeVSwitches', { VpcId: config.vpc.vpcId }, (b) => list(b, 'VSwitches', 'VSwitch'))).map(normVSwitch)),
    address
      ? fact('ecs', 'DescribeInstances', async (): Promise<Eni[]> => {
          // DescribeInstances matches an instance's primary address; DescribeNetworkInterfaces matches
          // secondary addresses (PrivateIpAddress.N) and the primary address of any ENI, secondary
          // ENIs included (PrimaryIpAddress). All three run in parallel, each a single page.
          const nicPick = (b: Record<string, any>) => list(b, 'NetworkInterfaceSets', 'NetworkInterfaceSet');
          const [insts, bySecondary, byPrimary] = await Promise.all([
            pagedToken('ecs', 'DescribeInstances', { VpcId: config.vpc.vpcId, InstanceNetworkType: 'vpc', PrivateIpAddresses: JSON.stringify([address]) }, (b) => list(b, 'Instances', 'Instance')),
            pagedToken('ecs', 'DescribeNetworkInterfaces', { VpcId: config.vpc.vpcId, 'PrivateIpAddress.1': address }, nicPick, 'MaxResults', 100),
            pagedToken('ecs', 'DescribeNetworkInterfaces', { VpcId: config.vpc.vpcId, PrimaryIpAddress: address }, nicPick, 'MaxResults', 100),
          ]);
          const nics = [...byPrimary, ...bySecondary].filter((n, i, all) => !n.NetworkInterfaceId || all.findIndex((m) => m.NetworkInterfaceId === n.NetworkInterfaceId) === i);
          const out: Eni[] = [];
          for (const n of nics) {
            const ips = [str(n.PrivateIpAddress), ...list(n, 'PrivateIpSets', 'PrivateIpSet').map((p: any) => str(p.PrivateIpAddress))].filter((x): x is string => Boolean(x));
            if (!ips.includes(address)) continue;
            out.push({
              ...(str(n.NetworkInterfaceId) ? { networkInterfaceId: str(n.NetworkInterfaceId) } : {}),
              ...(str(n.InstanceId) ? { instanceId: str(n.InstanceId) } : {}),
              vpcId: String(n.VpcId ?? config.vpc.vpcId),
              vSwitchId: String(n.VSwitchId ?? ''),
              ...(str(n.ZoneId) ? { zoneId: str(n.ZoneId) } : {}),
              privateIpAddresses: [...new Set(ips)],
              securityGroupIds: list(n, 'SecurityGroupIds', 'SecurityGroupId').map(String),
              ...(n.ServiceManaged !== undefined ? { serviceManaged: n.ServiceManaged === true || n.ServiceManaged === 'true' } : {}),
            });
          }
          for (const i of insts) {
            const ips = list(i.VpcAttributes ?? {}, 'PrivateIpAddress', 'IpAddress').map(String);
            if (!ips.includes(address)) continue;
            const primary = list(i, 'NetworkInterfaces', 'NetworkInterface').find((x: any) => String(x.Type ?? 'Primary') === 'Primary');
            const id = str(primary?.NetworkInterfaceId);
            if (id && out.some((e) => e.networkInterfaceId === id)) continue;
            out.push({
              ...(id ? { networkInterfaceId: id } : {}),
              instanceId: String(i.InstanceId),
              vpcId: String(i.VpcAttributes?.VpcId ?? config.vpc.vpcId),
              vSwitchId: String(i.VpcAttributes?.VSwitchId ?? ''),
              ...(str(i.ZoneId) ? { zoneId: str(i.ZoneId) } : {}),
              privateIpAddresses: ips,
              securityGroupIds: list(i, 'SecurityGroupIds', 'SecurityGroupId').map(String),
            });
          }
          return out;
        })
      : Promise.resolve(noAddress('ecs:DescribeInstances') as Fact<Eni[]>),
    address
      ? fact('slb', 'DescribeLoadBalancers', async () => (await pagedNumber('slb', 'DescribeLoadBalancers', { Address: address }, (b) => list(b, 'LoadBalancers', 'LoadBalancer'), 50)).filter((l: any) => String(l.Address) === address))
      : Promise.resolve(noAddress('slb:DescribeLoadBalancers') as Fact<any[]>),
    config.datacenter?.vbrId && !want('cloud.vbr', 'cloud.vbrRouteEntries', 'cloud.bgpPeers', 'cloud.bgpNetworks')
      ? Promise.resolve(unselected<Vbr>())
      : config.datacenter?.vbrId
      ? fact('vpc', 'DescribeVirtualBorderRouters', async (): Promise<Vbr> => {
          const b = await call('vpc', 'DescribeVirtualBorderRouters', { 'Filter.1.Key': 'VbrId', 'Filter.1.Value.1': config.datacenter!.vbrId, PageSize: 50 });
          const v = list(b, 'VirtualBorderRouterSet', 'VirtualBorderRouterType').find((x: any) => x.VbrId === config.datacenter!.vbrId);
          if (!v) {
            // a typo: name the region's VBRs nearest to the configured id (one more read, only on this path)
            const all = await pagedNumber('vpc', 'DescribeVirtualBorderRouters', {}, (x) => list(x, 'VirtualBorderRouterSet', 'VirtualBorderRouterType'), 50).catch(() => undefined);
            const ids = all?.map((x: any) => String(x.VbrId)) ?? [];
            const near = all ? (ids.length ? `; nearest existing: ${closest(config.datacenter!.vbrId!, ids).join(', ')}` : `; ${region} has no VBR`) : '';
            throw Object.assign(new Error(`VBR ${config.datacenter!.vbrId} does not exist in ${region}${near}`), { code: 'InvalidVbrId.NotFound' });
          }
          return {
            vbrId: String(v.VbrId),
            status: String(v.Status ?? 'unknown'),
            ...(str(v.RouteTableId) ? { routeTableId: str(v.RouteTableId) } : {}),
            ...(str(v.VlanInterfaceId) ? { vlanInterfaceId: str(v.VlanInterfaceId) } : {}),
            ...(str(v.PhysicalConnectionId) ? { physicalConnectionId: str(v.PhysicalConnectionId) } : {}),
            ...(str(v.LocalGatewayIp) ? { localGatewayIp: str(v.LocalGatewayIp) } : {}),
            ...(str(v.PeerGatewayIp) ? { peerGatewayIp: str(v.PeerGatewayIp) } : {}),
          };
        })
      : Promise.resolve(
          config.datacenter
            ? (un('not-configured', 'datacenter.vbrId is not set', 'config', { hint: 'set datacenter.vbrId to check the VBR return route' }) as Fact<Vbr>)
            : (un('not-applicable', 'no datacenter configured', 'config') as Fact<Vbr>),
        ),
    gated(['cloud.managedSecurityGroups'], () => fact('ecs', 'DescribeSecurityGroups', async () => pagedToken('ecs', 'DescribeSecurityGroups', { VpcId: config.vpc.vpcId, ServiceManaged: true }, (b) => list(b, 'SecurityGroups', 'SecurityGroup')))),
    gated(['cloud.managedEnis'], () => fact('ecs', 'DescribeNetworkInterfaces', async (): Promise<Eni[]> =>
      (await pagedToken('ecs', 'DescribeNetworkInterfaces', { VSwitchId: config.vpc.vSwitchId, ServiceManaged: true }, (b) => list(b, 'NetworkInterfaceSets', 'NetworkInterfaceSet'))).map((n: any) => ({
        ...(str(n.NetworkInterfaceId) ? { networkInterfaceId: str(n.NetworkInterfaceId) } : {}),
        vpcId: String(n.VpcId ?? config.vpc.vpcId),
        vSwitchId: String(n.VSwitchId ?? config.vpc.vSwitchId),
        privateIpAddresses: [str(n.PrivateIpAddress)].filter((x): x is string => Boolean(x)),
        securityGroupIds: list(n, 'SecurityGroupIds', 'SecurityGroupId').map(String),
        serviceManaged: true,
      })))),
    !want('cloud.repository', 'cloud.sourceBinding')
      ? Promise.resolve(unselected<AcrRepository | null>())
      : config.acr.namespace && config.acr.repository
      ? (async (): Promise<Fact<AcrRepository | null>> => {
          try {
            const b = await call('cr', 'GetRepository', { InstanceId: config.acr.instanceId, RepoNamespaceName: config.acr.namespace, RepoName: config.acr.repository });
            return okF({ repoId: String(b.RepoId), repoName: String(b.RepoName ?? config.acr.repository), repoNamespaceName: String(b.RepoNamespaceName ?? config.acr.namespace) }, 'cr:GetRepository');
          } catch (err) {
            const code = (err as CloudCallError).code ?? '';
            if (/REPO_NOT_EXIST|NAMESPACE_NOT_EXIST/.test(code)) return okF(null, 'cr:GetRepository');
            return factFromError(err, 'cr:GetRepository');
          }
        })()
      : Promise.resolve(un('not-configured', 'acr.namespace/acr.repository are not set', 'config', { hint: 'set acr.namespace and acr.repository' }) as Fact<AcrRepository | null>),
  ]);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 1' });
  const regionVpcs = await regionVpcsIfMissing(vpc, linkVSwitch, pagedNumber);

  // Which path? ECS if an ENI holds the address, SLB if a load balancer has it, else IDC/unknown.
  const onEcs = enis.state === 'ok' && enis.value.length > 0;
  const onSlb = !onEcs && loadBalancersRaw.state === 'ok' && loadBalancersRaw.value.length > 0;
  const inDc = Boolean(address && config.datacenter?.cidrs.some((c) => containsAddress(c, address)));
  const notEcs = (source: string): Unavailable =>
    enis.state === 'unavailable' ? { ...enis, source } : un('not-applicable', `GitLab ${address ?? input.gitlab.host} is not on an ECS network interface in ${config.vpc.vpcId}`, source);

  // ---- SSH reads (start now that the path is known) ---------------------------------------------
  const sshReads = (async (): Promise<Facts['hosts']> => {
    let gitlabHost: Facts['hosts']['gitlabHost'];
    const gh = config.probe?.gitlabHost;
    if (!want('hosts.gitlabHost')) gitlabHost = unselected();
    else if (!gh) gitlabHost = un('not-configured', 'probe.gitlabHost is not set', 'config', { hint: 'set probe.gitlabHost.ssh to read routes and firewall rules on the GitLab host' });
    else if (opts.noProbes) gitlabHost = un('not-configured', 'live probes are off (--no-probes)', 'config', { code: PROBES_DISABLED, hint: 'run without --no-probes' });
    else {
      progress({ type: 'step-start', step: 'ssh-gitlab-host', detail: gh.ssh.host });
      gitlabHost = await readGitlabHost(gitlabHostTarget!, { env, sudo: gh.sudo === true, signal: opts.signal });
      progress({ type: 'step-finish', step: 'ssh-gitlab-host' });
    }
    let idcRouter: Facts['hosts']['idcRouter'];
    const router = config.datacenter?.router;
    if (!config.datacenter) idcRouter = un('not-applicable', 'no datacenter configured', 'config');
    else if (!want('hosts.idcRouter')) idcRouter = unselected();
    else if (!router) idcRouter = un('not-configured', 'datacenter.router is not set', 'config', { hint: 'set datacenter.router.ssh to read the IDC router' });
    else if (opts.noProbes) idcRouter = un('not-configured', 'live probes are off (--no-probes)', 'config', { code: PROBES_DISABLED, hint: 'run without --no-probes' });
    else if (!inDc && (onEcs || onSlb)) idcRouter = un('not-applicable', 'GitLab is not in the data center', 'config');
    else {
      progress({ type: 'step-start', step: 'ssh-idc-router', detail: router.ssh.host });
      idcRouter = await readIdcRouter(routerTarget!, router.flavor ?? 'linux', { env, signal: opts.signal });
      progress({ type: 'step-finish', step: 'ssh-idc-router' });
    }
    return { gitlabHost, idcRouter };
  })();

  // both run alongside the cloud rounds and are awaited at the end: a failure must wait for that
  // await (and surface as the one-line error it is), not crash the process as an unhandled rejection
  probes.catch(() => {});
  sshReads.catch(() => {});

  // ---- round 2: describe -----------------------------------------------------------------------
  progress({ type: 'step-start', step: 'cloud', detail: 'round 2: security groups, ACLs, SLB, VBR routes, binding' });
  const readNetworkAcl = async (id: string): Promise<NetworkAcl> => normNetworkAcl(await call('vpc', 'DescribeNetworkAclAttributes', { NetworkAclId: id }), id);
  const describeGroups = async (ids: string[], source: string): Promise<Fact<SecurityGroup[]>> => {
    if (!ids.length) return okF([], source);
    try {
      const [meta, ...attrs] = await Promise.all([
        pagedToken('ecs', 'DescribeSecurityGroups', { SecurityGroupIds: JSON.stringify(ids) }, (b) => list(b, 'SecurityGroups', 'SecurityGroup')),
        ...ids.map((id) => pagedToken('ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: id, Direction: 'all' }, (b) => [b], 'MaxResults', 1000)),
      ]);
      return okF(
        ids.map((id, i) => {
          const pages = attrs[i]!;
          const m = meta.find((g: any) => g.SecurityGroupId === id) ?? {};
          const first = pages[0] ?? {};
          return {
            securityGroupId: id,
            ...(str(m.SecurityGroupName ?? first.SecurityGroupName) ? { securityGroupName: str(m.SecurityGroupName ?? first.SecurityGroupName) } : {}),
            ...(str(m.VpcId ?? first.VpcId) ? { vpcId: str(m.VpcId ?? first.VpcId) } : {}),
            type: String(m.SecurityGroupType ?? 'normal') === 'enterprise' ? 'enterprise' : 'normal',
            ...(str(first.InnerAccessPolicy) ? { innerAccessPolicy: str(first.InnerAccessPolicy) } : {}),
            ...(m.ServiceManaged !== undefined ? { serviceManaged: m.ServiceManaged === true || m.ServiceManaged === 'true' } : {}),
            permissions: pages.flatMap((p: any) => list(p, 'Permissions', 'Permission')).map(normPermission),
          } satisfies SecurityGroup;
        }),
        source,
      );
    } catch (err) {
      return factFromError(err, source);
    }
  };
  const gitlabEni = onEcs ? (enis as { value: Eni[] }).value[0]! : undefined;
  const gitlabVSwitch: Fact<VSwitch> = gitlabEni
    ? vSwitches.state === 'ok' && vSwitches.value.some((v) => v.vSwitchId === gitlabEni.vSwitchId)
      ? okF(vSwitches.value.find((v) => v.vSwitchId === gitlabEni.vSwitchId)!, 'vpc:DescribeVSwitches')
      : linkVSwitch.state === 'ok' && linkVSwitch.value.vSwitchId === gitlabEni.vSwitchId
        ? linkVSwitch
        : vSwitches.state === 'unavailable'
          ? { ...vSwitches }
          : un('not-found', `vSwitch ${gitlabEni.vSwitchId} of the GitLab ENI is not in ${config.vpc.vpcId}`, 'vpc:DescribeVSwitches')
    : notEcs('vpc:DescribeVSwitches');

  const lbRaw = onSlb ? (loadBalancersRaw as { value: any[] }).value[0] : undefined;
  // GitLab on an ECS interface or behind an SLB: the VBR return-route rules do not apply (docs/alibaba-api.md),
  // so the VBR route table (the one list read whole, possibly thousands of entries) is not read
  const offIdcPath =
    onEcs || onSlb
      ? un('not-applicable', `GitLab ${address} is ${onEcs ? 'on an ECS network interface' : 'behind an SLB'}: the data-center return route is not on its path`, 'config')
      : undefined;
  const [gitlabSecurityGroups, gitlabNetworkAcl, slbParts, vbrRoutes, bgpPeers, bgpNetworks, managedSecurityGroups, sourceBinding] = await Promise.all([
    gitlabEni && !want('cloud.gitlabSecurityGroups', 'cloud.prefixLists') ? Promise.resolve(unselected<SecurityGroup[]>()) : gitlabEni ? describeGroups([...new Set(enis.state === 'ok' ? enis.value.flatMap((e) => e.securityGroupIds) : [])], 'ecs:DescribeSecurityGroupAttribute') : Promise.resolve(notEcs('ecs:DescribeSecurityGroupAttribute') as Fact<SecurityGroup[]>),
    gitlabVSwitch.state === 'ok' && !want('cloud.gitlabNetworkAcl')
      ? Promise.resolve(unselected<NetworkAcl | null>())
      : gitlabVSwitch.state === 'ok'
      ? gitlabVSwitch.value.networkAclId
        ? fact('vpc', 'DescribeNetworkAclAttributes', () => readNetworkAcl(gitlabVSwitch.value.networkAclId!))
        : Promise.resolve(okF(null, 'vpc:DescribeVSwitches') as Fact<NetworkAcl | null>)
      : Promise.resolve({ ...(gitlabVSwitch as Unavailable) } as Fact<NetworkAcl | null>),
    lbRaw
      ? (async () => {
          const id = String(lbRaw.LoadBalancerId);
          const [listeners, health] = await Promise.all([
            pagedToken('slb', 'DescribeLoadBalancerListeners', { 'LoadBalancerId.1': id }, (b) => list(b, 'Listeners', 'Listener')),
            call('slb', 'DescribeHealthStatus', { LoadBalancerId: id }).then((b) => list(b, 'BackendServers', 'BackendServer')),
          ]);
          return { id, listeners, health };
        })().then((v) => okF(v, 'slb:DescribeLoadBalancerListeners'), (err) => factFromError(err, 'slb:DescribeLoadBalancerListeners'))
      : Promise.resolve(undefined),
    offIdcPath
      ? Promise.resolve(offIdcPath as Fact<RouteEntry[]>)
      : vbr.state === 'ok' && vbr.value.routeTableId
      ? fact('vpc', 'DescribeRouteEntryList', async (): Promise<RouteEntry[]> =>
          (await pagedToken('vpc', 'DescribeRouteEntryList', { RouteTableId: vbr.value.routeTableId }, (b) => list(b, 'RouteEntrys', 'RouteEntry'), 'MaxResult', 100)).map((e: any) => ({
            ...(str(e.RouteEntryId) ? { routeEntryId: str(e.RouteEntryId) } : {}),
            destinationCidrBlock: String(e.DestinationCidrBlock ?? ''),
            status: String(e.Status ?? 'Available'),
            type: String(e.Type ?? 'Custom'),
            nextHops: list(e, 'NextHops', 'NextHop').map((h: any) => ({ nextHopType: String(h.NextHopType ?? ''), nextHopId: String(h.NextHopId ?? '') })),
          })))
      : Promise.resolve(vbr.state === 'ok' ? un('api-error', `VBR ${vbr.value.vbrId} has no route table id`, 'vpc:DescribeVirtualBorderRouters') : ({ ...(vbr as Unavailable) } as Fact<RouteEntry[]>)),
    offIdcPath
      ? Promise.resolve(offIdcPath as Fact<BgpPeer[]>)
      : vbr.state === 'ok'
      ? fact('vpc', 'DescribeBgpPeers', async (): Promise<BgpPeer[]> =>
          (await pagedNumber('vpc', 'DescribeBgpPeers', { RouterId: vbr.value.vbrId }, (b) => list(b, 'BgpPeers', 'BgpPeer'))).map((p: any) => ({
            bgpPeerId: String(p.BgpPeerId), routerId: String(p.RouterId ?? vbr.value.vbrId), bgpStatus: String(p.BgpStatus ?? 'Unknown'),
            ...(str(p.PeerIpAddress) ? { peerIpAddress: str(p.PeerIpAddress) } : {}), ...(str(p.PeerAsn) ? { peerAsn: str(p.PeerAsn) } : {}),
          })))
      : Promise.resolve({ ...(vbr as Unavailable) } as Fact<BgpPeer[]>),
    offIdcPath
      ? Promise.resolve(offIdcPath as Fact<BgpNetwork[]>)
      : vbr.state === 'ok'
      ? fact('vpc', 'DescribeBgpNetworks', async (): Promise<BgpNetwork[]> =>
          (await pagedNumber('vpc', 'DescribeBgpNetworks', { RouterId: vbr.value.vbrId }, (b) => list(b, 'BgpNetworks', 'BgpNetwork'))).map((n: any) => ({
            routerId: String(n.RouterId ?? vbr.value.vbrId), dstCidrBlock: String(n.DstCidrBlock ?? ''), ...(str(n.Status) ? { status: str(n.Status) } : {}),
          })))
      : Promise.resolve({ ...(vbr as Unavailable) } as Fact<BgpNetwork[]>),
    managedGroupsRaw.state === 'ok'
      ? describeGroups(managedGroupsRaw.value.map((g: any) => String(g.SecurityGroupId)), 'ecs:DescribeSecurityGroupAttribute').then((f) =>
          f.state === 'ok' ? okF(f.value.map((g) => ({ ...g, serviceManaged: true })), f.source) : f,
        )
      : Promise.resolve({ ...(managedGroupsRaw as Unavailable) } as Fact<SecurityGroup[]>),
    repository.state === 'ok' && repository.value
      ? (async (): Promise<Fact<SourceBinding | null>> => {
          try {
            const b = await call('cr', 'GetRepoSourceCodeRepo', { InstanceId: config.acr.instanceId, RepoId: repository.value!.repoId });
            return okF(normSourceBinding(b), 'cr:GetRepoSourceCodeRepo');
          } catch (err) {
            if (/NOT_EXIST|NotExist|NOT_BOUND/.test((err as CloudCallError).code ?? '')) return okF(null, 'cr:GetRepoSourceCodeRepo');
            return factFromError(err, 'cr:GetRepoSourceCodeRepo');
          }
        })()
      : Promise.resolve(repository.state === 'ok' ? (okF(null, 'cr:GetRepository') as Fact<SourceBinding | null>) : ({ ...(repository as Unavailable) } as Fact<SourceBinding | null>)),
  ]);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 2' });

  // ---- round 3: expand (prefix lists, SLB ACLs) --------------------------------------------------
  progress({ type: 'step-start', step: 'cloud', detail: 'round 3: prefix lists, SLB access control lists' });
  const plIds = gitlabSecurityGroups.state === 'ok' && want('cloud.prefixLists') ? [...new Set(gitlabSecurityGroups.value.flatMap((g) => g.permissions.map((p) => p.sourcePrefixListId).filter((x): x is string => Boolean(x))))] : [];
  const aclIds = slbParts && slbParts.state === 'ok' ? [...new Set(slbParts.value.listeners.filter((l: any) => String(l.AclStatus).toLowerCase() === 'on').flatMap(listenerAclIds))] : [];
  // SLB path: traffic an SLB forwards to ECS is filtered by the backend vSwitch's network ACL too.
  // Each backend: ServerId → DescribeInstances VpcAttributes.VSwitchId → DescribeVSwitchAttributes
  // NetworkAclId → DescribeNetworkAclAttributes (each vSwitch and ACL read once).
  const backendNetworks = async (): Promise<SlbBackendNetwork[]> => {
    const parts = (slbParts as { value: { health: any[] } }).value;
    const serverIds = [...new Set(parts.health.map((h: any) => String(h.ServerId ?? '')).filter(Boolean))];
    const instanceIds = serverIds.filter((id) => id.startsWith('i-'));
    const vswOf = new Map<string, string>();
    for (let i = 0; i < instanceIds.length; i += 100) {
      const chunk = instanceIds.slice(i, i + 100);
      const insts = await pagedToken('ecs', 'DescribeInstances', { InstanceIds: JSON.stringify(chunk) }, (b) => list(b, 'Instances', 'Instance'));
      for (const inst of insts) if (str(inst.VpcAttributes?.VSwitchId)) vswOf.set(String(inst.InstanceId), String(inst.VpcAttributes.VSwitchId));
    }
    const vswIds = [...new Set(vswOf.values())];
    const aclOfVsw = new Map<string, string | undefined>();
    await Promise.all(vswIds.map(async (id) => {
      const b = await call('vpc', 'DescribeVSwitchAttributes', { VSwitchId: id });
      aclOfVsw.set(id, str(b.NetworkAclId));
    }));
    const aclIds = [...new Set([...aclOfVsw.values()].filter((x): x is string => Boolean(x)))];
    const acls = new Map(await Promise.all(aclIds.map(async (id) => [id, await readNetworkAcl(id)] as const)));
    return serverIds.map((serverId) => {
      const vSwitchId = vswOf.get(serverId);
      if (!vSwitchId) return { serverId };
      const aclId = aclOfVsw.get(vSwitchId);
      return { serverId, vSwitchId, networkAcl: aclId ? acls.get(aclId)! : null };
    });
  };
  const [prefixLists, slbAcls, slbBackendNetworks] = await Promise.all([
    gitlabEni && !want('cloud.prefixLists')
      ? Promise.resolve(unselected<PrefixList[]>())
      : gitlabEni
      ? fact('ecs', 'DescribePrefixListAttributes', async (): Promise<PrefixList[]> =>
          Promise.all(plIds.map(async (id) => {
            const b = await call('ecs', 'DescribePrefixListAttributes', { PrefixListId: id });
            return { prefixListId: id, ...(str(b.PrefixListName) ? { prefixListName: str(b.PrefixListName) } : {}), addressFamily: String(b.AddressFamily ?? 'IPv4'), entries: list(b, 'Entries', 'Entry').map((e: any) => String(e.Cidr)) };
          })))
      : Promise.resolve(notEcs('ecs:DescribePrefixListAttributes') as Fact<PrefixList[]>),
    Promise.all(aclIds.map((id) =>
      fact('slb', 'DescribeAccessControlListAttribute', async (): Promise<SlbAcl> => {
        const entries = await pagedNumber('slb', 'DescribeAccessControlListAttribute', { AclId: id }, (b) => list(b, 'AclEntrys', 'AclEntry'), 50, 'Page', 'TotalAclEntry');
        return { aclId: id, entries: entries.map((e: any) => String(e.AclEntryIP)) };
      }),
    )),
    slbParts && slbParts.state === 'ok'
      ? fact('vpc', 'DescribeNetworkAclAttributes', backendNetworks)
      : Promise.resolve(
          slbParts
            ? ({ ...(slbParts as Unavailable) } as Fact<SlbBackendNetwork[]>)
            : (un('not-applicable', `GitLab ${address ?? input.gitlab.host} is not behind an SLB`, 'slb:DescribeHealthStatus') as Fact<SlbBackendNetwork[]>),
        ),
  ]);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 3' });

  let loadBalancers: Fact<LoadBalancer[]>;
  if (loadBalancersRaw.state === 'unavailable') loadBalancers = loadBalancersRaw;
  else if (!lbRaw) loadBalancers = okF([], 'slb:DescribeLoadBalancers');
  else if (slbParts && slbParts.state === 'unavailable') loadBalancers = slbParts;
  else if (slbAcls.some((a) => a.state === 'unavailable')) {
    // an ACL we cannot read leaves the listener undecided: say why (RAM action, timeout, ...)
    loadBalancers = slbAcls.find((a): a is Unavailable => a.state === 'unavailable')!;
  } else {
    const parts = (slbParts as { value: { id: string; listeners: any[]; health: any[] } }).value;
    const listeners: SlbListener[] = parts.listeners.map(normListener);
    const backends: SlbBackend[] = parts.health.map((h: any) => ({
      serverId: String(h.ServerId ?? ''),
      ...(str(h.ServerIp) ? { serverIp: str(h.ServerIp) } : {}),
      ...(h.Port !== undefined ? { port: Number(h.Port) } : {}),
      ...(h.ListenerPort !== undefined ? { listenerPort: Number(h.ListenerPort) } : {}),
      healthStatus: String(h.ServerHealthStatus ?? 'unavailable').toLowerCase(),
    }));
    loadBalancers = okF([{
      loadBalancerId: parts.id,
      address: String(lbRaw.Address),
      addressType: String(lbRaw.AddressType ?? 'intranet'),
      ...(str(lbRaw.VpcId) ? { vpcId: str(lbRaw.VpcId) } : {}),
      ...(str(lbRaw.VSwitchId) ? { vSwitchId: str(lbRaw.VSwitchId) } : {}),
      ...(str(lbRaw.LoadBalancerStatus) ? { status: str(lbRaw.LoadBalancerStatus) } : {}),
      listeners,
      acls: slbAcls.flatMap((a) => (a.state === 'ok' ? [a.value] : [])),
      backends,
    }], 'slb:DescribeLoadBalancers');
  }

  const [gitlab, hosts] = await Promise.all([probes, sshReads]);
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    collectedAt: now(),
    input,
    cloud: {
      acrInstance,
      vpc,
      linkVSwitch,
      vSwitches,
      ...(regionVpcs ? { regionVpcs } : {}),
      gitlabEnis: enis,
      gitlabSecurityGroups,
      prefixLists,
      gitlabVSwitch,
      gitlabNetworkAcl,
      loadBalancers,
      slbBackendNetworks,
      vbr,
      vbrRouteEntries: vbrRoutes,
      bgpPeers,
      bgpNetworks,
      managedSecurityGroups,
      managedEnis,
      repository,
      sourceBinding,
    },
    gitlab: { ...gitlab, addresses },
    hosts,
  };
}
