// Alibaba Cloud credentials, following the @alicloud/credentials 2.x default chain (docs/config.md),
// never a new scheme. We decide *which* link applies from the `env` we were given (callers pass
// their own environment, not always process.env) and hand the chosen profile to the SDK's own
// providers, which do the work (AK, STS, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CloudSSO,
// OAuth, External; ram_role_arn, ecs_ram_role):
//
//   0. a profile named by --profile / cloud.profile (wins over everything, like the aliyun CLI's flag)
//   1. ALIBABA_CLOUD_ACCESS_KEY_ID + _SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN)
//   2. OIDC: ALIBABA_CLOUD_ROLE_ARN + ALIBABA_CLOUD_OIDC_PROVIDER_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE
//   3. a profile named by ALIBABA_CLOUD_PROFILE, else the aliyun CLI's `current` profile
//      (~/.aliyun/config.json), else [default] in ~/.alibabacloud/credentials
//      (or ALIBABA_CLOUD_CREDENTIALS_FILE)
//   4. the ECS RAM role (instance metadata), then ALIBABA_CLOUD_CREDENTIALS_URI
//
// Links 0–3 are tried in that order, the SDK's order. One difference: a profile *named* (0, or
// ALIBABA_CLOUD_PROFILE) that exists in neither file is an error, never a silent fall-back to
// another profile or the instance role. A named profile is looked up in ~/.aliyun/config.json first,
// then in the credentials file, as the SDK's chain does.
// The SDK loads lazily: `--help` never pays for it.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CredentialsError } from '../errors.js';
import { assertTargetAllowed } from '../net/guard.js';

export interface StaticCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** where they came from, for messages (never the secret) */
  origin: string;
}

export interface CloudCredentials {
  get(): Promise<StaticCredentials>;
}

/** The part of an @alicloud/credentials provider we use. */
export interface SdkCredentialsProvider {
  getCredentials(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string; providerName?: string }>;
  getProviderName(): string;
}

/** One link of the chain, with the SDK provider that will fetch its credentials. */
export interface CredentialSource {
  /** for messages: "environment", "/home/u/.aliyun/config.json profile prod", … (never a secret) */
  origin: string;
  /** the SDK provider, prefixed like the SDK's default chain names it: cli_profile/ram_role_arn, profile/ecs_ram_role, … */
  providerName: string;
  provider: SdkCredentialsProvider;
  /** secret values this source knows: scrubbed from every message */
  secrets: string[];
  /** what to do when it fails */
  hint: string;
}

/** What the chain chose: one source, or (nothing configured) the instance role and the credentials URI, tried in order. */
export interface CredentialPlan {
  sources: CredentialSource[];
  /** true: a single configured source, its failure is the error; false: the chain's tail */
  selected: boolean;
  /** what was looked at before the tail, for "no credentials found" */
  searched: string[];
}

const HINT =
  'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile (aliyun configure, or ~/.alibabacloud/credentials), or run where an ECS RAM role or OIDC is available';

const ECS_METADATA_HOST = '100.100.100.200';

interface CliProfile {
  name?: string;
  mode?: string;
  source_profile?: string;
  [k: string]: unknown;
}
interface CliConfig {
  current?: string;
  profiles: CliProfile[];
}
type Ini = Record<string, unknown>;

function isTrue(v: string | undefined): boolean {
  return v?.toLowerCase() === 'true';
}

function paths(env: NodeJS.ProcessEnv) {
  const home = env.HOME || homedir();
  return {
    home,
    cli: join(home, '.aliyun', 'config.json'),
    ini: env.ALIBABA_CLOUD_CREDENTIALS_FILE || join(home, '.alibabacloud', 'credentials'),
  };
}

/** ~/.aliyun/config.json, or undefined when there is none. Never echoes the file (it holds keys). */
function readCliConfig(path: string): CliConfig | undefined {
  if (!existsSync(path)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new CredentialsError(`cannot read the aliyun CLI config ${path} (${why})`, 'run `aliyun configure` again, or fix the file');
  }
  const d = (doc ?? {}) as { current?: unknown; profiles?: unknown };
  const profiles = Array.isArray(d.profiles) ? (d.profiles.filter((p) => p && typeof p === 'object') as CliProfile[]) : [];
  return { ...(typeof d.current === 'string' && d.current ? { current: d.current } : {}), profiles };
}

