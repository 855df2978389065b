// The fake GitLab: REST API v4 (the calls the checks make) and git smart HTTP for every project,
// served by the real `git http-backend` over bare repositories made at start. HTTP or HTTPS (world
// gitlab.tls), or a listener that accepts TCP and never answers (gitlab.hang).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import type { GitlabModel, Project } from './gitlab-model.js';
import type { TlsMaterial } from './tls.js';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Emulator',
  GIT_AUTHOR_EMAIL: 'emulator@example.invalid',
  GIT_COMMITTER_NAME: 'Emulator',
  GIT_COMMITTER_EMAIL: 'emulator@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-05T08:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-05T08:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};

const DEFAULT_FILES: Record<string, string> = {
  Dockerfile: 'FROM alpine:3.19\nCOPY . /app\nCMD ["cat", "/app/README.md"]\n',
  'README.md': '# sample app\n\nBuilt by ACR EE in a VPC (acr-preflight emulator).\n',
};

/** A bare repository per project with one commit (Dockerfile + README, or the world's files) on default_branch. */
export function createRepos(root: string, projects: Project[]): void {
  for (const p of projects) {
    const dir = join(root, `${p.path_with_namespace}.git`);
    mkdirSync(dirname(dir), { recursive: true });
    const git = (args: string[], input?: string) =>
      execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 20_000 }).toString().trim();
    mkdirSync(dir, { recursive: true });
    git(['init', '--bare', '--quiet']);
    const files = p.files ?? DEFAULT_FILES;
    const entries = Object.entries(files).map(([name, content]) => `100644 blob ${git(['hash-object', '-w', '--stdin'], content)}\t${name}`);
    const tree = git(['mktree'], entries.join('\n') + '\n');
    const commit = git(['commit-tree', tree, '-m', 'Initial commit'], '');
    for (const b of [p.default_branch, ...(p.branches ?? [])]) git(['update-ref', `refs/heads/${b}`, commit]);
    git(['symbolic-ref', 'HEAD', `refs/heads/${p.default_branch}`]);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json', ...headers });
  res.end(text);
}

function tokenOf(req: IncomingMessage): string | undefined {
  const pt = req.headers['private-token'];
  if (typeof pt === 'string' && pt) return pt;
  const auth = String(req.headers.authorization ?? '');
  const m = /^Bearer\s+(.+)$/i.exec(auth);
  return m ? m[1]!.trim() : undefined;
}

function basicOf(req: IncomingMessage): { username: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return undefined;
  const s = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = s.indexOf(':');
  return i < 0 ? undefined : { username: s.slice(0, i), password: s.slice(i + 1) };
}

const READ_API = ['api', 'read_api'];
const READ_USER = ['api', 'read_api', 'read_user'];
const READ_REPO = ['api', 'read_repository', 'write_repository'];

export interface GitlabServer {
  server: Server | NetServer;
  close(): Promise<void>;
}

