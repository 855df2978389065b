// The fact model as one schema: everything the rules read. Collectors (src/facts/collect*.ts) fill
// it from the cloud APIs, GitLab probes and SSH reads; `analyze` loads it back from a bundle, which
// people edit, truncate and hand around, and checks it against this schema. The types
// (src/facts/types.ts) are inferred from it, so the two cannot drift. Rules never do I/O.
//
// Every value a rule reads is checked for its type and, where the rule computes with it, its form
// (CIDRs, priorities, closed vocabularies), so a broken bundle is one line naming the path, never a
// crashed rule or a verdict on a value that means nothing. Unknown extra fields are allowed (a newer
// version may add some). Every fact says where it came from and when, or why it is unavailable. A
// snapshot is plain JSON: JSON.parse(JSON.stringify(snapshot)) deep-equals the snapshot (tested).
// Size: the whole fact model in one file on purpose: it is the contract between the collectors, the
// rules and the bundles.
import ipaddr from 'ipaddr.js';
import '../util/zod-mode.js';
import * as z from 'zod';
import { isCidr } from '../net/cidr.js';
import { FIELD_META, firstProblemLine } from '../util/issues.js';

const str = z.string();
const opt = <T extends z.ZodType>(t: T) => t.optional();
/** IPv4 CIDR or address (what the cloud APIs give for VPC, vSwitch and security-group rules) */
const v4cidr = z.string().refine(isCidr, 'expected an IPv4 CIDR like 192.168.0.0/16');
/** IPv4 or IPv6 CIDR (route tables, network ACL entries and prefix lists may hold IPv6) */
const anyCidr = z.string().refine((s) => isCidr(s) || (s.includes(':') && (ipaddr.IPv6.isValidCIDR(s) || ipaddr.IPv6.isValid(s))), 'expected an IPv4 or IPv6 CIDR');
const portRange = z.string().regex(/^-?\d+\/-?\d+$/, 'expected start/end, e.g. 443/443 or -1/-1');

/** Why a fact could not be had. `not-configured` and `not-applicable` make rules skip; others make them error. */
const unavailableReason = z.enum([
  'not-configured', // the optional input that enables this fact is not in the config (rule -> skip + hint)
  'not-applicable', // the access path does not need this fact (rule -> skip)
  'forbidden', // RAM denied the call; `ramAction` names the action to grant
  'not-found', // the resource the config names does not exist
  'timeout',
  'api-error', // the API answered an error (code in `code`) or an answer we could not read
  'probe-failed', // a live probe could not run at all (not the same as a probe that ran and failed)
  'error',
]);
export type UnavailableReason = z.output<typeof unavailableReason>;

const provenance = z.object({
  /** e.g. "ecs:DescribeSecurityGroupAttribute", "gitlab:GET /api/v4/version", "ssh:gitlab-host", "config" */
  source: str,
  /** ISO-8601 time the fact was observed */
  at: str,
});
export type Provenance = z.output<typeof provenance>;

const unavailable = z.object({
  state: z.literal('unavailable'),
  reason: unavailableReason,
  message: str,
  /** RAM action to grant, e.g. "ecs:DescribeSecurityGroupAttribute" (reason forbidden) */
  ramAction: opt(str),
  /** API error code, e.g. "Forbidden.RAM", "InvalidVpcId.NotFound" */
  code: opt(str),
  /** for not-configured: how to enable, e.g. "set probe.gitlabHost.ssh in preflight.yaml" */
  hint: opt(str),
  ...provenance.shape,
});
export type Unavailable = z.output<typeof unavailable>;

export type Available<T> = Provenance & { state: 'ok'; value: T };
export type Fact<T> = Available<T> | Unavailable;

/** A fact of `value`: either that value with its provenance, or why it is unavailable. */
const fact = <T extends z.ZodType>(value: T) => z.discriminatedUnion('state', [z.object({ state: z.literal('ok'), value, ...provenance.shape }), unavailable]);
// the schema's fact and Fact<T> are one type (a compile error here if they drift apart)
const sameFact: [z.output<ReturnType<typeof fact<z.ZodString>>>, Fact<string>] extends [Fact<string>, z.output<ReturnType<typeof fact<z.ZodString>>>] ? true : never = true;
void sameFact;

