// Meta-test over the registry: every rule has a file named by its id, docs with the required
// sections, a test file, and well-formed message and remediation templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS } from '../../rules/ids.js';
import { RULES } from '../../rules/index.js';
import { ENGINE_MESSAGES } from '../../src/engine/runner.js';
import { placeholders } from '../../src/engine/template.js';
import { ROOT } from '../helpers/cli.js';

const DOCUMENTED_IDS = [
  'acr-instance', 'vpc-vswitch', 'zone-supported', 'reverse-cidr-overlap', 'sg-ingress', 'nacl-ingress', 'slb-listener', 'vbr-return-route',
  'idc-return-route', 'gitlab-reachable', 'gitlab-tls', 'gitlab-token', 'gitlab-clone-url', 'host-route', 'link-present', 'source-bound',
];

test('the registry holds exactly the documented rules, in their order, once each', () => {
  assert.deepEqual(RULES.map((r) => r.id), DOCUMENTED_IDS);
  // the id list a check validates waivers and --only/--skip against before the rules are loaded
  assert.deepEqual([...RULE_IDS], DOCUMENTED_IDS);
});

test('every rule file under rules/ is registered, and every registered rule has its file', () => {
  const files = readdirSync(join(ROOT, 'rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'ids.ts').map((f) => f.replace(/\.ts$/, ''));
  assert.deepEqual([...files].sort(), RULES.map((r) => r.id).sort());
});

test('a rule depends only on rules registered before it', () => {
  RULES.forEach((r, i) => {
    for (const d of r.dependsOn ?? []) {
      const at = RULES.findIndex((x) => x.id === d);
      assert.ok(at >= 0 && at < i, `${r.id} depends on ${d}, which must be registered before it`);
    }
  });
});

for (const rule of RULES) {
  test(`${rule.id}: metadata, docs, tests and templates`, () => {
    assert.match(rule.id, /^[a-z][a-z0-9-]+$/);
    assert.ok(rule.title.length > 10 && rule.title.length < 90, 'title length');
    assert.ok(['error', 'warning'].includes(rule.severity));
    assert.ok(rule.description.length > 40, 'description');
    const doc = join(ROOT, 'rules', `${rule.id}.md`);
    assert.ok(existsSync(doc), `rules/${rule.id}.md exists`);
    const md = readFileSync(doc, 'utf8');
    assert.ok(md.startsWith(`# ${rule.id}: `), 'doc starts with "# <id>: <title>"');
    for (const h of ['## What must hold', '## Evidence', '## How to fix', '## Example']) assert.ok(md.includes(h), `doc has ${h}`);
    assert.ok(existsSync(join(ROOT, 'test', 'rules', `${rule.id}.test.ts`)), `test/rules/${rule.id}.test.ts exists`);
    const templates = { ...rule.messages, ...(rule.remediation ?? {}) };
    assert.ok(Object.keys(rule.messages).length > 0);
    for (const [key, t] of Object.entries(templates)) {
      assert.ok(!(key in ENGINE_MESSAGES), `${key} shadows an engine message`);
      assert.equal((t.match(/\{\{/g) ?? []).length, (t.match(/\}\}/g) ?? []).length, `${key}: balanced braces`);
      for (const p of placeholders(t)) assert.match(p, /^[A-Za-z][A-Za-z0-9_]*$/, `${key}: placeholder ${p}`);
      assert.doesNotMatch(t, /\{\{\s*\}\}/, `${key}: empty placeholder`);
    }
  });
}
