// The fact model: everything the rules read. The types are inferred from the one schema
// (src/facts/schema.ts, where each field is described), so the types and what `analyze` accepts
// from a bundle cannot drift apart. Rules import the types from here.
export type {
  AcrInstance, AcrRepository, Available, BgpNetwork, BgpPeer, Eni, Fact, Facts, FirewallReadOutcome, FirewallToolRead, GitDiscovery,
  GitlabProject, GitlabUser, HostRouteRead, HttpProbe, InputSummary, LoadBalancer, NaclEntry, NetworkAcl, PrefixList, ProbeOutcome,
  ProbeTiming, Provenance, RegionVpc, RouteEntry, RouteNextHop, RouterRead, SecurityGroup, SecurityGroupType, SgPermission,
  SlbAcl, SlbBackend, SlbBackendNetwork, SlbListener, SourceBinding, TlsInfo, TokenInfo, Unavailable, UnavailableReason, Vbr, Vpc,
  VSwitch,
} from './schema.js';

/** `code` of the not-configured facts that --no-probes leaves unread (GitLab probes, SSH reads) */
export const PROBES_DISABLED = 'ProbesDisabled';
