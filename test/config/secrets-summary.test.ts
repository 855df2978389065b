// Secret references and the input summary the collector puts into facts.input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSecret } from '../../src/config/secrets.js';
import { inputSummaryFromConfig, parseEndpoint } from '../../src/config/summary.js';
import { validateConfig } from '../../src/config/validate.js';
import { envName, envSettings } from '../../src/config/overrides.js';
import { SecretError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-preflight-secret-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CANARY = 'glpat-CANARY-7f3e9a';

function secretError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SecretError, String(e));
    assert.ok(!e.line().includes(CANARY), 'never echo the secret');
    return e.line();
  }
  assert.fail('expected a SecretError');
}

test('secrets: env:NAME reads the variable; unset or empty is an error naming the field and variable', () => {
  assert.equal(resolveSecret('env:GITLAB_TOKEN', dir, { GITLAB_TOKEN: CANARY }, 'gitlab.token'), CANARY);
  assert.equal(secretError(() => resolveSecret('env:GITLAB_TOKEN', dir, {}, 'gitlab.token')), 'gitlab.token: environment variable GITLAB_TOKEN is not set — export GITLAB_TOKEN=… (or use file:PATH)');
  assert.match(secretError(() => resolveSecret('env:GITLAB_TOKEN', dir, { GITLAB_TOKEN: ' ' }, 'gitlab.token')), /GITLAB_TOKEN is empty/);
});

test('secrets: file:PATH relative to the config directory, ~ expanded, trailing newline dropped', () => {
  writeFileSync(join(dir, 'token'), `${CANARY}\n`);
  assert.equal(resolveSecret('file:token', dir, {}), CANARY);
  assert.equal(resolveSecret(`file:${join(dir, 'token')}`, '/', {}), CANARY);
  mkdirSync(join(dir, 'home', '.secrets'), { recursive: true });
  writeFileSync(join(dir, 'home', '.secrets', 'pass'), 'hunter2');
  assert.equal(resolveSecret('file:~/.secrets/pass', '/', { HOME: join(dir, 'home') }), 'hunter2');
});

test('secrets: missing, empty, multi-line, oversized and non-file targets are refused without echo', () => {
  assert.match(secretError(() => resolveSecret('file:nope', dir, {}, 'gitlab.token')), /^gitlab\.token: cannot read nope \(not found: .*nope\)/);
  writeFileSync(join(dir, 'empty'), '\n');
  assert.match(secretError(() => resolveSecret('file:empty', dir, {})), /empty is empty/);
  writeFileSync(join(dir, 'two'), `${CANARY}\nsecond\n`);
  assert.match(secretError(() => resolveSecret('file:two', dir, {})), /holds more than one line/);
  writeFileSync(join(dir, 'big'), CANARY.repeat(10_000));
  assert.match(secretError(() => resolveSecret('file:big', dir, {})), /too large for a secret/);
  assert.match(secretError(() => resolveSecret(`file:${dir}`, dir, {})), /is not a regular file/);
  assert.match(secretError(() => resolveSecret(CANARY, dir, {})), /not a secret reference \(expected env:NAME or file:PATH\)/);
});

const BASE = {
  region: 'cn-hangzhou',
  acr: { instanceId: 'cri-abc123', namespace: 'team', repository: 'app' },
  vpc: { vpcId: 'vpc-abc123', vSwitchId: 'vsw-abc123' },
  gitlab: { endpoint: 'https://gitlab.corp:8443/gitlab/', username: 'builder', token: 'env:T', project: 'g/app', caFile: './ca.pem', sshPort: 22 },
};

test('summary: endpoint host/port/scheme, defaults per scheme, path prefix kept', () => {
  assert.deepEqual(parseEndpoint('https://192.168.1.10'), { scheme: 'https', host: '192.168.1.10', port: 443, path: '', url: 'https://192.168.1.10' });
  assert.deepEqual(parseEndpoint('http://192.168.1.10'), { scheme: 'http', host: '192.168.1.10', port: 80, path: '', url: 'http://192.168.1.10' });
  assert.deepEqual(parseEndpoint('https://gitlab.corp:8443/gitlab'), { scheme: 'https', host: 'gitlab.corp', port: 8443, path: '/gitlab', url: 'https://gitlab.corp:8443/gitlab' });
  assert.equal(parseEndpoint('https://g.corp:443').url, 'https://g.corp');
});

test('summary: inputSummaryFromConfig holds no secrets and says which optional inputs are configured', () => {
  const { config } = validateConfig({
    ...BASE,
    datacenter: { cidrs: ['10.20.0.0/16'], vbrId: 'vbr-abc', router: { ssh: { host: '10.20.0.1', username: 'n', passphrase: 'env:PASS' } }, attest: { returnRoute: 'NET-1' } },
    probe: { jumpHost: { host: '192.168.1.20', username: 'ops' } },
    extraEndpoints: ['192.168.2.15:8081'],
    zones: { 'cn-hangzhou': ['cn-hangzhou-k'] },
  });
  const s = inputSummaryFromConfig(config);
  assert.deepEqual(s, {
    region: 'cn-hangzhou',
    acr: { instanceId: 'cri-abc123', namespace: 'team', repository: 'app' },
    vpc: { vpcId: 'vpc-abc123', vSwitchId: 'vsw-abc123' },
    gitlab: { endpoint: 'https://gitlab.corp:8443/gitlab', host: 'gitlab.corp', port: 8443, scheme: 'https', username: 'builder', project: 'g/app', caFile: true, sshPort: 22 },
    extraEndpoints: ['192.168.2.15:8081'],
    jumpHostConfigured: true,
    gitlabHostConfigured: false,
    datacenter: { cidrs: ['10.20.0.0/16'], vbrId: 'vbr-abc', routerConfigured: true, attestReturnRoute: 'NET-1' },
    zoneOverrides: { 'cn-hangzhou': ['cn-hangzhou-k'] },
  });
  assert.ok(!JSON.stringify(s).includes('env:'), 'no secret references either');
});

test('env names: the mapping rule, unique names, one per settable field', () => {
  assert.equal(envName(['vpc', 'vSwitchId']), 'ACR_PREFLIGHT_VPC_VSWITCH_ID');
  assert.equal(envName(['gitlab', 'endpoint']), 'ACR_PREFLIGHT_GITLAB_ENDPOINT');
  assert.equal(envName(['cloud', 'endpoint']), 'ACR_PREFLIGHT_CLOUD_ENDPOINT');
  assert.equal(envName(['probe', 'jumpHost', 'privateKeyFile']), 'ACR_PREFLIGHT_PROBE_JUMP_HOST_PRIVATE_KEY_FILE');
  assert.equal(envName(['acr', 'instanceId']), 'ACR_PREFLIGHT_ACR_INSTANCE_ID');
  const names = envSettings().map((s) => s.env);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes('ACR_PREFLIGHT_DATACENTER_ROUTER_SSH_HOST'));
  assert.equal(envSettings().find((s) => s.env === 'ACR_PREFLIGHT_WAIVERS')?.form, 'json');
  assert.equal(envSettings().find((s) => s.env === 'ACR_PREFLIGHT_EXTRA_ENDPOINTS')?.form, 'list');
});
