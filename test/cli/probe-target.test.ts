// Probes that do what the config says, run as a user would (the spawned CLI against the emulator):
// probe.connectTo keyed on host:port never dials around a mapping; an endpoint whose URL is not
// GitLab's API says so (and the token/clone-URL rules skip); GitLab under a relative URL root works;
// http:// against a TLS port says that the port speaks TLS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-probe-target-'));
const servers: Server[] = [];
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  rmSync(dir, { recursive: true, force: true });
});
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };

/** a loopback listener that records every connection made to it */
async function recorder(): Promise<{ port: number; connections: () => number }> {
  let n = 0;
  const s = createServer((sock) => {
    n++;
    sock.destroy();
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { port: (s.address() as { port: number }).port, connections: () => n };
}

/** the demo config for a running emulator, then `edit` applied */
function config(name: string, em: Parameters<typeof prepareConfig>[1], edit: (c: Record<string, any>) => void): string {
  const file = prepareConfig('demo', em, join(dir, name));
  const c = parse(readFileSync(file, 'utf8')) as Record<string, any>;
  // a loaded machine must not turn a verdict into "undecided": these tests are about what is dialled
  c.probe.timeoutMs = 30_000;
  edit(c);
  writeFileSync(file, stringify(c));
  return file;
}

const result = (report: any, id: string) => report.results.find((x: any) => x.ruleId === id);

test('connectTo maps the endpoint host on another port: config error (exit 2) naming both, nothing dialled', async () => {
  const em = await startTestEmulator('demo');
  const rec = await recorder();
  try {
    // the endpoint's host has a mapping, but on :443; the endpoint is on the recorder's port
    const cfg = config('ct-port', em, (c) => {
      c.gitlab.endpoint = `https://127.0.0.1:${rec.port}`;
      c.probe.connectTo = { '127.0.0.1:443': `127.0.0.1:${em.gitlabPort}` };
    });
    const r = await runCli(['check', '-c', cfg], { env: ENV });
    assert.equal(r.code, 2, r.stderr + r.stdout);
    assert.match(r.stderr, new RegExp(`gitlab\\.endpoint.*https://127\\.0\\.0\\.1:${rec.port}.*"127\\.0\\.0\\.1:443"`));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(rec.connections(), 0, 'the endpoint was dialled around the mapping');
    assert.equal(em.audit().length, 0, 'the cloud API was called before the config was refused');
  } finally {
    await em.stop();
  }
});

test('connectTo covers the endpoint on the same host:port: the mapping is used', async () => {
  const em = await startTestEmulator('demo');
  const rec = await recorder();
  try {
    // two entries for the host: the one on the endpoint's port is taken, the other ignored
    const cfg = config('ct-ok', em, (c) => {
      c.probe.connectTo = { '192.168.1.10:443': `127.0.0.1:${em.gitlabPort}`, '192.168.1.10:8443': `127.0.0.1:${rec.port}` };
    });
    const r = await runCli(['check', '-c', cfg, '--format', 'json'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(result(JSON.parse(r.stdout), 'gitlab-reachable').status, 'pass');
    assert.equal(rec.connections(), 0);
  } finally {
    await em.stop();
  }
});

test('an endpoint path that is not GitLab: gitlab-reachable says the API is not there; token and clone URL skip', async () => {
  const em = await startTestEmulator('demo');
  try {
    const cfg = config('not-gitlab', em, (c) => {
      c.gitlab.endpoint = 'https://192.168.1.10/gitlab';
    });
    const r = await runCli(['check', '-c', cfg, '--format', 'json'], { env: ENV });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const reach = result(report, 'gitlab-reachable');
    assert.equal(reach.status, 'fail');
    assert.match(reach.message, /The GitLab API is not at https:\/\/192\.168\.1\.10\/gitlab\/api\/v4: GET .* answered HTTP 404/);
    assert.match(reach.remediation, /relative URL root/);
    for (const id of ['gitlab-token', 'gitlab-clone-url']) {
      assert.equal(result(report, id).status, 'skip', `${id}: ${result(report, id).message}`);
      assert.match(result(report, id).message, /depends on gitlab-reachable/);
      assert.doesNotMatch(result(report, id).message, /member|visible/);
    }
    // the token went no further than the version request
    const text = await runCli(['check', '-c', cfg], { env: ENV });
    assert.match(text.stdout, /GitLab API is not at/);
  } finally {
    await em.stop();
  }
});

test('GitLab under a relative URL root (/gitlab) is probed at <endpoint>/api/v4 and passes', async () => {
  const world = loadFixtureWorld('demo');
  world.gitlab.endpoint = 'https://192.168.1.10/gitlab';
  const em = await startTestEmulator(world);
  try {
    const cfg = config('relative-root', em, (c) => {
      c.gitlab.endpoint = 'https://192.168.1.10/gitlab';
    });
    const r = await runCli(['check', '-c', cfg, '--format', 'json'], { env: ENV });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout);
    for (const id of ['gitlab-reachable', 'gitlab-token', 'gitlab-clone-url']) assert.equal(result(report, id).status, 'pass', `${id}: ${result(report, id).message}`);
    assert.match(result(report, 'gitlab-reachable').message, /https:\/\/192\.168\.1\.10\/gitlab\/api\/v4\/version/);
  } finally {
    await em.stop();
  }
});

test('http:// against a TLS port: gitlab-reachable says the port speaks TLS and suggests https://', async () => {
  const em = await startTestEmulator('demo');
  try {
    const cfg = config('speaks-tls', em, (c) => {
      c.gitlab.endpoint = 'http://192.168.1.10:443';
      delete c.gitlab.caFile;
    });
    const r = await runCli(['check', '-c', cfg, '--format', 'json'], { env: ENV });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const reach = result(report, 'gitlab-reachable');
    assert.equal(reach.status, 'fail');
    assert.match(reach.message, /speaks TLS/);
    assert.match(reach.remediation, /https:\/\/192\.168\.1\.10:443/);
    assert.equal(result(report, 'gitlab-token').status, 'skip');
  } finally {
    await em.stop();
  }
});
