// The rules re-run next to a GIT_CLONE failure come from each rule's own `paths`.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RULES } from '../../rules/index.js';
import { networkRules } from '../../src/provision/state.js';

test('each access path re-checks the network rules that apply on it, in registry order', () => {
  assert.deepEqual(networkRules('ecs'), ['reverse-cidr-overlap', 'sg-ingress', 'nacl-ingress', 'gitlab-reachable', 'host-route', 'link-present']);
  assert.deepEqual(networkRules('slb'), ['reverse-cidr-overlap', 'slb-listener', 'gitlab-reachable', 'host-route', 'link-present']);
  assert.deepEqual(networkRules('idc'), ['reverse-cidr-overlap', 'vbr-return-route', 'idc-return-route', 'gitlab-reachable', 'host-route', 'link-present']);
  assert.deepEqual(networkRules('unknown'), ['reverse-cidr-overlap', 'gitlab-reachable', 'host-route', 'link-present']);
});

test('a rule limited to a path is re-checked on that path only', () => {
  const rules = [{ id: 'sg-ingress', paths: ['slb' as const] }, { id: 'gitlab-reachable' }, { id: 'gitlab-token' }];
  assert.deepEqual(networkRules('slb', rules), ['sg-ingress', 'gitlab-reachable']);
  assert.deepEqual(networkRules('ecs', rules), ['gitlab-reachable']);
  for (const id of networkRules('ecs')) assert.ok(RULES.some((r) => r.id === id), id);
});
