// Alibaba Cloud credentials, following the default chain (DESIGN §3): environment variables, a
// named profile (~/.alibabacloud/credentials or the aliyun CLI's ~/.aliyun/config.json), then the
// @alicloud/credentials default chain (OIDC, ECS RAM role, ...). Never a new scheme.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CredentialsError } from '../errors.js';

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

function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      section = out[m[1]!.trim()] = {};
      continue;
    }
    const i = line.indexOf('=');
    if (section && i > 0) section[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

const HINT =
  'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile (aliyun configure, or ~/.alibabacloud/credentials) and pass --profile, or run where an ECS RAM role or OIDC is available';

/** Reads a named profile from ~/.alibabacloud/credentials or ~/.aliyun/config.json. */
export function profileCredentials(name: string, env: NodeJS.ProcessEnv): StaticCredentials | undefined {
  const home = env.HOME ?? homedir();
  const ini = env.ALIBABA_CLOUD_CREDENTIALS_FILE ?? join(home, '.alibabacloud', 'credentials');
  if (existsSync(ini)) {
    const s = parseIni(readFileSync(ini, 'utf8'))[name];
    if (s) {
      const type = s.type ?? s.enable ?? 'access_key';
      if ((type === 'access_key' || type === 'sts') && s.access_key_id && s.access_key_secret) {
        return { accessKeyId: s.access_key_id, accessKeySecret: s.access_key_secret, ...(s.security_token ? { securityToken: s.security_token } : {}), origin: `${ini} [${name}]` };
      }
      throw new CredentialsError(`profile ${name} in ${ini} has type ${type}, which acr-preflight reads only through the default chain`, 'use an access_key or sts profile, or leave --profile out');
    }
  }
  const cli = join(home, '.aliyun', 'config.json');
  if (existsSync(cli)) {
    let doc: { profiles?: { name?: string; mode?: string; access_key_id?: string; access_key_secret?: string; sts_token?: string }[] };
    try {
      doc = JSON.parse(readFileSync(cli, 'utf8'));
    } catch {
      throw new CredentialsError(`${cli} is not valid JSON`, 'run `aliyun configure` again');
    }
    const p = doc.profiles?.find((x) => x.name === name);
    if (p) {
      if ((p.mode === 'AK' || p.mode === 'StsToken') && p.access_key_id && p.access_key_secret) {
        return { accessKeyId: p.access_key_id, accessKeySecret: p.access_key_secret, ...(p.mode === 'StsToken' && p.sts_token ? { securityToken: p.sts_token } : {}), origin: `${cli} profile ${name}` };
      }
      throw new CredentialsError(`aliyun CLI profile ${name} uses mode ${p.mode}; acr-preflight reads AK and StsToken profiles`, HINT);
    }
  }
  return undefined;
}

/** The `current` profile named in ~/.aliyun/config.json, if any. */
export function aliyunCurrentProfile(env: NodeJS.ProcessEnv): string | undefined {
  const cli = join(env.HOME ?? homedir(), '.aliyun', 'config.json');
  if (!existsSync(cli)) return undefined;
  try {
    const doc = JSON.parse(readFileSync(cli, 'utf8')) as { current?: unknown };
    return typeof doc.current === 'string' && doc.current ? doc.current : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves credentials lazily (the default chain may need the network). */
export function credentialsFor(opts: { profile?: string; env: NodeJS.ProcessEnv }): CloudCredentials {
  const { env } = opts;
  let cached: Promise<StaticCredentials> | undefined;
  const resolve = async (): Promise<StaticCredentials> => {
    const profile = opts.profile ?? env.ALIBABA_CLOUD_PROFILE;
    if (opts.profile) {
      const p = profileCredentials(opts.profile, env);
      if (!p) throw new CredentialsError(`credentials profile "${opts.profile}" not found in ~/.alibabacloud/credentials or ~/.aliyun/config.json`, HINT);
      return p;
    }
    const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    if (id && secret) {
      return { accessKeyId: id, accessKeySecret: secret, ...(env.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN } : {}), origin: 'environment' };
    }
    if (profile) {
      const p = profileCredentials(profile, env);
      if (p) return p;
    }
    const def = profileCredentials('default', env);
    if (def) return def;
    // the aliyun CLI's current profile (`aliyun configure --profile NAME` switches it)
    const current = aliyunCurrentProfile(env);
    if (current && current !== 'default') {
      const p = profileCredentials(current, env);
      if (p) return p;
    }
    if (env.ACR_PREFLIGHT_LOOPBACK_ONLY === '1') {
      // tests: the default chain would ask the ECS metadata service, which is not on loopback
      throw new CredentialsError('no Alibaba Cloud credentials found', HINT);
    }
    try {
      const mod: any = await import('@alicloud/credentials');
      const Credential = typeof mod.default === 'function' ? mod.default : mod.default.default;
      const c = new Credential();
      const got = await c.getCredential();
      if (!got?.accessKeyId) throw new Error('empty');
      return { accessKeyId: got.accessKeyId, accessKeySecret: got.accessKeySecret, ...(got.securityToken ? { securityToken: got.securityToken } : {}), origin: `default chain (${got.providerName ?? got.type ?? 'provider'})` };
    } catch {
      throw new CredentialsError('no Alibaba Cloud credentials found', HINT);
    }
  };
  return {
    get() {
      cached ??= resolve();
      return cached;
    },
  };
}
