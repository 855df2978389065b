// The single executable (`npm run build:sea`), built once here, copied alone into a temporary
// directory and run with a PATH that has no Node on it (only git and openssl, which the emulator
// uses, as symlinks): every command works from the one file, with no node_modules anywhere near.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { RULES } from '../../rules/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, spawnEmulator, startTestEmulator, worldPath } from '../helpers/emulator.js';
import { haveTmux, Tmux } from '../tui/tmux.js';
import { SSHD, startSshd } from '../helpers/sshd.js';
import { parse, stringify } from 'yaml';
import { writeFileSync } from 'node:fs';
import { buildSea, SEA_BIN } from '../../scripts/build-sea.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
let tmp: string;
let exe: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  await buildSea();
  tmp = mkdtempSync(join(tmpdir(), 'acrp-sea-'));
  exe = join(tmp, 'acr-preflight');
  copyFileSync(SEA_BIN, exe);
  execFileSync('chmod', ['755', exe]);
  const path = join(tmp, 'path');
  mkdirSync(path);
  for (const tool of ['git', 'openssl']) {
    const found = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(found, join(path, tool));
  }
  env = {
    PATH: path,
    HOME: tmp,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret,
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
  };
}, { timeout: 600_000 });

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const sea = (args: string[], opts: { timeoutMs?: number } = {}) => runCli(args, { command: [exe], cwd: tmp, env, timeoutMs: opts.timeoutMs ?? 60_000 });

test('the executable is alone: no node on its PATH, no node_modules or package beside it', async () => {
  assert.throws(() => execFileSync('sh', ['-c', 'command -v node'], { env: { PATH: env.PATH! } }));
  assert.ok(!existsSync(join(tmp, 'node_modules')) && !existsSync(join(tmp, 'package.json')));
  const r = await sea(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), pkg.version);
  assert.equal(r.stderr, '', 'no ExperimentalWarning or other noise');
});

test('SEA: rules and explain read the embedded rule docs', async () => {
  const r = await sea(['rules']);
  assert.equal(r.code, 0, r.stderr);
  for (const rule of RULES) assert.match(r.stdout, new RegExp(`^${rule.id}\\s`, 'm'));
  const e = await sea(['explain', 'zone-supported']);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /What must hold/);
});

test('SEA: check against the emulator (its own emulator, also the executable) passes; collect then analyze agree', { timeout: 180_000 }, async (t) => {
  const em = await spawnEmulator(['--world', worldPath('demo'), '--gitlab-port', '0', '--state-dir', join(tmp, 'emu-state')], { command: [exe], env, cwd: tmp, timeoutMs: 60_000 });
  t.after(async () => {
    await em.stop();
  });
  const port = Number(new URL(em.ready.gitlab).port);
  const config = prepareConfig('demo', { cloudUrl: em.ready.cloud, gitlabPort: port, ...(em.ready.gitlabCa ? { gitlabCa: em.ready.gitlabCa } : {}) }, join(tmp, 'cfg'));
  const r = await sea(['check', '-c', config]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^PASS: /m);
  assert.match(r.stdout, /PASS +gitlab-reachable/, 'the live GitLab probe ran (undici) against the emulated GitLab');

  const bundle = join(tmp, 'bundle.json');
  const c = await sea(['collect', '-c', config, '--out', bundle]);
  assert.equal(c.code, 0, c.stderr);
  const a = await sea(['analyze', bundle]);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /^PASS: /m);
});

test('SEA: demo (emulator in process, check, provision with the build log) exits 0', { timeout: 180_000 }, async () => {
  const r = await sea(['demo'], { timeoutMs: 170_000 });
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /build succeeded/);
});

test('SEA: the TUI draws (ink and its WebAssembly layout engine) and quits with the check verdict', { skip: haveTmux() ? false : 'tmux is not installed', timeout: 120_000 }, async (t) => {
  const em = await startTestEmulator('demo');
  const tmux = new Tmux();
  t.after(async () => {
    await tmux.close();
    await em.stop();
  });
  const config = prepareConfig('demo', em, join(tmp, 'tui'));
  // tmux itself must be found (with this PATH: it starts the pane), still no node
  const withTmux = join(tmp, 'path-tmux');
  mkdirSync(withTmux, { recursive: true });
  if (!existsSync(join(withTmux, 'tmux'))) symlinkSync(execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim(), join(withTmux, 'tmux'));
  await tmux.start([exe, 'tui', '-c', config], { cwd: tmp, env: { ...env, PATH: `${env.PATH}:${withTmux}`, NO_COLOR: undefined, CI: undefined } });
  await tmux.waitFor(/— PASS \(exit 0\)/, 60_000);
  await tmux.keys('q', { literal: true });
  assert.equal(await tmux.waitExit(), 0);
});

test('SEA: SSH (ssh2 without its native binding, none is embedded) reads the GitLab host into a support bundle', { skip: SSHD ? false : 'sshd is not installed', timeout: 120_000 }, async (t) => {
  const em = await startTestEmulator('demo');
  const sshd = await startSshd();
  t.after(async () => {
    await sshd.stop();
    await em.stop();
  });
  const file = prepareConfig('demo', em, join(tmp, 'ssh'));
  const cfg = parse(readFileSync(file, 'utf8'));
  cfg.probe.timeoutMs = 30_000; // a loaded CI machine is slow to run the remote commands
  cfg.probe.gitlabHost = { ssh: { host: '127.0.0.1', port: sshd.port, username: 'root', privateKeyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile } };
  writeFileSync(file, stringify(cfg));
  const out = join(tmp, 'ssh', 'bundle.json');
  const r = await sea(['collect', '-c', file, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const facts = JSON.parse(readFileSync(out, 'utf8'));
  const host = facts.facts.hosts.gitlabHost;
  assert.equal(host.state, 'ok', `the GitLab host was read over SSH: ${JSON.stringify(host)}`);
  assert.equal(host.value.user, 'root');
});
