// `rules`: every registry rule, as a table or JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { RULES } from '../../rules/index.js';

test('rules: the table lists every registry rule with severity and title', async () => {
  const r = await runCli(['rules']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^ID +SEVERITY +TITLE$/);
  for (const rule of RULES) {
    assert.ok(lines.some((l) => l.startsWith(`${rule.id} `) && l.includes(rule.severity) && l.endsWith(rule.title)), `${rule.id} listed`);
  }
  assert.match(r.stdout, new RegExp(`\\n${RULES.length} rules\\.`));
});

test('rules: --format json carries id, severity, title, description, docs', async () => {
  const r = await runCli(['rules', '--format', 'json']);
  assert.equal(r.code, 0);
  const list = JSON.parse(r.stdout);
  assert.deepEqual(list.map((x: any) => x.id), RULES.map((x) => x.id));
  for (const x of list) {
    assert.ok(x.severity === 'error' || x.severity === 'warning');
    assert.ok(x.title && x.description);
    assert.match(x.docs, new RegExp(`/rules/${x.id}\\.md$`));
  }
  const bad = await runCli(['rules', '--format', 'yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /rules: unknown --format "yaml"/);
});

test('rules: the registry holds the 15 documented rules', () => {
  assert.deepEqual(
    RULES.map((r) => r.id).sort(),
    [
      'acr-instance', 'gitlab-clone-url', 'gitlab-reachable', 'gitlab-tls', 'gitlab-token', 'host-route', 'idc-return-route', 'link-present',
      'nacl-ingress', 'reverse-cidr-overlap', 'sg-ingress', 'slb-listener', 'source-bound', 'vbr-return-route', 'zone-supported',
    ],
  );
});
