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
import { datacenterCidrOf, decideAccessPath, gitlabAddressOf, onEcsInterface } from './access-path.js';
import { selection, type CollectOptions, type ProgressEvent, type Run } from './collect/context.js';
import { describe, type Placement } from './collect/describe.js';
import { expand, loadBalancersFact } from './collect/expand.js';
import { now, un } from './collect/facts.js';
import { find, regionVpcsIfMissing, settled } from './collect/find.js';
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

  // The three rounds as a flow: each read starts as soon as the facts it needs are in, not when its
  // whole round is (answers come back at different times; the rounds overlap).
  progress({ type: 'step-start', step: 'cloud', detail: 'round 1: instance, VPC, vSwitches, GitLab ENI/SLB, link, repository' });
  const found = find(run, address, noAddress);
  const round1 = settled(found).then((f) => {
    progress({ type: 'step-finish', step: 'cloud', detail: 'round 1' });
    return f;
  });
  const regionVpcs = Promise.all([found.vpc, found.linkVSwitch]).then(([vpc, linkVSwitch]) => regionVpcsIfMissing(run, vpc, linkVSwitch));

  // which path: decides what the next rounds read (from GitLab's interface, and its load balancer
  // when no interface holds the address: an interface decides alone, see access-path.ts)
  const placement = found.enis.then(async (enis) => {
    const lbs = onEcsInterface(enis) ? undefined : await found.loadBalancersRaw;
    const path = decideAccessPath({
      host: input.gitlab.host,
      addresses,
      enis,
      ...(lbs ? { loadBalancers: lbs.state === 'ok' ? { ...lbs, value: lbs.value.map((l) => ({ loadBalancerId: String(l.LoadBalancerId) })) } : lbs } : {}),
      ...(config.datacenter ? { datacenterCidrs: config.datacenter.cidrs } : {}),
      region: config.region,
    });
    const at: Placement = {
      address,
      eni: path.kind === 'ecs' && enis.state === 'ok' ? enis.value[0] : undefined,
      loadBalancer: path.kind === 'slb' && lbs?.state === 'ok' ? lbs.value[0] : undefined,
      notEcs: (source) =>
        enis.state === 'unavailable' ? { ...enis, source } : un('not-applicable', `GitLab ${address ?? input.gitlab.host} is not on an ECS network interface in ${config.vpc.vpcId}`, source),
    };
    progress({ type: 'step-start', step: 'cloud', detail: 'round 2: security groups, ACLs, SLB, VBR routes, binding' });
    return { path, at };
  });
  const at = placement.then((p) => p.at);

  // SSH reads start once the path is known
  const sshReads = placement.then(({ path, at: { address: a } }) => readHosts(run, targets, (path.kind === 'ecs' || path.kind === 'slb') && !datacenterCidrOf(a, config.datacenter?.cidrs)));
  // all run alongside the cloud rounds and are awaited at the end: a failure must wait for that
  // await (and surface as the one-line error it is), not crash the process as an unhandled rejection
  for (const p of [probes, sshReads, round1, regionVpcs]) p.catch(() => {});

  const described = describe(run, found, at);
  const round2 = settled(described).then((d) => {
    progress({ type: 'step-finish', step: 'cloud', detail: 'round 2' });
    return d;
  });
  round2.catch(() => {});
  const expansion = expand(run, at, described.gitlabSecurityGroups, described.slbParts);
  // round 3 starts with the first of its inputs (GitLab's groups, the SLB's listeners)
  void Promise.race([described.gitlabSecurityGroups, described.slbParts]).then(
    () => progress({ type: 'step-start', step: 'cloud', detail: 'round 3: prefix lists, SLB access control lists' }),
    () => {},
  );
  const [f, d, expanded] = await Promise.all([round1, round2, settled(expansion)]);
  progress({ type: 'step-finish', step: 'cloud', detail: 'round 3' });
  const loadBalancers = loadBalancersFact(f, await at, d.slbParts, expanded.slbAcls);
  const regionVpcsFact = await regionVpcs;

  const [gitlab, hosts] = await Promise.all([probes, sshReads]);
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    collectedAt: now(),
    input,
    cloud: {
      acrInstance: f.acrInstance,
      vpc: f.vpc,
      linkVSwitch: f.linkVSwitch,
      vSwitches: f.vSwitches,
      ...(regionVpcsFact ? { regionVpcs: regionVpcsFact } : {}),
      gitlabEnis: f.enis,
      gitlabSecurityGroups: d.gitlabSecurityGroups,
      prefixLists: expanded.prefixLists,
      gitlabVSwitch: d.gitlabVSwitch,
      gitlabNetworkAcl: d.gitlabNetworkAcl,
      loadBalancers,
      slbBackendNetworks: expanded.slbBackendNetworks,
      vbr: f.vbr,
      vbrRouteEntries: d.vbrRouteEntries,
      bgpPeers: d.bgpPeers,
      bgpNetworks: d.bgpNetworks,
      managedSecurityGroups: d.managedSecurityGroups,
      managedEnis: f.managedEnis,
      repository: f.repository,
      sourceBinding: d.sourceBinding,
    },
    gitlab: { ...gitlab, addresses },
    hosts,
  };
}
