// The fact model: everything the rules read. Collectors (src/facts/collect*.ts) fill it from the
// cloud APIs, GitLab probes and SSH reads; `analyze` loads it back from a bundle. Rules never do I/O.
//
// Every fact says where it came from and when, or why it is unavailable. A snapshot is plain JSON:
// JSON.parse(JSON.stringify(snapshot)) deep-equals the snapshot (tested).
// Size: the whole fact model in one file on purpose: it is the contract between the collectors, the
// rules and the bundles.

/** Why a fact could not be had. `not-configured` and `not-applicable` make rules skip; others make them error. */
export type UnavailableReason =
  | 'not-configured' // the optional input that enables this fact is not in the config (rule -> skip + hint)
  | 'not-applicable' // the access path does not need this fact (rule -> skip)
  | 'forbidden' // RAM denied the call; `ramAction` names the action to grant
  | 'not-found' // the resource the config names does not exist
  | 'timeout'
  | 'api-error' // the API answered an error (code in `code`) or an answer we could not read
  | 'probe-failed' // a live probe could not run at all (not the same as a probe that ran and failed)
  | 'error';

export interface Provenance {
  /** e.g. "ecs:DescribeSecurityGroupAttribute", "gitlab:GET /api/v4/version", "ssh:gitlab-host", "config" */
  source: string;
  /** ISO-8601 time the fact was observed */
  at: string;
}

export interface Available<T> extends Provenance {
  state: 'ok';
  value: T;
}

export interface Unavailable extends Provenance {
  state: 'unavailable';
  reason: UnavailableReason;
  message: string;
  /** RAM action to grant, e.g. "ecs:DescribeSecurityGroupAttribute" (reason forbidden) */
  ramAction?: string;
  /** API error code, e.g. "Forbidden.RAM", "InvalidVpcId.NotFound" */
  code?: string;
  /** for not-configured: how to enable, e.g. "set probe.gitlabHost.ssh in preflight.yaml" */
  hint?: string;
}

export type Fact<T> = Available<T> | Unavailable;

/** `code` of the not-configured facts that --no-probes leaves unread (GitLab probes, SSH reads) */
export const PROBES_DISABLED = 'ProbesDisabled';

// ---------------------------------------------------------------------------------------------
// Cloud resources. Field names follow the API (PascalCase where the API uses it would be noisy in
// TS, so we use camelCase but keep the API's values untouched: Policy "Accept"/"accept", Priority
// as the API's string, etc. are normalised by the collector into the types below).

export interface AcrInstance {
  instanceId: string;
  instanceName?: string;
  status: string; // InstanceStatus: RUNNING, STARTING, ...
  specification?: string; // Enterprise_Basic | Enterprise_Standard | Enterprise_Advanced
}

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  secondaryCidrBlocks: string[];
  userCidrs: string[];
  status?: string;
}

/** A VPC of the region and its vSwitch ids (DescribeVpcs), read only to name the ids nearest to a typo. */
export interface RegionVpc {
  vpcId: string;
  vSwitchIds: string[];
}

export interface VSwitch {
  vSwitchId: string;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  networkAclId?: string; // empty/absent = no ACL bound
  status?: string;
}

/** An elastic network interface (primary ENI of an instance, or a secondary/managed one). */
export interface Eni {
  networkInterfaceId?: string;
  instanceId?: string;
  vpcId: string;
  vSwitchId: string;
  zoneId?: string;
  privateIpAddresses: string[];
  securityGroupIds: string[];
  serviceManaged?: boolean;
  status?: string;
}

export type SecurityGroupType = 'normal' | 'enterprise';

export interface SgPermission {
  ruleId?: string; // SecurityGroupRuleId
  direction: 'ingress' | 'egress';
  policy: 'accept' | 'drop'; // normalised to lower case
  priority: number; // 1..100, lower wins
  ipProtocol: string; // upper-cased as sent: TCP, UDP, ICMP, GRE, ALL, or a number "6"
  portRange: string; // "443/443", "-1/-1"
  /** the ports come from a port list (PortRangeListId) instead of PortRange */
  portRangeListId?: string;
  /** quintuple rule: only these source ports match (ingress) */
  sourcePortRange?: string;
  sourceCidrIp?: string;
  sourcePrefixListId?: string;
  sourceGroupId?: string;
  destCidrIp?: string;
  destPrefixListId?: string;
  destGroupId?: string;
  description?: string;
}