/** The `current` profile named in ~/.aliyun/config.json, if any. */
export function aliyunCurrentProfile(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return readCliConfig(paths(env).cli)?.current;
  } catch {
    return undefined;
  }
}

type Sdk = Record<string, any>;
let sdkPromise: Promise<{ sdk: Sdk; loadIni: (path: string) => Promise<Ini> }> | undefined;
function loadSdk() {
  sdkPromise ??= (async () => {
    const mod: any = await import('@alicloud/credentials');
    const sdk: Sdk = mod.CLIProfileCredentialsProvider ? mod : mod.default;
    // the ini parser the SDK reads its credentials file with (the `ini` package, the SDK's own
    // dependency and version range), so a profile reads here exactly as the SDK reads it
    const { parse } = await import('ini');
    const loadIni = async (path: string): Promise<Ini> => parse(await readFile(path, 'utf8')) as Ini;
    return { sdk, loadIni };
  })();
  return sdkPromise;
}

/** The credentials file (ini), or undefined when there is none. */
async function readIni(path: string, loadIni: (path: string) => Promise<Ini>): Promise<Ini | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    return await loadIni(path);
  } catch (e) {
    throw new CredentialsError(`cannot read the credentials file ${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`, 'fix its permissions or contents');
  }
}

function iniSection(ini: Ini | undefined, name: string): Record<string, string> | undefined {
  const s = ini?.[name];
  return s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, string>) : undefined;
}

/** Values of secret-looking keys (secrets, tokens), to scrub from messages. */
function secretsOf(o: Record<string, unknown> | undefined): string[] {
  if (!o) return [];
  return Object.entries(o)
    .filter(([k, v]) => /secret|token|password|private/i.test(k) && typeof v === 'string' && v.length > 0)
    .map(([, v]) => v as string);
}

/** One line, bounded, secrets scrubbed. */
function clean(e: unknown, secrets: string[]): string {
  let m = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
  for (const s of secrets) if (s.length >= 4) m = m.split(s).join('***');
  if (m.length > 240) m = `${m.slice(0, 237)}...`;
  return m || 'failed';
}

/**
 * Checks what the SDK's builders would otherwise fill from process.env (empty keys fall back to
 * ALIBABA_CLOUD_ACCESS_KEY_ID, an empty role to ALIBABA_CLOUD_ROLE_ARN) or recurse on forever
 * (a source_profile cycle).
 */
function checkCliProfile(conf: CliConfig, name: string, path: string, seen: string[] = []): CliProfile[] {
  const p = conf.profiles.find((x) => x.name === name);
  if (!p) {
    throw new CredentialsError(`aliyun CLI profile "${seen.at(-1)}" in ${path} names source_profile "${name}", which is not in that file`, `fix source_profile, or create it: aliyun configure --profile ${name}`);
  }
  if (seen.includes(name)) {
    throw new CredentialsError(`aliyun CLI profiles in ${path} form a source_profile loop (${[...seen, name].join(' → ')})`, 'point source_profile at an AK profile');
  }
  const need = (keys: string[]) => {
    const missing = keys.filter((k) => typeof p[k] !== 'string' || !p[k]);
    if (missing.length) {
      throw new CredentialsError(`aliyun CLI profile "${name}" in ${path} (mode ${p.mode}) has no ${missing.join(', ')}`, `run \`aliyun configure --profile ${name} --mode ${p.mode}\``);
    }
  };
  switch (p.mode) {
    case 'AK':
      need(['access_key_id', 'access_key_secret']);
      break;
    case 'StsToken':
      need(['access_key_id', 'access_key_secret', 'sts_token']);
      break;
    case 'RamRoleArn':
      need(['access_key_id', 'access_key_secret', 'ram_role_arn']);
      break;
    case 'ChainableRamRoleArn':
      need(['source_profile', 'ram_role_arn']);
      return [p, ...checkCliProfile(conf, p.source_profile!, path, [...seen, name])];
    case 'OIDC':
      need(['oidc_provider_arn', 'oidc_token_file', 'ram_role_arn']);
      break;
    // EcsRamRole (role name optional), CloudSSO, OAuth, External: the SDK checks them
  }
  return [p];
}

