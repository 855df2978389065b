// `explain RULE_ID`: docs rendered plainly, messages and fixes; unknown ids exit 2 with the nearest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { RULES } from '../../rules/index.js';
import { markdownToText } from '../../src/cli/explain.js';

test('explain: every rule prints its docs, metadata, messages and fixes', async () => {
  for (const rule of RULES) {
    const r = await runCli(['explain', rule.id]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`id: +${rule.id}\\n`));
    assert.match(r.stdout, new RegExp(`severity: +${rule.severity}`));
    for (const [id, text] of Object.entries(rule.messages)) assert.ok(r.stdout.includes(`${id}:\n    ${text}`), `${rule.id} message ${id}`);
    for (const [id, text] of Object.entries(rule.remediation ?? {})) assert.ok(r.stdout.includes(`${id}:\n    ${text}`), `${rule.id} fix ${id}`);
    assert.doesNotMatch(r.stdout, /^#+ /m, 'markdown headings rendered');
    assert.doesNotMatch(r.stdout, /\*\*/, 'no bold markers');
  }
});

test('explain: unknown id exits 2 with the nearest id; a missing id is a usage error', async () => {
  const r = await runCli(['explain', 'sg-ingres']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^acr-preflight: unknown rule id "sg-ingres"( \(did you mean sg-ingress\?\))? — run `acr-preflight rules`/);
  if (RULES.some((x) => x.id === 'sg-ingress')) assert.match(r.stderr, /did you mean sg-ingress\?/);
  const none = await runCli(['explain']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /explain needs a rule id/);
});

test('explain: markdown to plain text', () => {
  const md = '# Title\n\nSome **bold** and `code` and [a link](https://x.test).\n\n## Fix\n\n* one\n* two\n\n```sh\naliyun ecs AuthorizeSecurityGroup\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
  assert.equal(
    markdownToText(md),
    'Title\n=====\n\nSome bold and code and a link (https://x.test).\n\nFix\n---\n\n- one\n- two\n\n    aliyun ecs AuthorizeSecurityGroup\n\na  |  b\n1  |  2',
  );
});
