// The one issue formatter (src/util/issues.ts) over small schemas: paths, the nearest key, the
// expected type and what was found, the deepest branch of a union, a discriminator's values, null
// where allowed, a bad record key, the place from `locate`, and never a value of a field marked
// secret. And no module reads zod's internals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { FIELD_META, parseProblems, problemLine, problemsMessage, type Locate } from '../../src/util/issues.js';
import { ROOT } from '../helpers/cli.js';

const secret = z.string().register(FIELD_META, { secret: true });
const S = z.strictObject({
  name: z.string().register(FIELD_META, { example: 'demo' }),
  port: z.number().int().min(1),
  mode: z.enum(['fast', 'safe']),
  password: secret.optional(),
  nested: z.strictObject({ listenPort: z.number(), tags: z.array(z.string()).min(1) }).optional(),
  item: z.discriminatedUnion('kind', [z.object({ kind: z.literal('a'), a: z.string() }), z.object({ kind: z.literal('b'), b: z.number() })]).optional(),
  either: z.union([z.string(), z.array(z.object({ id: z.string() }))]).optional(),
  acl: z.object({ id: z.string() }).nullable().optional(),
  map: z.record(z.string().regex(/^[a-z]+$/, 'expected a lower-case name'), z.number()).optional(),
});

const lines = (raw: unknown, locate?: Locate) => {
  const r = parseProblems(S, raw);
  return r.ok ? [] : r.problems.map((p) => problemLine(p, locate));
};

test('paths, nearest keys, expected types and the values found', () => {
  assert.deepEqual(lines({ name: 'x', port: 1.5, mode: 'slow', nested: { listenport: 1, tags: [] } }), [
    'port: expected an integer, got a number (1.5)',
    'mode: expected fast or safe, got "slow"',
    'nested.listenport: unknown key (did you mean nested.listenPort?)',
    'nested.listenPort: missing (required)',
    'nested.tags: must list at least 1 item',
  ]);
  assert.deepEqual(lines({ port: 'x', mode: 'fast' }), ['name: missing (required) — add e.g. name: demo', 'port: expected an integer, got a string ("x")']);
  assert.deepEqual(lines({ name: 'x', port: 0, mode: 'fast' }), ['port: must be at least 1, got 0']);
  assert.deepEqual(lines([]), ['(top level): expected a mapping (key: value), got a list']);
});

test('unions, discriminators, null where allowed, record keys', () => {
  const base = { name: 'x', port: 1, mode: 'fast' };
  assert.deepEqual(lines({ ...base, item: { kind: 'c' } }), ['item.kind: expected "a" or "b", got "c"']);
  assert.deepEqual(lines({ ...base, item: { kind: 'b', b: 'x' } }), ['item.b: expected a number, got a string ("x")']);
  assert.deepEqual(lines({ ...base, either: [{ id: 3 }] }), ['either[0].id: expected a string, got an integer (3)']);
  assert.deepEqual(lines({ ...base, acl: 5 }), ['acl: expected a mapping (key: value) or null, got an integer (5)']);
  assert.deepEqual(lines({ ...base, map: { Bad: 'also bad', good: 1 } }), ['map.Bad: expected a lower-case name']);
});

test('a secret is never echoed, whatever was wrong with it', () => {
  const base = { name: 'x', port: 1, mode: 'fast' };
  for (const v of [12345678, true, ['hunter2'], { k: 'hunter2' }]) {
    const out = lines({ ...base, password: v }).join('\n');
    assert.match(out, /^password: expected a string, got /);
    assert.ok(!out.includes('hunter2') && !out.includes('12345678') && !out.includes('true'), out);
  }
});

test('the place comes from locate; several problems are one message with a count', () => {
  const locate: Locate = (path, at) => `f.yaml:${path.length}${at === 'key' ? 'k' : 'v'}`;
  assert.deepEqual(lines({ name: 'x', port: 1, mode: 'fast', nested: { listenPort: 'x', tags: ['a'] } }, locate), ['f.yaml:2v: nested.listenPort: expected a number, got a string ("x")']);
  const r = parseProblems(S, { port: 'x' });
  assert.ok(!r.ok);
  const m = problemsMessage(r.problems, 'the thing', locate);
  assert.equal(m.message, ['the thing has 3 problems:', '  - f.yaml:1k: name: missing (required) — add e.g. name: demo', '  - f.yaml:1v: port: expected an integer, got a string ("x")', '  - f.yaml:1k: mode: missing (required)'].join('\n'));
});

// Schemas are read through zod's core classes and their definitions (`_zod.def`, what zod documents for
// libraries that read schemas of both its classic API and zod/mini); nothing else of `_zod`, and not
// zod 3's `_def`.
test('no module reads zod internals (_def, _zod other than its def): schemas are read through their definitions', () => {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(n) && /\._zod\b(?!\.def\b)|\._def\b/.test(readFileSync(p, 'utf8'))) hits.push(p.slice(ROOT.length + 1));
    }
  };
  walk(join(ROOT, 'src'));
  assert.deepEqual(hits, []);
});

test("a check on a secret that quoted the value would have it cut out", () => {
  const T = z.object({ key: z.string().refine((v) => v.startsWith('ref:'), { error: (iss) => `not a reference: ${String(iss.input)}` }).register(FIELD_META, { secret: true }) });
  const r = parseProblems(T, { key: 'sk-live-0042' });
  assert.ok(!r.ok);
  assert.equal(problemLine(r.problems[0]!), 'key: not a reference: [secret]');
});
