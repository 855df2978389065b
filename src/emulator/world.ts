// The world file (docs/world-format.md): resources under their documented API field names, so a world reads
// like the responses it produces. Validated with zod; unknown top-level keys (and unknown keys in
// our own sections: credentials, faults, gitlab, cr.builds) are errors with the path of the field.
// Resource entries accept further documented fields, which are echoed in responses.
// Size: the world schema of four products and GitLab, with the limits the cloud enforces.
import { readFileSync } from 'node:fs';
import type { Document } from 'yaml';
import { yaml } from '../util/yaml-lib.js';
import { isCidr } from '../net/cidr.js';
import '../util/zod-mode.js';
import * as z from 'zod';
import { InputError } from '../errors.js';
import { FIELD_META, parseProblems, problemLine, type Locate, type PathSeg } from '../util/issues.js';
import { yamlLocator } from '../util/yaml-locate.js';
import { RamWorld } from './ram.js';

const str = z.string();
/** a secret of the world (key secrets, tokens): never echoed in a message */
const secret = (minLength = 0) => z.string().min(minLength).register(FIELD_META, { secret: true });
const num = z.number();
const cidr = z.string().refine((v) => isCidr(v), 'expected an IPv4 address or CIDR (a.b.c.d/0-32)');
const ip = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address');
const boolish = z.union([z.boolean(), z.enum(['true', 'false'])]);
const numish = z.union([z.number(), z.string().regex(/^\d+$/)]);

const Credential = z.strictObject({
  accessKeyId: str.min(1),
  accessKeySecret: secret(1),
  /** STS: requests with this AccessKeyId must carry this token (x-acs-security-token / SecurityToken) */
  securityToken: secret().optional(),
  /** STS expiry (ISO 8601); after it the token answers InvalidSecurityToken.Expired */
  expiration: str.optional(),
  /** false = InvalidAccessKeyId.Inactive */
  active: z.boolean().optional(),
});

const FaultKnobs = {
  latencyMs: num.min(0).optional(),
  jitterMs: num.min(0).optional(),
  throttleRate: num.min(0).max(1).optional(),
  errorRate: num.min(0).max(1).optional(),
  /** sent as x-acs-retry-after (ms) on throttled answers */
  retryAfterMs: num.min(0).optional(),
  /** deterministic: the first N calls are throttled / answer 503 (then the rates apply) */
  throttleFirst: num.int().min(0).optional(),
  errorFirst: num.int().min(0).optional(),
};
const Faults = z.strictObject({
  ...FaultKnobs,
  seed: num.optional(),
  perAction: z.record(str, z.strictObject(FaultKnobs)).optional(),
  malformed: z.record(str, z.enum(['json', 'missing-fields', 'wrong-types'])).optional(),
  /** denials by API action: "ecs:DescribeSecurityGroupAttribute", "cr:*" → the product's RAM refusal (cr 403 NoPrivilege, else 403 Forbidden.RAM) */
  deny: z.array(str.regex(/^(ecs|vpc|slb|cr|\*):[A-Za-z*]+$/, 'expected "product:Action", e.g. ecs:DescribeInstances')).optional(),
});

const Permission = z.looseObject({
  Direction: z.enum(['ingress', 'egress']),
  Policy: z.string().regex(/^(accept|drop)$/i, 'expected accept or drop').optional(),
  Priority: numish.optional(),
  IpProtocol: str,
  PortRange: z.string().regex(/^-?\d+\/-?\d+$/, 'expected "start/end", e.g. 443/443 or -1/-1').optional(),
  SourceCidrIp: cidr.optional(),
  SourcePrefixListId: str.optional(),
  SourceGroupId: str.optional(),
  DestCidrIp: cidr.optional(),
  DestPrefixListId: str.optional(),
  SourcePortRange: z.string().regex(/^-?\d+\/-?\d+$/, 'expected "start/end", e.g. 1024/65535 or -1/-1').optional(),
  PortRangeListId: str.optional(),
  SecurityGroupRuleId: str.optional(),
  Description: str.optional(),
});

