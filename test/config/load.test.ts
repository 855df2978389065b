// Loading: file discovery, YAML and JSON, line numbers, refusals (size, binary, bombs), warnings,
// overrides from ACR_PREFLIGHT_* and flags validated like the file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, MAX_CONFIG_BYTES } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-preflight-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MIN = `region: cn-hangzhou
acr: { instanceId: cri-abc123 }
vpc: { vpcId: vpc-abc123, vSwitchId: vsw-abc123 }
gitlab:
  endpoint: https://192.168.1.10/
  username: builder
  token: env:GITLAB_TOKEN
  project: group/app
`;

function write(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.line();
  }
  assert.fail('expected a ConfigError');
}

test('load: the example config validates as copied, without warnings; uncommented, every section is kept', () => {
  const asIs = loadConfig({ file: 'examples/preflight.yaml', env: {}, cwd: ROOT, now: new Date('2026-11-20T00:00:00Z') });
  assert.equal(asIs.file, join(ROOT, 'examples', 'preflight.yaml'));
  assert.equal(asIs.baseDir, join(ROOT, 'examples'));
  assert.deepEqual(asIs.warnings, []);
  assert.equal(asIs.config.cloud?.profile, undefined, 'no profile: the default credentials chain applies');
  // the optional blocks are commented out as "#key" / "#  key" (descriptions are "# text")
  const full = readFileSync(join(ROOT, 'examples', 'preflight.yaml'), 'utf8').split('\n').map((l) => (/^#(?! \S)/.test(l) && l !== '#' ? l.slice(1) : l)).join('\n');
  const { config, warnings } = loadConfig({ file: write('full.yaml', full), env: {}, cwd: dir, now: new Date('2026-11-20T00:00:00Z') });
  assert.equal(config.datacenter?.router?.flavor, 'linux');
  assert.equal(config.probe?.connectTo?.['192.168.1.10:443'], '127.0.0.1:8443');
  assert.deepEqual(config.zones, { 'cn-hangzhou': ['cn-hangzhou-k'] });
  assert.equal(config.waivers?.[0]?.expires, '2027-01-31');
  assert.equal(config.gitlab.sshPort, 22);
  assert.deepEqual(config.extraEndpoints, ['192.168.2.15:8081']);
  assert.ok(warnings.some((w) => /gitlab\.caFile: \.\/corp-ca\.pem does not exist/.test(w)), warnings.join('\n'));
});

test('load: every fixture config of the scenario worlds validates', () => {
  for (const f of ['demo', 'ecs-sg-partial', 'idc-healthy', 'slb-healthy']) {
    const { config } = loadConfig({ file: `fixtures/configs/${f}.yaml`, env: {}, cwd: ROOT });
    assert.equal(config.region, 'cn-hangzhou');
  }
});

test('load: default ./preflight.yaml, then ACR_PREFLIGHT_CONFIG; a trailing slash of the endpoint is dropped', () => {
  const sub = mkdtempSync(join(dir, 'cwd-'));
  writeFileSync(join(sub, 'preflight.yaml'), MIN);
  assert.equal(loadConfig({ env: {}, cwd: sub }).config.gitlab.endpoint, 'https://192.168.1.10');
  const other = write('other.yaml', MIN.replace('cn-hangzhou', 'cn-shanghai'));
  assert.equal(loadConfig({ env: { ACR_PREFLIGHT_CONFIG: other }, cwd: sub }).config.region, 'cn-shanghai');
  assert.match(configError(() => loadConfig({ env: { ACR_PREFLIGHT_CONFIG: join(dir, 'nope.yaml') }, cwd: sub })), /nope\.yaml: config file not found \(from ACR_PREFLIGHT_CONFIG\)/);
  assert.match(configError(() => loadConfig({ file: 'missing.yaml', env: {}, cwd: sub })), /^missing\.yaml: config file not found/);
  const empty = mkdtempSync(join(dir, 'empty-'));
  assert.match(configError(() => loadConfig({ env: {}, cwd: empty })), /^no config: preflight\.yaml does not exist and no ACR_PREFLIGHT_\* settings are set — create preflight\.yaml/);
});

test('load: JSON configs are accepted, with line numbers in errors', () => {
  const json = JSON.stringify({ region: 'cn-hangzhou', acr: { instanceId: 'cri-abc123' }, vpc: { vpcId: 'vpc-abc123', vSwitchId: 'vsw-abc123' }, gitlab: { endpoint: 'http://gitlab.corp', username: 'b', token: 'file:/run/secrets/t', project: 'g/a' } }, null, 2);
  assert.equal(loadConfig({ file: write('c.json', json), env: {}, cwd: dir }).config.gitlab.endpoint, 'http://gitlab.corp');
  const bad = json.replace('"vpc-abc123"', '"vpc_abc"');
  assert.match(configError(() => loadConfig({ file: write('bad.json', bad), env: {}, cwd: dir })), /^bad\.json:7: vpc\.vpcId: expected an id like vpc-xxxxxxxx, got "vpc_abc"$/);
});

test('load: files over the size limit are refused before parsing', () => {
  const big = write('big.yaml', `${MIN}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
  assert.match(configError(() => loadConfig({ file: big, env: {}, cwd: dir })), /big\.yaml: the file is \d+ bytes, over the 4194304-byte limit/);
});

