// Targeted fact collection: only the resources that matter to this GitLab, found by its address,
// never by listing the account. This file is the schedule; the parts live beside it:
//   collect/find.ts, describe.ts, expand.ts   the three cloud rounds (find → describe → expand)
//   collect/probes.ts                         GitLab probes and SSH reads, beside the rounds
//   collect/reader.ts                         every call: typed answers (responses.ts), whole lists
//   normalise/{ecs,vpc,slb,cr}.ts             typed answers → fact values (pure)
//   access-path.ts                            how GitLab is reached (decided once, also for the engine)
// Independent calls run in parallel; the critical path is three API round trips. Every failure
// becomes an unavailable fact naming why.
import type { LoadedConfig } from '../config/types.js';
import { inputSummaryFromConfig } from '../config/summary.js';
import { TOOL_NAME, toolVersion } from '../paths.js';
import { resolveHost } from './gitlab-probe.js';
import type { Facts } from './types.js';
import { datacenterCidrOf, decideAccessPath, gitlabAddressOf } from './access-path.js';
import { selection, type CollectOptions, type ProgressEvent, type Run } from './collect/context.js';
import { describe, type Placement } from './collect/describe.js';
import { expand, loadBalancersFact } from './collect/expand.js';
import { now, un } from './collect/facts.js';
import { find, regionVpcsIfMissing } from './collect/find.js';
import { probeGitlab, readHosts, resolveProbeTargets } from './collect/probes.js';
import { CloudReader } from './collect/reader.js';

export type { CollectOptions, ProgressEvent } from './collect/context.js';
export { factFromError } from './collect/facts.js';
export { MAX_PAGES } from './collect/reader.js';
export { normInstance, normSourceBinding } from './normalise/cr.js';
export { normPermission } from './normalise/ecs.js';
export { normListener } from './normalise/slb.js';
export { normNetworkAcl } from './normalise/vpc.js';

/**
 * Runs the collection. Credentials/config problems throw (one-line errors); API problems become facts.
 * When the collection fails, everything still in flight (GitLab probes, SSH reads) is cancelled
 * before the error goes up: nothing is sent, and no progress is reported, after the run has failed.
 */
export async function collectFacts(loaded: LoadedConfig, opts: CollectOptions): Promise<Facts> {
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const onProgress = opts.onProgress;
  const run: Run = {
    config: loaded.config,
    loaded,
    env: opts.env,
    signal,
    noProbes: opts.noProbes === true,
    cloud: new CloudReader(opts.api, signal, opts.onCall),
    input: inputSummaryFromConfig(loaded.config),
    progress: (e: ProgressEvent) => {
      if (!signal.aborted) onProgress?.(e);
    },
    want: selection(opts.needs),
  };
  try {
    return await schedule(run);
  } catch (err) {
    stop.abort(err);
    throw err;
  } finally {
    run.cloud.close();
  }
}

async function schedule(run: Run): Promise<Facts> {
  const { config, input, progress } = run;
  const targets = resolveProbeTargets(run);

  // GitLab's address: needed to find its ENI / SLB
  progress({ type: 'step-start', step: 'resolve', detail: input.gitlab.host });
  const addresses = await resolveHost(input.gitlab.host);
  const { address } = gitlabAddressOf(input.gitlab.host, addresses);
  progress({ type: 'step-finish', step: 'resolve', detail: address ?? 'unresolved' });
  const noAddress = (source: string) => un('error', `GitLab address unknown: ${addresses.state === 'unavailable' ? addresses.message : 'no IPv4 address'}`, source);

  // live probes run alongside the cloud rounds
  const probes = probeGitlab(run, targets, addresses);

  progress({ type: 'step-start', step: 'cloud', detail: 'round 1: instance, VPC, vSwitches, GitLab ENI/SLB, link, repository' });
  const found = await find(run, address, noAddress);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 1' });
  const regionVpcs = await regionVpcsIfMissing(run, found.vpc, found.linkVSwitch);

  // which path: decides what the next rounds read
  const lbs = found.loadBalancersRaw;
  const path = decideAccessPath({
    host: input.gitlab.host,
    addresses,
    enis: found.enis,
    loadBalancers: lbs.state === 'ok' ? { ...lbs, value: lbs.value.map((l) => ({ loadBalancerId: String(l.LoadBalancerId) })) } : lbs,
    ...(config.datacenter ? { datacenterCidrs: config.datacenter.cidrs } : {}),
    region: config.region,
  });
  const at: Placement = {
    address,
    eni: path.kind === 'ecs' && found.enis.state === 'ok' ? found.enis.value[0] : undefined,
    loadBalancer: path.kind === 'slb' && lbs.state === 'ok' ? lbs.value[0] : undefined,
    notEcs: (source) =>
      found.enis.state === 'unavailable' ? { ...found.enis, source } : un('not-applicable', `GitLab ${address ?? input.gitlab.host} is not on an ECS network interface in ${config.vpc.vpcId}`, source),
  };

  // SSH reads start now that the path is known
  const offDatacenter = (path.kind === 'ecs' || path.kind === 'slb') && !datacenterCidrOf(address, config.datacenter?.cidrs);
  const sshReads = readHosts(run, targets, offDatacenter);
  // both run alongside the cloud rounds and are awaited at the end: a failure must wait for that
  // await (and surface as the one-line error it is), not crash the process as an unhandled rejection
  probes.catch(() => {});
  sshReads.catch(() => {});

  progress({ type: 'step-start', step: 'cloud', detail: 'round 2: security groups, ACLs, SLB, VBR routes, binding' });
  const described = await describe(run, found, at);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 2' });

  progress({ type: 'step-start', step: 'cloud', detail: 'round 3: prefix lists, SLB access control lists' });
  const expanded = await expand(run, at, described.gitlabSecurityGroups, described.slbParts);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 3' });
  const loadBalancers = loadBalancersFact(found, at, described.slbParts, expanded.slbAcls);

  const [gitlab, hosts] = await Promise.all([probes, sshReads]);
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    collectedAt: now(),
    input,
    cloud: {
      acrInstance: found.acrInstance,
      vpc: found.vpc,
      linkVSwitch: found.linkVSwitch,
      vSwitches: found.vSwitches,
      ...(regionVpcs ? { regionVpcs } : {}),
      gitlabEnis: found.enis,
      gitlabSecurityGroups: described.gitlabSecurityGroups,
      prefixLists: expanded.prefixLists,
      gitlabVSwitch: described.gitlabVSwitch,
      gitlabNetworkAcl: described.gitlabNetworkAcl,
      loadBalancers,
      slbBackendNetworks: expanded.slbBackendNetworks,
      vbr: found.vbr,
      vbrRouteEntries: described.vbrRouteEntries,
      bgpPeers: described.bgpPeers,
      bgpNetworks: described.bgpNetworks,
      managedSecurityGroups: described.managedSecurityGroups,
      managedEnis: found.managedEnis,
      repository: found.repository,
      sourceBinding: described.sourceBinding,
    },
    gitlab: { ...gitlab, addresses },
    hosts,
  };
}