// ---------------------------------------------------------------------------------------------
// Cloud resources. Field names are camelCase, values the API's, normalised by the collector
// (Policy "Accept" -> "accept", Priority as a number, etc.).

const acrInstance = z.object({
  instanceId: str,
  instanceName: opt(str),
  /** InstanceStatus: RUNNING, STARTING, ... */
  status: str,
  /** Enterprise_Basic | Enterprise_Standard | Enterprise_Advanced */
  specification: opt(str),
});
export type AcrInstance = z.output<typeof acrInstance>;

const vpc = z.object({ vpcId: str, cidrBlock: v4cidr, secondaryCidrBlocks: z.array(v4cidr), userCidrs: z.array(v4cidr), status: opt(str) });
export type Vpc = z.output<typeof vpc>;

/** A VPC of the region and its vSwitch ids (DescribeVpcs), read only to name the ids nearest to a typo. */
const regionVpc = z.object({ vpcId: str, vSwitchIds: z.array(str) });
export type RegionVpc = z.output<typeof regionVpc>;

const vSwitch = z.object({
  vSwitchId: str,
  vpcId: str,
  zoneId: str,
  cidrBlock: v4cidr,
  /** empty/absent = no ACL bound */
  networkAclId: opt(str),
  status: opt(str),
});
export type VSwitch = z.output<typeof vSwitch>;

/** An elastic network interface (primary ENI of an instance, or a secondary/managed one). */
const eni = z.object({
  networkInterfaceId: opt(str),
  instanceId: opt(str),
  vpcId: str,
  vSwitchId: str,
  zoneId: opt(str),
  privateIpAddresses: z.array(str),
  securityGroupIds: z.array(str),
  serviceManaged: opt(z.boolean()),
  status: opt(str),
});
export type Eni = z.output<typeof eni>;

const securityGroupType = z.enum(['normal', 'enterprise']);
export type SecurityGroupType = z.output<typeof securityGroupType>;

const sgPermission = z.object({
  /** SecurityGroupRuleId */
  ruleId: opt(str),
  direction: z.enum(['ingress', 'egress']),
  /** normalised to lower case */
  policy: z.enum(['accept', 'drop']),
  /** 1..100, lower wins */
  priority: z.number().int().min(1).max(100),
  /** upper-cased as sent: TCP, UDP, ICMP, GRE, ALL, or a number "6" */
  ipProtocol: str,
  /** "443/443", "-1/-1" */
  portRange: z.union([portRange, z.literal('')]),
  /** the ports come from a port list (PortRangeListId) instead of PortRange */
  portRangeListId: opt(str),
  /** quintuple rule: only these source ports match (ingress) */
  sourcePortRange: opt(portRange),
  sourceCidrIp: opt(v4cidr),
  sourcePrefixListId: opt(str),
  sourceGroupId: opt(str),
  destCidrIp: opt(v4cidr),
  destPrefixListId: opt(str),
  destGroupId: opt(str),
  description: opt(str),
});
export type SgPermission = z.output<typeof sgPermission>;

const securityGroup = z.object({
  securityGroupId: str,
  securityGroupName: opt(str),
  vpcId: opt(str),
  type: securityGroupType,
  /** Accept | Drop */
  innerAccessPolicy: opt(str),
  serviceManaged: opt(z.boolean()),
  /** ingress and egress permissions, all pages */
  permissions: z.array(sgPermission),
});
export type SecurityGroup = z.output<typeof securityGroup>;

const prefixList = z.object({
  prefixListId: str,
  prefixListName: opt(str),
  /** IPv4 | IPv6 */
  addressFamily: str,
  /** CIDRs */
  entries: z.array(anyCidr),
});
export type PrefixList = z.output<typeof prefixList>;

