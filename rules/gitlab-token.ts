// gitlab-token: the token is valid, active, not expiring within 14 days, has scope api, belongs to
// gitlab.username, and can read the project's code. A Guest member of a private project sees it but
// cannot pull its code (GitLab permissions: Guest users pull code "on public and internal projects,
// but not private projects"; external users need explicit access even on internal ones). The proof
// is what the build does: git smart-HTTP discovery with the username and token; the project API's
// `permissions` only explains a refusal (and shows null for a role inherited from a parent group).
import { timeLeft } from './lib/time-left.js';
import type { Evidence, Fix, Rule, RuleOutcome } from '../src/engine/types.js';
import { apiNotFound } from './lib/gitlab-api.js';
import type { GitlabProject } from '../src/facts/types.js';

/** GitLab access levels: Reporter (20) is the least that reads code of a private project. */
const REPORTER = 20;
const ROLES: Record<number, string> = { 0: 'No access', 5: 'Minimal access', 10: 'Guest', 20: 'Reporter', 30: 'Developer', 40: 'Maintainer', 50: 'Owner' };

/** The highest role the project API shows for the user; undefined = none shown (or not reported). */
function shownLevel(p: GitlabProject): number | undefined {
  const levels = [p.projectAccessLevel, p.groupAccessLevel].filter((n): n is number => typeof n === 'number');
  return levels.length ? Math.max(...levels) : undefined;
}

/** Why GitLab refuses the clone, from the project's visibility and the role the API shows. */
function refusalCause(p: GitlabProject, username: string): string {
  const level = shownLevel(p);
  const vis = p.visibility ?? 'non-public';
  if (level !== undefined && level < REPORTER) {
    const role = `${ROLES[level] ?? 'access level'} (${level})`;
    return vis === 'internal'
      ? `${username} is ${role} of this internal project: internal code is readable by signed-in users who are not external, so ${username} is probably an external user, who needs Reporter (20) or more`
      : `${username} is ${role} of this ${vis} project: a Guest sees the project but cannot read its code; Reporter (20) or more is needed`;
  }
  if (level !== undefined) return `${username} is ${ROLES[level] ?? 'access level'} (${level}), which reads code: check that the token has read_repository or api and that the project's repository is enabled`;
  if (p.projectAccessLevel === null && p.groupAccessLevel === null) {
    return `the project API shows no project or group role for ${username} (a role inherited from a parent group shows the same way), so the role could not be read; Reporter (20) or more is needed on a ${vis} project`;
  }
  return `the project API did not report ${username}'s role; Reporter (20) or more is needed on a ${vis} project`;
}


const DAY = 86_400_000;