const Vpc = z.looseObject({
  VpcId: str,
  CidrBlock: cidr,
  SecondaryCidrBlocks: z.array(cidr).optional(),
  UserCidrs: z.array(cidr).optional(),
  Status: str.optional(),
  VpcName: str.optional(),
  IsDefault: z.boolean().optional(),
});
const VSwitch = z.looseObject({
  VSwitchId: str,
  VpcId: str,
  ZoneId: str,
  CidrBlock: cidr,
  NetworkAclId: str.optional(),
  RouteTableId: str.optional(),
  Status: str.optional(),
  VSwitchName: str.optional(),
});
const AclEntry = z.looseObject({
  Policy: z.string().regex(/^(accept|drop)$/i, 'expected accept or drop'),
  Protocol: z.string().regex(/^(tcp|udp|icmp|gre|all)$/i, 'expected tcp, udp, icmp, gre or all'),
  Port: z.string().regex(/^-?\d+\/-?\d+$/).optional(),
  SourceCidrIp: cidr.optional(),
  DestinationCidrIp: cidr.optional(),
  NetworkAclEntryId: str.optional(),
  NetworkAclEntryName: str.optional(),
  EntryType: str.optional(),
  Description: str.optional(),
});
const NetworkAcl = z.looseObject({
  NetworkAclId: str,
  VpcId: str,
  NetworkAclName: str.optional(),
  Status: str.optional(),
  IngressAclEntries: z.array(AclEntry).default([]),
  EgressAclEntries: z.array(AclEntry).default([]),
});
const Instance = z.looseObject({
  InstanceId: str,
  InstanceName: str.optional(),
  ZoneId: str,
  Status: str.default('Running'),
  VpcAttributes: z.looseObject({ VpcId: str, VSwitchId: str, PrivateIpAddress: z.array(ip).min(1) }),
  SecurityGroupIds: z.array(str).default([]),
  /** id of the derived primary ENI (default eni-<instance id suffix>) */
  NetworkInterfaceId: str.optional(),
});
const NetworkInterface = z.looseObject({
  NetworkInterfaceId: str,
  Type: z.enum(['Primary', 'Secondary']).default('Secondary'),
  Status: str.default('InUse'),
  VpcId: str,
  VSwitchId: str,
  ZoneId: str.optional(),
  PrivateIpAddress: ip,
  PrivateIpSets: z.array(ip).optional(),
  SecurityGroupIds: z.array(str).default([]),
  ServiceManaged: z.boolean().optional(),
  InstanceId: str.optional(),
  Description: str.optional(),
});
const SecurityGroup = z.looseObject({
  SecurityGroupId: str,
  SecurityGroupName: str.optional(),
  VpcId: str,
  SecurityGroupType: z.enum(['normal', 'enterprise']).default('normal'),
  InnerAccessPolicy: z.enum(['Accept', 'Drop']).optional(),
  ServiceManaged: z.boolean().default(false),
  Description: str.optional(),
  Permissions: z.array(Permission).default([]),
});
const PrefixList = z.looseObject({
  PrefixListId: str,
  PrefixListName: str.optional(),
  AddressFamily: z.enum(['IPv4', 'IPv6']).default('IPv4'),
  MaxEntries: num.optional(),
  Entries: z.array(z.looseObject({ Cidr: cidr, Description: str.optional() })).default([]),
});
const Listener = z.looseObject({
  ListenerPort: num.int().min(1).max(65535),
  ListenerProtocol: z.enum(['tcp', 'udp', 'http', 'https']),
  Status: z.enum(['running', 'stopped', 'starting', 'configuring', 'stopping']).default('running'),
  AclStatus: z.enum(['on', 'off']).default('off'),
  AclType: z.enum(['white', 'black']).optional(),
  AclId: str.optional(),
  /** every ACL of the listener (a CLB listener carries at most three); AclId alone = one */
  AclIds: z.array(str).optional(),
  BackendServerPort: num.optional(),
  VServerGroupId: str.optional(),
});

