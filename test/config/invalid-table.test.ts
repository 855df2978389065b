// Table test over fixtures/configs/invalid/: each file holds a broken config and the one-line error
// it must produce ("# expect: …" on its first line, or a FILE.expect sidecar for JSON/binary files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'fixtures', 'configs', 'invalid');
const files = readdirSync(DIR).filter((f) => !f.endsWith('.expect') && !f.startsWith('.')).sort();

function expectation(file: string): string {
  const side = join(DIR, `${file}.expect`);
  if (existsSync(side)) return readFileSync(side, 'utf8').trim();
  const first = readFileSync(join(DIR, file), 'utf8').split('\n')[0]!;
  const m = /^# expect: (.+)$/.exec(first);
  assert.ok(m, `${file}: first line must be "# expect: …" (or add ${file}.expect)`);
  return m[1]!;
}

test('invalid configs: at least 40 cases', () => {
  assert.ok(files.length >= 40, `${files.length} cases`);
});

for (const file of files) {
  test(`invalid config ${file}`, () => {
    const want = expectation(file);
    let err: unknown;
    try {
      loadConfig({ file, env: { HOME: '/nonexistent' }, cwd: DIR, now: new Date('2026-11-20T00:00:00Z') });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError, `${file}: expected a ConfigError, got ${err instanceof Error ? err.stack : String(err)}`);
    const line = err.line();
    assert.ok(line.includes(want), `${file}:\n  want: ${want}\n  got:  ${line}`);
    // one line, or a count followed by one line per problem, each with its place
    const problems = line.includes('\n') ? line.split('\n').slice(1).map((l) => l.replace(/^ {2}- /, '')) : [line];
    if (line.includes('\n')) assert.match(line.split('\n')[0]!, /^the config has \d+ problems:$/);
    for (const p of problems) assert.ok(p.startsWith(file) || !want.startsWith(':'), `${file}: each problem starts with the file name: ${p}`);
    for (const secret of ['SECRETSECRET', 'hunter2', 'aGVsbG8']) assert.ok(!line.includes(secret), `${file}: the message echoes a secret: ${line}`);
  });
}