export interface SecurityGroup {
  securityGroupId: string;
  securityGroupName?: string;
  vpcId?: string;
  type: SecurityGroupType;
  innerAccessPolicy?: string; // Accept | Drop
  serviceManaged?: boolean;
  /** ingress and egress permissions, all pages */
  permissions: SgPermission[];
}

export interface PrefixList {
  prefixListId: string;
  prefixListName?: string;
  addressFamily: string; // IPv4 | IPv6
  entries: string[]; // CIDRs
}

export interface NaclEntry {
  entryId?: string;
  name?: string;
  policy: 'accept' | 'drop';
  protocol: string; // tcp | udp | icmp | gre | all (lower case)
  port: string; // "443/443", "-1/-1" (destination port)
  cidr: string; // SourceCidrIp for ingress, DestinationCidrIp for egress
  entryType?: string; // custom | system
}

export interface NetworkAcl {
  networkAclId: string;
  vpcId?: string;
  status?: string;
  /** in evaluation order (first match wins) */
  ingress: NaclEntry[];
  egress: NaclEntry[];
}

export interface SlbListener {
  listenerPort: number;
  listenerProtocol: string; // tcp | http | https | udp
  status: string; // running | stopped
  aclStatus: string; // on | off
  aclType?: string; // white | black
  /** every ACL bound to the listener (AclId and AclIds[]); all of them apply */
  aclIds?: string[];
  /** the first of aclIds; bundles written before aclIds existed carry only this */
  aclId?: string;
  backendServerPort?: number;
}

export interface SlbAcl {
  aclId: string;
  aclName?: string;
  entries: string[]; // AclEntryIP (IP or CIDR)
}

export interface SlbBackend {
  serverId: string;
  serverIp?: string;
  port?: number;
  listenerPort?: number;
  healthStatus: string; // normal | abnormal | unavailable
}

export interface LoadBalancer {
  loadBalancerId: string;
  address: string;
  addressType: string; // intranet | internet
  vpcId?: string;
  vSwitchId?: string;
  status?: string; // LoadBalancerStatus: active | inactive | locked (absent = unknown)
  listeners: SlbListener[];
  acls: SlbAcl[];
  backends: SlbBackend[];
}

/**
 * Where one SLB backend server sits: its vSwitch and that vSwitch's network ACL. Found through
 * documented fields only: DescribeHealthStatus ServerId → DescribeInstances
 * VpcAttributes.VSwitchId → DescribeVSwitchAttributes NetworkAclId → DescribeNetworkAclAttributes.
 */
export interface SlbBackendNetwork {
  serverId: string;
  /** undefined = the server is not an ECS instance we could find (vSwitch unknown) */
  vSwitchId?: string;
  /** null = no network ACL bound to the vSwitch; undefined = unknown (vSwitch unknown) */
  networkAcl?: NetworkAcl | null;
}

export interface Vbr {
  vbrId: string;
  status: string; // active, ...
  routeTableId?: string;
  vlanInterfaceId?: string;
  physicalConnectionId?: string;
  /** Alibaba side of the VBR's peering subnet: the next hop the IDC router must use for 100.104.0.0/16 */
  localGatewayIp?: string;
  /** the IDC router's address on the peering subnet */
  peerGatewayIp?: string;
}

export interface RouteNextHop {
  nextHopType: string; // RouterInterface, VpcPeer, ...
  nextHopId: string;
}

export interface RouteEntry {
  routeEntryId?: string;
  destinationCidrBlock: string;
  status: string; // Available, Pending, ...
  type: string; // Custom | System | BGP | CEN | ECR
  nextHops: RouteNextHop[];
}

export interface BgpPeer {
  bgpPeerId: string;
  routerId: string;
  bgpStatus: string; // Established, Idle, ...
  peerIpAddress?: string;
  peerAsn?: string;
}

export interface BgpNetwork {
  routerId: string;
  dstCidrBlock: string;
  status?: string;
}

export interface AcrRepository {
  repoId: string;
  repoName: string;
  repoNamespaceName: string;
}

export interface SourceBinding {
  codeRepoType: string; // GITLAB, GITHUB, ...
  codeRepoNamespaceName: string;
  codeRepoName: string;
  codeRepoDomain?: string;
  overseaBuild: boolean;
  autoBuild?: boolean;
}

// ---------------------------------------------------------------------------------------------
// GitLab probes. Outcomes are a closed vocabulary decided by the collector.