/** The ACLs of a world listener: AclIds, or the single AclId. */
export function listenerAclIds(x: { AclId?: string; AclIds?: string[] }): string[] {
  return x.AclIds ?? (x.AclId ? [x.AclId] : []);
}
const LoadBalancer = z.looseObject({
  LoadBalancerId: str,
  LoadBalancerName: str.optional(),
  Address: ip,
  AddressType: z.enum(['internet', 'intranet']).default('intranet'),
  VpcId: str.optional(),
  VSwitchId: str.optional(),
  LoadBalancerStatus: z.enum(['inactive', 'active', 'locked']).default('active'),
  Listeners: z.array(Listener).default([]),
  BackendServers: z
    .array(
      z.looseObject({
        ServerId: str,
        ServerIp: ip.optional(),
        Port: num,
        ServerHealthStatus: z.enum(['normal', 'abnormal', 'unavailable']),
        /** limit to one listener; default: every listener */
        ListenerPort: num.optional(),
      }),
    )
    .default([]),
});
const AccessControlList = z.looseObject({
  AclId: str,
  AclName: str.optional(),
  AddressIPVersion: str.optional(),
  AclEntrys: z.array(z.looseObject({ AclEntryIP: cidr, AclEntryComment: str.optional() })).default([]),
});
const Vbr = z.looseObject({
  VbrId: str,
  Name: str.optional(),
  Status: str.default('active'),
  RouteTableId: str,
  VlanInterfaceId: str,
  PhysicalConnectionId: str.optional(),
});
const NextHop = z.looseObject({ NextHopType: str, NextHopId: str });
const RouteEntry = z.looseObject({
  RouteEntryId: str.optional(),
  DestinationCidrBlock: cidr,
  Status: str.default('Available'),
  Type: str.default('Custom'),
  NextHops: z.array(NextHop).default([]),
});
const RouteTable = z.looseObject({
  RouteTableId: str,
  RouterType: z.enum(['VRouter', 'VBR']),
  RouterId: str,
  VpcId: str.optional(),
  RouteTableType: str.optional(),
  RouteEntrys: z.array(RouteEntry).default([]),
});
const RouterInterface = z.looseObject({
  RouterInterfaceId: str,
  RouterId: str,
  RouterType: z.enum(['VRouter', 'VBR']),
  Role: str.optional(),
  Status: str.default('Active'),
  OppositeInterfaceId: str.optional(),
  OppositeRouterId: str.optional(),
  OppositeRouterType: z.enum(['VRouter', 'VBR']).optional(),
  VpcInstanceId: str.optional(),
  OppositeVpcInstanceId: str.optional(),
});
const BgpPeer = z.looseObject({
  BgpPeerId: str,
  RouterId: str,
  BgpStatus: z.enum(['Idle', 'Connect', 'Active', 'Established', 'Down']),
  PeerIpAddress: str.optional(),
  PeerAsn: numish.optional(),
  BgpGroupId: str.optional(),
});
const BgpNetwork = z.looseObject({ RouterId: str, DstCidrBlock: cidr, VpcId: str.optional(), Status: str.optional() });

