// One Facts builder and one module of test rules: test/helpers/facts.ts builds every test's fact
// snapshot (a healthy world per access path, changed by overrides or a mutator) and
// test/helpers/rules.ts holds every test rule. A source scan keeps copies from growing back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Available } from '../../src/facts/types.js';
import { ROOT } from '../helpers/cli.js';
import { GITLAB_IP, makeFacts, makeIdcFacts, ok, unavailable } from '../helpers/facts.js';

const TEST_DIR = join(ROOT, 'test');
const HELPERS = join(TEST_DIR, 'helpers');
const SELF = fileURLToPath(import.meta.url); // its samples below are copies on purpose

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== HELPERS && e.name !== 'node_modules') yield* sources(p);
    } else if (/\.(ts|tsx|mts)$/.test(e.name) && p !== SELF) yield p;
  }
}

/** What a test file outside test/helpers must not declare, with where it belongs instead. */
export function copiesIn(text: string): string[] {
  const found: string[] = [];
  // a whole snapshot: the version stamp beside the cloud, gitlab and hosts sections
  if (/\bschemaVersion:\s*1\b/.test(text) && /\bcloud:\s*\{/.test(text) && /\bgitlab:\s*\{/.test(text) && /\bhosts:\s*\{/.test(text)) {
    found.push('a whole Facts object literal: build it with makeFacts/makeSlbFacts/makeIdcFacts from test/helpers/facts.ts (overrides or a mutator for what the test is about)');
  }
  const rulesArray = text.match(/\b(?:const|let|var)\s+([A-Z][A-Z0-9_]*RULES)\s*(?::\s*[^=]+)?=\s*\[/);
  if (rulesArray) found.push(`a test rule list ${rulesArray[1]}: use or extend the sets in test/helpers/rules.ts`);
  const rule = text.match(/\b(?:const|let|var)\s+(\w+)\s*:\s*Rule\s*=\s*\{/);
  if (rule) found.push(`a test rule ${rule[1]}: declare it once in test/helpers/rules.ts and import it`);
  return found;
}

test('no test outside test/helpers declares a whole Facts literal, a test rule list or a test rule', () => {
  const offences: string[] = [];
  for (const file of sources(TEST_DIR)) {
    for (const what of copiesIn(readFileSync(file, 'utf8'))) offences.push(`${relative(ROOT, file)}: declares ${what}`);
  }
  assert.deepEqual(offences, [], `test copies of the shared builder or rules:\n${offences.join('\n')}`);
});

test('the scan recognises each kind of copy (and leaves builder calls alone)', () => {
  const literal = "const f: Facts = { schemaVersion: 1, tool: {}, input: {}, cloud: { vpc: ok(1) }, gitlab: { token: na('x') }, hosts: { gitlabHost: na('x') } };";
  assert.match(copiesIn(literal).join(), /whole Facts object literal/);
  assert.match(copiesIn('export const TEST_RULES: Rule[] = [sgRule];').join(), /test rule list TEST_RULES/);
  assert.match(copiesIn("const breaker: Rule = { id: 'x' };").join(), /test rule breaker/);
  assert.deepEqual(copiesIn("const f = makeFacts({ cloud: { vpc: ok(1) } }, (x) => { x.gitlab.token = na('x'); });\nconst rules = [...TUI_RULES, linkRule];"), []);
});

test('the builder: a fresh healthy world per call; overrides merge objects, replace facts and lists, remove on undefined; edits apply in order', () => {
  const a = makeFacts();
  a.cloud.vpc = unavailable('forbidden');
  assert.equal(makeFacts().cloud.vpc.state, 'ok', 'no call sees another call’s changes');
  const f = makeFacts(
    { input: { gitlab: { port: 8443 }, datacenter: undefined }, cloud: { prefixLists: ok([{ prefixListId: 'pl-1', addressFamily: 'IPv4', entries: ['10.0.0.0/8'] }]) } },
    (x) => { x.input.gitlab.port += 1; },
  );
  assert.equal(f.input.gitlab.port, 8444, 'the mutator runs after the overrides');
  assert.equal(f.input.gitlab.host, GITLAB_IP, 'a merged object keeps the keys it was not given');
  assert.ok(!('datacenter' in f.input));
  assert.deepEqual((f.cloud.prefixLists as Available<unknown>).value, [{ prefixListId: 'pl-1', addressFamily: 'IPv4', entries: ['10.0.0.0/8'] }]);
  const g = makeFacts({ cloud: { gitlabSecurityGroups: unavailable('timeout') } });
  assert.deepEqual(Object.keys(g.cloud.gitlabSecurityGroups).sort(), Object.keys(unavailable('timeout')).sort(), 'a fact replaces, never merges into, the one there');
  assert.equal(makeIdcFacts({ input: { datacenter: { vbrId: 'vbr-other' } } }).input.datacenter!.cidrs.length, 2, 'the access path builders take overrides too');
});