/**
 * connected: GitLab's API answered (200 with a version, 401/403 from the API, or a 5xx);
 * not-gitlab: something answered HTTP at the URL, but not GitLab's API (404, HTML, no version);
 * speaks-tls: an http:// endpoint whose port speaks TLS.
 */
export type ProbeOutcome = 'connected' | 'not-gitlab' | 'speaks-tls' | 'refused' | 'timeout' | 'dns-failed' | 'tls-failed' | 'auth-failed' | 'error';

export interface ProbeTiming {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  totalMs: number;
}

export interface HttpProbe {
  /** where the probe ran from: "local" or "jump:ops@192.168.1.20" */
  vantage: string;
  url: string;
  /** address actually dialled (after connectTo mapping / DNS) */
  dialed?: string;
  resolvedAddresses?: string[];
  outcome: ProbeOutcome;
  httpStatus?: number;
  gitlabVersion?: string;
  error?: string; // error code or message when not connected
  timing: ProbeTiming;
}

export interface TlsInfo {
  protocol?: string;
  cipher?: string;
  subject?: string;
  issuer?: string;
  subjectAltNames: string[];
  validFrom?: string; // ISO
  validTo?: string; // ISO
  fingerprint256?: string;
  /** certificate chain verified against system roots (+ caFile) */
  authorized: boolean;
  /** OpenSSL/Node code, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED */
  authorizationError?: string;
  hostnameMatches: boolean;
  caFileUsed: boolean;
}

export interface TokenInfo {
  /** HTTP status of /personal_access_tokens/self (401 = invalid, expired or revoked) */
  httpStatus: number;
  name?: string;
  scopes: string[];
  active?: boolean;
  revoked?: boolean;
  expiresAt?: string | null; // YYYY-MM-DD or null
  userId?: number;
}

export interface GitlabUser {
  httpStatus: number;
  username?: string;
  id?: number;
  state?: string;
}

export interface GitlabProject {
  httpStatus: number; // 200, 404 (not visible), 401
  pathWithNamespace?: string;
  httpUrlToRepo?: string;
  defaultBranch?: string;
  visibility?: string;
  /**
   * permissions.project_access / group_access .access_level for the token's user (null = none shown;
   * membership inherited from a parent group shows as null in both). Explains a refused clone; the
   * proof is the git discovery.
   */
  projectAccessLevel?: number | null;
  groupAccessLevel?: number | null;
}

export interface GitDiscovery {
  httpStatus: number;
  contentType?: string;
  smart: boolean; // application/x-git-upload-pack-advertisement
  refs: number;
}

// ---------------------------------------------------------------------------------------------
// SSH reads.

/**
 * How one firewall tool's read on the GitLab host went, decided by the collector:
 * `read` (the rule set is in HostRouteRead.firewallLines), `not-installed` (neither on the user's
 * PATH nor in /usr/local/sbin, /usr/sbin, /sbin), `permission-denied` (the tool ran and the kernel
 * refused, e.g. "Permission denied (you must be root)"), `timeout`, or `error` (anything else).
 */
export type FirewallReadOutcome = 'read' | 'not-installed' | 'permission-denied' | 'timeout' | 'error';

export interface FirewallToolRead {
  tool: 'iptables-save' | 'nft';
  /** the command as run on the host, e.g. "/usr/sbin/iptables-save" or "sudo -n /usr/sbin/nft list ruleset" */
  command: string;
  /** where the tool was found on the host */
  path?: string;
  outcome: FirewallReadOutcome;
  exitCode?: number | null;
  /** the tool's stderr (first lines) when it did not read */
  stderr?: string;
  /** after permission-denied as a non-root user: the one `sudo -n` attempt (never prompts) */
  sudo?: { outcome: 'read' | 'refused' | 'not-installed' | 'timeout' | 'error'; exitCode?: number | null; stderr?: string };
}

export interface HostRouteRead {
  host: string;
  /** the SSH user the read ran as, and its uid on the host (`id -u`) */
  user?: string;
  uid?: number;
  /** the address probed, e.g. 100.104.0.1 and 100.104.255.254 */
  routes: { target: string; output: string; dev?: string; via?: string; src?: string }[];
  /** interfaces: name -> IPv4 CIDRs */
  interfaces: { name: string; addresses: string[] }[];
  /** firewall lines touching 100.104.0.0/16, from the tools whose read succeeded (iptables-save / nft list ruleset) */
  firewallLines: string[];
  /** how each firewall tool's read went; absent in snapshots of older versions, which could not tell */
  firewall?: FirewallToolRead[];
  /** written by older versions (the interface holding the GitLab address); no longer written, and never read: host-route derives it from `interfaces` */
  vpcInterface?: string;
  /** device of the host's default route (raw; not assumed to be the VPC interface) */
  defaultRouteDev?: string;
}

