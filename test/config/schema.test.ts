// The config schema through the shared issue formatter, end to end from a file: a typo in a nested
// key names the nearest key and its file:line, a wrong type names the path and the expected type, a
// secret given wrongly is never echoed (from the file or an ACR_PREFLIGHT_* variable), and every
// problem is reported at once; the CLI says the same in one message with exit 2.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { envSettings } from '../../src/config/overrides.js';
import { ConfigError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-preflight-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MIN = `region: cn-hangzhou
acr: { instanceId: cri-abc123 }
vpc: { vpcId: vpc-abc123, vSwitchId: vsw-abc123 }
gitlab:
  endpoint: https://192.168.1.10
  username: builder
  token: env:GITLAB_TOKEN
  project: group/app
`;

function problem(text: string, env: NodeJS.ProcessEnv = {}): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  try {
    loadConfig({ file, env, cwd: dir });
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.line().replaceAll(`${file.slice(dir.length + 1)}`, 'F');
  }
  return assert.fail('expected a ConfigError');
}

test('a typo in a nested key names the nearest valid key and the line of the typo', () => {
  const text = `${MIN}probe:\n  gitlabHost:\n    ssh:\n      host: 192.168.1.10\n      username: ops\n      knownHostFile: ~/.ssh/known_hosts\n`;
  assert.equal(problem(text), 'F:14: probe.gitlabHost.ssh.knownHostFile: unknown key (did you mean probe.gitlabHost.ssh.knownHostsFile?)');
  // nothing near: the valid keys of that mapping
  assert.equal(
    problem(`${MIN}cloud:\n  zzzzzzzz: 1\n`),
    'F:10: cloud.zzzzzzzz: unknown key (valid here: endpoint, profile)',
  );
});

test('a wrong type names the path, the expected type and what was found', () => {
  assert.equal(problem(`${MIN}probe:\n  timeoutMs: fast\n`), 'F:10: probe.timeoutMs: expected an integer, got a string ("fast")');
  assert.equal(problem(`${MIN}probe:\n  gitlabHost:\n    ssh: { host: h, username: u }\n    sudo: 1\n`), 'F:12: probe.gitlabHost.sudo: expected true or false, got an integer (1)');
  assert.equal(problem(`${MIN}build:\n  rules:\n    - { pushType: GIT_BRANCH, pushName: main, imageTag: [latest] }\n`), 'F:11: build.rules[0].imageTag: expected a string, got a list');
});

test('several problems are reported at once, an unknown key before the field beside it', () => {
  const text = `${MIN.replace('region: cn-hangzhou\n', 'regoin: cn-hangzhou\n').replace('vsw-abc123', 'sw-1')}`;
  assert.equal(
    problem(text),
    [
      'the config has 3 problems:',
      '  - F:1: regoin: unknown key (did you mean region?)',
      '  - F:1: region: missing (required) — add e.g. region: cn-hangzhou',
      '  - F:3: vpc.vSwitchId: expected an id like vsw-xxxxxxxx, got "sw-1"',
    ].join('\n'),
  );
});

test('a secret-valued field given a wrong value never echoes it', () => {
  const secrets = ['glpat-Zx81SECRETvalue', '98127349812', 'hunter2hunter2'];
  const cases = [
    [MIN.replace('env:GITLAB_TOKEN', secrets[0]!), /^F:7: gitlab\.token: a literal secret is not allowed here/],
    [MIN.replace('env:GITLAB_TOKEN', secrets[1]!), /^F:7: gitlab\.token: expected a string, got an integer$/],
    [MIN.replace('env:GITLAB_TOKEN', `[${secrets[2]}]`), /^F:7: gitlab\.token: expected a string, got a list$/],
    [`${MIN}probe:\n  jumpHost: { host: h, username: u, passphrase: ${secrets[2]} }\n`, /^F:10: probe\.jumpHost\.passphrase: a literal secret is not allowed here/],
    [`${MIN}probe:\n  jumpHost: { host: h, username: u, passphrase: ${secrets[1]} }\n`, /^F:10: probe\.jumpHost\.passphrase: expected a string, got an integer$/],
  ] as const;
  for (const [text, want] of cases) {
    const line = problem(text);
    assert.match(line, want);
    for (const s of secrets) assert.ok(!line.includes(s), `echoes a secret: ${line}`);
  }
  // from the environment: the variable is named, its value is not
  const env = problem(MIN, { ACR_PREFLIGHT_GITLAB_TOKEN: secrets[0] });
  assert.match(env, /^ACR_PREFLIGHT_GITLAB_TOKEN: gitlab\.token: a literal secret is not allowed here/);
  assert.ok(!env.includes(secrets[0]!));
});

test('every settable field has its variable, named after the schema', () => {
  const byEnv = new Map(envSettings().map((s) => [s.env, s]));
  assert.equal(byEnv.get('ACR_PREFLIGHT_GITLAB_SSH_PORT')?.scalar, 'integer');
  assert.equal(byEnv.get('ACR_PREFLIGHT_PROBE_GITLAB_HOST_SUDO')?.scalar, 'boolean');
  assert.equal(byEnv.get('ACR_PREFLIGHT_DATACENTER_ROUTER_FLAVOR')?.scalar, 'string');
  assert.equal(byEnv.get('ACR_PREFLIGHT_PROBE_CONNECT_TO')?.pairs, true);
  assert.equal(byEnv.get('ACR_PREFLIGHT_ZONES')?.form, 'json');
  assert.equal(byEnv.get('ACR_PREFLIGHT_BUILD_RULES')?.form, 'json');
  assert.equal(envSettings().length, 43);
});

test('the CLI: a nested typo with its file:line and the nearest key, exit 2', async () => {
  const file = join(dir, 'cli.yaml');
  writeFileSync(file, `${MIN}datacenter:\n  cidrs: [10.20.0.0/16]\n  atest: { returnRoute: x }\n`);
  const r = await runCli(['check', '-c', file, '--no-probes'], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^acr-preflight: cli\.yaml:11: datacenter\.atest: unknown key \(did you mean datacenter\.attest\?\)\n$/);
});
