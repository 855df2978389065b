// Canary secrets — the AccessKey secret, an STS token, the GitLab token and an SSH key passphrase —
// never appear in stdout, stderr (also with --debug), any report format, or the support bundle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEMO_GITLAB_TOKEN, DEMO_STS, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { SSHD, startSshd, type Sshd } from '../helpers/sshd.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-secrets-'));
const PASSPHRASE = 'canary-passphrase-5d41402abc4b2a76';
let em: EmulatorHandle;
let sshd: Sshd | undefined;
let cfg: string;

before(async () => {
  em = await startTestEmulator('demo');
  cfg = prepareConfig('demo', em, dir);
  if (SSHD) {
    sshd = await startSshd();
    const key = join(dir, 'pass_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', key]);
    writeFileSync(join(sshd.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
    const c = parse(readFileSync(cfg, 'utf8'));
    c.probe.gitlabHost = { ssh: { host: '127.0.0.1', port: sshd.port, username: 'root', privateKeyFile: key, passphrase: 'env:SSH_PASS', knownHostsFile: sshd.knownHostsFile } };
    writeFileSync(cfg, stringify(c));
  }
});
after(async () => {
  await em?.stop();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('no canary secret in any output, report, bundle or debug log', async () => {
  const env = {
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_STS.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_STS.accessKeySecret,
    ALIBABA_CLOUD_SECURITY_TOKEN: DEMO_STS.securityToken,
    SSH_PASS: PASSPHRASE,
  };
  const canaries = [DEMO_GITLAB_TOKEN, DEMO_STS.accessKeySecret, DEMO_STS.securityToken, PASSPHRASE];
  const outputs: string[] = [];
  const runs = [
    ['check', '-c', cfg, '--debug'],
    ['check', '-c', cfg, '--format', 'json', '--output', join(dir, 'r.json'), '--format', 'sarif', '--output', join(dir, 'r.sarif'), '--format', 'junit', '--output', join(dir, 'r.xml'), '--format', 'markdown', '--output', join(dir, 'r.md'), '--format', 'text'],
    ['collect', '-c', cfg, '--out', join(dir, 'bundle.json'), '--debug'],
    ['collect', '-c', cfg, '--out', join(dir, 'bundle-p.json'), '--pseudonymize'],
    ['analyze', join(dir, 'bundle.json'), '--debug'],
  ];
  for (const args of runs) {
    const r = await runCli(args, { env });
    assert.ok(r.code === 0 || r.code === 1, `${args[0]} exit ${r.code}: ${r.stderr}`);
    outputs.push(r.stdout, r.stderr);
  }
  // a failing run with --debug (GitLab rejects a wrong token; the wrong token is a canary too)
  const wrong = 'glpat-canary-wrong-token-0000';
  const bad = await runCli(['check', '-c', cfg, '--debug'], { env: { ...env, GITLAB_TOKEN: wrong } });
  outputs.push(bad.stdout, bad.stderr);
  for (const f of readdirSync(dir)) if (/\.(json|sarif|xml|md)$/.test(f)) outputs.push(readFileSync(join(dir, f), 'utf8'));
  const all = outputs.join('\n');
  assert.ok(all.includes('gitlab-token'), 'the outputs were captured');
  for (const c of [...canaries, wrong]) assert.ok(!all.includes(c), `canary ${c.slice(0, 12)}… leaked`);
  if (sshd) assert.match(all, /host-route/);
});

test('a literal token is refused, and no flag takes a token', async () => {
  const c = parse(readFileSync(cfg, 'utf8'));
  c.gitlab.token = 'glpat-literal-canary-123456';
  const f = join(dir, 'literal.yaml');
  writeFileSync(f, stringify(c));
  const r = await runCli(['check', '-c', f]);
  assert.equal(r.code, 2);
  assert.ok(!r.stderr.includes('glpat-literal-canary-123456'));
  assert.match(r.stderr, /env:|file:/);
  const flag = await runCli(['check', '--token', 'x']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown option '--token'/);
});

test('a bundle made with profile credentials scrubs the secret in use, not only the environment\'s', async () => {
  const home = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(home, '.alibabacloud'));
  writeFileSync(join(home, '.alibabacloud', 'credentials'), `[default]\ntype = sts\naccess_key_id = ${DEMO_STS.accessKeyId}\naccess_key_secret = ${DEMO_STS.accessKeySecret}\nsecurity_token = ${DEMO_STS.securityToken}\n`);
  const out = join(dir, 'profile-bundle.json');
  const r = await runCli(['collect', '-c', cfg, '--out', out, '--no-probes'], { env: { HOME: home, GITLAB_TOKEN: DEMO_GITLAB_TOKEN, SSH_PASS: PASSPHRASE } });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  for (const s of [DEMO_STS.accessKeySecret, DEMO_STS.securityToken]) assert.ok(!text.includes(s));
  const b = JSON.parse(text);
  assert.ok(b.redaction.secretsScrubbed.includes('AccessKey secret in use'), JSON.stringify(b.redaction));
  assert.ok(b.redaction.secretsScrubbed.includes('STS token in use'));
});
