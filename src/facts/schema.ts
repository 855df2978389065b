// The fact snapshot's schema, for what comes from outside: `analyze` reads bundles that people
// edit, truncate and hand around. Every value a rule reads is checked for its type and, where the
// rule computes with it, its form (CIDRs, priorities, closed vocabularies), so a broken bundle is one
// line naming the path, never a crashed rule or a verdict on a value that means nothing.
// Unknown extra fields are allowed (a newer version may add some); the types mirror src/facts/types.ts.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { isCidr } from '../net/cidr.js';

const str = z.string();
const opt = <T extends z.ZodType>(t: T) => t.optional();
/** IPv4 CIDR or address (what the cloud APIs give for VPC, vSwitch and security-group rules) */
const v4cidr = z.string().refine(isCidr, 'expected an IPv4 CIDR like 192.168.0.0/16');
/** IPv4 or IPv6 CIDR (route tables, network ACL entries and prefix lists may hold IPv6) */
const anyCidr = z.string().refine((s) => isCidr(s) || (s.includes(':') && (ipaddr.IPv6.isValidCIDR(s) || ipaddr.IPv6.isValid(s))), 'expected an IPv4 or IPv6 CIDR');
const portRange = z.string().regex(/^-?\d+\/-?\d+$/, 'expected start/end, e.g. 443/443 or -1/-1');

const provenance = { source: str, at: str };
const unavailable = z.object({
  state: z.literal('unavailable'),
  reason: z.enum(['not-configured', 'not-applicable', 'forbidden', 'not-found', 'timeout', 'api-error', 'probe-failed', 'error']),
  message: str,
  ramAction: opt(str),
  code: opt(str),
  hint: opt(str),
  ...provenance,
});
const fact = <T extends z.ZodType>(value: T) => z.discriminatedUnion('state', [z.object({ state: z.literal('ok'), value, ...provenance }), unavailable]);

const vSwitch = z.object({ vSwitchId: str, vpcId: str, zoneId: str, cidrBlock: v4cidr, networkAclId: opt(str), status: opt(str) });
const eni = z.object({
  networkInterfaceId: opt(str), instanceId: opt(str), vpcId: str, vSwitchId: str, zoneId: opt(str),
  privateIpAddresses: z.array(str), securityGroupIds: z.array(str), serviceManaged: opt(z.boolean()), status: opt(str),
});
const permission = z.object({
  ruleId: opt(str),
  direction: z.enum(['ingress', 'egress']),
  policy: z.enum(['accept', 'drop']),
  priority: z.number().int().min(1).max(100),
  ipProtocol: str,
  portRange: z.union([portRange, z.literal('')]),
  portRangeListId: opt(str),
  sourcePortRange: opt(portRange),
  sourceCidrIp: opt(v4cidr),
  sourcePrefixListId: opt(str),
  sourceGroupId: opt(str),
  destCidrIp: opt(v4cidr),
  destPrefixListId: opt(str),
  destGroupId: opt(str),
  description: opt(str),
});
const securityGroup = z.object({
  securityGroupId: str, securityGroupName: opt(str), vpcId: opt(str), type: z.enum(['normal', 'enterprise']),
  innerAccessPolicy: opt(str), serviceManaged: opt(z.boolean()), permissions: z.array(permission),
});
const naclEntry = z.object({ entryId: opt(str), name: opt(str), policy: z.enum(['accept', 'drop']), protocol: str, port: portRange, cidr: z.union([anyCidr, z.literal('')]), entryType: opt(str) });
const listener = z.object({
  listenerPort: z.number().int().min(1).max(65535), listenerProtocol: str, status: str, aclStatus: str, aclType: opt(str),
  aclIds: opt(z.array(str)), aclId: opt(str), backendServerPort: opt(z.number().int()),
});
const loadBalancer = z.object({
  loadBalancerId: str, address: str, addressType: str, vpcId: opt(str), vSwitchId: opt(str), status: opt(str),
  listeners: z.array(listener),
  acls: z.array(z.object({ aclId: str, aclName: opt(str), entries: z.array(anyCidr) })),
  backends: z.array(z.object({ serverId: str, serverIp: opt(str), port: opt(z.number()), listenerPort: opt(z.number()), healthStatus: str })),
});
const routeEntry = z.object({ routeEntryId: opt(str), destinationCidrBlock: anyCidr, status: str, type: str, nextHops: z.array(z.object({ nextHopType: str, nextHopId: str })) });
const probeOutcome = z.enum(['connected', 'not-gitlab', 'speaks-tls', 'refused', 'timeout', 'dns-failed', 'tls-failed', 'auth-failed', 'error']);
const httpProbe = z.object({
  vantage: str, url: str, dialed: opt(str), resolvedAddresses: opt(z.array(str)), outcome: probeOutcome, httpStatus: opt(z.number().int()),
  gitlabVersion: opt(str), error: opt(str),
  timing: z.object({ dnsMs: opt(z.number()), connectMs: opt(z.number()), tlsMs: opt(z.number()), firstByteMs: opt(z.number()), totalMs: z.number() }),
});
const firewallRead = z.object({
  tool: z.enum(['iptables-save', 'nft']), command: str, path: opt(str), outcome: z.enum(['read', 'not-installed', 'permission-denied', 'timeout', 'error']),
  exitCode: opt(z.number().int().nullable()), stderr: opt(str),
  sudo: opt(z.object({ outcome: z.enum(['read', 'refused', 'not-installed', 'timeout', 'error']), exitCode: opt(z.number().int().nullable()), stderr: opt(str) })),
});

