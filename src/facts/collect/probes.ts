// The live reads beside the cloud rounds: GitLab probes (local and through the jump host) and the
// SSH reads of the GitLab host and the IDC router. Secrets and SSH targets are resolved before any
// call: an unset token variable or a missing key file is a config problem (one line, exit 2), not
// something to find out halfway through.
import { readFileSync } from 'node:fs';
import { resolveSecret } from '../../config/secrets.js';
import { resolveUserPath } from '../../config/load.js';
import { ConfigError } from '../../errors.js';
import { collectGitlab, type JumpVantage } from '../gitlab-probe.js';
import { connectSsh, forward, readGitlabHost, readIdcRouter, resolveSshTarget, SshError, type SshConnectTarget } from '../ssh.js';
import { PROBES_DISABLED, type Facts } from '../types.js';
import type { Run } from './context.js';
import { unselected } from './context.js';
import { un } from './facts.js';

const GITLAB_FACTS = ['gitlab.probeLocal', 'gitlab.probeJump', 'gitlab.tls', 'gitlab.token', 'gitlab.user', 'gitlab.project', 'gitlab.gitDiscovery'];

export interface ProbeTargets {
  gitlabToken?: string;
  jump?: SshConnectTarget;
  gitlabHost?: SshConnectTarget;
  router?: SshConnectTarget;
}

const timeoutOf = (run: Run) => run.config.probe?.timeoutMs ?? 5000;
const probesOff = () => un('not-configured', 'live probes are off (--no-probes)', 'config', { code: PROBES_DISABLED, hint: 'run without --no-probes' });

/** The token and SSH targets the probes will use, resolved now; none when nothing will be probed. */
export function resolveProbeTargets(run: Run): ProbeTargets {
  const { config, loaded, env } = run;
  const probing = !run.noProbes && run.want(...GITLAB_FACTS, 'hosts.gitlabHost', 'hosts.idcRouter');
  if (!probing) return {};
  const target = (t: NonNullable<typeof config.probe>['jumpHost'], where: string) => {
    if (!t) return undefined;
    try {
      return resolveSshTarget(t, loaded.baseDir, env, timeoutOf(run));
    } catch (err) {
      if (err instanceof SshError) throw new ConfigError(`${where}: ${err.message}`, 'fix the key file or passphrase reference in the config');
      throw err;
    }
  };
  const gitlabToken = resolveSecret(config.gitlab.token, loaded.baseDir, env, 'gitlab.token');
  const jump = target(config.probe?.jumpHost, 'probe.jumpHost');
  const gitlabHost = target(config.probe?.gitlabHost?.ssh, 'probe.gitlabHost.ssh');
  const router = target(config.datacenter?.router?.ssh, 'datacenter.router.ssh');
  return { ...(gitlabToken !== undefined ? { gitlabToken } : {}), ...(jump ? { jump } : {}), ...(gitlabHost ? { gitlabHost } : {}), ...(router ? { router } : {}) };
}

/** gitlab.caFile, plus NODE_EXTRA_CA_CERTS (a `ca` list replaces Node's default store, which that variable extends). */
function readCa(run: Run): string | undefined {
  const { config, loaded, env } = run;
  if (!config.gitlab.caFile) return undefined;
  let ca: string | undefined;
  try {
    ca = readFileSync(resolveUserPath(config.gitlab.caFile, loaded.baseDir, env), 'utf8');
  } catch {
    return undefined; // loadConfig already warned that the file does not exist
  }
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      ca = `${ca}\n${readFileSync(extra, 'utf8')}`;
    } catch {
      /* Node itself warns about an unreadable NODE_EXTRA_CA_CERTS */
    }
  }
  return ca;
}