export function createGitlabServer(model: GitlabModel, opts: { reposRoot: string; tls?: TlsMaterial; hang?: boolean; log?: (l: string) => void }): GitlabServer {
  const sockets = new Set<Socket>();
  if (opts.hang) {
    const server = createNetServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    });
    return {
      server,
      close: () =>
        new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
    };
  }

  const projectJson = (p: Project, level: number) => {
    const [name] = p.path_with_namespace.split('/').slice(-1);
    const ns = p.path_with_namespace.split('/').slice(0, -1).join('/');
    const base = model.externalBase();
    return {
      id: p.id,
      description: null,
      name,
      name_with_namespace: p.path_with_namespace.split('/').join(' / '),
      path: name,
      path_with_namespace: p.path_with_namespace,
      created_at: '2026-01-05T08:00:00.000Z',
      default_branch: p.default_branch,
      ssh_url_to_repo: `git@${new URL(base).hostname}:${p.path_with_namespace}.git`,
      http_url_to_repo: model.httpUrl(p),
      web_url: `${base}/${p.path_with_namespace}`,
      visibility: p.visibility,
      archived: false,
      empty_repo: false,
      namespace: { id: 10, name: ns, path: ns, kind: 'group', full_path: ns },
      permissions: { project_access: level > 0 ? { access_level: level, notification_level: 3 } : null, group_access: null },
    };
  };

  const api = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void => {
    const token = tokenOf(req);
    const c = model.check(token);
    if (!c.ok && token === undefined) {
      // anonymous: GitLab shows public projects and nothing else
      const pub = /^\/api\/v4\/projects\/([^/]+)$/.exec(path);
      const p = pub ? model.find(decodeURIComponent(pub[1]!)) : undefined;
      if (p && p.visibility === 'public') return send(res, 200, projectJson(p, 0));
    }
    if (!c.ok) return send(res, 401, c.body);
    const need = (scopes: string[]): boolean => {
      if (c.token.scopes.some((s) => scopes.includes(s))) return true;
      send(res, 403, {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: scopes.join(' '),
      });
      return false;
    };
    const userJson = {
      id: c.user.id,
      username: c.user.username,
      name: c.user.name ?? c.user.username,
      state: c.user.state,
      avatar_url: null,
      web_url: `${model.externalBase()}/${c.user.username}`,
    };
    if (path === '/api/v4/version' || path === '/api/v4/metadata') {
      if (!need(READ_USER)) return;
      return send(res, 200, {
        version: model.world.version,
        revision: model.world.revision,
        kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null },
        enterprise: model.world.enterprise,
      });
    }
    if (path === '/api/v4/user') {
      if (!need(READ_USER)) return;
      return send(res, 200, userJson);
    }
    if (path === '/api/v4/personal_access_tokens/self') {
      const t = c.token;
      return send(res, 200, {
        id: t.id,
        name: t.name ?? 'acr-build',
        description: '',
        revoked: false,
        created_at: '2026-01-05T08:00:00.000Z',
        scopes: t.scopes,
        user_id: c.user.id,
        last_used_at: new Date().toISOString(),
        active: true,
        expires_at: t.expires_at ?? null,
      });
    }
    if (path === '/api/v4/projects') {
      if (!need(READ_API)) return;
      const membership = query.get('membership') === 'true';
      const list = model.projects
        .map((p) => [p, model.accessLevel(c.user, p)] as const)
        .filter(([, l]) => l !== null && (!membership || (l ?? 0) > 0))
        .map(([p, l]) => projectJson(p, l ?? 0));
      return send(res, 200, list);
    }
    const m = /^\/api\/v4\/projects\/([^/]+)$/.exec(path);
    if (m) {
      if (!need(READ_API)) return;
      const p = model.find(decodeURIComponent(m[1]!));
      const level = p ? model.accessLevel(c.user, p) : null;
      if (!p || level === null) return send(res, 404, { message: '404 Project Not Found' });
      return send(res, 200, projectJson(p, level));
    }
    return send(res, 404, { error: '404 Not Found' });
  };

  const git = (req: IncomingMessage, res: ServerResponse, project: Project, rest: string, query: string): void => {
    const service = rest === '/info/refs' ? new URLSearchParams(query).get('service') : rest.slice(1);
    if (service === 'git-receive-pack') return send(res, 403, 'You are not allowed to push code to this project.\n', { 'content-type': 'text/plain' });
    const creds = basicOf(req);
    const challenge = { 'www-authenticate': 'Basic realm="GitLab"', 'content-type': 'text/plain' };
    let user;
    if (creds) {
      const c = model.check(creds.password);
      if (!c.ok || !c.token.scopes.some((s) => READ_REPO.includes(s))) return send(res, 401, 'HTTP Basic: Access denied\n', challenge);
      user = c.user;
    } else if (project.visibility !== 'public') {
      return send(res, 401, 'HTTP Basic: Access denied\n', challenge);
    }
    if (model.accessLevel(user, project) === null) {
      return send(res, 404, 'The project you were looking for could not be found or you don\'t have permission to view it.\n', { 'content-type': 'text/plain' });
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: opts.reposRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: '/nonexistent',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: `/${project.path_with_namespace}.git${rest}`,
      QUERY_STRING: query,
      CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      REMOTE_USER: user?.username ?? '',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = String(req.headers['content-length']);
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(child.stdin);
    child.stdin.on('error', () => {});
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const i = head.indexOf('\r\n\r\n');
      if (i < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, i).toString('latin1').split('\r\n')) {
        const k = line.indexOf(':');
        if (k < 0) continue;
        const name = line.slice(0, k).trim();
        const value = line.slice(k + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(i + 4));
    });
    child.stderr.on('data', (d: Buffer) => opts.log?.(`git http-backend: ${d.toString().trim()}`));
    child.on('close', () => {
      if (!headersDone) send(res, 500, 'git http-backend failed\n', { 'content-type': 'text/plain' });
      else res.end();
    });
    child.on('error', () => {
      if (!res.headersSent) send(res, 500, 'git http-backend could not start\n', { 'content-type': 'text/plain' });
    });
  };

  // a GitLab under a relative URL root (world gitlab.endpoint https://host/gitlab) serves everything
  // below that path, like gitlab.rb's external_url with a path; other paths are not GitLab's
  const root = new URL(model.world.endpoint).pathname.replace(/\/+$/, '');
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? '/', 'http://gitlab');
      if (root && url.pathname !== root && !url.pathname.startsWith(`${root}/`)) {
        return send(res, 404, '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
      }
      const path = url.pathname.slice(root.length) || '/';
      if (path.startsWith('/api/v4/')) return api(req, res, path, url.searchParams);
      const g = /^\/(.+?)(?:\.git)?(\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/.exec(path);
      if (g) {
        const p = model.find(g[1]!);
        if (!p) {
          // like GitLab: ask for credentials first, so an anonymous client cannot tell which projects exist
          if (!basicOf(req)) return send(res, 401, 'HTTP Basic: Access denied\n', { 'www-authenticate': 'Basic realm="GitLab"', 'content-type': 'text/plain' });
          return send(res, 404, 'The project you were looking for could not be found.\n', { 'content-type': 'text/plain' });
        }
        return git(req, res, p, g[2]!, url.search.replace(/^\?/, ''));
      }
      if (path === '/') return send(res, 302, '<html><body>You are being redirected.</body></html>', { location: `${model.externalBase()}/users/sign_in` });
      if (path === '/users/sign_in') return send(res, 200, '<!DOCTYPE html><html><head><title>Sign in · GitLab</title></head><body>GitLab</body></html>');
      if (path === '/-/health') return send(res, 200, 'GitLab OK', { 'content-type': 'text/plain' });
      return send(res, 404, { message: '404 Not Found' });
    } catch (err) {
      opts.log?.(`gitlab: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, 500, { message: '500 Internal Server Error' });
    }
  };

  const server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 5000;
  return {
    server,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
