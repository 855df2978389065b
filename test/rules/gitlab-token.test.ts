import assert from 'node:assert/strict';
import { rule } from '../../rules/gitlab-token.js';
import type { Available, GitDiscovery, GitlabProject, TokenInfo } from '../../src/facts/types.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const token = (x: Partial<TokenInfo>) => makeFacts((f) => { f.gitlab.token = ok({ ...(f.gitlab.token as Available<TokenInfo>).value, ...x }); });
const REFUSED: GitDiscovery = { httpStatus: 403, contentType: 'text/plain', smart: false, refs: 0 };
const CLONES: GitDiscovery = { httpStatus: 200, contentType: 'application/x-git-upload-pack-advertisement', smart: true, refs: 2 };
/** the project as the API shows it (visibility, role) and what git discovery answered (or why it failed) */
const access = (p: Partial<GitlabProject>, disc: GitDiscovery | string) =>
  makeFacts((f) => {
    f.gitlab.project = ok({ ...(f.gitlab.project as Available<GitlabProject>).value, ...p });
    f.gitlab.gitDiscovery = typeof disc === 'string' ? unavailable('probe-failed', disc) : ok(disc);
  });
ruleTester(rule, [
  {
    name: 'a Guest of a private project sees it but cannot clone it: fail, with the cause',
    facts: access({ visibility: 'private', projectAccessLevel: 10, groupAccessLevel: null }, REFUSED),
    status: 'fail',
    messageId: 'cannotReadCode',
    data: { status: 403 },
    check: (r) => {
      assert.match(r.message, /builder is Guest \(10\) of this private project: a Guest sees the project but cannot read its code; Reporter \(20\) or more is needed/);
      assert.match(r.remediation, /at least Reporter access to group\/app/);
    },
  },
  { name: 'a Reporter of a private project clones', facts: access({ visibility: 'private', projectAccessLevel: 20, groupAccessLevel: null }, CLONES), status: 'pass', messageId: 'ok' },
  {
    name: 'a role inherited from a parent group shows as null but the clone works: pass (discovery is the proof)',
    facts: access({ visibility: 'private', projectAccessLevel: null, groupAccessLevel: null }, CLONES),
    status: 'pass',
    messageId: 'ok',
  },
  {
    name: 'an inherited role that cannot clone: fail, saying the role could not be read',
    facts: access({ visibility: 'private', projectAccessLevel: null, groupAccessLevel: null }, { httpStatus: 404, contentType: 'text/plain', smart: false, refs: 0 }),
    status: 'fail',
    messageId: 'cannotReadCode',
    check: (r) => assert.match(r.message, /inherited from a parent group shows the same way/),
  },
  { name: 'a public project is readable without a role', facts: access({ visibility: 'public', projectAccessLevel: null, groupAccessLevel: null }, CLONES), status: 'pass', messageId: 'ok' },
  { name: 'an internal project is readable by a signed-in non-member', facts: access({ visibility: 'internal', projectAccessLevel: null, groupAccessLevel: null }, CLONES), status: 'pass', messageId: 'ok' },
  {
    name: 'a Guest of an internal project who is refused is probably an external user',
    facts: access({ visibility: 'internal', projectAccessLevel: 10, groupAccessLevel: null }, REFUSED),
    status: 'fail',
    messageId: 'cannotReadCode',
    check: (r) => assert.match(r.message, /probably an external user/),
  },
  {
    name: 'an answer that is not a git ref advertisement does not prove a clone',
    facts: access({}, { httpStatus: 200, contentType: 'text/html', smart: false, refs: 0 }),
    status: 'fail',
    messageId: 'cannotReadCode',
    check: (r) => assert.match(r.message, /not a git ref advertisement \(content-type text\/html\)/),
  },
  {
    name: 'discovery failed and the API shows a Guest: unproven, warn',
    facts: access({ visibility: 'private', projectAccessLevel: 10, groupAccessLevel: null }, 'info/refs: connection reset'),
    status: 'warn',
    messageId: 'codeAccessUnproven',
    data: { role: 'Guest (10)' },
  },
  { name: 'discovery failed but the API shows Developer: pass', facts: access({ visibility: 'private', projectAccessLevel: 30, groupAccessLevel: null }, 'info/refs: connection reset'), status: 'pass', messageId: 'ok' },
  { name: 'valid api token of the user', facts: makeFacts(), status: 'pass', messageId: 'ok' },
  { name: 'never expires', facts: token({ expiresAt: null }), status: 'pass', messageId: 'ok', data: { expires: 'never' } },
  { name: 'rejected 401', facts: token({ httpStatus: 401, scopes: [] }), status: 'fail', messageId: 'rejected' },
  { name: 'revoked', facts: token({ revoked: true }), status: 'fail', messageId: 'revoked' },
  { name: 'inactive', facts: token({ active: false }), status: 'fail', messageId: 'revoked' },
  { name: 'expired', facts: token({ expiresAt: '2026-11-01' }), status: 'fail', messageId: 'expired' },
  { name: 'expires in 5 days', facts: token({ expiresAt: '2026-12-03' }), status: 'warn', messageId: 'expiring', data: { days: 4, left: '4 days 12 hours' }, check: (r) => assert.match(r.message, /, in 4 days 12 hours;/) },
  { name: 'read_api only', facts: token({ scopes: ['read_api', 'read_repository'] }), status: 'fail', messageId: 'noApiScope', data: { scopes: 'read_api, read_repository' } },
  { name: 'another user', facts: makeFacts((f) => { f.gitlab.user = ok({ httpStatus: 200, username: 'alice' }); }), status: 'fail', messageId: 'wrongUser', data: { actual: 'alice' } },
  { name: 'username compared case-insensitively', facts: makeFacts((f) => { f.gitlab.user = ok({ httpStatus: 200, username: 'Builder' }); }), status: 'pass', messageId: 'ok' },
  { name: 'project not visible', facts: makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 404 }); }), status: 'fail', messageId: 'projectHidden', data: { status: 404 } },
  { name: 'project forbidden', facts: makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 403 }); }), status: 'fail', messageId: 'projectHidden', data: { status: 403, project: 'group/app', username: 'builder' } },
  { name: 'expires in 20 days passes', facts: token({ expiresAt: '2026-12-18' }), status: 'pass', messageId: 'ok', data: { expires: '2026-12-18' } },
  { name: 'an expiring token that also lacks api fails', facts: token({ expiresAt: '2026-12-01', scopes: ['read_repository'] }), status: 'fail', messageId: 'noApiScope', data: { scopes: 'read_repository' } },
  { name: 'token unreadable is undecided', facts: makeFacts((f) => { f.gitlab.token = unavailable('timeout', 'GitLab did not answer'); }), status: 'error', messageId: '$unavailable' },
  { name: 'old GitLab without self-inspection', facts: token({ httpStatus: 404, scopes: [] }), status: 'warn', messageId: 'unknownScopes' },
]);