const CrInstance = z.looseObject({
  InstanceId: str,
  InstanceName: str.default('acr-ee'),
  InstanceStatus: z.enum(['PENDING', 'INIT_ERROR', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'DELETING', 'DELETED']).default('RUNNING'),
  InstanceSpecification: str.default('Enterprise_Basic'),
});
const CrNamespace = z.looseObject({
  InstanceId: str,
  NamespaceName: str,
  NamespaceId: str.optional(),
  AutoCreateRepo: z.boolean().default(false),
  NamespaceStatus: str.default('NORMAL'),
  DefaultRepoType: z.enum(['PUBLIC', 'PRIVATE']).default('PRIVATE'),
});
const CrRepository = z.looseObject({
  InstanceId: str,
  RepoNamespaceName: str,
  RepoName: str,
  RepoId: str.optional(),
  RepoType: z.enum(['PUBLIC', 'PRIVATE']).default('PRIVATE'),
  RepoStatus: str.default('NORMAL'),
  RepoBuildType: z.enum(['AUTO', 'MANUAL']).default('MANUAL'),
  Summary: str.default(''),
  TagImmutability: z.boolean().default(false),
});
const CrSourceCodeRepo = z.looseObject({
  InstanceId: str,
  RepoId: str,
  CodeRepoType: z.enum(['GITHUB', 'GITLAB', 'GITEE', 'CODE', 'CODEUP']),
  CodeRepoNamespaceName: str,
  CodeRepoName: str,
  AutoBuild: boolish.default(false),
  OverseaBuild: boolish.default(false),
  DisableCacheBuild: boolish.default(false),
});
const CrBuildRule = z.looseObject({
  InstanceId: str,
  RepoId: str,
  BuildRuleId: str,
  PushType: z.enum(['GIT_BRANCH', 'GIT_TAG']),
  PushName: str,
  ImageTag: str,
  DockerfileLocation: str.default('/'),
  DockerfileName: str.default('Dockerfile'),
  BuildArgs: z.array(str).default([]),
  Platforms: z.array(str).default(['linux/amd64']),
});
const CodeSource = z.strictObject({
  CodeRepoType: z.literal('GITLAB'),
  network: z.enum(['VPC', 'INTERNET']).default('VPC'),
  endpoint: z.string().url(),
  username: str,
  /** the private token entered in "Bind Account" (never echoed by any API) */
  token: secret().optional(),
  vpcId: str.optional(),
  vSwitchId: str.optional(),
  /** limit to one ACR instance (default: every instance of the region) */
  InstanceId: str.optional(),
});
const BuildStage = z.enum(['GIT_CLONE', 'DOCKER_BUILD', 'IMAGE_PUSH', 'BUILD_CACHE', 'PREPARE']);
const Builds = z.strictObject({
  outcome: z.enum(['SUCCESS', 'FAILED']).default('SUCCESS'),
  durationMs: num.min(0).default(2000),
  /** time a new build stays PENDING before it starts BUILDING */
  pendingMs: num.min(0).default(200),
  /** for outcome FAILED: the stage that fails (default DOCKER_BUILD) */
  failStage: BuildStage.optional(),
  log: z.array(z.strictObject({ BuildStage: BuildStage, Message: str })).optional(),
});
const Cr = z.strictObject({
  instances: z.array(CrInstance).default([]),
  namespaces: z.array(CrNamespace).default([]),
  repositories: z.array(CrRepository).default([]),
  sourceCodeRepos: z.array(CrSourceCodeRepo).default([]),
  buildRules: z.array(CrBuildRule).default([]),
  codeSources: z.array(CodeSource).default([]),
  builds: Builds.default({ outcome: 'SUCCESS', durationMs: 2000, pendingMs: 200 }),
});

const Region = z.strictObject({
  vpcs: z.array(Vpc).default([]),
  vSwitches: z.array(VSwitch).default([]),
  networkAcls: z.array(NetworkAcl).default([]),
  instances: z.array(Instance).default([]),
  networkInterfaces: z.array(NetworkInterface).default([]),
  securityGroups: z.array(SecurityGroup).default([]),
  prefixLists: z.array(PrefixList).default([]),
  loadBalancers: z.array(LoadBalancer).default([]),
  accessControlLists: z.array(AccessControlList).default([]),
  virtualBorderRouters: z.array(Vbr).default([]),
  routeTables: z.array(RouteTable).default([]),
  routerInterfaces: z.array(RouterInterface).default([]),
  bgpPeers: z.array(BgpPeer).default([]),
  bgpNetworks: z.array(BgpNetwork).default([]),
  cr: Cr.default(() => Cr.parse({})),
});