const naclEntry = z.object({
  entryId: opt(str),
  name: opt(str),
  policy: z.enum(['accept', 'drop']),
  /** tcp | udp | icmp | gre | all (lower case) */
  protocol: str,
  /** "443/443", "-1/-1" (destination port) */
  port: portRange,
  /** SourceCidrIp for ingress, DestinationCidrIp for egress */
  cidr: z.union([anyCidr, z.literal('')]),
  /** custom | system */
  entryType: opt(str),
});
export type NaclEntry = z.output<typeof naclEntry>;

const networkAcl = z.object({
  networkAclId: str,
  vpcId: opt(str),
  status: opt(str),
  /** in evaluation order (first match wins) */
  ingress: z.array(naclEntry),
  egress: z.array(naclEntry),
});
export type NetworkAcl = z.output<typeof networkAcl>;

const slbListener = z.object({
  listenerPort: z.number().int().min(1).max(65535),
  /** tcp | http | https | udp */
  listenerProtocol: str,
  /** running | stopped */
  status: str,
  /** on | off */
  aclStatus: str,
  /** white | black */
  aclType: opt(str),
  /** every ACL bound to the listener (AclId and AclIds[]); all of them apply */
  aclIds: opt(z.array(str)),
  /** the first of aclIds; bundles written before aclIds existed carry only this */
  aclId: opt(str),
  backendServerPort: opt(z.number().int()),
});
export type SlbListener = z.output<typeof slbListener>;

/** entries: AclEntryIP (IP or CIDR) */
const slbAcl = z.object({ aclId: str, aclName: opt(str), entries: z.array(anyCidr) });
export type SlbAcl = z.output<typeof slbAcl>;

/** healthStatus: normal | abnormal | unavailable */
const slbBackend = z.object({ serverId: str, serverIp: opt(str), port: opt(z.number()), listenerPort: opt(z.number()), healthStatus: str });
export type SlbBackend = z.output<typeof slbBackend>;

const loadBalancer = z.object({
  loadBalancerId: str,
  address: str,
  /** intranet | internet */
  addressType: str,
  vpcId: opt(str),
  vSwitchId: opt(str),
  /** LoadBalancerStatus: active | inactive | locked (absent = unknown) */
  status: opt(str),
  listeners: z.array(slbListener),
  acls: z.array(slbAcl),
  backends: z.array(slbBackend),
});
export type LoadBalancer = z.output<typeof loadBalancer>;

/**
 * Where one SLB backend server sits: its vSwitch and that vSwitch's network ACL. Found through
 * documented fields only: DescribeHealthStatus ServerId → DescribeInstances
 * VpcAttributes.VSwitchId → DescribeVSwitchAttributes NetworkAclId → DescribeNetworkAclAttributes.
 */
const slbBackendNetwork = z.object({
  serverId: str,
  /** undefined = the server is not an ECS instance we could find (vSwitch unknown) */
  vSwitchId: opt(str),
  /** null = no network ACL bound to the vSwitch; undefined = unknown (vSwitch unknown) */
  networkAcl: opt(networkAcl.nullable()),
});
export type SlbBackendNetwork = z.output<typeof slbBackendNetwork>;

const vbr = z.object({
  vbrId: str,
  /** active, ... */
  status: str,
  routeTableId: opt(str),
  vlanInterfaceId: opt(str),
  physicalConnectionId: opt(str),
  /** Alibaba side of the VBR's peering subnet: the next hop the IDC router must use for 100.104.0.0/16 */
  localGatewayIp: opt(str),
  /** the IDC router's address on the peering subnet */
  peerGatewayIp: opt(str),
});
export type Vbr = z.output<typeof vbr>;

/** nextHopType: RouterInterface, VpcPeer, ... */
const routeNextHop = z.object({ nextHopType: str, nextHopId: str });
export type RouteNextHop = z.output<typeof routeNextHop>;

const routeEntry = z.object({
  routeEntryId: opt(str),
  destinationCidrBlock: anyCidr,
  /** Available, Pending, ... */
  status: str,
  /** Custom | System | BGP | CEN | ECR */
  type: str,
  nextHops: z.array(routeNextHop),
});
export type RouteEntry = z.output<typeof routeEntry>;

/** bgpStatus: Established, Idle, ... */
const bgpPeer = z.object({ bgpPeerId: str, routerId: str, bgpStatus: str, peerIpAddress: opt(str), peerAsn: opt(str) });
export type BgpPeer = z.output<typeof bgpPeer>;