test('load: a directory is not a config file', () => {
  assert.match(configError(() => loadConfig({ file: dir, env: {}, cwd: dir })), /not a regular file/);
});

test('load: 100,000 data-center prefixes load within the size limit', () => {
  const cidrs: string[] = [];
  for (let i = 0; i < 100_000; i++) cidrs.push(`10.${(i >> 8) & 255}.${i & 255}.0/24`);
  const text = `${MIN}datacenter:\n  cidrs: [${cidrs.join(', ')}]\n`;
  assert.ok(text.length < MAX_CONFIG_BYTES);
  const t0 = performance.now();
  const { config } = loadConfig({ file: write('many.yaml', text), env: {}, cwd: dir });
  assert.equal(config.datacenter?.cidrs.length, 100_000);
  assert.ok(performance.now() - t0 < 20_000);
});

test('load: warnings for host bits, expired waivers, plain http with a caFile', () => {
  const text = `${MIN.replace('https://', 'http://')}  caFile: ${join(dir, 'c.json')}\ndatacenter:\n  cidrs: [10.20.0.1/16]\nwaivers:\n  - { rule: gitlab-tls, reason: r, owner: o, expires: 2026-01-01 }\n`;
  const { warnings } = loadConfig({ file: write('warn.yaml', text), env: {}, cwd: dir, now: new Date('2026-11-20T00:00:00Z') });
  assert.ok(warnings.some((w) => /^warn\.yaml:11: datacenter\.cidrs: 10\.20\.0\.1\/16 has host bits set/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /^warn\.yaml:13: waivers\[0\]: the waiver for gitlab-tls \(owner o\) expired on 2026-01-01; it no longer waives/.test(w)), warnings.join('\n'));
  assert.ok(warnings.some((w) => /gitlab\.caFile is ignored: gitlab\.endpoint is plain http/.test(w)), warnings.join('\n'));
});

test('load: waivers for rules that do not exist are refused with the nearest id', () => {
  const text = `${MIN}waivers:\n  - { rule: gitlab-tsl, reason: r, owner: o, expires: 2027-01-01 }\n`;
  const msg = configError(() => loadConfig({ file: write('w.yaml', text), env: {}, cwd: dir, ruleIds: ['gitlab-tls', 'sg-ingress'] }));
  assert.equal(msg, 'w.yaml:10: waivers[0].rule: unknown rule id "gitlab-tsl" (did you mean gitlab-tls?) — run `acr-preflight rules` to list the ids');
});

test('overrides: ACR_PREFLIGHT_* and flags override the file and are validated the same way', () => {
  const file = write('o.yaml', MIN);
  const env = {
    ACR_PREFLIGHT_REGION: 'cn-beijing',
    ACR_PREFLIGHT_VPC_VSWITCH_ID: 'vsw-fromenv',
    ACR_PREFLIGHT_GITLAB_SSH_PORT: '2222',
    ACR_PREFLIGHT_DATACENTER_CIDRS: '10.20.0.0/16, 10.30.0.0/16',
    ACR_PREFLIGHT_PROBE_CONNECT_TO: '192.168.1.10:443=127.0.0.1:8443',
    ACR_PREFLIGHT_WAIVERS: '[{"rule":"gitlab-tls","reason":"r","owner":"o","expires":"2027-01-31"}]',
    ACR_PREFLIGHT_CLOUD_ENDPOINT: 'http://127.0.0.1:1',
    ACR_PREFLIGHT_ACR_NAMESPACE: '',
  };
  const { config } = loadConfig({ file, env, cwd: dir, flags: { 'cloud.endpoint': 'http://127.0.0.1:8790' } });
  assert.equal(config.region, 'cn-beijing');
  assert.equal(config.vpc.vSwitchId, 'vsw-fromenv');
  assert.equal(config.vpc.vpcId, 'vpc-abc123', 'untouched fields stay');
  assert.equal(config.gitlab.sshPort, 2222);
  assert.deepEqual(config.datacenter?.cidrs, ['10.20.0.0/16', '10.30.0.0/16']);
  assert.deepEqual(config.probe?.connectTo, { '192.168.1.10:443': '127.0.0.1:8443' });
  assert.equal(config.waivers?.[0]?.owner, 'o');
  assert.equal(config.cloud?.endpoint, 'http://127.0.0.1:8790', 'flags win over env');
  assert.equal(config.acr.namespace, undefined, 'an empty variable is unset');
});