const GitlabToken = z.strictObject({
  token: secret(1),
  name: str.optional(),
  scopes: z.array(str).default(['api']),
  /** YYYY-MM-DD or null */
  expires_at: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'), z.null()]).optional(),
  revoked: z.boolean().default(false),
});
const GitlabUser = z.strictObject({
  username: str,
  id: num.int().optional(),
  name: str.optional(),
  state: z.enum(['active', 'blocked', 'deactivated']).default('active'),
  /** an external user: reads internal projects only where a member with Reporter or more */
  external: z.boolean().default(false),
  tokens: z.array(GitlabToken).default([]),
});
const GitlabProject = z.strictObject({
  path_with_namespace: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'expected group/project'),
  id: num.int().optional(),
  default_branch: str.default('main'),
  visibility: z.enum(['private', 'internal', 'public']).default('private'),
  /** what the API reports (a wrong external_url shows here); default <external_url>/<path>.git */
  http_url_to_repo: str.optional(),
  /**
   * who can see it; default: every world user as Maintainer (40). access_level is GitLab's (Guest 10,
   * Reporter 20, Developer 30, Maintainer 40, Owner 50); `inherited: true` = membership through a
   * parent group, which GET /projects/:id shows as permissions {project_access: null, group_access: null}
   */
  members: z
    .array(z.strictObject({ username: str, access_level: z.union([z.literal(5), z.literal(10), z.literal(20), z.literal(30), z.literal(40), z.literal(50)]).default(40), inherited: z.boolean().default(false) }))
    .optional(),
  /** files committed on default_branch (top level only); default a Dockerfile and a README */
  files: z.record(z.string().regex(/^[^/]+$/, 'top-level file names only'), str).optional(),
  /** extra branches created at start, pointing at the same commit */
  branches: z.array(str).optional(),
});
const Gitlab = z.strictObject({
  version: str.default('16.11.2'),
  revision: str.default('a1b2c3d4e5f'),
  enterprise: z.boolean().default(false),
  tls: z.enum(['none', 'self-signed', 'ca']).default('none'),
  /** the URL users enter in Bind Account (private IP or name); used for certificate SANs and clone URLs */
  endpoint: z.string().url().default('http://127.0.0.1'),
  /** GitLab's configured external_url (default = endpoint); a wrong one shows in http_url_to_repo */
  external_url: z.string().url().optional(),
  /** accept TCP and never answer (timeout tests) */
  hang: z.boolean().default(false),
  /** the server certificate: validity in days (e.g. 10 = expiring soon), SAN hosts instead of the endpoint's (a mismatch) */
  certificate: z.strictObject({ days: num.int().min(1).max(3650).default(365), hosts: z.array(str.min(1)).optional() }).optional(),
  users: z.array(GitlabUser).default([]),
  projects: z.array(GitlabProject).default([]),
});

export const WorldSchema = z.strictObject({
  /** one key pair, or a list (long-term keys and STS credentials) */
  credentials: z.union([Credential, z.array(Credential).min(1)]),
  faults: Faults.default({}),
  /** RAM: the policy document the caller holds, or a list of allowed RAM actions; absent = no RAM checks */
  ram: RamWorld.optional(),
  regions: z.record(z.string().regex(/^[a-z]{2,}-[a-z0-9-]+$/, 'expected a region id such as cn-hangzhou'), Region),
  gitlab: Gitlab.default(() => Gitlab.parse({})),
});