const bgpNetwork = z.object({ routerId: str, dstCidrBlock: anyCidr, status: opt(str) });
export type BgpNetwork = z.output<typeof bgpNetwork>;

const acrRepository = z.object({ repoId: str, repoName: str, repoNamespaceName: str });
export type AcrRepository = z.output<typeof acrRepository>;

/** codeRepoType: GITLAB, GITHUB, ... */
const sourceBinding = z.object({ codeRepoType: str, codeRepoNamespaceName: str, codeRepoName: str, codeRepoDomain: opt(str), overseaBuild: z.boolean(), autoBuild: opt(z.boolean()) });
export type SourceBinding = z.output<typeof sourceBinding>;

// ---------------------------------------------------------------------------------------------
// GitLab probes. Outcomes are a closed vocabulary decided by the collector.

/**
 * connected: GitLab's API answered (200 with a version, 401/403 from the API, or a 5xx);
 * not-gitlab: something answered HTTP at the URL, but not GitLab's API (404, HTML, no version);
 * speaks-tls: an http:// endpoint whose port speaks TLS.
 */
const probeOutcome = z.enum(['connected', 'not-gitlab', 'speaks-tls', 'refused', 'timeout', 'dns-failed', 'tls-failed', 'auth-failed', 'error']);
export type ProbeOutcome = z.output<typeof probeOutcome>;

const probeTiming = z.object({ dnsMs: opt(z.number()), connectMs: opt(z.number()), tlsMs: opt(z.number()), firstByteMs: opt(z.number()), totalMs: z.number() });
export type ProbeTiming = z.output<typeof probeTiming>;

const httpProbe = z.object({
  /** where the probe ran from: "local" or "jump:ops@192.168.1.20" */
  vantage: str,
  url: str,
  /** address actually dialled (after connectTo mapping / DNS) */
  dialed: opt(str),
  resolvedAddresses: opt(z.array(str)),
  outcome: probeOutcome,
  httpStatus: opt(z.number().int()),
  gitlabVersion: opt(str),
  /** error code or message when not connected */
  error: opt(str),
  timing: probeTiming,
});
export type HttpProbe = z.output<typeof httpProbe>;

const tlsInfo = z.object({
  protocol: opt(str),
  cipher: opt(str),
  subject: opt(str),
  issuer: opt(str),
  subjectAltNames: z.array(str),
  /** ISO */
  validFrom: opt(str),
  /** ISO */
  validTo: opt(str),
  fingerprint256: opt(str),
  /** certificate chain verified against system roots (+ caFile) */
  authorized: z.boolean(),
  /** OpenSSL/Node code, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED */
  authorizationError: opt(str),
  hostnameMatches: z.boolean(),
  caFileUsed: z.boolean(),
});
export type TlsInfo = z.output<typeof tlsInfo>;

const tokenInfo = z.object({
  /** HTTP status of /personal_access_tokens/self (401 = invalid, expired or revoked) */
  httpStatus: z.number().int(),
  name: opt(str),
  scopes: z.array(str),
  active: opt(z.boolean()),
  revoked: opt(z.boolean()),
  /** YYYY-MM-DD or null */
  expiresAt: opt(str.nullable()),
  userId: opt(z.number()),
});
export type TokenInfo = z.output<typeof tokenInfo>;

const gitlabUser = z.object({ httpStatus: z.number().int(), username: opt(str), id: opt(z.number()), state: opt(str) });
export type GitlabUser = z.output<typeof gitlabUser>;

const gitlabProject = z.object({
  /** 200, 404 (not visible), 401 */
  httpStatus: z.number().int(),
  pathWithNamespace: opt(str),
  httpUrlToRepo: opt(str),
  defaultBranch: opt(str),
  visibility: opt(str),
  /**
   * permissions.project_access / group_access .access_level for the token's user (null = none shown;
   * membership inherited from a parent group shows as null in both). Explains a refused clone; the
   * proof is the git discovery.
   */
  projectAccessLevel: opt(z.number().int().nullable()),
  groupAccessLevel: opt(z.number().int().nullable()),
});
export type GitlabProject = z.output<typeof gitlabProject>;

