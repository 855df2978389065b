import assert from 'node:assert/strict';
import { rule } from '../../rules/gitlab-token.js';
import type { Available, TokenInfo } from '../../src/facts/types.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const token = (x: Partial<TokenInfo>) => makeFacts((f) => { f.gitlab.token = ok({ ...(f.gitlab.token as Available<TokenInfo>).value, ...x }); });
ruleTester(rule, [
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
