// The GitLab probe against the emulator's GitLab (real TLS with a generated CA, real HTTP, real git
// http-backend), mapped from the world's private address to loopback with connectTo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { collectGitlab, parseTarget } from '../../src/facts/gitlab-probe.js';
import { DEMO_GITLAB_TOKEN, startTestEmulator } from '../helpers/emulator.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';

let em: EmulatorHandle;
let ca: string;
const base = () => ({
  endpoint: 'https://192.168.1.10',
  token: DEMO_GITLAB_TOKEN,
  username: 'builder',
  project: 'group/app',
  connectTo: { '192.168.1.10:443': `127.0.0.1:${em.gitlabPort}` },
  timeoutMs: 3000,
});

before(async () => {
  em = await startTestEmulator('demo');
  ca = readFileSync(em.gitlabCa!, 'utf8');
});
after(async () => {
  await em?.stop();
});

test('parseTarget: default ports and base path', () => {
  assert.deepEqual(
    { ...parseTarget('https://gitlab.example.com/gitlab/'), url: undefined },
    { url: undefined, scheme: 'https', host: 'gitlab.example.com', port: 443, basePath: '/gitlab' },
  );
  assert.equal(parseTarget('http://10.0.0.1:8080').port, 8080);
});

test('healthy: TLS trusted with caFile, token, user, project and git discovery read', async () => {
  const g = await collectGitlab({ ...base(), ca });
  assert.equal(g.probeLocal.state, 'ok');
  const p = (g.probeLocal as any).value;
  assert.equal(p.outcome, 'connected');
  assert.equal(p.httpStatus, 200);
  assert.equal(p.gitlabVersion, '16.11.2');
  assert.equal(p.dialed, `127.0.0.1:${em.gitlabPort}`);
  assert.ok(p.timing.connectMs >= 0 && p.timing.tlsMs >= 0);
  const tls = (g.tls as any).value;
  assert.equal(tls.authorized, true);
  assert.equal(tls.hostnameMatches, true);
  assert.ok(tls.validTo);
  const token = (g.token as any).value;
  assert.deepEqual(token.scopes, ['api']);
  assert.equal(token.httpStatus, 200);
  assert.equal((g.user as any).value.username, 'builder');
  assert.equal((g.project as any).value.httpUrlToRepo, 'https://192.168.1.10/group/app.git');
  const d = (g.gitDiscovery as any).value;
  assert.equal(d.smart, true);
  assert.ok(d.refs >= 1);
  assert.equal(g.probeJump.state, 'unavailable');
  assert.equal((g.probeJump as any).reason, 'not-configured');
});

test('without the CA the certificate is untrusted and the token is withheld', async () => {
  const g = await collectGitlab(base());
  const p = (g.probeLocal as any).value;
  assert.equal(p.outcome, 'tls-failed');
  const tls = (g.tls as any).value;
  assert.equal(tls.authorized, false);
  assert.match(tls.authorizationError, /UNABLE_TO_VERIFY|SELF_SIGNED/);
  assert.equal(g.token.state, 'unavailable');
  assert.match((g.token as any).message, /token was withheld/);
});

test('a wrong token: API answers 401 and the token fact says so', async () => {
  const g = await collectGitlab({ ...base(), ca, token: 'glpat-wrong' });
  assert.equal((g.probeLocal as any).value.outcome, 'connected');
  assert.equal((g.probeLocal as any).value.httpStatus, 401);
  assert.equal((g.token as any).value.httpStatus, 401);
  assert.equal((g.user as any).value.httpStatus, 401);
});

test('refused and timeout are distinct outcomes, bounded by the timeout', async (t) => {
  const srv: Server = createServer(() => {});
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as any).port;
  srv.close();
  const refused = await collectGitlab({ ...base(), connectTo: { '192.168.1.10:443': `127.0.0.1:${port}` } });
  assert.equal((refused.probeLocal as any).value.outcome, 'refused');

  // accepts TCP, never answers the TLS handshake
  const sockets = new Set<import('node:net').Socket>();
  const hang: Server = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    hang.close();
  });
  const t0 = Date.now();
  const g = await collectGitlab({ ...base(), timeoutMs: 400, connectTo: { '192.168.1.10:443': `127.0.0.1:${(hang.address() as any).port}` } });
  assert.equal((g.probeLocal as any).value.outcome, 'timeout');
  assert.ok(Date.now() - t0 < 3000, 'bounded');
});

test('the loopback guard refuses a private target that is not mapped', async () => {
  const g = await collectGitlab({ ...base(), connectTo: {}, env: { ACR_PREFLIGHT_LOOPBACK_ONLY: '1' } });
  const p = (g.probeLocal as any).value;
  assert.equal(p.outcome, 'error');
  assert.match(p.error, /refusing to connect to 192\.168\.1\.10/);
});

test('a project the user cannot see answers 404', async () => {
  const g = await collectGitlab({ ...base(), ca, project: 'other/secret' });
  assert.equal((g.project as any).value.httpStatus, 404);
});
