// The credential chain (docs/config.md): environment keys, ~/.alibabacloud/credentials profiles, the
// aliyun CLI's ~/.aliyun/config.json (its `current` profile), OIDC, the ECS RAM role — chosen from
// the env we pass and handed to the @alicloud/credentials providers. Every HOME is a temp dir; no
// test reaches the network (providers that would are either refused by the loopback guard or have
// their `doRequest` stubbed, and the stub counts calls).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aliyunCurrentProfile, credentialsFor, obtainCredentials, planCredentials } from '../../src/cloud/credentials.js';
import { CredentialsError, EXIT } from '../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'acrp-creds-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sdk: any = await import('@alicloud/credentials');

let n = 0;
/** A fresh HOME with an optional ~/.alibabacloud/credentials (ini text) and ~/.aliyun/config.json (object). */
function home(files: { ini?: string; cli?: unknown } = {}): string {
  const h = join(root, `home-${++n}`);
  mkdirSync(h, { recursive: true });
  if (files.ini !== undefined) {
    mkdirSync(join(h, '.alibabacloud'));
    writeFileSync(join(h, '.alibabacloud', 'credentials'), files.ini);
  }
  if (files.cli !== undefined) {
    mkdirSync(join(h, '.aliyun'));
    writeFileSync(join(h, '.aliyun', 'config.json'), typeof files.cli === 'string' ? files.cli : JSON.stringify(files.cli));
  }
  return h;
}
const guarded = (HOME: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME, ACR_PREFLIGHT_LOOPBACK_ONLY: '1', ...extra });

/** Rejects with a one-line CredentialsError (exit 2) whose line matches `re` and contains none of `secrets`. */
async function rejectsOneLine(p: Promise<unknown>, re: RegExp, secrets: string[] = []): Promise<string> {
  let line = '';
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CredentialsError, `expected CredentialsError, got ${String(e)}`);
    assert.equal(e.exitCode, EXIT.usage);
    assert.equal(e.code, 'ERR_CREDENTIALS');
    line = e.line();
    assert.doesNotMatch(line, /\n/, 'one line');
    assert.match(line, re);
    for (const s of secrets) assert.ok(!line.includes(s), `secret ${s} printed: ${line}`);
    return true;
  });
  return line;
}

/** Stubs a session provider's HTTP (the SDK's "used for mock" hook) and counts the calls. */
function stubHttp(provider: any, answer: (req: any) => { statusCode: number; body: string }) {
  const calls: any[] = [];
  provider.doRequest = async (req: any) => {
    calls.push(req);
    const a = answer(req);
    return { statusCode: a.statusCode, body: Buffer.from(a.body), headers: {} };
  };
  return calls;
}
const STS = { AccessKeyId: 'STS.Assumed', AccessKeySecret: 'assumed-secret', SecurityToken: 'assumed-token', Expiration: '2099-01-01T00:00:00Z' };

