// The GitLab probe through a jump host: a real sshd forwards (direct-tcpip) to the emulator's GitLab,
// so the probe runs "from inside the VPC"; the mapping and the loopback guard apply to the jump too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collectGitlab } from '../../src/facts/gitlab-probe.js';
import { connectSsh, forward, resolveSshTarget } from '../../src/facts/ssh.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { DEMO_GITLAB_TOKEN, startTestEmulator } from '../helpers/emulator.js';
import { SSHD, startSshd, type Sshd } from '../helpers/sshd.js';

const skip = SSHD ? false : 'sshd is not installed';
let em: EmulatorHandle;
let sshd: Sshd;
before(async () => {
  if (skip) return;
  em = await startTestEmulator('demo');
  sshd = await startSshd();
});
after(async () => {
  await em?.stop();
  await sshd?.stop();
});

test('probe through the jump host: local and jump vantages both reach GitLab', { skip }, async () => {
  const client = await connectSsh(resolveSshTarget({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKeyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile }, '/', process.env));
  try {
    const g = await collectGitlab(
      { endpoint: 'https://192.168.1.10', token: DEMO_GITLAB_TOKEN, username: 'builder', project: 'group/app', ca: readFileSync(em.gitlabCa!, 'utf8'), connectTo: { '192.168.1.10:443': `127.0.0.1:${em.gitlabPort}` }, timeoutMs: 4000, env: { ACR_PREFLIGHT_LOOPBACK_ONLY: '1' } },
      { jump: Promise.resolve({ tunnel: (h: string, p: number) => forward(client, h, p), label: 'jump:root@127.0.0.1' }) },
    );
    assert.equal((g.probeLocal as any).value.outcome, 'connected');
    const j = (g.probeJump as any).value;
    assert.equal(j.vantage, 'jump:root@127.0.0.1');
    assert.equal(j.outcome, 'connected');
    assert.equal(j.httpStatus, 200);
    assert.match(j.dialed, /via jump:root@127\.0\.0\.1/);
  } finally {
    client.end();
  }
});

test('the jump host does not dial an unmapped private address', { skip }, async () => {
  const client = await connectSsh(resolveSshTarget({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKeyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile }, '/', process.env));
  try {
    const g = await collectGitlab(
      { endpoint: 'https://192.168.1.10', token: DEMO_GITLAB_TOKEN, username: 'builder', project: 'group/app', timeoutMs: 2000, env: { ACR_PREFLIGHT_LOOPBACK_ONLY: '1' } },
      { jump: Promise.resolve({ tunnel: (h: string, p: number) => forward(client, h, p), label: 'jump' }) },
    );
    assert.match((g.probeJump as any).value.error, /refusing to connect to 192\.168\.1\.10/);
  } finally {
    client.end();
  }
});