function cliSource(sdk: Sdk, conf: CliConfig, name: string, path: string, home: string): CredentialSource {
  const chain = checkCliProfile(conf, name, path);
  const mode = chain[0]!.mode;
  const origin = `${path} profile ${name}`;
  const secrets = chain.flatMap(secretsOf);
  let provider: SdkCredentialsProvider;
  try {
    const cli: any = sdk.CLIProfileCredentialsProvider.builder().withProfileName(name).build();
    cli.homedir = home; // OAuth and External profiles write refreshed tokens back to this config
    provider = cli.getCredentialsProvider(conf, name);
  } catch (e) {
    throw new CredentialsError(`aliyun CLI profile "${name}" in ${path} (mode ${mode}): ${clean(e, secrets)}`, `run \`aliyun configure --profile ${name}\``);
  }
  return { origin, providerName: `cli_profile/${provider.getProviderName()}`, provider, secrets, hint: `check the profile: aliyun configure get --profile ${name}` };
}

function iniSource(sdk: Sdk, ini: Ini, name: string, path: string): CredentialSource {
  const s = iniSection(ini, name)!;
  const origin = `${path} [${name}]`;
  const secrets = secretsOf(s);
  const types = 'access_key, sts, ram_role_arn or ecs_ram_role';
  const bad = (what: string) => new CredentialsError(`credentials profile "${name}" in ${path} ${what}`, `set type = ${types} and its keys`);
  if (!s.type) throw bad('has no type');
  const need = (keys: string[]) => {
    const missing = keys.filter((k) => !s[k]);
    if (missing.length) throw bad(`(type ${s.type}) has no ${missing.join(', ')}`);
  };
  let provider: SdkCredentialsProvider;
  try {
    if (s.type === 'sts') {
      // the SDK's 1.x profile reader and `new Credential({ type: 'sts' })` accept it; 2.x's profile reader does not
      need(['access_key_id', 'access_key_secret', 'security_token']);
      provider = sdk.StaticSTSCredentialsProvider.builder().withAccessKeyId(s.access_key_id).withAccessKeySecret(s.access_key_secret).withSecurityToken(s.security_token).build();
    } else {
      if (s.type === 'access_key') need(['access_key_id', 'access_key_secret']);
      if (s.type === 'ram_role_arn') need(['access_key_id', 'access_key_secret', 'role_arn']);
      provider = sdk.ProfileCredentialsProvider.builder().withProfileName(name).build().getCredentialsProvider(ini);
    }
  } catch (e) {
    if (e instanceof CredentialsError) throw e;
    throw bad(`(type ${s.type}): ${clean(e, secrets)}`);
  }
  return { origin, providerName: `profile/${provider.getProviderName()}`, provider, secrets, hint: `check [${name}] in ${path}` };
}

/** A profile someone named: found in the aliyun CLI config or the credentials file, or one clear error. */
async function namedSource(name: string, from: string, env: NodeJS.ProcessEnv): Promise<CredentialSource> {
  const { sdk, loadIni } = await loadSdk();
  const p = paths(env);
  const cliDisabled = isTrue(env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED);
  const cli = cliDisabled ? undefined : readCliConfig(p.cli);
  if (cli?.profiles.some((x) => x.name === name)) return cliSource(sdk, cli, name, p.cli, p.home);
  const ini = await readIni(p.ini, loadIni);
  if (iniSection(ini, name)) return iniSource(sdk, ini!, name, p.ini);
  const list = (names: string[]) => (names.length ? `profiles: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}` : 'no profiles');
  const cliState = cliDisabled ? 'skipped: ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true' : cli ? list(cli.profiles.map((x) => String(x.name))) : 'missing';
  const iniState = ini ? list(Object.keys(ini).filter((k) => iniSection(ini, k))) : 'missing';
  throw new CredentialsError(
    `credentials profile "${name}" (from ${from}) not found in ${p.cli} (${cliState}) or ${p.ini} (${iniState})`,
    `fix the name, or create the profile: aliyun configure --profile ${name}`,
  );
}