/** smart: application/x-git-upload-pack-advertisement */
const gitDiscovery = z.object({ httpStatus: z.number().int(), contentType: opt(str), smart: z.boolean(), refs: z.number().int() });
export type GitDiscovery = z.output<typeof gitDiscovery>;

// ---------------------------------------------------------------------------------------------
// SSH reads.

/**
 * How one firewall tool's read on the GitLab host went, decided by the collector:
 * `read` (the rule set is in HostRouteRead.firewallLines), `not-installed` (neither on the user's
 * PATH nor in /usr/local/sbin, /usr/sbin, /sbin), `permission-denied` (the tool ran and the kernel
 * refused, e.g. "Permission denied (you must be root)"), `timeout`, or `error` (anything else).
 */
const firewallReadOutcome = z.enum(['read', 'not-installed', 'permission-denied', 'timeout', 'error']);
export type FirewallReadOutcome = z.output<typeof firewallReadOutcome>;

const firewallToolRead = z.object({
  tool: z.enum(['iptables-save', 'nft']),
  /** the command as run on the host, e.g. "/usr/sbin/iptables-save" or "sudo -n /usr/sbin/nft list ruleset" */
  command: str,
  /** where the tool was found on the host */
  path: opt(str),
  outcome: firewallReadOutcome,
  exitCode: opt(z.number().int().nullable()),
  /** the tool's stderr (first lines) when it did not read */
  stderr: opt(str),
  /** after permission-denied as a non-root user: the one `sudo -n` attempt (never prompts) */
  sudo: opt(z.object({ outcome: z.enum(['read', 'refused', 'not-installed', 'timeout', 'error']), exitCode: opt(z.number().int().nullable()), stderr: opt(str) })),
});
export type FirewallToolRead = z.output<typeof firewallToolRead>;

const hostRouteRead = z.object({
  host: str,
  /** the SSH user the read ran as, and its uid on the host (`id -u`) */
  user: opt(str),
  uid: opt(z.number().int()),
  /** the address probed, e.g. 100.104.0.1 and 100.104.255.254 */
  routes: z.array(z.object({ target: str, output: str, dev: opt(str), via: opt(str), src: opt(str) })),
  /** interfaces: name -> IPv4 CIDRs */
  interfaces: z.array(z.object({ name: str, addresses: z.array(str) })),
  /** firewall lines touching 100.104.0.0/16, from the tools whose read succeeded (iptables-save / nft list ruleset) */
  firewallLines: z.array(str),
  /** how each firewall tool's read went; absent in snapshots of older versions, which could not tell */
  firewall: opt(z.array(firewallToolRead)),
  /** written by older versions (the interface holding the GitLab address); no longer written, and never read: host-route derives it from `interfaces` */
  vpcInterface: opt(str),
  /** device of the host's default route (raw; not assumed to be the VPC interface) */
  defaultRouteDev: opt(str),
});
export type HostRouteRead = z.output<typeof hostRouteRead>;

const routerRead = z.object({
  host: str,
  flavor: z.enum(['linux', 'cisco', 'huawei', 'juniper', 'unknown']),
  command: str,
  output: str,
  /** parsed: the route chosen for 100.104.0.0/16 */
  route: opt(z.object({ prefix: opt(str), dev: opt(str), via: opt(str) })),
});
export type RouterRead = z.output<typeof routerRead>;

// ---------------------------------------------------------------------------------------------
// The snapshot.

const port = z.number().int().min(1).max(65535);