test('environment: AK/SK, and an STS token with them', async () => {
  const h = home();
  const ak = await planCredentials({ env: guarded(h, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'AKE', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SKE' }) });
  assert.equal(ak.sources[0]!.providerName, 'env/static_ak');
  const c = await credentialsFor({ env: guarded(h, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'AKE', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SKE' }) }).get();
  assert.deepEqual(c, { accessKeyId: 'AKE', accessKeySecret: 'SKE', origin: 'environment' });
  const sts = await credentialsFor({ env: guarded(h, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.E', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SKE', ALIBABA_CLOUD_SECURITY_TOKEN: 'TOK' }) }).get();
  assert.equal(sts.securityToken, 'TOK');
  assert.equal((await planCredentials({ env: guarded(h, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.E', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SKE', ALIBABA_CLOUD_SECURITY_TOKEN: 'TOK' }) })).sources[0]!.providerName, 'env/static_sts');
  // only one of the pair set: the environment link does not apply (as in the SDK)
  await rejectsOneLine(credentialsFor({ env: guarded(h, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'AKE' }) }).get(), /no Alibaba Cloud credentials found/);
});

test('environment keys beat unnamed profiles; --profile beats environment keys', async () => {
  const h = home({ ini: '[default]\ntype = access_key\naccess_key_id = AKD\naccess_key_secret = SKD\n', cli: { current: 'work', profiles: [{ name: 'work', mode: 'AK', access_key_id: 'AKW', access_key_secret: 'SKW' }] } });
  const keys = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'E', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'F' };
  assert.equal((await credentialsFor({ env: guarded(h, keys) }).get()).accessKeyId, 'E');
  assert.equal((await credentialsFor({ env: guarded(h, { ...keys, ALIBABA_CLOUD_PROFILE: 'default' }) }).get()).accessKeyId, 'E', 'the SDK order: env before ALIBABA_CLOUD_PROFILE');
  assert.equal((await credentialsFor({ profile: 'default', env: guarded(h, keys) }).get()).accessKeyId, 'AKD');
});

test('~/.alibabacloud/credentials: access_key, sts and ram_role_arn profiles go to the SDK profile provider', async () => {
  const ini = [
    '[prod]', 'type = access_key', 'access_key_id = AKP', 'access_key_secret = SKP',
    '[tmp]', 'type = sts', 'access_key_id = STS.T', 'access_key_secret = SKT', 'security_token = TOKT',
    '[assume]', 'type = ram_role_arn', 'access_key_id = AKR', 'access_key_secret = SKR', 'role_arn = acs:ram::123:role/ops', 'role_session_name = preflight',
    '[quoted]', 'type = access_key', 'access_key_id = "AKQ"', 'access_key_secret = "SKQ"',
    '',
  ].join('\n');
  const h = home({ ini });
  const prod = await credentialsFor({ profile: 'prod', env: guarded(h) }).get();
  assert.equal(prod.accessKeyId, 'AKP');
  assert.equal(prod.origin, `${join(h, '.alibabacloud', 'credentials')} [prod]`);
  assert.equal((await planCredentials({ profile: 'prod', env: guarded(h) })).sources[0]!.providerName, 'profile/static_ak');
  // read with the SDK's own ini reader (quotes stripped as the SDK does)
  assert.equal((await credentialsFor({ profile: 'quoted', env: guarded(h) }).get()).accessKeySecret, 'SKQ');
  const tmp = await credentialsFor({ profile: 'tmp', env: guarded(h) }).get();
  assert.equal(tmp.securityToken, 'TOKT');

  const plan = await planCredentials({ profile: 'assume', env: guarded(h) });
  const src = plan.sources[0]!;
  assert.equal(src.providerName, 'profile/ram_role_arn/static_ak');
  assert.ok(src.provider instanceof sdk.RAMRoleARNCredentialsProvider);
  const p = src.provider as any;
  assert.equal(p.roleArn, 'acs:ram::123:role/ops');
  assert.equal(p.roleSessionName, 'preflight');
  assert.equal(p.stsEndpoint, 'sts.aliyuncs.com');
  assert.equal((await p.credentialsProvider.getCredentials()).accessKeyId, 'AKR');
  // STS is not loopback: the guard refuses before the SDK dials
  const calls = stubHttp(p, () => ({ statusCode: 500, body: '{}' }));
  await rejectsOneLine(obtainCredentials(plan, guarded(h)), /\[assume\] \(profile\/ram_role_arn\/static_ak\): not tried \(ACR_PREFLIGHT_LOOPBACK_ONLY=1\)/, ['SKR']);
  assert.equal(calls.length, 0);

  // ALIBABA_CLOUD_CREDENTIALS_FILE moves the file, as in the SDK
  const moved = join(h, 'elsewhere.ini');
  writeFileSync(moved, '[x]\ntype = access_key\naccess_key_id = AKX\naccess_key_secret = SKX\n');
  assert.equal((await credentialsFor({ profile: 'x', env: guarded(h, { ALIBABA_CLOUD_CREDENTIALS_FILE: moved }) }).get()).accessKeyId, 'AKX');
});

test('[default] type = ecs_ram_role without --profile reaches the SDK ECS RAM role provider (metadata never called)', async () => {
  const h = home({ ini: '[default]\ntype = ecs_ram_role\nrole_name = PreflightRole\n' });
  const plan = await planCredentials({ env: guarded(h) });
  assert.equal(plan.selected, true);
  const src = plan.sources[0]!;
  assert.equal(src.providerName, 'profile/ecs_ram_role');
  assert.ok(src.provider instanceof sdk.ECSRAMRoleCredentialsProvider);
  assert.equal((src.provider as any).roleName, 'PreflightRole');
  const calls = stubHttp(src.provider, () => ({ statusCode: 500, body: 'no' }));
  // under the test guard: refused before any request, one line, exit 2
  await rejectsOneLine(obtainCredentials(plan, guarded(h)), /credentials from .*\[default\] \(profile\/ecs_ram_role\): not tried/);
  assert.equal(calls.length, 0, 'the metadata service was not called');
  await rejectsOneLine(credentialsFor({ env: guarded(h) }).get(), /\[default\] \(profile\/ecs_ram_role\): not tried/);

  // the same provider, its HTTP stubbed, yields the role's STS credentials (what happens on ECS)
  const ok = stubHttp(src.provider, (req) =>
    req.method === 'PUT' ? { statusCode: 200, body: 'imds-token' } : { statusCode: 200, body: JSON.stringify({ Code: 'Success', ...STS }) },
  );
  const { credentials } = await obtainCredentials(plan, { HOME: h });
  assert.deepEqual(credentials, { accessKeyId: 'STS.Assumed', accessKeySecret: 'assumed-secret', securityToken: 'assumed-token', origin: `${join(h, '.alibabacloud', 'credentials')} [default]` });
  assert.ok(ok.every((r) => r.host === '100.100.100.200'));
  assert.ok(ok.some((r) => r.path === '/latest/meta-data/ram/security-credentials/PreflightRole'));
});

test('nothing configured: the chain ends at the ECS RAM role (refused under the guard, one line)', async () => {
  const h = home();
  const plan = await planCredentials({ env: guarded(h, { ALIBABA_CLOUD_ECS_METADATA: 'NodeRole' }) });
  assert.equal(plan.selected, false);
  assert.deepEqual(plan.sources.map((s) => s.providerName), ['ecs_ram_role']);
  assert.equal((plan.sources[0]!.provider as any).roleName, 'NodeRole');
  const calls = stubHttp(plan.sources[0]!.provider, () => ({ statusCode: 500, body: '' }));
  const line = await rejectsOneLine(obtainCredentials(plan, guarded(h)), /^no Alibaba Cloud credentials found \(no keys in the environment; no profile in .*config\.json \(missing\) or .*credentials \(missing\); ECS RAM role \(instance metadata\): not tried/);
  assert.match(line, / — set ALIBABA_CLOUD_ACCESS_KEY_ID/);
  assert.equal(calls.length, 0);
  await rejectsOneLine(credentialsFor({ env: guarded(h) }).get(), /no Alibaba Cloud credentials found/);
  // ALIBABA_CLOUD_ECS_METADATA_DISABLED takes the role out; a credentials URI follows it
  const uri = await planCredentials({ env: guarded(h, { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:1/creds' }) });
  assert.deepEqual(uri.sources.map((s) => s.providerName), ['credential_uri']);
  assert.ok(uri.sources[0]!.provider instanceof sdk.URICredentialsProvider);
});

test('~/.aliyun/config.json: the current profile wins over `default` when no profile is named', async () => {
  const cli = {
    current: 'prod',
    profiles: [
      { name: 'default', mode: 'AK', access_key_id: 'AKD', access_key_secret: 'SKD' },
      { name: 'prod', mode: 'AK', access_key_id: 'AKP', access_key_secret: 'SKP' },
    ],
  };
  const h = home({ cli });
  assert.equal(aliyunCurrentProfile({ HOME: h }), 'prod');
  const c = await credentialsFor({ env: guarded(h) }).get();
  assert.equal(c.accessKeyId, 'AKP');
  assert.equal(c.origin, `${join(h, '.aliyun', 'config.json')} profile prod`);
  assert.equal((await planCredentials({ env: guarded(h) })).sources[0]!.providerName, 'cli_profile/static_ak');
  // ALIBABA_CLOUD_PROFILE and --profile still choose
  assert.equal((await credentialsFor({ env: guarded(h, { ALIBABA_CLOUD_PROFILE: 'default' }) }).get()).accessKeyId, 'AKD');
  assert.equal((await credentialsFor({ profile: 'default', env: guarded(h) }).get()).accessKeyId, 'AKD');
  // the SDK's chain reads the CLI config before [default] of the credentials file
  const both = home({ cli, ini: '[default]\ntype = access_key\naccess_key_id = AKI\naccess_key_secret = SKI\n' });
  assert.equal((await credentialsFor({ env: guarded(both) }).get()).accessKeyId, 'AKP');
  // ALIBABA_CLOUD_CLI_PROFILE_DISABLED skips the CLI config, as in the SDK
  assert.equal((await credentialsFor({ env: guarded(both, { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' }) }).get()).accessKeyId, 'AKI');
  // a current profile missing from the list: skipped, as the SDK skips it
  const dangling = home({ cli: { current: 'gone', profiles: [{ name: 'default', mode: 'AK', access_key_id: 'AKD', access_key_secret: 'SKD' }] }, ini: '[default]\ntype = access_key\naccess_key_id = AKI\naccess_key_secret = SKI\n' });
  assert.equal((await credentialsFor({ env: guarded(dangling) }).get()).accessKeyId, 'AKI');
  // StsToken mode
  const sts = home({ cli: { current: 'cli', profiles: [{ name: 'cli', mode: 'StsToken', access_key_id: 'STS.X', access_key_secret: 'S', sts_token: 'T' }] } });
  assert.equal((await credentialsFor({ env: guarded(sts) }).get()).securityToken, 'T');
});

test('aliyun CLI RamRoleArn, ChainableRamRoleArn, EcsRamRole and OIDC profiles are accepted and go to the SDK providers', async () => {
  const h = home({
    cli: {
      current: 'ram',
      profiles: [
        { name: 'base', mode: 'AK', access_key_id: 'AKB', access_key_secret: 'SKB' },
        { name: 'ram', mode: 'RamRoleArn', access_key_id: 'AKR', access_key_secret: 'SKR', ram_role_arn: 'acs:ram::123:role/preflight', ram_session_name: 'acrp', expired_seconds: 900, sts_region: 'cn-hangzhou' },
        { name: 'chain', mode: 'ChainableRamRoleArn', source_profile: 'base', ram_role_arn: 'acs:ram::123:role/second', ram_session_name: 'hop' },
        { name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'InstanceRole' },
        { name: 'oidc', mode: 'OIDC', oidc_provider_arn: 'acs:ram::123:oidc-provider/ack', oidc_token_file: '/var/run/token', ram_role_arn: 'acs:ram::123:role/pod' },
      ],
    },
  });
  // RamRoleArn, as the current profile (no --profile)
  const plan = await planCredentials({ env: guarded(h) });
  const src = plan.sources[0]!;
  assert.equal(src.providerName, 'cli_profile/ram_role_arn/static_ak');
  assert.ok(src.provider instanceof sdk.RAMRoleARNCredentialsProvider);
  const p = src.provider as any;
  assert.equal(p.roleArn, 'acs:ram::123:role/preflight');
  assert.equal(p.roleSessionName, 'acrp');
  assert.equal(p.durationSeconds, 900);
  assert.equal(p.stsEndpoint, 'sts.cn-hangzhou.aliyuncs.com');
  assert.deepEqual(await p.credentialsProvider.getCredentials().then((c: any) => [c.accessKeyId, c.providerName]), ['AKR', 'static_ak']);
  // under the guard: refused before dialling STS, one line, no secret
  const refused = stubHttp(p, () => ({ statusCode: 500, body: '' }));
  await rejectsOneLine(credentialsFor({ env: guarded(h) }).get(), /config\.json profile ram \(cli_profile\/ram_role_arn\/static_ak\): not tried/, ['SKR']);
  await rejectsOneLine(obtainCredentials(plan, guarded(h)), /not tried/, ['SKR']);
  assert.equal(refused.length, 0);
  // its HTTP stubbed: AssumeRole at the regional STS endpoint, signed with the profile's key
  const calls = stubHttp(p, () => ({ statusCode: 200, body: JSON.stringify({ RequestId: 'r', Credentials: STS }) }));
  const { credentials } = await obtainCredentials(plan, { HOME: h });
  assert.equal(credentials.accessKeyId, 'STS.Assumed');
  assert.equal(credentials.securityToken, 'assumed-token');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].host, 'sts.cn-hangzhou.aliyuncs.com');
  assert.equal(calls[0].queries.Action, 'AssumeRole');
  assert.equal(calls[0].queries.AccessKeyId, 'AKR');
  assert.equal(calls[0].bodyForm.RoleArn, 'acs:ram::123:role/preflight');

  const chain = (await planCredentials({ profile: 'chain', env: guarded(h) })).sources[0]!;
  assert.equal(chain.providerName, 'cli_profile/ram_role_arn/static_ak');
  assert.equal((chain.provider as any).roleArn, 'acs:ram::123:role/second');
  assert.equal((await (chain.provider as any).credentialsProvider.getCredentials()).accessKeyId, 'AKB');

  const ecs = (await planCredentials({ profile: 'ecs', env: guarded(h) })).sources[0]!;
  assert.equal(ecs.providerName, 'cli_profile/ecs_ram_role');
  assert.equal((ecs.provider as any).roleName, 'InstanceRole');

  const oidc = (await planCredentials({ profile: 'oidc', env: guarded(h) })).sources[0]!;
  assert.equal(oidc.providerName, 'cli_profile/oidc_role_arn');
  assert.ok(oidc.provider instanceof sdk.OIDCRoleArnCredentialsProvider);
  assert.equal((oidc.provider as any).oidcTokenFilePath, '/var/run/token');
});

test('OIDC from the environment (RRSA) comes before profiles', async () => {
  const h = home({ ini: '[default]\ntype = access_key\naccess_key_id = AKD\naccess_key_secret = SKD\n' });
  const env = guarded(h, { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/r', ALIBABA_CLOUD_OIDC_PROVIDER_ARN: 'acs:ram::1:oidc-provider/p', ALIBABA_CLOUD_OIDC_TOKEN_FILE: join(h, 'token'), ALIBABA_CLOUD_STS_REGION: 'cn-shanghai' });
  const s = (await planCredentials({ env })).sources[0]!;
  assert.equal(s.providerName, 'oidc_role_arn');
  assert.equal((s.provider as any).stsEndpoint, 'sts.cn-shanghai.aliyuncs.com');
  await rejectsOneLine(credentialsFor({ env }).get(), /OIDC .*not tried/);
});

test('a named profile that exists nowhere is one error line: which name, which files, what to do', async () => {
  const h = home({
    ini: '[default]\ntype = access_key\naccess_key_id = AKD\naccess_key_secret = SKD\n[staging]\ntype = access_key\naccess_key_id = AKS\naccess_key_secret = SKS\n',
    cli: { current: 'default', profiles: [{ name: 'default', mode: 'AK', access_key_id: 'AKC', access_key_secret: 'SKC' }] },
  });
  const cli = join(h, '.aliyun', 'config.json');
  const ini = join(h, '.alibabacloud', 'credentials');
  const flag = await rejectsOneLine(credentialsFor({ profile: 'missing', env: guarded(h) }).get(), /profile "missing" \(from cloud\.profile \/ --profile\) not found in /, ['SKD', 'SKS', 'SKC']);
  assert.ok(flag.includes(`${cli} (profiles: default)`), flag);
  assert.ok(flag.includes(`${ini} (profiles: default, staging)`), flag);
  assert.match(flag, / — fix the name, or create the profile: aliyun configure --profile missing$/);
  // a typo in ALIBABA_CLOUD_PROFILE no longer falls back to default
  await rejectsOneLine(credentialsFor({ env: guarded(h, { ALIBABA_CLOUD_PROFILE: 'prdo' }) }).get(), /profile "prdo" \(from ALIBABA_CLOUD_PROFILE\) not found in .*config\.json .* or .*credentials/);
  // no files at all
  const empty = home();
  await rejectsOneLine(credentialsFor({ profile: 'prod', env: guarded(empty) }).get(), /profile "prod" .*not found in .*config\.json \(missing\) or .*credentials \(missing\)/);
});

test('broken profiles: one line, the profile and file named, never a secret', async () => {
  const h = home({
    cli: {
      current: 'default',
      profiles: [
        { name: 'default', mode: 'AK', access_key_id: '', access_key_secret: 'SECRET-ONE' },
        { name: 'weird', mode: 'Bogus', access_key_secret: 'SECRET-TWO' },
        { name: 'ram', mode: 'RamRoleArn', access_key_id: 'AK', access_key_secret: 'SECRET-THREE' },
        { name: 'loop1', mode: 'ChainableRamRoleArn', source_profile: 'loop2', ram_role_arn: 'r' },
        { name: 'loop2', mode: 'ChainableRamRoleArn', source_profile: 'loop1', ram_role_arn: 'r' },
        { name: 'orphan', mode: 'ChainableRamRoleArn', source_profile: 'nobody', ram_role_arn: 'r' },
      ],
    },
    ini: '[notype]\naccess_key_id = A\naccess_key_secret = SECRET-FOUR\n[bearer]\ntype = bearer\nbearer_token = SECRET-FIVE\n',
  });
  const secrets = ['SECRET-ONE', 'SECRET-TWO', 'SECRET-THREE', 'SECRET-FOUR', 'SECRET-FIVE'];
  // an empty key is reported, not filled from process.env by the SDK
  await rejectsOneLine(credentialsFor({ env: guarded(h) }).get(), /aliyun CLI profile "default" in .*config\.json \(mode AK\) has no access_key_id/, secrets);
  await rejectsOneLine(credentialsFor({ profile: 'weird', env: guarded(h) }).get(), /profile "weird" .*\(mode Bogus\): unsupported profile mode 'Bogus'/, secrets);
  await rejectsOneLine(credentialsFor({ profile: 'ram', env: guarded(h) }).get(), /profile "ram" .*\(mode RamRoleArn\) has no ram_role_arn/, secrets);
  await rejectsOneLine(credentialsFor({ profile: 'loop1', env: guarded(h) }).get(), /source_profile loop \(loop1 → loop2 → loop1\)/, secrets);
  await rejectsOneLine(credentialsFor({ profile: 'orphan', env: guarded(h) }).get(), /names source_profile "nobody", which is not in that file/, secrets);
  await rejectsOneLine(credentialsFor({ profile: 'notype', env: guarded(h) }).get(), /profile "notype" in .*credentials has no type — set type = access_key, sts, ram_role_arn or ecs_ram_role/, secrets);
  await rejectsOneLine(credentialsFor({ profile: 'bearer', env: guarded(h) }).get(), /profile "bearer" .*\(type bearer\): Invalid type option/, secrets);
  // an unreadable aliyun config: named, its contents (keys) never echoed
  const bad = home({ cli: '{"profiles":[{"name":"x","access_key_secret":"SECRET-SIX"' });
  await rejectsOneLine(credentialsFor({ env: guarded(bad) }).get(), /cannot read the aliyun CLI config .*config\.json \(not valid JSON\)/, ['SECRET-SIX']);
});