/** Decides which link of the default chain applies (reads files, never the network). */
export async function planCredentials(opts: { profile?: string; env: NodeJS.ProcessEnv }): Promise<CredentialPlan> {
  const { env } = opts;
  const one = (s: CredentialSource): CredentialPlan => ({ sources: [s], selected: true, searched: [] });
  if (opts.profile) return one(await namedSource(opts.profile, 'cloud.profile / --profile', env));
  const { sdk, loadIni } = await loadSdk();

  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (id && secret) {
    const token = env.ALIBABA_CLOUD_SECURITY_TOKEN;
    const provider = token
      ? sdk.StaticSTSCredentialsProvider.builder().withAccessKeyId(id).withAccessKeySecret(secret).withSecurityToken(token).build()
      : sdk.StaticAKCredentialsProvider.builder().withAccessKeyId(id).withAccessKeySecret(secret).build();
    return one({ origin: 'environment', providerName: `env/${provider.getProviderName()}`, provider, secrets: [secret, ...(token ? [token] : [])], hint: 'check ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET' });
  }

  if (env.ALIBABA_CLOUD_ROLE_ARN && env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN && env.ALIBABA_CLOUD_OIDC_TOKEN_FILE) {
    let provider: SdkCredentialsProvider;
    try {
      const b = sdk.OIDCRoleArnCredentialsProvider.builder()
        .withRoleArn(env.ALIBABA_CLOUD_ROLE_ARN)
        .withOIDCProviderArn(env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN)
        .withOIDCTokenFilePath(env.ALIBABA_CLOUD_OIDC_TOKEN_FILE)
        .withEnableVpc(isTrue(env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED));
      if (env.ALIBABA_CLOUD_ROLE_SESSION_NAME) b.withRoleSessionName(env.ALIBABA_CLOUD_ROLE_SESSION_NAME);
      if (env.ALIBABA_CLOUD_STS_REGION) b.withStsRegionId(env.ALIBABA_CLOUD_STS_REGION);
      provider = b.build();
    } catch (e) {
      throw new CredentialsError(`OIDC credentials (ALIBABA_CLOUD_ROLE_ARN, _OIDC_PROVIDER_ARN, _OIDC_TOKEN_FILE): ${clean(e, [])}`, 'check those variables');
    }
    return one({ origin: `OIDC (${env.ALIBABA_CLOUD_ROLE_ARN})`, providerName: provider.getProviderName(), provider, secrets: [], hint: 'check ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and the token file ALIBABA_CLOUD_OIDC_TOKEN_FILE' });
  }

  if (env.ALIBABA_CLOUD_PROFILE) return one(await namedSource(env.ALIBABA_CLOUD_PROFILE, 'ALIBABA_CLOUD_PROFILE', env));

  const p = paths(env);
  // the aliyun CLI's current profile (`aliyun configure --profile NAME` switches it), as the SDK: profileName || conf.current
  const cli = isTrue(env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED) ? undefined : readCliConfig(p.cli);
  if (cli?.current && cli.profiles.some((x) => x.name === cli.current)) return one(cliSource(sdk, cli, cli.current, p.cli, p.home));
  const ini = await readIni(p.ini, loadIni);
  if (iniSection(ini, 'default')) return one(iniSource(sdk, ini!, 'default', p.ini));

  // nothing configured: the instance role, then a credentials URI, as the SDK's chain ends
  const sources: CredentialSource[] = [];
  if (!isTrue(env.ALIBABA_CLOUD_ECS_METADATA_DISABLED)) {
    try {
      const b = sdk.ECSRAMRoleCredentialsProvider.builder().withDisableIMDSv1(isTrue(env.ALIBABA_CLOUD_IMDSV1_DISABLED));
      if (env.ALIBABA_CLOUD_ECS_METADATA) b.withRoleName(env.ALIBABA_CLOUD_ECS_METADATA);
      const provider = b.build();
      sources.push({ origin: 'ECS RAM role (instance metadata)', providerName: provider.getProviderName(), provider, secrets: [], hint: 'attach a RAM role to the instance' });
    } catch {
      // disabled through process.env
    }
  }
  if (env.ALIBABA_CLOUD_CREDENTIALS_URI) {
    const provider = sdk.URICredentialsProvider.builder().withCredentialsURI(env.ALIBABA_CLOUD_CREDENTIALS_URI).build();
    sources.push({ origin: 'ALIBABA_CLOUD_CREDENTIALS_URI', providerName: provider.getProviderName(), provider, secrets: [], hint: 'check ALIBABA_CLOUD_CREDENTIALS_URI' });
  }
  const searched = ['no keys in the environment', `no profile in ${cli ? p.cli : `${p.cli} (missing)`} or ${ini ? p.ini : `${p.ini} (missing)`}`];
  return { sources, selected: false, searched };
}