export type World = z.output<typeof WorldSchema>;
export type WorldInput = z.input<typeof WorldSchema>;
export type RegionWorld = World['regions'][string];
export type CredentialEntry = z.output<typeof Credential>;
export type FaultsWorld = World['faults'];
export type FaultKnobs = NonNullable<FaultsWorld['perAction']>[string];
export type PermissionWorld = z.output<typeof Permission>;
export type VpcWorld = z.output<typeof Vpc>;
export type VSwitchWorld = z.output<typeof VSwitch>;
export type NetworkAclWorld = z.output<typeof NetworkAcl>;
export type AclEntryWorld = z.output<typeof AclEntry>;
export type InstanceWorld = z.output<typeof Instance>;
export type NetworkInterfaceWorld = z.output<typeof NetworkInterface>;
export type SecurityGroupWorld = z.output<typeof SecurityGroup>;
export type PrefixListWorld = z.output<typeof PrefixList>;
export type LoadBalancerWorld = z.output<typeof LoadBalancer>;
export type ListenerWorld = z.output<typeof Listener>;
export type AccessControlListWorld = z.output<typeof AccessControlList>;
export type VbrWorld = z.output<typeof Vbr>;
export type RouteTableWorld = z.output<typeof RouteTable>;
export type RouteEntryWorld = z.output<typeof RouteEntry>;
export type RouterInterfaceWorld = z.output<typeof RouterInterface>;
export type BgpPeerWorld = z.output<typeof BgpPeer>;
export type BgpNetworkWorld = z.output<typeof BgpNetwork>;
export type CrWorld = z.output<typeof Cr>;
export type CrInstanceWorld = z.output<typeof CrInstance>;
export type CrNamespaceWorld = z.output<typeof CrNamespace>;
export type CrRepositoryWorld = z.output<typeof CrRepository>;
export type CrSourceCodeRepoWorld = z.output<typeof CrSourceCodeRepo>;
export type CrBuildRuleWorld = z.output<typeof CrBuildRule>;
export type CodeSourceWorld = z.output<typeof CodeSource>;
export type BuildsWorld = z.output<typeof Builds>;
export type GitlabWorld = World['gitlab'];
export type GitlabUserWorld = z.output<typeof GitlabUser>;
export type GitlabTokenWorld = z.output<typeof GitlabToken>;
export type GitlabProjectWorld = z.output<typeof GitlabProject>;

const WORLD_HINT = 'fix the world file (format: docs/world-format.md)';

/**
 * Validate a parsed world; throws InputError naming `where` (or the file:line `locate` gives) and the
 * path of the first bad field, in the shared issue formatter's words. An unknown key is reported
 * before the fields beside it (it usually explains a missing one: "region" for "regions").
 */
export function validateWorld(raw: unknown, where = 'world', locate?: Locate): World {
  const at: Locate = (path, kind) => locate?.(path, kind) ?? where;
  const r = parseProblems(WorldSchema, raw);
  if (!r.ok) {
    const [first] = r.problems;
    throw new InputError(first ? problemLine(first, at) : `${where}: not a world`, WORLD_HINT);
  }
  crossCheck(r.data, at);
  return r.data;
}

