import { rule, splitProject } from '../../rules/source-bound.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const binding = (x: object) => makeFacts((f) => { f.cloud.sourceBinding = ok({ codeRepoType: 'GITLAB', codeRepoNamespaceName: 'group', codeRepoName: 'app', overseaBuild: false, ...x }); });
ruleTester(rule, [
  { name: 'bound correctly', facts: makeFacts(), status: 'pass', messageId: 'ok' },
  { name: 'repository missing warns', facts: makeFacts((f) => { f.cloud.repository = ok(null); }), status: 'warn', messageId: 'noRepo' },
  { name: 'not bound warns', facts: makeFacts((f) => { f.cloud.sourceBinding = ok(null); }), status: 'warn', messageId: 'notBound', data: { repo: 'team/app', project: 'group/app' } },
  { name: 'GitHub source fails', facts: binding({ codeRepoType: 'GITHUB' }), status: 'fail', messageId: 'wrongType' },
  { name: 'other project fails', facts: binding({ codeRepoName: 'web' }), status: 'fail', messageId: 'wrongProject', data: { actual: 'group/web' } },
  { name: 'oversea build on fails', facts: binding({ overseaBuild: true }), status: 'fail', messageId: 'oversea', check: (r) => { if (!r.remediation.includes('--OverseaBuild false')) throw new Error(r.remediation); } },
  { name: 'type compared case-insensitively', facts: binding({ codeRepoType: 'gitlab' }), status: 'pass', messageId: 'ok' },
  { name: 'project path compared case-insensitively', facts: binding({ codeRepoNamespaceName: 'Group', codeRepoName: 'App' }), status: 'pass', messageId: 'ok' },
  { name: 'bound to a project in another group fails', facts: binding({ codeRepoNamespaceName: 'other' }), status: 'fail', messageId: 'wrongProject', data: { actual: 'other/app', project: 'group/app' } },
  { name: 'no repository configured skips', facts: makeFacts((f) => { delete f.input.acr.namespace; delete f.input.acr.repository; }), status: 'skip', messageId: 'noRepoConfigured' },
  { name: 'binding unreadable names the RAM action', facts: makeFacts((f) => { f.cloud.sourceBinding = unavailable('forbidden', 'denied', { ramAction: 'cr:GetRepoSourceCodeRepo' }); }), status: 'error', messageId: '$forbidden', data: { ramAction: 'cr:GetRepoSourceCodeRepo' } },
  { name: 'subgroups compare by full path', facts: (() => { const f = binding({ codeRepoNamespaceName: 'group/sub' }); f.input.gitlab.project = 'group/sub/app'; return f; })(), status: 'pass', messageId: 'ok' },
]);

test('splitProject keeps subgroups in the namespace', () => {
  assert.deepEqual(splitProject('a/b/c'), { namespace: 'a/b', name: 'c' });
});
