// The fake GitLab's users, tokens and projects (pure): authentication, scopes, visibility. The
// HTTP side (gitlab-server.ts) and the cloud side (binding, builds cloning) both ask it.
import type { CodeSourceWorld, GitlabProjectWorld, GitlabTokenWorld, GitlabUserWorld, GitlabWorld } from './world.js';

export type TokenCheck =
  | { ok: true; user: GitlabUserWorld & { id: number }; token: GitlabTokenWorld & { id: number } }
  | { ok: false; status: 401; body: Record<string, string>; reason: string };

export type Project = GitlabProjectWorld & { id: number };

const UNAUTHORIZED = { message: '401 Unauthorized' };

export class GitlabModel {
  readonly users: (GitlabUserWorld & { id: number })[];
  readonly projects: Project[];
  constructor(
    readonly world: GitlabWorld,
    private readonly now: () => number = Date.now,
  ) {
    this.users = world.users.map((u, i) => ({ ...u, id: u.id ?? i + 2 }));
    this.projects = world.projects.map((p, i) => ({ ...p, id: p.id ?? 100 + i }));
  }

  /** the URL base clone URLs are made from (external_url, else the endpoint) */
  externalBase(): string {
    return (this.world.external_url ?? this.world.endpoint).replace(/\/+$/, '');
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, status: 401, body: UNAUTHORIZED, reason: 'no token' };
    let tokenId = 1;
    for (const user of this.users) {
      for (const t of user.tokens) {
        const id = tokenId++;
        if (t.token !== token) continue;
        if (t.revoked) {
          return { ok: false, status: 401, reason: 'token revoked', body: { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' } };
        }
        if (t.expires_at && Date.parse(`${t.expires_at}T00:00:00Z`) <= this.now()) {
          return { ok: false, status: 401, reason: 'token expired', body: { error: 'invalid_token', error_description: 'Token has expired.' } };
        }
        if (user.state !== 'active') return { ok: false, status: 401, body: UNAUTHORIZED, reason: `user ${user.state}` };
        return { ok: true, user, token: { ...t, id } };
      }
    }
    return { ok: false, status: 401, body: UNAUTHORIZED, reason: 'unknown token' };
  }

  /** the user's membership of the project (undefined = not a member) */
  member(user: GitlabUserWorld | undefined, p: GitlabProjectWorld): { access_level: number; inherited: boolean } | undefined {
    if (!user) return undefined;
    return p.members ? p.members.find((m) => m.username === user.username) : { access_level: 40, inherited: false };
  }

  /** null = no access (GitLab answers 404 for a project you cannot see); external users see internal projects only as members */
  accessLevel(user: GitlabUserWorld | undefined, p: GitlabProjectWorld): number | null {
    const member = this.member(user, p);
    if (member) return member.access_level;
    if (p.visibility === 'public') return 0;
    if (p.visibility === 'internal' && user && !user.external) return 0;
    return null;
  }

  /**
   * May the user read (clone) the code? GitLab permissions: Guest users can view and pull code "on
   * public and internal projects, but not private projects"; this "doesn't apply to external users
   * where explicit access must be given even if the project is internal". Reporter (20) or more
   * reads any project it is a member of.
   */
  canReadCode(user: GitlabUserWorld | undefined, p: GitlabProjectWorld): boolean {
    const level = this.accessLevel(user, p);
    if (level === null) return false;
    if (level >= 20 || p.visibility === 'public') return true;
    return p.visibility === 'internal' && user !== undefined && !user.external;
  }

  /** by numeric id or (decoded) path_with_namespace; paths match ignoring case, as GitLab's do */
  find(idOrPath: string): Project | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.find((p) => p.id === Number(idOrPath));
    const want = idOrPath.toLowerCase();
    return this.projects.find((p) => p.path_with_namespace.toLowerCase() === want);
  }

  httpUrl(p: GitlabProjectWorld): string {
    return p.http_url_to_repo ?? `${this.externalBase()}/${p.path_with_namespace}.git`;
  }

  refs(p: GitlabProjectWorld): string[] {
    return [p.default_branch, ...(p.branches ?? [])];
  }

  // ---- questions the cloud side asks ----

  /** Bind Account: the token must be valid, belong to username and carry the api scope */
  verifyAccount(username: string, token: string): string | null {
    const c = this.check(token);
    if (!c.ok) return c.reason;
    if (c.user.username !== username) return `the token belongs to ${c.user.username}, not ${username}`;
    if (!c.token.scopes.includes('api')) return `the token lacks the api scope (has ${c.token.scopes.join(', ') || 'none'})`;
    return null;
  }

  projectVisible(source: CodeSourceWorld, ns: string, name: string): boolean {
    const c = this.check(source.token);
    if (!c.ok && source.token !== undefined) return false;
    const user = c.ok ? c.user : this.users.find((u) => u.username === source.username);
    const p = this.find(`${ns}/${name}`);
    return p !== undefined && this.accessLevel(user, p) !== null;
  }

  /** what `git clone` by the builder would print, or null when it would work */
  cloneCheck(source: CodeSourceWorld, ns: string, name: string, ref: string): string | null {
    const p = this.find(`${ns}/${name}`);
    const url = p ? this.httpUrl(p) : `${this.externalBase()}/${ns}/${name}.git`;
    if (source.token !== undefined) {
      const c = this.check(source.token);
      if (!c.ok) return `remote: HTTP Basic: Access denied\nfatal: Authentication failed for '${url}/'`;
      if (!c.token.scopes.some((s) => ['api', 'read_repository', 'write_repository'].includes(s))) {
        return `remote: HTTP Basic: Access denied\nfatal: Authentication failed for '${url}/'`;
      }
      if (!p || this.accessLevel(c.user, p) === null) return `remote: The project you were looking for could not be found.\nfatal: repository '${url}/' not found`;
      if (!this.canReadCode(c.user, p)) return `remote: You are not allowed to download code from this project.\nfatal: unable to access '${url}/': The requested URL returned error: 403`;
    } else if (!p) {
      return `fatal: repository '${url}/' not found`;
    }
    if (!this.refs(p).includes(ref)) return `warning: Could not find remote branch ${ref} to clone.\nfatal: Remote branch ${ref} not found in upstream origin`;
    // the builder clones the URL GitLab reports: a wrong external_url sends it elsewhere
    const endpointHost = safeHost(source.endpoint);
    const urlHost = safeHost(url);
    if (endpointHost && urlHost && endpointHost !== urlHost) {
      return `fatal: unable to access '${url}/': Could not resolve host: ${new URL(url).hostname}`;
    }
    return null;
  }
}

function safeHost(u: string): string | undefined {
  try {
    return new URL(u).host;
  } catch {
    return undefined;
  }
}