/** References that zod cannot see: ids that must exist elsewhere in the same region. */
function crossCheck(w: World, locate: Locate): void {
  for (const [region, r] of Object.entries(w.regions)) {
    const fail = (path: PathSeg[], problem: string): never => {
      throw new InputError(problemLine({ path: ['regions', region, ...path], at: 'value', problem }, locate), WORLD_HINT);
    };
    const vpcs = new Set(r.vpcs.map((v) => v.VpcId));
    r.vSwitches.forEach((v, i) => vpcs.has(v.VpcId) || fail(['vSwitches', i, 'VpcId'], `unknown VPC ${v.VpcId}`));
    const vsw = new Set(r.vSwitches.map((v) => v.VSwitchId));
    r.instances.forEach((x, i) => vsw.has(x.VpcAttributes.VSwitchId) || fail(['instances', i, 'VpcAttributes', 'VSwitchId'], `unknown vSwitch ${x.VpcAttributes.VSwitchId}`));
    const sgs = new Set(r.securityGroups.map((s) => s.SecurityGroupId));
    r.instances.forEach((x, i) =>
      x.SecurityGroupIds.forEach((s, j) => sgs.has(s) || fail(['instances', i, 'SecurityGroupIds', j], `unknown security group ${s}`)),
    );
    r.networkInterfaces.forEach((x, i) =>
      x.SecurityGroupIds.forEach((s, j) => sgs.has(s) || fail(['networkInterfaces', i, 'SecurityGroupIds', j], `unknown security group ${s}`)),
    );
    // "When you associate an ECS instance or an elastic network interface with multiple security
    // groups, all groups must be of the same type. You cannot mix basic and advanced security groups
    // on a single resource." An advanced group "cannot use a security group as the authorization
    // object" and "cannot serve as an authorization object in other groups' rules." (ECS, Basic and
    // advanced security groups)
    const typeOf = new Map(r.securityGroups.map((g) => [g.SecurityGroupId, g.SecurityGroupType]));
    const mixed = (ids: string[]) => new Set(ids.map((id) => typeOf.get(id))).size > 1;
    const MIX = 'mixes basic (normal) and advanced (enterprise) security groups; Alibaba refuses that: all groups of one instance or network interface must be of the same type';
    r.instances.forEach((x, i) => mixed(x.SecurityGroupIds) && fail(['instances', i, 'SecurityGroupIds'], MIX));
    r.networkInterfaces.forEach((x, i) => mixed(x.SecurityGroupIds) && fail(['networkInterfaces', i, 'SecurityGroupIds'], MIX));
    r.securityGroups.forEach((g, i) =>
      g.Permissions.forEach((perm, j) => {
        const ref = perm.SourceGroupId ?? ((perm as Record<string, unknown>).DestGroupId as string | undefined);
        if (!ref) return;
        const key = perm.SourceGroupId ? 'SourceGroupId' : 'DestGroupId';
        if (g.SecurityGroupType === 'enterprise') fail(['securityGroups', i, 'Permissions', j, key], `advanced (enterprise) group ${g.SecurityGroupId} cannot authorize a security group; Alibaba refuses group references in advanced groups`);
        if (typeOf.get(ref) === 'enterprise') fail(['securityGroups', i, 'Permissions', j, key], `${ref} is an advanced (enterprise) group, which cannot be the authorization object of a rule`);
      }),
    );
    // "By default, a CLB listener can be associated with at most three ACLs." (SLB, CLB access control)
    r.loadBalancers.forEach((l, i) =>
      l.Listeners.forEach((x, j) => {
        const ids = listenerAclIds(x);
        if (ids.length > 3) fail(['loadBalancers', i, 'Listeners', j, 'AclIds'], `${ids.length} ACLs; a CLB listener can be associated with at most three`);
        if (x.AclId && x.AclIds && !x.AclIds.includes(x.AclId)) fail(['loadBalancers', i, 'Listeners', j, 'AclId'], `${x.AclId} is not among AclIds`);
      }),
    );
    const insts = new Set(r.cr.instances.map((x) => x.InstanceId));
    r.cr.namespaces.forEach((x, i) => insts.has(x.InstanceId) || fail(['cr', 'namespaces', i, 'InstanceId'], `unknown ACR instance ${x.InstanceId}`));
    r.cr.repositories.forEach((x, i) => insts.has(x.InstanceId) || fail(['cr', 'repositories', i, 'InstanceId'], `unknown ACR instance ${x.InstanceId}`));
  }
}

/** Largest world file we read. */
export const MAX_WORLD_BYTES = 8 * 1024 * 1024;

/** Read and validate a world file (YAML or JSON). */
export function loadWorldFile(file: string): World {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`world file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'check the --world path');
  }
  if (text.length > MAX_WORLD_BYTES) throw new InputError(`world file ${file}: ${text.length} bytes is over the ${MAX_WORLD_BYTES}-byte limit for a world`);
  if (text.includes('\u0000')) throw new InputError(`world file ${file}: not a text file (it contains binary data)`, 'pass a YAML world file');
  let raw: unknown;
  const { LineCounter, parseDocument, YAMLParseError } = yaml();
  const lc = new LineCounter();
  let doc: Document;
  try {
    // what yaml's parse() does, keeping the document for the lines of problems
    doc = parseDocument(text, { lineCounter: lc });
    const [error] = doc.errors;
    if (error) throw error;
    for (const w of doc.warnings) process.emitWarning(w);
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      throw new InputError(`world file ${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${err.message.split('\n')[0]}`, 'fix the YAML syntax');
    }
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new InputError(`world file ${file}: cannot be read as data (${/alias/i.test(msg!) ? 'too many YAML alias expansions — a "billion laughs" bomb?' : msg})`);
  }
  return validateWorld(raw, `world file ${file}`, yamlLocator(doc, lc, `world file ${file}`));
}