/** Hosts a provider will contact (for the test guard): the metadata service, STS, a credentials URI, a sign-in URL. */
function hostsOf(p: any, seen = new Set<unknown>()): string[] {
  if (!p || typeof p !== 'object' || seen.has(p)) return [];
  seen.add(p);
  const out: string[] = [];
  if (p.getProviderName?.() === 'ecs_ram_role') out.push(ECS_METADATA_HOST);
  if (typeof p.stsEndpoint === 'string' && p.stsEndpoint) out.push(p.stsEndpoint.replace(/:\d+$/, ''));
  for (const k of ['credentialsURI', 'signInUrl']) {
    if (typeof p[k] === 'string' && p[k]) {
      try {
        out.push(new URL(p[k]).hostname);
      } catch {
        // not a URL: the provider reports it
      }
    }
  }
  return [...out, ...hostsOf(p.credentialsProvider, seen)];
}

/** Asks the chosen provider(s) for credentials; one-line CredentialsError otherwise. */
export async function obtainCredentials(plan: CredentialPlan, env: NodeJS.ProcessEnv): Promise<{ credentials: StaticCredentials; source: CredentialSource }> {
  const tried: string[] = [];
  for (const s of plan.sources) {
    let reason: string;
    try {
      for (const h of hostsOf(s.provider)) assertTargetAllowed(h, env);
      const got = await s.provider.getCredentials();
      if (!got?.accessKeyId || !got.accessKeySecret) throw new Error('the provider returned empty credentials');
      const credentials: StaticCredentials = { accessKeyId: got.accessKeyId, accessKeySecret: got.accessKeySecret, ...(got.securityToken ? { securityToken: got.securityToken } : {}), origin: s.origin };
      return { credentials, source: s };
    } catch (e) {
      reason = (e as { code?: string }).code === 'ERR_TARGET_REFUSED' ? 'not tried (ACR_PREFLIGHT_LOOPBACK_ONLY=1)' : clean(e, s.secrets);
    }
    if (plan.selected) throw new CredentialsError(`credentials from ${s.origin} (${s.providerName}): ${reason}`, s.hint);
    tried.push(`${s.origin}: ${reason}`);
  }
  throw new CredentialsError(`no Alibaba Cloud credentials found (${[...plan.searched, ...tried].join('; ')})`, HINT);
}

/** Resolves credentials lazily (the chain may need the network); the chosen source is kept, its provider refreshes. */
export function credentialsFor(opts: { profile?: string; env: NodeJS.ProcessEnv }): CloudCredentials {
  let plan: Promise<CredentialPlan> | undefined;
  let used: CredentialSource | undefined;
  return {
    async get() {
      try {
        plan ??= planCredentials(opts);
        const p = await plan;
        const { credentials, source } = await obtainCredentials(used ? { sources: [used], selected: true, searched: [] } : p, opts.env);
        used = source;
        return credentials;
      } catch (e) {
        if (e instanceof CredentialsError) throw e;
        throw new CredentialsError(`cannot resolve Alibaba Cloud credentials: ${clean(e, [])}`, HINT);
      }
    },
  };
}
