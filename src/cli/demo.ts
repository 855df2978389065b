// `acr-preflight demo [--world FILE]`: the README's main command. Starts the emulator in-process on
// the demo world (free loopback ports), writes a temporary config that points at it, runs `check`
// (the report), then `provision --yes` (link → bind → build with the live log), and stops the
// emulator. The exit code is the flow's.
//
// The demo world has the console steps (Manage Link, Bind Account) done. To show the guided path,
// the demo starts from a copy without them and plays the person at the console: when provision
// prints a guided step, the demo performs it a moment later through the emulator's console control
// endpoint (POST /__emulator/console/link | bind) — the only thing here that is not the real tool.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { yaml } from '../util/yaml-lib.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { packageFile } from '../paths.js';
import type { ProvisionEvent } from '../provision/types.js';
import type { CommandContext } from './context.js';

interface DemoSetup {
  world: Record<string, any>;
  config: Record<string, any>;
  /** what the simulated person types into the console dialogs */
  console: { link?: Record<string, unknown>; bind?: Record<string, unknown> };
  env: Record<string, string>;
}

/** A YAML file given on the command line, or one shipped with the tool (fixtures/...). */
interface YamlSource {
  /** what messages name: the path given, or the shipped file's name */
  label: string;
  text: string;
}