export const rule: Rule = {
  id: 'gitlab-token',
  title: 'GitLab token is valid, has scope api, and reads the project',
  severity: 'error',
  description: 'ACR\'s Bind Account dialog takes a username and a personal access token with the api scope. The token must be active, not expire within 14 days, belong to that user, and read the source project\'s code: Reporter or more on a private or internal project (a Guest sees the project but cannot clone it), proven by git smart-HTTP discovery with that username and token.',
  needs: ['gitlab.probeLocal', 'gitlab.token', 'gitlab.user', 'gitlab.project', 'gitlab.gitDiscovery'],
  messages: {
    ok: 'Token "{{name}}" of {{username}} is active with scopes {{scopes}}, expires {{expires}}, and reads {{project}}.',
    rejected: 'GitLab rejects the token (HTTP 401): it is invalid, expired or revoked.',
    revoked: 'The token "{{name}}" is revoked or inactive.',
    expired: 'The token "{{name}}" expired on {{expires}}.',
    expiring: 'The token "{{name}}" expires on {{expires}}, in {{left}}; builds will stop then.',
    noApiScope: 'The token has scopes {{scopes}} but not api, which ACR requires.',
    wrongUser: 'The token belongs to {{actual}}, not to gitlab.username {{username}}.',
    projectHidden: 'Project {{project}} is not visible to {{username}} (HTTP {{status}}).',
    cannotReadCode: 'GitLab refuses {{username}} a clone of {{project}}: git smart-HTTP discovery ({{project}}.git/info/refs?service=git-upload-pack with the username and token) answered HTTP {{status}}{{notGit}}. {{cause}}. The build clones with this account and would fail at GIT_CLONE.',
    codeAccessUnproven: 'Whether {{username}} can read the code of {{project}} is unproven: the git discovery failed ({{reason}}) and the project API shows {{role}} on a {{visibility}} project.',
    unknownScopes: 'GitLab did not reveal the token\'s scopes (HTTP {{status}} from /personal_access_tokens/self; GitLab < 15.5?); the user and project checks passed.',
  },
  remediation: {
    newToken: 'Create a personal access token for {{username}} with scope api (GitLab → Preferences → Access Tokens), store it where gitlab.token points, and bind it again in ACR (Code Source → GitLab → Bind Account).',
    user: 'Use a token of {{username}}, or set gitlab.username to {{actual}} (the username entered in Bind Account must own the token).',
    project: 'Give {{username}} at least Reporter access to {{project}}, or fix gitlab.project.',
  },
  check(ctx): RuleOutcome {
    const g = ctx.facts.input.gitlab;
    const noApi = apiNotFound(ctx.facts);
    if (noApi) return { status: 'skip', messageId: '$notApplicable', data: { reason: noApi } };
    const token = ctx.need(ctx.facts.gitlab.token, 'token self-inspection');
    const base = { username: g.username, project: g.project, name: token.name ?? 'token', scopes: token.scopes.join(', ') || 'none' };
    const evidence: Evidence[] = [{ label: 'token', value: { httpStatus: token.httpStatus, name: token.name, scopes: token.scopes, active: token.active, revoked: token.revoked, expiresAt: token.expiresAt }, source: ctx.facts.gitlab.token.source }];
    if (token.httpStatus === 401) return { status: 'fail', messageId: 'rejected', data: base, evidence, remediationId: 'newToken' };
    if (token.revoked === true || token.active === false) return { status: 'fail', messageId: 'revoked', data: base, evidence, remediationId: 'newToken' };
    let days = Infinity;
    if (token.expiresAt) {
      days = Math.floor((Date.parse(`${token.expiresAt}T00:00:00Z`) - ctx.now.getTime()) / DAY);
      if (days < 0) return { status: 'fail', messageId: 'expired', data: { ...base, expires: token.expiresAt }, evidence, remediationId: 'newToken' };
    }
    const scopesKnown = token.httpStatus === 200;
    if (scopesKnown && !token.scopes.includes('api')) {
      // GitLab cannot add a scope to an existing token: a new one replaces it
      const fixes: Fix[] = [{
        title: `Replace the token with one of ${g.username} that has scope api`,
        why: 'ACR reads the repository and registers its webhook through the API (gitlab-token)',
        patches: [{ op: 'set-token-scopes', scopes: [...new Set([...token.scopes, 'api'])] }],
        steps: [
          `GitLab → ${g.username} → Preferences → Access Tokens → Add new token, with scope api (and read_repository if you like)`,
          'store it where gitlab.token points (the environment variable or file)',
          'ACR console → the instance → Code Source → GitLab → Bind Account again with the new token',
        ],
      }];
      return { status: 'fail', messageId: 'noApiScope', data: base, evidence, remediationId: 'newToken', fixes };
    }
    const user = ctx.need(ctx.facts.gitlab.user, 'token owner');
    evidence.push({ label: 'user', value: { httpStatus: user.httpStatus, username: user.username, state: user.state }, source: ctx.facts.gitlab.user.source });
    if (user.httpStatus === 401) return { status: 'fail', messageId: 'rejected', data: base, evidence, remediationId: 'newToken' };
    // GitLab usernames are unique case-insensitively and sign-in ignores case
    if (user.username && user.username.toLowerCase() !== g.username.toLowerCase()) return { status: 'fail', messageId: 'wrongUser', data: { ...base, actual: user.username }, evidence, remediationId: 'user' };
    const project = ctx.need(ctx.facts.gitlab.project, 'project');
    evidence.push({ label: 'project', value: { httpStatus: project.httpStatus, pathWithNamespace: project.pathWithNamespace, visibility: project.visibility, projectAccessLevel: project.projectAccessLevel, groupAccessLevel: project.groupAccessLevel }, source: ctx.facts.gitlab.project.source });
    if (project.httpStatus !== 200) return { status: 'fail', messageId: 'projectHidden', data: { ...base, status: project.httpStatus }, evidence, remediationId: 'project' };
    const disc = ctx.facts.gitlab.gitDiscovery;
    if (disc.state === 'ok') {
      evidence.push({ label: 'git discovery (clone check)', value: { httpStatus: disc.value.httpStatus, contentType: disc.value.contentType, smart: disc.value.smart, refs: disc.value.refs }, source: disc.source });
      if (disc.value.httpStatus !== 200 || !disc.value.smart) {
        const notGit = disc.value.httpStatus === 200 ? ` but not a git ref advertisement (content-type ${disc.value.contentType || 'none'})` : '';
        return { status: 'fail', messageId: 'cannotReadCode', data: { ...base, status: disc.value.httpStatus, notGit, cause: refusalCause(project, g.username) }, evidence, remediationId: 'project' };
      }
    } else {
      // no direct proof: the role and visibility decide what can be said
      const level = shownLevel(project);
      const readable = project.visibility === 'public' || (level !== undefined && level >= REPORTER);
      if (!readable) {
        const role = level !== undefined ? `${ROLES[level] ?? 'access level'} (${level})` : 'no role';
        return { status: 'warn', messageId: 'codeAccessUnproven', data: { ...base, reason: disc.message, role, visibility: project.visibility ?? 'non-public' }, evidence, remediationId: 'project' };
      }
    }
    if (days < 14) return { status: 'warn', messageId: 'expiring', data: { ...base, expires: token.expiresAt ?? '', days, left: timeLeft(Date.parse(`${token.expiresAt}T00:00:00Z`) - ctx.now.getTime()) }, evidence, remediationId: 'newToken' };
    if (!scopesKnown) return { status: 'warn', messageId: 'unknownScopes', data: { ...base, status: token.httpStatus }, evidence, remediationId: 'newToken' };
    return { status: 'pass', messageId: 'ok', data: { ...base, expires: token.expiresAt ?? 'never' }, evidence };
  },
};
