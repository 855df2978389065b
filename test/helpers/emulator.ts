// Test helpers around the emulator: start it in-process or as the real CLI process, build the real
// Alibaba Cloud SDK clients against it, and prepare a fixture config for a running emulator.
// SDKs are imported lazily (≈1 s), only by the tests that ask for a client.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startEmulator, type EmulatorHandle, type StartOptions } from '../../src/emulator/index.js';
import { BIN, ROOT } from './cli.js';

export const WORLDS_DIR = join(ROOT, 'fixtures', 'worlds');
export const CONFIGS_DIR = join(ROOT, 'fixtures', 'configs');

/** the fixture worlds' long-term key, STS credential and GitLab token */
export const DEMO_KEY = { accessKeyId: 'LTAI5tEmuDemoKey', accessKeySecret: 'emulator-demo-secret' };
export const DEMO_STS = { accessKeyId: 'STS.NUEmuDemoToken', accessKeySecret: 'emulator-sts-secret', securityToken: 'CAIS-emulator-sts-token' };
export const DEMO_GITLAB_TOKEN = 'glpat-emulator-builder-0001';

export function worldPath(name: string): string {
  return name.includes('/') ? name : join(WORLDS_DIR, `${name}.yaml`);
}

/** a fixture world as a plain object, to modify before starting */
export function loadFixtureWorld(name: string): Record<string, any> {
  return parse(readFileSync(worldPath(name), 'utf8')) as Record<string, any>;
}

/** start in-process on free ports; `world` = fixture name, path, or world object */
export function startTestEmulator(world: string | Record<string, unknown>, opts: Omit<StartOptions, 'world' | 'worldFile'> = {}): Promise<EmulatorHandle> {
  return typeof world === 'string' ? startEmulator({ worldFile: worldPath(world), port: 0, gitlabPort: 0, ...opts }) : startEmulator({ world, port: 0, gitlabPort: 0, ...opts });
}

export interface ReadyLine {
  cloud: string;
  gitlab: string;
  tls: 'none' | 'self-signed' | 'ca';
  gitlabCa?: string;
  stateDir: string;
  pid: number;
}

export interface SpawnedEmulator {
  child: ChildProcess;
  ready: ReadyLine;
  stderr(): string;
  /** SIGTERM, wait for exit (bounded), return the exit code */
  stop(): Promise<number | null>;
}

