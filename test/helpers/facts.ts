// The one builder of complete, valid Facts snapshots for tests (a lint test keeps it the only one).
// Each starts from a healthy, self-consistent world for its access path (ECS, SLB, data center); a
// test changes only what it is about, with deep-partial overrides, a mutator, or both, applied in
// order: makeFacts({ cloud: { vpc: ok(...) } }, (f) => { ... }). In overrides, a Fact (an object with
// `state`), an array or a scalar replaces what is there; a plain object is merged key by key; an
// `undefined` value removes the key.
import type {
  Available, Facts, LoadBalancer, NetworkAcl, SecurityGroup, SgPermission, Unavailable, UnavailableReason,
} from '../../src/facts/types.js';
import type { ZoneTable } from '../../src/engine/types.js';

export const AT = '2026-11-28T12:00:00.000Z';
export const NOW = new Date('2026-11-28T12:00:00Z');
/** The zone table tests judge with when they do not test the shipped one: the world's zone supports builds. */
export const ZONES: ZoneTable = { source: 'test', retrieved: '2026-11-01', regions: { 'cn-hangzhou': { zones: ['cn-hangzhou-h'] } } };

export function ok<T>(value: T, source = 'test'): Available<T> {
  return { state: 'ok', value, source, at: AT };
}

export function unavailable(reason: UnavailableReason, message: string = reason, extra: Partial<Unavailable> = {}): Unavailable {
  return { state: 'unavailable', reason, message, source: 'test', at: AT, ...extra };
}

export function perm(p: Partial<SgPermission> & Pick<SgPermission, 'policy'>): SgPermission {
  return { direction: 'ingress', priority: 1, ipProtocol: 'TCP', portRange: '443/443', ...p };
}

export function group(id: string, permissions: SgPermission[], extra: Partial<SecurityGroup> = {}): SecurityGroup {
  return { securityGroupId: id, vpcId: 'vpc-test', type: 'normal', innerAccessPolicy: 'Accept', permissions, ...extra };
}

export const GITLAB_IP = '192.168.1.10';

