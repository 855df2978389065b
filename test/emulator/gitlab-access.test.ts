// The fake GitLab's access levels: a Guest of a private project sees it but cannot pull its code
// (the real git client is refused), a Reporter can; a role inherited from a parent group shows as
// null in `permissions`; internal projects are readable by signed-in users who are not external;
// GitLab before 15.5 has no /personal_access_tokens/self.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { loadFixtureWorld, startTestEmulator } from '../helpers/emulator.js';

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent', http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '' };

function git(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { env: GIT_ENV, timeout: 20_000 }, (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

const USERS = ['guest', 'reporter', 'heir', 'outsider', 'contractor'];
const token = (u: string) => `glpat-emulator-${u}-0001`;

describe('emulator: GitLab access levels', () => {
  let em: EmulatorHandle;
  let old: EmulatorHandle;
  before(async () => {
    const w = loadFixtureWorld('gitlab-external-url-wrong');
    w.gitlab.users.push(...USERS.map((u) => ({ username: u, ...(u === 'contractor' ? { external: true } : {}), tokens: [{ token: token(u), scopes: ['api'] }] })));
    w.gitlab.projects.push(
      { path_with_namespace: 'team/private', visibility: 'private', members: [{ username: 'guest', access_level: 10 }, { username: 'reporter', access_level: 20 }, { username: 'heir', access_level: 30, inherited: true }] },
      { path_with_namespace: 'team/internal', visibility: 'internal', members: [{ username: 'contractor', access_level: 10 }] },
      { path_with_namespace: 'team/public', visibility: 'public', members: [{ username: 'guest', access_level: 10 }] },
    );
    em = await startTestEmulator(w);
    const o = loadFixtureWorld('gitlab-external-url-wrong');
    o.gitlab.version = '15.4.6';
    old = await startTestEmulator(o);
  });
  after(async () => {
    await em?.stop();
    await old?.stop();
  });

  const lsRemote = (user: string, project: string) => git(['ls-remote', `http://${user}:${token(user)}@127.0.0.1:${em.gitlabPort}/${project}.git`]);
  const discovery = async (user: string, project: string) => {
    const r = await fetch(`${em.gitlabUrl}/${project}.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${token(user)}`).toString('base64')}` } });
    await r.arrayBuffer();
    return r.status;
  };
  const project = async (user: string, path: string) => {
    const r = await fetch(`${em.gitlabUrl}/api/v4/projects/${encodeURIComponent(path)}`, { headers: { 'private-token': token(user) } });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('a Guest of a private project sees it in the API but git refuses the clone (403)', async () => {
    const p = await project('guest', 'team/private');
    assert.equal(p.status, 200);
    assert.equal(p.body.permissions.project_access.access_level, 10);
    assert.equal(await discovery('guest', 'team/private'), 403);
    const ls = await lsRemote('guest', 'team/private');
    assert.notEqual(ls.code, 0);
    assert.match(ls.stderr, /403|not allowed to download code/);
  });

  it('a Reporter clones', async () => {
    assert.equal(await discovery('reporter', 'team/private'), 200);
    const ls = await lsRemote('reporter', 'team/private');
    assert.equal(ls.code, 0, ls.stderr);
  });

  it('a role inherited from a parent group: permissions show null, the clone works', async () => {
    const p = await project('heir', 'team/private');
    assert.deepEqual([p.status, p.body.permissions.project_access, p.body.permissions.group_access], [200, null, null]);
    assert.equal(await discovery('heir', 'team/private'), 200);
  });

  it('internal: any signed-in user who is not external reads it; an external Guest is refused', async () => {
    assert.equal(await discovery('outsider', 'team/internal'), 200);
    assert.equal(await discovery('contractor', 'team/internal'), 403);
    assert.equal((await project('outsider', 'team/private')).status, 404, 'a private project is hidden from non-members');
  });

  it('public: a Guest reads the code', async () => {
    assert.equal(await discovery('guest', 'team/public'), 200);
  });

  it('GitLab before 15.5 has no /personal_access_tokens/self (404); 16.x has it', async () => {
    const r = await fetch(`${old.gitlabUrl}/api/v4/personal_access_tokens/self`, { headers: { 'private-token': 'glpat-emulator-builder-0001' } });
    assert.equal(r.status, 404);
    await r.arrayBuffer();
    const n = await fetch(`${em.gitlabUrl}/api/v4/personal_access_tokens/self`, { headers: { 'private-token': 'glpat-emulator-builder-0001' } });
    assert.equal(n.status, 200);
    await n.arrayBuffer();
  });
});