test('overrides: a bad value names the variable or flag that set it', () => {
  const file = write('o2.yaml', MIN);
  assert.equal(
    configError(() => loadConfig({ file, env: { ACR_PREFLIGHT_VPC_VSWITCH_ID: 'sw-1' }, cwd: dir })),
    'ACR_PREFLIGHT_VPC_VSWITCH_ID: vpc.vSwitchId: expected an id like vsw-xxxxxxxx, got "sw-1"',
  );
  assert.equal(configError(() => loadConfig({ file, env: {}, cwd: dir, flags: { region: 'Hangzhou' } })), '--region: region: expected a region id like cn-hangzhou, got "Hangzhou"');
  assert.match(configError(() => loadConfig({ file, env: { ACR_PREFLIGHT_GITLAB_TOKEN: 'glpat-abcdef123' }, cwd: dir })), /^ACR_PREFLIGHT_GITLAB_TOKEN: gitlab\.token: a literal secret is not allowed/);
  assert.match(configError(() => loadConfig({ file, env: { ACR_PREFLIGHT_WAIVERS: '[{' }, cwd: dir })), /^ACR_PREFLIGHT_WAIVERS: not valid JSON/);
  assert.equal(configError(() => loadConfig({ file, env: { ACR_PREFLIGHT_GITLAB_SSH_PORT: 'ssh' }, cwd: dir })), 'ACR_PREFLIGHT_GITLAB_SSH_PORT: gitlab.sshPort: expected an integer, got a string ("ssh")');
});

test('overrides: a config made of environment variables only', () => {
  const env = {
    ACR_PREFLIGHT_REGION: 'cn-hangzhou',
    ACR_PREFLIGHT_ACR_INSTANCE_ID: 'cri-abc123',
    ACR_PREFLIGHT_VPC_VPC_ID: 'vpc-abc123',
    ACR_PREFLIGHT_VPC_VSWITCH_ID: 'vsw-abc123',
    ACR_PREFLIGHT_GITLAB_ENDPOINT: 'https://gitlab.corp',
    ACR_PREFLIGHT_GITLAB_USERNAME: 'builder',
    ACR_PREFLIGHT_GITLAB_TOKEN: 'env:GITLAB_TOKEN',
    ACR_PREFLIGHT_GITLAB_PROJECT: 'group/app',
  };
  const sub = mkdtempSync(join(dir, 'envonly-'));
  const loaded = loadConfig({ env, cwd: sub });
  assert.equal(loaded.file, '<env>');
  assert.equal(loaded.baseDir, sub);
  assert.equal(loaded.config.gitlab.endpoint, 'https://gitlab.corp');
  const { ACR_PREFLIGHT_GITLAB_PROJECT: _p, ...partial } = env;
  assert.equal(configError(() => loadConfig({ env: partial, cwd: sub })), 'gitlab.project: missing (required) — add e.g. project: group/app');
});

test('overrides: a misspelt variable warns with the nearest name; unrelated ones are ignored', () => {
  const { warnings } = loadConfig({ file: write('o3.yaml', MIN), env: { ACR_PREFLIGHT_REGOIN: 'x', ACR_PREFLIGHT_LOOPBACK_ONLY: '1', ACR_PREFLIGHT_SOMETHING_ELSE_ENTIRELY: '1' }, cwd: dir });
  assert.deepEqual(warnings, ['ACR_PREFLIGHT_REGOIN is not a setting (did you mean ACR_PREFLIGHT_REGION?); ignored']);
});