export interface RouterRead {
  host: string;
  flavor: 'linux' | 'cisco' | 'huawei' | 'juniper' | 'unknown';
  command: string;
  output: string;
  /** parsed: the route chosen for 100.104.0.0/16 */
  route?: { prefix?: string; dev?: string; via?: string };
}

// ---------------------------------------------------------------------------------------------
// The snapshot.

/** The non-secret part of the config the rules need. Never holds tokens or keys. */
export interface InputSummary {
  region: string;
  acr: { instanceId: string; namespace?: string; repository?: string };
  vpc: { vpcId: string; vSwitchId: string };
  gitlab: {
    endpoint: string;
    host: string; // hostname or IP literal from the endpoint
    port: number; // from the endpoint or the scheme default
    scheme: 'http' | 'https';
    username: string;
    project: string;
    caFile?: boolean; // whether a caFile was configured (content not kept)
    sshPort?: number;
  };
  datacenter?: { cidrs: string[]; vbrId?: string; routerConfigured: boolean; attestReturnRoute?: string };
  extraEndpoints: string[]; // "ip:port"
  jumpHostConfigured: boolean;
  gitlabHostConfigured: boolean;
  /** optional zone table override from config: region -> zones */
  zoneOverrides?: Record<string, string[]>;
}

export interface Facts {
  schemaVersion: 1;
  tool: { name: string; version: string };
  collectedAt: string;
  input: InputSummary;

  cloud: {
    acrInstance: Fact<AcrInstance>;
    vpc: Fact<Vpc>;
    /** the vSwitch chosen for the link */
    linkVSwitch: Fact<VSwitch>;
    /** every vSwitch of the VPC (overlap check) */
    vSwitches: Fact<VSwitch[]>;
    /**
     * the region's VPCs and their vSwitch ids: read only when the configured VPC or vSwitch was not
     * found, to name the nearest existing ids (absent otherwise, and in bundles of older versions)
     */
    regionVpcs?: Fact<RegionVpc[]>;
    /** ENIs (ECS) holding GitLab's address: empty list = no ECS has it */
    gitlabEnis: Fact<Eni[]>;
    /** the security groups of the GitLab ENI, with permissions */
    gitlabSecurityGroups: Fact<SecurityGroup[]>;
    /** prefix lists referenced by those groups */
    prefixLists: Fact<PrefixList[]>;
    /** vSwitch of the GitLab ENI, and its ACL (null = no ACL bound) */
    gitlabVSwitch: Fact<VSwitch>;
    gitlabNetworkAcl: Fact<NetworkAcl | null>;
    /** SLBs whose address is GitLab's: empty = none */
    loadBalancers: Fact<LoadBalancer[]>;
    /**
     * SLB path: each backend server's vSwitch and its network ACL (traffic an SLB forwards to ECS
     * is filtered by the backend vSwitch's ACL too). Absent in bundles written before it existed.
     */
    slbBackendNetworks?: Fact<SlbBackendNetwork[]>;
    vbr: Fact<Vbr>;
    vbrRouteEntries: Fact<RouteEntry[]>;
    bgpPeers: Fact<BgpPeer[]>;
    bgpNetworks: Fact<BgpNetwork[]>;
    /** service-managed security groups in the VPC (the link's), with permissions */
    managedSecurityGroups: Fact<SecurityGroup[]>;
    /** service-managed ENIs in the link vSwitch */
    managedEnis: Fact<Eni[]>;
    /** the ACR repository named by acr.namespace/acr.repository (null = does not exist yet) */
    repository: Fact<AcrRepository | null>;
    /** the repository's source binding (null = not bound) */
    sourceBinding: Fact<SourceBinding | null>;
  };

  gitlab: {
    /** DNS answer for the endpoint host (an IP literal resolves to itself) */
    addresses: Fact<string[]>;
    probeLocal: Fact<HttpProbe>;
    probeJump: Fact<HttpProbe>;
    tls: Fact<TlsInfo | null>; // null for plain http
    token: Fact<TokenInfo>;
    user: Fact<GitlabUser>;
    project: Fact<GitlabProject>;
    gitDiscovery: Fact<GitDiscovery>;
  };

  hosts: {
    gitlabHost: Fact<HostRouteRead>;
    idcRouter: Fact<RouterRead>;
  };
}