export const FACTS_SCHEMA = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: str, version: str }),
  collectedAt: str,
  input: z.object({
    region: str,
    acr: z.object({ instanceId: str, namespace: opt(str), repository: opt(str) }),
    vpc: z.object({ vpcId: str, vSwitchId: str }),
    gitlab: z.object({
      endpoint: str, host: str, port: z.number().int().min(1).max(65535), scheme: z.enum(['http', 'https']), username: str, project: str,
      caFile: opt(z.boolean()), sshPort: opt(z.number().int().min(1).max(65535)),
    }),
    datacenter: opt(z.object({ cidrs: z.array(v4cidr), vbrId: opt(str), routerConfigured: z.boolean(), attestReturnRoute: opt(str) })),
    extraEndpoints: z.array(str),
    jumpHostConfigured: z.boolean(),
    gitlabHostConfigured: z.boolean(),
    zoneOverrides: opt(z.record(str, z.array(str))),
  }),
  cloud: z.object({
    acrInstance: fact(z.object({ instanceId: str, instanceName: opt(str), status: str, specification: opt(str) })),
    vpc: fact(z.object({ vpcId: str, cidrBlock: v4cidr, secondaryCidrBlocks: z.array(v4cidr), userCidrs: z.array(v4cidr), status: opt(str) })),
    linkVSwitch: fact(vSwitch),
    vSwitches: fact(z.array(vSwitch)),
    regionVpcs: opt(fact(z.array(z.object({ vpcId: str, vSwitchIds: z.array(str) })))),
    gitlabEnis: fact(z.array(eni)),
    gitlabSecurityGroups: fact(z.array(securityGroup)),
    prefixLists: fact(z.array(z.object({ prefixListId: str, prefixListName: opt(str), addressFamily: str, entries: z.array(anyCidr) }))),
    gitlabVSwitch: fact(vSwitch),
    gitlabNetworkAcl: fact(z.object({ networkAclId: str, vpcId: opt(str), status: opt(str), ingress: z.array(naclEntry), egress: z.array(naclEntry) }).nullable()),
    loadBalancers: fact(z.array(loadBalancer)),
    vbr: fact(z.object({ vbrId: str, status: str, routeTableId: opt(str), vlanInterfaceId: opt(str), physicalConnectionId: opt(str), localGatewayIp: opt(str), peerGatewayIp: opt(str) })),
    vbrRouteEntries: fact(z.array(routeEntry)),
    bgpPeers: fact(z.array(z.object({ bgpPeerId: str, routerId: str, bgpStatus: str, peerIpAddress: opt(str), peerAsn: opt(str) }))),
    bgpNetworks: fact(z.array(z.object({ routerId: str, dstCidrBlock: anyCidr, status: opt(str) }))),
    managedSecurityGroups: fact(z.array(securityGroup)),
    managedEnis: fact(z.array(eni)),
    repository: fact(z.object({ repoId: str, repoName: str, repoNamespaceName: str }).nullable()),
    sourceBinding: fact(z.object({ codeRepoType: str, codeRepoNamespaceName: str, codeRepoName: str, codeRepoDomain: opt(str), overseaBuild: z.boolean(), autoBuild: opt(z.boolean()) }).nullable()),
  }),
  gitlab: z.object({
    addresses: fact(z.array(str)),
    probeLocal: fact(httpProbe),
    probeJump: fact(httpProbe),
    tls: fact(z.object({
      protocol: opt(str), cipher: opt(str), subject: opt(str), issuer: opt(str), subjectAltNames: z.array(str), validFrom: opt(str), validTo: opt(str),
      fingerprint256: opt(str), authorized: z.boolean(), authorizationError: opt(str), hostnameMatches: z.boolean(), caFileUsed: z.boolean(),
    }).nullable()),
    token: fact(z.object({ httpStatus: z.number().int(), name: opt(str), scopes: z.array(str), active: opt(z.boolean()), revoked: opt(z.boolean()), expiresAt: opt(str.nullable()), userId: opt(z.number()) })),
    user: fact(z.object({ httpStatus: z.number().int(), username: opt(str), id: opt(z.number()), state: opt(str) })),
    project: fact(z.object({ httpStatus: z.number().int(), pathWithNamespace: opt(str), httpUrlToRepo: opt(str), defaultBranch: opt(str), visibility: opt(str) })),
    gitDiscovery: fact(z.object({ httpStatus: z.number().int(), contentType: opt(str), smart: z.boolean(), refs: z.number().int() })),
  }),
  hosts: z.object({
    gitlabHost: fact(z.object({
      host: str, user: opt(str), uid: opt(z.number().int()),
      routes: z.array(z.object({ target: str, output: str, dev: opt(str), via: opt(str), src: opt(str) })),
      interfaces: z.array(z.object({ name: str, addresses: z.array(str) })),
      firewallLines: z.array(str),
      firewall: opt(z.array(firewallRead)),
      vpcInterface: opt(str),
      defaultRouteDev: opt(str),
    })),
    idcRouter: fact(z.object({
      host: str, flavor: z.enum(['linux', 'cisco', 'huawei', 'juniper', 'unknown']), command: str, output: str,
      route: opt(z.object({ prefix: opt(str), dev: opt(str), via: opt(str) })),
    })),
  }),
});

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out || '(top level)';
}

/** The first problem of a snapshot against the schema, as "path: problem", or undefined. */
export function factsSchemaProblem(v: unknown): string | undefined {
  const r = FACTS_SCHEMA.safeParse(v);
  if (r.success) return undefined;
  // the deepest issue is the most telling one (a union reports its branches' issues)
  const issue = r.error.issues[0]!;
  const deep = issue.code === 'invalid_union' && 'errors' in issue ? (issue.errors as { path: PropertyKey[]; message: string }[][]).flat().sort((a, b) => b.path.length - a.path.length)[0] : undefined;
  const path = deep ? [...issue.path, ...deep.path] : issue.path;
  return `${pathOf(path)}: ${deep?.message ?? issue.message}`;
}