/** The GitLab facts: probed from here and, with a jump host, from there (SSH connects beside the local probe). */
export async function probeGitlab(run: Run, targets: ProbeTargets, addresses: Facts['gitlab']['addresses']): Promise<Facts['gitlab']> {
  const { config, env, signal } = run;
  if (!run.want(...GITLAB_FACTS)) {
    const off = unselected<never>();
    return { addresses, probeLocal: off, probeJump: off, tls: off, token: off, user: off, project: off, gitDiscovery: off };
  }
  if (run.noProbes) {
    const off = un('not-configured', 'live probes are off (--no-probes)', 'config', { code: PROBES_DISABLED, hint: 'run without --no-probes to probe GitLab' });
    return { addresses, probeLocal: off, probeJump: off, tls: off, token: off, user: off, project: off, gitDiscovery: off };
  }
  run.progress({ type: 'step-start', step: 'gitlab', detail: run.input.gitlab.endpoint });
  const ca = readCa(run);
  const probeInput = {
    endpoint: config.gitlab.endpoint,
    token: targets.gitlabToken!,
    username: config.gitlab.username,
    project: config.gitlab.project,
    ...(ca ? { ca } : {}),
    ...(config.probe?.connectTo ? { connectTo: config.probe.connectTo } : {}),
    timeoutMs: timeoutOf(run),
    env,
    signal,
  };
  const jump = config.probe?.jumpHost;
  let result: Facts['gitlab'];
  if (jump) {
    const label = `jump:${jump.username}@${jump.host}`;
    const ssh = connectSsh(targets.jump!, { env, signal }).then(
      (client) => ({ client }),
      (err: Error) => ({ err }),
    );
    const vantage = ssh.then((r): JumpVantage =>
      'client' in r ? { tunnel: (h, p) => forward(r.client, h, p), label } : { unavailable: un('probe-failed', `jump host ${jump.host}: ${r.err.message}`, `ssh:${label}`) },
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
  run.progress({ type: 'step-finish', step: 'gitlab' });
  return { ...result, addresses };
}

/**
 * The SSH reads of the GitLab host and the IDC router. `offDatacenter`: GitLab is on ECS or behind an
 * SLB and not inside datacenter.cidrs, so the router is not on its path.
 */
export async function readHosts(run: Run, targets: ProbeTargets, offDatacenter: boolean): Promise<Facts['hosts']> {
  const { config, env, signal } = run;
  let gitlabHost: Facts['hosts']['gitlabHost'];
  const gh = config.probe?.gitlabHost;
  if (!run.want('hosts.gitlabHost')) gitlabHost = unselected();
  else if (!gh) gitlabHost = un('not-configured', 'probe.gitlabHost is not set', 'config', { hint: 'set probe.gitlabHost.ssh to read routes and firewall rules on the GitLab host' });
  else if (run.noProbes) gitlabHost = probesOff();
  else {
    run.progress({ type: 'step-start', step: 'ssh-gitlab-host', detail: gh.ssh.host });
    gitlabHost = await readGitlabHost(targets.gitlabHost!, { env, sudo: gh.sudo === true, signal });
    run.progress({ type: 'step-finish', step: 'ssh-gitlab-host' });
  }
  let idcRouter: Facts['hosts']['idcRouter'];
  const router = config.datacenter?.router;
  if (!config.datacenter) idcRouter = un('not-applicable', 'no datacenter configured', 'config');
  else if (!run.want('hosts.idcRouter')) idcRouter = unselected();
  else if (!router) idcRouter = un('not-configured', 'datacenter.router is not set', 'config', { hint: 'set datacenter.router.ssh to read the IDC router' });
  else if (run.noProbes) idcRouter = probesOff();
  else if (offDatacenter) idcRouter = un('not-applicable', 'GitLab is not in the data center', 'config');
  else {
    run.progress({ type: 'step-start', step: 'ssh-idc-router', detail: router.ssh.host });
    idcRouter = await readIdcRouter(targets.router!, router.flavor ?? 'linux', { env, signal });
    run.progress({ type: 'step-finish', step: 'ssh-idc-router' });
  }
  return { gitlabHost, idcRouter };
}