export function managedGroup(ip: string) {
  return group('sg-acr-managed', [
    { direction: 'egress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: '1/65535', destCidrIp: `${ip}/32` },
  ], { serviceManaged: true, type: 'enterprise' });
}

function base(): Facts {
  return {
    schemaVersion: 1,
    tool: { name: 'acr-vpc-preflight', version: '0.0.0-test' },
    collectedAt: AT,
    input: {
      region: 'cn-hangzhou',
      acr: { instanceId: 'cri-test', namespace: 'team', repository: 'app' },
      vpc: { vpcId: 'vpc-test', vSwitchId: 'vsw-link' },
      gitlab: {
        endpoint: `https://${GITLAB_IP}`,
        host: GITLAB_IP,
        port: 443,
        scheme: 'https',
        username: 'builder',
        project: 'group/app',
      },
      extraEndpoints: [],
      jumpHostConfigured: false,
      gitlabHostConfigured: false,
    },
    cloud: {
      acrInstance: ok({ instanceId: 'cri-test', instanceName: 'test', status: 'RUNNING', specification: 'Enterprise_Basic' }, 'cr:GetInstance'),
      vpc: ok({ vpcId: 'vpc-test', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: [], userCidrs: [], status: 'Available' }, 'vpc:DescribeVpcAttribute'),
      linkVSwitch: ok({ vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.2.0/24' }, 'vpc:DescribeVSwitchAttributes'),
      vSwitches: ok([
        { vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.2.0/24' },
        { vSwitchId: 'vsw-gitlab', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.1.0/24' },
      ], 'vpc:DescribeVSwitches'),
      gitlabEnis: ok([
        { networkInterfaceId: 'eni-gitlab', instanceId: 'i-gitlab', vpcId: 'vpc-test', vSwitchId: 'vsw-gitlab', zoneId: 'cn-hangzhou-h', privateIpAddresses: [GITLAB_IP], securityGroupIds: ['sg-gitlab'] },
      ], 'ecs:DescribeInstances'),
      gitlabSecurityGroups: ok([
        group('sg-gitlab', [perm({ ruleId: 'sgr-acr', policy: 'accept', sourceCidrIp: '100.104.0.0/16' })]),
      ], 'ecs:DescribeSecurityGroupAttribute'),
      prefixLists: ok([], 'ecs:DescribePrefixListAttributes'),
      gitlabVSwitch: ok({ vSwitchId: 'vsw-gitlab', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.1.0/24' }, 'vpc:DescribeVSwitchAttributes'),
      gitlabNetworkAcl: ok(null, 'vpc:DescribeVSwitchAttributes'),
      loadBalancers: ok([], 'slb:DescribeLoadBalancers'),
      slbBackendNetworks: unavailable('not-applicable', 'GitLab is not behind an SLB'),
      vbr: unavailable('not-applicable', 'no datacenter.vbrId configured'),
      vbrRouteEntries: unavailable('not-applicable', 'no datacenter.vbrId configured'),
      bgpPeers: unavailable('not-applicable', 'no datacenter.vbrId configured'),
      bgpNetworks: unavailable('not-applicable', 'no datacenter.vbrId configured'),
      managedSecurityGroups: ok([
        group('sg-acr-managed', [
          { direction: 'egress', policy: 'accept', priority: 1, ipProtocol: 'TCP', portRange: '1/65535', destCidrIp: `${GITLAB_IP}/32` },
        ], { serviceManaged: true, type: 'enterprise' }),
      ], 'ecs:DescribeSecurityGroups'),
      managedEnis: ok([
        { networkInterfaceId: 'eni-acr', vpcId: 'vpc-test', vSwitchId: 'vsw-link', privateIpAddresses: ['192.168.2.50'], securityGroupIds: ['sg-acr-managed'], serviceManaged: true },
      ], 'ecs:DescribeNetworkInterfaces'),
      repository: ok({ repoId: 'crr-app', repoName: 'app', repoNamespaceName: 'team' }, 'cr:GetRepository'),
      sourceBinding: ok({ codeRepoType: 'GITLAB', codeRepoNamespaceName: 'group', codeRepoName: 'app', overseaBuild: false, autoBuild: false }, 'cr:GetRepoSourceCodeRepo'),
    },
    gitlab: {
      addresses: ok([GITLAB_IP], 'dns'),
      probeLocal: ok({
        vantage: 'local', url: `https://${GITLAB_IP}/api/v4/version`, dialed: '127.0.0.1:8443', outcome: 'connected', httpStatus: 200,
        gitlabVersion: '16.11.2', timing: { connectMs: 1, tlsMs: 3, firstByteMs: 5, totalMs: 6 },
      }, 'gitlab:GET /api/v4/version'),
      probeJump: unavailable('not-configured', 'probe.jumpHost is not set', { hint: 'set probe.jumpHost to probe from inside the VPC' }),
      tls: ok({
        protocol: 'TLSv1.3', subject: `CN=${GITLAB_IP}`, issuer: 'CN=Test Root CA', subjectAltNames: [`IP Address:${GITLAB_IP}`],
        validFrom: '2026-01-01T00:00:00.000Z', validTo: '2027-11-01T00:00:00.000Z', fingerprint256: 'AA:BB', authorized: true,
        hostnameMatches: true, caFileUsed: true,
      }, 'tls'),
      token: ok({ httpStatus: 200, name: 'acr', scopes: ['api'], active: true, revoked: false, expiresAt: '2027-06-01', userId: 7 }, 'gitlab:GET /api/v4/personal_access_tokens/self'),
      user: ok({ httpStatus: 200, username: 'builder', id: 7, state: 'active' }, 'gitlab:GET /api/v4/user'),
      project: ok({ httpStatus: 200, pathWithNamespace: 'group/app', httpUrlToRepo: `https://${GITLAB_IP}/group/app.git`, defaultBranch: 'main', visibility: 'private' }, 'gitlab:GET /api/v4/projects/:id'),
      gitDiscovery: ok({ httpStatus: 200, contentType: 'application/x-git-upload-pack-advertisement', smart: true, refs: 2 }, 'gitlab:GET info/refs'),
    },
    hosts: {
      gitlabHost: unavailable('not-configured', 'probe.gitlabHost is not set', { hint: 'set probe.gitlabHost.ssh to read routes on the GitLab host' }),
      idcRouter: unavailable('not-applicable', 'GitLab is not in a data center'),
    },
  };
}

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends { state: string } ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type FactsOverrides = DeepPartial<Facts>;
/** A change to a base snapshot: deep-partial overrides or a mutator. */
export type FactsEdit = FactsOverrides | ((f: Facts) => void);

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mergeInto(target: Record<string, unknown>, over: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete target[k];
    else if (isPlain(v) && !('state' in v) && isPlain(target[k])) mergeInto(target[k] as Record<string, unknown>, v);
    else target[k] = structuredClone(v);
  }
}

function edited(f: Facts, edits: FactsEdit[]): Facts {
  for (const e of edits) {
    if (typeof e === 'function') e(f);
    else mergeInto(f as unknown as Record<string, unknown>, e as Record<string, unknown>);
  }
  return f;
}

/** Healthy ECS path: GitLab on an ECS instance in the VPC, behind security group sg-gitlab. */
export function makeFacts(...edits: FactsEdit[]): Facts {
  return edited(base(), edits);
}

export const SLB_IP = '192.168.1.100';

export function healthyLoadBalancer(extra: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    loadBalancerId: 'lb-gitlab', address: SLB_IP, addressType: 'intranet', vpcId: 'vpc-test', vSwitchId: 'vsw-gitlab', status: 'active',
    listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'off' }],
    acls: [],
    backends: [{ serverId: 'i-gitlab', serverIp: GITLAB_IP, port: 443, listenerPort: 443, healthStatus: 'normal' }],
    ...extra,
  };
}

/** Healthy SLB path: GitLab's endpoint is an intranet SLB address. */
export function makeSlbFacts(...edits: FactsEdit[]): Facts {
  const f = base();
  f.input.gitlab.endpoint = `https://${SLB_IP}`;
  f.input.gitlab.host = SLB_IP;
  f.gitlab.addresses = ok([SLB_IP], 'dns');
  f.cloud.gitlabEnis = ok([], 'ecs:DescribeInstances');
  f.cloud.gitlabSecurityGroups = unavailable('not-applicable', 'GitLab is behind an SLB');
  f.cloud.gitlabNetworkAcl = unavailable('not-applicable', 'GitLab is behind an SLB');
  f.cloud.gitlabVSwitch = unavailable('not-applicable', 'GitLab is behind an SLB');
  f.cloud.loadBalancers = ok([healthyLoadBalancer()], 'slb:DescribeLoadBalancers');
  f.cloud.slbBackendNetworks = ok([{ serverId: 'i-gitlab', vSwitchId: 'vsw-gitlab', networkAcl: null }], 'vpc:DescribeNetworkAclAttributes');
  f.gitlab.project = ok({ ...(f.gitlab.project as Available<any>).value, httpUrlToRepo: `https://${SLB_IP}/group/app.git` });
  f.cloud.managedSecurityGroups = ok([managedGroup(SLB_IP)]);
  return edited(f, edits);
}

export const IDC_IP = '10.20.1.10';

/** Healthy data-center path: GitLab in 10.20.0.0/16 behind VBR vbr-test. */
export function makeIdcFacts(...edits: FactsEdit[]): Facts {
  const f = base();
  f.input.gitlab.endpoint = `https://${IDC_IP}`;
  f.input.gitlab.host = IDC_IP;
  f.input.datacenter = { cidrs: ['10.20.0.0/16', '10.30.0.0/16'], vbrId: 'vbr-test', routerConfigured: false };
  f.gitlab.addresses = ok([IDC_IP], 'dns');
  f.cloud.gitlabEnis = ok([], 'ecs:DescribeInstances');
  f.cloud.loadBalancers = ok([], 'slb:DescribeLoadBalancers');
  f.cloud.gitlabSecurityGroups = unavailable('not-applicable', 'GitLab is in the data center');
  f.cloud.gitlabNetworkAcl = unavailable('not-applicable', 'GitLab is in the data center');
  f.cloud.gitlabVSwitch = unavailable('not-applicable', 'GitLab is in the data center');
  f.cloud.vbr = ok({ vbrId: 'vbr-test', status: 'active', routeTableId: 'vtb-vbr', vlanInterfaceId: 'ri-vbr-vlan', localGatewayIp: '10.0.0.1', peerGatewayIp: '10.0.0.2' }, 'vpc:DescribeVirtualBorderRouters');
  f.cloud.vbrRouteEntries = ok([
    { destinationCidrBlock: '10.20.0.0/16', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] },
    { destinationCidrBlock: '100.104.0.0/16', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'RouterInterface', nextHopId: 'ri-to-vpc' }] },
  ], 'vpc:DescribeRouteEntryList');
  f.cloud.bgpPeers = ok([{ bgpPeerId: 'bgp-1', routerId: 'vbr-test', bgpStatus: 'Established', peerIpAddress: '10.0.0.2' }], 'vpc:DescribeBgpPeers');
  f.cloud.bgpNetworks = ok([{ routerId: 'vbr-test', dstCidrBlock: '100.104.0.0/16', status: 'Enabled' }], 'vpc:DescribeBgpNetworks');
  f.gitlab.project = ok({ ...(f.gitlab.project as Available<any>).value, httpUrlToRepo: `https://${IDC_IP}/group/app.git` });
  f.cloud.managedSecurityGroups = ok([managedGroup(IDC_IP)]);
  f.hosts.idcRouter = unavailable('not-configured', 'datacenter.router is not set', { hint: 'set datacenter.router.ssh to read the IDC router' });
  return edited(f, edits);
}

export function acl(ingress: NetworkAcl['ingress'], egress: NetworkAcl['egress']): NetworkAcl {
  return { networkAclId: 'nacl-gitlab', vpcId: 'vpc-test', status: 'Available', ingress, egress };
}