/** the real CLI (`node bin/acr-preflight.js emulator ...`, needs `tsc -p .` first); resolves on the ready line */
export function spawnEmulator(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<SpawnedEmulator> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator not ready in time; stderr: ${err}`));
    }, opts.timeoutMs ?? 20_000);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('\n')) reject(Object.assign(new Error(`emulator exited with ${code}: ${err.trim()}`), { code, stderr: err }));
    });
    child.stdout!.on('data', (d) => {
      const had = out.includes('\n');
      out += d;
      if (!had && out.includes('\n')) {
        clearTimeout(timer);
        const ready = JSON.parse(out.split('\n')[0]!) as ReadyLine;
        resolve({
          child,
          ready,
          stderr: () => err,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
            const code = await exited;
            clearTimeout(t);
            return code;
          },
        });
      }
    });
  });
}

export interface ClientCreds {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

async function sdkConfig(em: { cloudEndpoint: string }, creds: ClientCreds, opts: { v1?: boolean; retries?: number; readTimeout?: number }) {
  const { $OpenApiUtil } = await import('@alicloud/openapi-core');
  const $dara = await import('@darabonba/typescript');
  return new $OpenApiUtil.Config({
    ...creds,
    regionId: 'cn-hangzhou',
    endpoint: em.cloudEndpoint,
    protocol: 'http',
    readTimeout: opts.readTimeout ?? 10_000,
    connectTimeout: 5_000,
    ...(opts.v1 ? { signatureAlgorithm: 'v2' } : {}),
    ...(opts.retries
      ? {
          retryOptions: new $dara.RetryOptions({
            retryable: true,
            retryCondition: [
              {
                maxAttempts: opts.retries,
                exception: ['ThrottlingError', 'ServerError'],
                errorCode: ['Throttling.User', 'ServiceUnavailable'],
                backoff: { policy: 'Fixed', period: 10 },
                maxDelay: 200,
              },
            ],
            noRetryCondition: [],
          }),
        }
      : {}),
  });
}

type ClientOpts = { creds?: ClientCreds; v1?: boolean; retries?: number; readTimeout?: number };

/** the class behind a CJS `exports.default = Client`, whether the loader wraps it once (node) or twice (tsx) */
function cjsDefault<T>(mod: { default: T }): T extends { default: infer C } ? C : T {
  const d = mod.default as any;
  return (typeof d === 'function' ? d : d.default) as any;
}

export async function ecsClient(em: { cloudEndpoint: string }, o: ClientOpts = {}) {
  const EcsPkg = await import('@alicloud/ecs20140526');
  const Ecs = cjsDefault(EcsPkg);
  return new Ecs(await sdkConfig(em, o.creds ?? DEMO_KEY, o));
}

export async function vpcClient(em: { cloudEndpoint: string }, o: ClientOpts = {}) {
  const VpcPkg = await import('@alicloud/vpc20160428');
  const Vpc = cjsDefault(VpcPkg);
  return new Vpc(await sdkConfig(em, o.creds ?? DEMO_KEY, o));
}

const VERSIONS = { ecs: '2014-05-26', vpc: '2016-04-28', slb: '2014-05-15', cr: '2018-12-01' } as const;

/** the generic openapi-core RPC call : slb and cr have no SDK in the project */
export async function rpcCaller(em: { cloudEndpoint: string }, o: ClientOpts & { form?: boolean } = {}) {
  const OpenApiPkg = await import('@alicloud/openapi-core');
  const { $OpenApiUtil, OpenApiUtil } = OpenApiPkg;
  const $dara = await import('@darabonba/typescript');
  const OpenApi = cjsDefault(OpenApiPkg);
  const client = new OpenApi(await sdkConfig(em, o.creds ?? DEMO_KEY, o));
  return async (product: keyof typeof VERSIONS | string, action: string, params: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const version = (VERSIONS as Record<string, string>)[product] ?? product;
    const p = new $OpenApiUtil.Params({ action, version, protocol: 'HTTPS', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
    const req = o.form ? new $OpenApiUtil.OpenApiRequest({ body: OpenApiUtil.query(params) }) : new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(params) });
    const resp = await client.callApi(p, req, new $dara.RuntimeOptions({ readTimeout: o.readTimeout ?? 10_000, connectTimeout: 5_000 }));
    return resp.body as Record<string, any>;
  };
}

/** POST a control endpoint (ours, not Alibaba's): /__emulator/console/link | bind */
export async function control(em: { cloudUrl: string }, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${em.cloudUrl}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

/**
 * Copy fixtures/configs/<world>.yaml into dir for a running emulator: cloud.endpoint = its cloud URL,
 * probe.connectTo loopback targets = its GitLab port, caFile = its CA. Returns the config path.
 * (Set GITLAB_TOKEN=DEMO_GITLAB_TOKEN in the environment of the CLI run.)
 */
export function prepareConfig(world: string, em: { cloudUrl: string; gitlabPort: number; gitlabCa?: string }, dir: string): string {
  const cfg = parse(readFileSync(join(CONFIGS_DIR, `${world}.yaml`), 'utf8')) as Record<string, any>;
  cfg.cloud = { ...(cfg.cloud ?? {}), endpoint: em.cloudUrl };
  const ct = cfg.probe?.connectTo as Record<string, string> | undefined;
  if (ct) for (const k of Object.keys(ct)) ct[k] = ct[k]!.replace(/^127\.0\.0\.1:\d+$/, `127.0.0.1:${em.gitlabPort}`);
  if (cfg.gitlab?.caFile !== undefined) {
    if (em.gitlabCa) cfg.gitlab.caFile = em.gitlabCa;
    else delete cfg.gitlab.caFile;
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${world}.yaml`);
  writeFileSync(file, stringify(cfg));
  return file;
}