/** The non-secret part of the config the rules need. Never holds tokens or keys. */
const inputSummary = z.object({
  region: str,
  acr: z.object({ instanceId: str, namespace: opt(str), repository: opt(str) }),
  vpc: z.object({ vpcId: str, vSwitchId: str }),
  gitlab: z.object({
    endpoint: str,
    /** hostname or IP literal from the endpoint */
    host: str,
    /** from the endpoint or the scheme default */
    port,
    scheme: z.enum(['http', 'https']),
    username: str,
    project: str,
    /** whether a caFile was configured (content not kept) */
    caFile: opt(z.boolean()),
    sshPort: opt(port),
  }),
  datacenter: opt(z.object({ cidrs: z.array(v4cidr), vbrId: opt(str), routerConfigured: z.boolean(), attestReturnRoute: opt(str) })),
  /** "ip:port" */
  extraEndpoints: z.array(str),
  jumpHostConfigured: z.boolean(),
  gitlabHostConfigured: z.boolean(),
  /** optional zone table override from config: region -> zones */
  zoneOverrides: opt(z.record(str, z.array(str))),
});
export type InputSummary = z.output<typeof inputSummary>;

export const FACTS_SCHEMA = z.object({
  schemaVersion: z.literal(1),
  /** ISO-8601 */
  collectedAt: z.string().register(FIELD_META, { example: '2026-11-20T10:00:00.000Z' }),
  tool: z.object({ name: str, version: str }),
  input: inputSummary,
  cloud: z.object({
    acrInstance: fact(acrInstance),
    vpc: fact(vpc),
    /** the vSwitch chosen for the link */
    linkVSwitch: fact(vSwitch),
    /** every vSwitch of the VPC (overlap check) */
    vSwitches: fact(z.array(vSwitch)),
    /**
     * the region's VPCs and their vSwitch ids: read only when the configured VPC or vSwitch was not
     * found, to name the nearest existing ids (absent otherwise, and in bundles of older versions)
     */
    regionVpcs: opt(fact(z.array(regionVpc))),
    /** ENIs (ECS) holding GitLab's address: empty list = no ECS has it */
    gitlabEnis: fact(z.array(eni)),
    /** the security groups of the GitLab ENI, with permissions */
    gitlabSecurityGroups: fact(z.array(securityGroup)),
    /** prefix lists referenced by those groups */
    prefixLists: fact(z.array(prefixList)),
    /** vSwitch of the GitLab ENI, and its ACL (null = no ACL bound) */
    gitlabVSwitch: fact(vSwitch),
    gitlabNetworkAcl: fact(networkAcl.nullable()),
    /** SLBs whose address is GitLab's: empty = none */
    loadBalancers: fact(z.array(loadBalancer)),
    /**
     * SLB path: each backend server's vSwitch and its network ACL (traffic an SLB forwards to ECS
     * is filtered by the backend vSwitch's ACL too). Absent in bundles written before it existed.
     */
    slbBackendNetworks: opt(fact(z.array(slbBackendNetwork))),
    vbr: fact(vbr),
    vbrRouteEntries: fact(z.array(routeEntry)),
    bgpPeers: fact(z.array(bgpPeer)),
    bgpNetworks: fact(z.array(bgpNetwork)),
    /** service-managed security groups in the VPC (the link's), with permissions */
    managedSecurityGroups: fact(z.array(securityGroup)),
    /** service-managed ENIs in the link vSwitch */
    managedEnis: fact(z.array(eni)),
    /** the ACR repository named by acr.namespace/acr.repository (null = does not exist yet) */
    repository: fact(acrRepository.nullable()),
    /** the repository's source binding (null = not bound) */
    sourceBinding: fact(sourceBinding.nullable()),
  }),
  gitlab: z.object({
    /** DNS answer for the endpoint host (an IP literal resolves to itself) */
    addresses: fact(z.array(str)),
    probeLocal: fact(httpProbe),
    probeJump: fact(httpProbe),
    /** null for plain http */
    tls: fact(tlsInfo.nullable()),
    token: fact(tokenInfo),
    user: fact(gitlabUser),
    project: fact(gitlabProject),
    gitDiscovery: fact(gitDiscovery),
  }),
  hosts: z.object({
    gitlabHost: fact(hostRouteRead),
    idcRouter: fact(routerRead),
  }),
});
export type Facts = z.output<typeof FACTS_SCHEMA>;

/** The first problem of a snapshot against the schema, as "path: problem" (the shared formatter's), or undefined. */
export function factsSchemaProblem(v: unknown): string | undefined {
  return firstProblemLine(FACTS_SCHEMA, v);
}
