// The fake GitLab: REST API v4 with undici, git smart HTTP with the real git client, TLS modes, hang.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { DEMO_GITLAB_TOKEN, loadFixtureWorld, startTestEmulator } from '../helpers/emulator.js';

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent', http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '' };

function git(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { env: { ...GIT_ENV, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function api(em: EmulatorHandle, path: string, headers: Record<string, string> = {}, dispatcher?: unknown) {
  const { request } = await import('undici');
  const r = await request(`${em.gitlabUrl}${path}`, { headers, ...(dispatcher ? { dispatcher: dispatcher as never } : {}) });
  return { status: r.statusCode, body: (await r.body.json()) as any };
}

describe('emulator: GitLab API and git over HTTP', () => {
  let em: EmulatorHandle;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-gitlab-'));
    const w = loadFixtureWorld('gitlab-external-url-wrong');
    w.gitlab.users.push({
      username: 'carol',
      tokens: [
        { token: 'glpat-expired', scopes: ['api'], expires_at: '2025-01-01' },
        { token: 'glpat-revoked', scopes: ['api'], revoked: true },
        { token: 'glpat-noapi', scopes: ['read_repository', 'read_user'] },
      ],
    });
    w.gitlab.projects[0].branches = ['release-1'];
    w.gitlab.projects.push({ path_with_namespace: 'oss/Tools', default_branch: 'main', visibility: 'public' });
    em = await startTestEmulator(w);
  });
  after(async () => {
    await em?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('version/metadata need a token; PRIVATE-TOKEN and Bearer both work', async () => {
    assert.equal((await api(em, '/api/v4/version')).status, 401);
    const v = await api(em, '/api/v4/version', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.equal(v.status, 200);
    assert.equal(v.body.version, '16.11.2');
    assert.equal(typeof v.body.revision, 'string');
    const m = await api(em, '/api/v4/metadata', { authorization: `Bearer ${DEMO_GITLAB_TOKEN}` });
    assert.equal(m.body.version, '16.11.2');
    assert.equal(m.body.kas.enabled, false);
  });

  it('user and token self-inspection; 401 for unknown, expired and revoked tokens', async () => {
    const u = await api(em, '/api/v4/user', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.equal(u.body.username, 'builder');
    const t = await api(em, '/api/v4/personal_access_tokens/self', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.deepEqual([t.body.active, t.body.revoked, t.body.scopes, t.body.expires_at, t.body.user_id], [true, false, ['api'], '2030-12-31', u.body.id]);
    const unknown = await api(em, '/api/v4/user', { 'private-token': 'glpat-unknown' });
    assert.deepEqual([unknown.status, unknown.body.message], [401, '401 Unauthorized']);
    const expired = await api(em, '/api/v4/personal_access_tokens/self', { 'private-token': 'glpat-expired' });
    assert.deepEqual([expired.status, expired.body.error, expired.body.error_description], [401, 'invalid_token', 'Token has expired.']);
    const revoked = await api(em, '/api/v4/user', { authorization: 'Bearer glpat-revoked' });
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.error_description, /revoked/);
  });

  it('a token without api scope: /user works, projects answer 403 insufficient_scope', async () => {
    assert.equal((await api(em, '/api/v4/user', { 'private-token': 'glpat-noapi' })).status, 200);
    const self = await api(em, '/api/v4/personal_access_tokens/self', { 'private-token': 'glpat-noapi' });
    assert.deepEqual(self.body.scopes, ['read_repository', 'read_user']);
    const p = await api(em, '/api/v4/projects/group%2Fapp', { 'private-token': 'glpat-noapi' });
    assert.deepEqual([p.status, p.body.error], [403, 'insufficient_scope']);
  });

  it('projects by URL-encoded path or id; http_url_to_repo from external_url; invisible projects 404', async () => {
    const p = await api(em, '/api/v4/projects/group%2Fapp', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.equal(p.status, 200);
    assert.equal(p.body.path_with_namespace, 'group/app');
    assert.equal(p.body.default_branch, 'main');
    assert.equal(p.body.visibility, 'private');
    assert.equal(p.body.http_url_to_repo, 'http://gitlab.example.internal/group/app.git');
    assert.equal(p.body.permissions.project_access.access_level, 40);
    const byId = await api(em, `/api/v4/projects/${p.body.id}`, { 'private-token': DEMO_GITLAB_TOKEN });
    assert.equal(byId.body.path_with_namespace, 'group/app');
    const secret = await api(em, '/api/v4/projects/group%2Fsecret', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.deepEqual([secret.status, secret.body.message], [404, '404 Project Not Found']);
    const alice = await api(em, '/api/v4/projects/group%2Fsecret', { 'private-token': 'glpat-emulator-alice-0002' });
    assert.equal(alice.status, 200);
    const list = await api(em, '/api/v4/projects?membership=true', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.deepEqual(list.body.map((x: any) => x.path_with_namespace).sort(), ['group/app', 'oss/Tools']);
  });

  it('project paths match ignoring case; anonymous requests see public projects only', async () => {
    const upper = await api(em, '/api/v4/projects/Group%2FApp', { 'private-token': DEMO_GITLAB_TOKEN });
    assert.deepEqual([upper.status, upper.body.path_with_namespace], [200, 'group/app']);
    const pub = await api(em, '/api/v4/projects/oss%2Ftools');
    assert.deepEqual([pub.status, pub.body.path_with_namespace, pub.body.visibility, pub.body.permissions.project_access], [200, 'oss/Tools', 'public', null]);
    assert.equal((await api(em, '/api/v4/projects/group%2Fapp')).status, 401, 'a private project needs a token');
    assert.equal((await api(em, '/api/v4/user')).status, 401);
  });

  it('git ls-remote and clone with the token over HTTP Basic; 401 without or with a bad one', async () => {
    const port = em.gitlabPort;
    const authed = `http://builder:${DEMO_GITLAB_TOKEN}@127.0.0.1:${port}/group/app.git`;
    const ls = await git(['ls-remote', authed]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /refs\/heads\/main/);
    assert.match(ls.stdout, /refs\/heads\/release-1/);
    assert.match(ls.stdout, /\tHEAD$/m);
    const v0 = await git(['-c', 'protocol.version=0', 'ls-remote', authed]);
    assert.equal(v0.code, 0, v0.stderr);
    const clone = await git(['clone', '--quiet', authed, join(dir, 'app')]);
    assert.equal(clone.code, 0, clone.stderr);
    assert.match(readFileSync(join(dir, 'app', 'Dockerfile'), 'utf8'), /^FROM /);
    const anon = await git(['ls-remote', `http://127.0.0.1:${port}/group/app.git`]);
    assert.notEqual(anon.code, 0);
    assert.match(anon.stderr, /Authentication failed|could not read Username|401/);
    const bad = await git(['ls-remote', `http://builder:glpat-revoked@127.0.0.1:${port}/group/app.git`]);
    assert.notEqual(bad.code, 0);
    const hidden = await git(['ls-remote', `http://builder:${DEMO_GITLAB_TOKEN}@127.0.0.1:${port}/group/secret.git`]);
    assert.notEqual(hidden.code, 0);
    assert.match(hidden.stderr, /not found/);
    // a project that does not exist: anonymous clients are asked for credentials (existence is not revealed)
    const missingAnon = await fetch(`http://127.0.0.1:${port}/group/nope.git/info/refs?service=git-upload-pack`);
    assert.equal(missingAnon.status, 401);
    await missingAnon.arrayBuffer();
    const missingAuthed = await fetch(`http://127.0.0.1:${port}/group/nope.git/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${DEMO_GITLAB_TOKEN}`).toString('base64')}` },
    });
    assert.equal(missingAuthed.status, 404);
    await missingAuthed.arrayBuffer();
    const raw = await fetch(`http://127.0.0.1:${port}/group/app.git/info/refs?service=git-upload-pack`);
    assert.equal(raw.status, 401);
    assert.equal(raw.headers.get('www-authenticate'), 'Basic realm="GitLab"');
    const ok = await fetch(`http://127.0.0.1:${port}/group/app.git/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${DEMO_GITLAB_TOKEN}`).toString('base64')}` },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/x-git-upload-pack-advertisement');
    await ok.arrayBuffer();
    const push = await git(['push', authed, 'HEAD:refs/heads/x'], { GIT_DIR: join(dir, 'app', '.git') });
    assert.notEqual(push.code, 0);
  });
});

describe('emulator: GitLab TLS modes and hang', () => {
  const started: EmulatorHandle[] = [];
  after(async () => {
    for (const e of started) await e.stop();
  });

  it('tls: ca — trusted with the written CA (undici and git), refused without it; SAN covers the world host', async () => {
    const em = await startTestEmulator('demo');
    started.push(em);
    assert.equal(em.tls, 'ca');
    assert.ok(em.gitlabUrl.startsWith('https://127.0.0.1:'));
    assert.ok(em.gitlabCa && existsSync(em.gitlabCa));
    const { Agent, request } = await import('undici');
    const ca = readFileSync(em.gitlabCa!);
    const trusted = new Agent({ connect: { ca } });
    const v = await api(em, '/api/v4/version', { 'private-token': DEMO_GITLAB_TOKEN }, trusted);
    assert.equal(v.status, 200);
    await assert.rejects(request(`${em.gitlabUrl}/api/v4/version`, { dispatcher: new Agent() }), (e: any) => /UNABLE_TO_VERIFY_LEAF_SIGNATURE|self.signed|unable to get local issuer/i.test(`${e.code} ${e.message}`));
    // verified as the world's host name while dialling loopback (what probe.connectTo does)
    const asHost = new Agent({ connect: { ca, servername: '192.168.1.10' } });
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(readFileSync(join(em.stateDir, 'tls', 'server.crt')));
    assert.match(cert.subjectAltName ?? '', /IP Address:192\.168\.1\.10/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.equal(cert.checkIssued(new X509Certificate(ca)), true);
    assert.equal((await request(`${em.gitlabUrl}/-/health`, { dispatcher: asHost })).statusCode, 200);
    const ls = await git(['ls-remote', `https://builder:${DEMO_GITLAB_TOKEN}@127.0.0.1:${em.gitlabPort}/group/app.git`], { GIT_SSL_CAINFO: em.gitlabCa! });
    assert.equal(ls.code, 0, ls.stderr);
    const untrusted = await git(['ls-remote', `https://builder:${DEMO_GITLAB_TOKEN}@127.0.0.1:${em.gitlabPort}/group/app.git`]);
    assert.notEqual(untrusted.code, 0);
  });

  it('tls: self-signed — the certificate itself is the CA file', async () => {
    const em = await startTestEmulator('slb-healthy');
    started.push(em);
    assert.equal(em.tls, 'self-signed');
    assert.equal(em.gitlabCa, join(em.stateDir, 'tls', 'ca.crt'));
    assert.deepEqual(readFileSync(em.gitlabCa!), readFileSync(join(em.stateDir, 'tls', 'server.crt')));
    const { Agent } = await import('undici');
    const v = await api(em, '/api/v4/user', { 'private-token': DEMO_GITLAB_TOKEN }, new Agent({ connect: { ca: readFileSync(em.gitlabCa!) } }));
    assert.equal(v.body.username, 'builder');
  });

  it('certificate: days and hosts make an expiring or mismatched certificate', async () => {
    const w = loadFixtureWorld('demo');
    w.gitlab.certificate = { days: 10, hosts: ['gitlab.other.example'] };
    const em = await startTestEmulator(w);
    started.push(em);
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(readFileSync(join(em.stateDir, 'tls', 'server.crt')));
    const left = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    assert.ok(left > 9 && left <= 10.01, String(left));
    assert.match(cert.subjectAltName ?? '', /DNS:gitlab\.other\.example/);
    assert.doesNotMatch(cert.subjectAltName ?? '', /192\.168\.1\.10/);
  });

  it('hang: accepts TCP and never answers', async () => {
    const em = await startTestEmulator('gitlab-hang');
    started.push(em);
    const { request } = await import('undici');
    await assert.rejects(request(`${em.gitlabUrl}/api/v4/version`, { headersTimeout: 300 }), (e: any) => e.code === 'UND_ERR_HEADERS_TIMEOUT');
    await new Promise<void>((resolve, reject) => {
      const s = connect(em.gitlabPort, '127.0.0.1', () => {
        s.destroy();
        resolve();
      });
      s.on('error', reject);
    });
  });
});