function fromDisk(file: string, what: string): YamlSource {
  try {
    return { label: file, text: readFileSync(file, 'utf8') };
  } catch (err) {
    throw new InputError(`${file}: cannot read the ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function parseYaml(src: YamlSource, what: string): Record<string, any> {
  try {
    return yaml().parse(src.text) as Record<string, any>;
  } catch (err) {
    throw new InputError(`${src.label}: cannot read the ${what} (${(err as Error).message.split('\n')[0]})`);
  }
}

/** Take the console steps out of a world (they are done by the simulated person during the demo). */
export function withoutConsoleSteps(world: Record<string, any>): { world: Record<string, any>; linked: boolean; bound: boolean } {
  const w = structuredClone(world);
  let linked = false;
  let bound = false;
  for (const r of Object.values<any>(w.regions ?? {})) {
    const sgs = (r.securityGroups ?? []) as any[];
    const managed = new Set(sgs.filter((s) => s.ServiceManaged).map((s) => s.SecurityGroupId));
    if (managed.size) linked = true;
    r.securityGroups = sgs.filter((s) => !s.ServiceManaged);
    r.networkInterfaces = ((r.networkInterfaces ?? []) as any[]).filter((n) => !n.ServiceManaged);
    if (r.cr?.codeSources?.length) {
      bound = true;
      r.cr.codeSources = [];
    }
  }
  return { world: w, linked, bound };
}

export function demoSetup(worldFile: string, configFile: string): DemoSetup {
  return demoSetupFrom(fromDisk(worldFile, 'world'), fromDisk(configFile, 'config'));
}

function demoSetupFrom(worldSrc: YamlSource, configSrc: YamlSource): DemoSetup {
  const worldFile = worldSrc.label;
  const original = parseYaml(worldSrc, 'world');
  const config = parseYaml(configSrc, 'config');
  const { world, linked, bound } = withoutConsoleSteps(original);
  const creds = Array.isArray(original.credentials) ? original.credentials : [original.credentials];
  const key = creds.find((c: any) => c && !c.securityToken) ?? creds[0];
  const user = (original.gitlab?.users ?? []).find((u: any) => u.username === config.gitlab?.username);
  const token = user?.tokens?.find((t: any) => !t.revoked)?.token;
  if (!key || !token) throw new InputError(`${worldFile}: the demo needs credentials and a token for GitLab user ${config.gitlab?.username}`);
  const tokenEnv = String(config.gitlab?.token ?? 'env:GITLAB_TOKEN').replace(/^env:/, '');
  const host = new URL(String(config.gitlab.endpoint)).hostname;
  const extraIps = ((config.extraEndpoints ?? []) as string[]).map((e) => e.replace(/:\d+$/, ''));
  return {
    world,
    config,
    console: {
      ...(linked ? { link: { vpcId: config.vpc.vpcId, vSwitchId: config.vpc.vSwitchId, gitlabIp: host, ...(extraIps.length ? { extraIps } : {}) } } : {}),
      ...(bound ? { bind: { endpoint: config.gitlab.endpoint, username: config.gitlab.username, token, vpcId: config.vpc.vpcId, vSwitchId: config.vpc.vSwitchId, instanceId: config.acr.instanceId } } : {}),
    },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret, [tokenEnv]: token },
  };
}

function shipped(rel: string): YamlSource {
  const text = packageFile(rel);
  if (text === undefined) throw new InputError(`${rel} is missing from this installation of acr-preflight (reinstall it)`);
  return { label: basename(rel), text };
}

export async function run(ctx: CommandContext): Promise<number> {
  const worldSrc = typeof ctx.values.world === 'string' ? fromDisk(resolve(ctx.io.cwd, ctx.values.world), 'world') : shipped('fixtures/worlds/demo.yaml');
  const worldFile = worldSrc.label;
  let configSrc: YamlSource;
  if (typeof ctx.values.config === 'string') configSrc = fromDisk(resolve(ctx.io.cwd, ctx.values.config), 'config');
  else {
    const text = packageFile(`fixtures/configs/${basename(worldFile)}`);
    if (text === undefined) {
      throw new UsageError(`demo --world ${ctx.values.world}: no bundled config named ${basename(worldFile)} in fixtures/configs/`, 'pass the config written for this world with --config FILE');
    }
    configSrc = { label: basename(worldFile), text };
  }
  const setup = demoSetupFrom(worldSrc, configSrc);
  const say = (s: string) => ctx.io.stderr.write(`[demo] ${s}\n`);

  const { startEmulator } = await import('../emulator/index.js');
  const em = await startEmulator({ world: setup.world, port: 0, gitlabPort: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'acr-preflight-demo-'));
  const timers = new Set<NodeJS.Timeout>();
  try {
    const cfg = structuredClone(setup.config);
    cfg.cloud = { ...(cfg.cloud ?? {}), endpoint: em.cloudUrl };
    const ct = cfg.probe?.connectTo as Record<string, string> | undefined;
    if (ct) for (const k of Object.keys(ct)) ct[k] = `127.0.0.1:${em.gitlabPort}`;
    if (cfg.gitlab?.caFile !== undefined) {
      if (em.gitlabCa) cfg.gitlab.caFile = em.gitlabCa;
      else delete cfg.gitlab.caFile;
    }
    const configPath = join(dir, 'preflight.yaml');
    writeFileSync(configPath, yaml().stringify(cfg), { mode: 0o600 });
    say(`emulator: cloud API ${em.cloudUrl}, GitLab ${em.gitlabUrl} (world ${basename(worldFile)})`);
    if (setup.console.link || setup.console.bind) {
      say('the environment starts without the build link and the GitLab account binding (console-only steps);');
      say('when provision asks for them, the demo plays you at the ACR console through the emulator\'s console endpoint.');
    }
    // the credentials chain and secret references read the environment
    for (const [k, v] of Object.entries(setup.env)) process.env[k] = v;
    const env = { ...ctx.io.env, ...setup.env };
    const sub = (values: CommandContext['values']): CommandContext => ({ ...ctx, values: { config: configPath, ...values }, positionals: [], io: { ...ctx.io, env, cwd: dir } });

    say('1/2 acr-preflight check');
    const check = await import('./check.js');
    const checkCode = await check.run(sub({}));
    say(`check exited ${checkCode}`);
    if (ctx.signal.aborted) return EXIT.interrupted;

    say('2/2 acr-preflight provision --yes');
    const onEvent = (e: ProvisionEvent) => {
      if (e.type !== 'provision-guided') return;
      const step = e.prompt.stepId === 'link' ? 'link' : e.prompt.stepId === 'bind' ? 'bind' : undefined;
      const body = step ? setup.console[step] : undefined;
      if (!step || !body) return;
      const t = setTimeout(() => {
        timers.delete(t);
        say(`acting as you in the console: ${step === 'link' ? '"Manage Link"' : '"Bind Account" (the token is pasted, not shown)'}`);
        void fetch(`${em.cloudUrl}/__emulator/console/${step}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
          .then(async (r) => {
            if (!r.ok) say(`console ${step} failed: ${r.status} ${await r.text()}`);
          })
          .catch((err: Error) => say(`console ${step} failed: ${err.message}`));
      }, 1200);
      timers.add(t);
    };
    const provision = await import('./provision.js');
    const code = await provision.runWith(sub({ yes: true, 'wait-timeout': '60', timeout: '120' }), { onEvent });
    say(code === 0 ? 'done: check → link/bind verified → build succeeded' : `provision exited ${code}`);
    return code;
  } finally {
    for (const t of timers) clearTimeout(t);
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
