// The in-process API of the emulator (tests, `demo`, and the `emulator` command use it):
//   const em = await startEmulator({ worldFile: 'fixtures/worlds/demo.yaml', port: 0 });
//   em.cloudUrl / em.cloudEndpoint ('127.0.0.1:PORT' for the SDK), em.gitlabUrl, em.gitlabCa, em.audit(), await em.stop()
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, type AuditEntry } from './audit.js';
import { createCloudServer, dumpState } from './cloud-server.js';
import { FaultInjector } from './faults.js';
import { GitlabModel } from './gitlab-model.js';
import { createGitlabServer, createRepos } from './gitlab-server.js';
import { CloudState } from './store.js';
import { makeTls, type TlsMaterial } from './tls.js';
import { loadWorldFile, validateWorld, type World } from './world.js';

export type { World, WorldInput } from './world.js';
export type { AuditEntry } from './audit.js';
export { loadWorldFile, validateWorld } from './world.js';

export interface StartOptions {
  /** a world object (validated here) — or worldFile */
  world?: unknown;
  worldFile?: string;
  /** cloud API port; 0 = any free port (default 0) */
  port?: number;
  /** GitLab port; 0 = any free port (default 0) */
  gitlabPort?: number;
  /** append one JSON line per cloud call */
  auditFile?: string;
  /** where repositories and TLS files go; default a temp dir that stop() removes */
  stateDir?: string;
  /** the world's clock: build progress and GitLab token expiry (tests can jump ahead); signatures use the wall clock */
  now?: () => number;
  /** diagnostics (internal errors, git http-backend stderr); default silent */
  log?: (line: string) => void;
}

export interface EmulatorHandle {
  /** http://127.0.0.1:PORT */
  cloudUrl: string;
  /** 127.0.0.1:PORT — what the SDK's Config.endpoint wants (with protocol 'http') */
  cloudEndpoint: string;
  cloudPort: number;
  /** http(s)://127.0.0.1:PORT2 */
  gitlabUrl: string;
  gitlabPort: number;
  tls: 'none' | 'self-signed' | 'ca';
  /** PEM file to trust for the GitLab (ca.crt, or the self-signed server.crt) */
  gitlabCa?: string;
  stateDir: string;
  world: World;
  /** live stores (read them in tests; change them only through the API or the control endpoints) */
  state: CloudState;
  gitlab: GitlabModel;
  audit(): AuditEntry[];
  dump(): Record<string, unknown>;
  /** the one JSON line the CLI prints when ready */
  readyLine(): string;
  stop(): Promise<void>;
}

function listen(server: Server | NetServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function hostsOf(world: World): string[] {
  const out: string[] = [];
  for (const u of [world.gitlab.endpoint, world.gitlab.external_url]) {
    if (!u) continue;
    try {
      out.push(new URL(u).hostname.replace(/^\[|\]$/g, ''));
    } catch {
      /* validated already */
    }
  }
  return out;
}

export async function startEmulator(opts: StartOptions): Promise<EmulatorHandle> {
  const world = opts.worldFile !== undefined ? loadWorldFile(opts.worldFile) : validateWorld(opts.world, 'world');
  const now = opts.now ?? Date.now;
  const ownDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'acr-emulator-'));
  mkdirSync(stateDir, { recursive: true });
  let cloud: Server | undefined;
  let gl: ReturnType<typeof createGitlabServer> | undefined;
  const cleanup = async () => {
    if (cloud) {
      cloud.closeAllConnections();
      await new Promise<void>((r) => cloud!.close(() => r()));
    }
    if (gl) await gl.close();
    if (ownDir) rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    const model = new GitlabModel(world.gitlab, now);
    const reposRoot = join(stateDir, 'repos');
    mkdirSync(reposRoot, { recursive: true });
    createRepos(reposRoot, model.projects);
    let tls: TlsMaterial | undefined;
    if (world.gitlab.tls !== 'none') {
      const tlsDir = join(stateDir, 'tls');
      mkdirSync(tlsDir, { recursive: true });
      const cert = world.gitlab.certificate;
      tls = makeTls(world.gitlab.tls, tlsDir, cert?.hosts ?? hostsOf(world), cert?.days ?? 365);
    }
    const state = new CloudState(world);
    const audit = new AuditLog(opts.auditFile);
    cloud = createCloudServer({
      state,
      faults: new FaultInjector(world.faults),
      audit,
      now,
      log: opts.log,
      hooks: {
        projectVisible: (s, ns, name) => model.projectVisible(s, ns, name),
        cloneCheck: (s, ns, name, ref) => model.cloneCheck(s, ns, name, ref),
        verifyAccount: (u, t) => model.verifyAccount(u, t),
      },
    });
    gl = createGitlabServer(model, { reposRoot, tls, hang: world.gitlab.hang, log: opts.log });
    const cloudPort = await listen(cloud, opts.port ?? 0);
    const gitlabPort = await listen(gl.server, opts.gitlabPort ?? 0);
    const scheme = tls ? 'https' : 'http';
    const handle: EmulatorHandle = {
      cloudUrl: `http://127.0.0.1:${cloudPort}`,
      cloudEndpoint: `127.0.0.1:${cloudPort}`,
      cloudPort,
      gitlabUrl: `${scheme}://127.0.0.1:${gitlabPort}`,
      gitlabPort,
      tls: world.gitlab.tls,
      gitlabCa: tls?.caFile,
      stateDir,
      world,
      state,
      gitlab: model,
      audit: () => [...audit.entries],
      dump: () => dumpState(state, now()),
      readyLine: () =>
        JSON.stringify({
          cloud: handle.cloudUrl,
          gitlab: handle.gitlabUrl,
          tls: handle.tls,
          ...(handle.gitlabCa ? { gitlabCa: handle.gitlabCa } : {}),
          ...(world.gitlab.hang ? { gitlabHang: true } : {}),
          stateDir,
          pid: process.pid,
        }),
      stop: async () => {
        const c = cleanup;
        stopped ??= c();
        return stopped;
      },
    };
    let stopped: Promise<void> | undefined;
    return handle;
  } catch (err) {
    await cleanup().catch(() => {});
    throw err;
  }
}
