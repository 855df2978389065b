// A world with an error is reported like a config: the file and line, the dotted path and what is
// wrong (the nearest key for an unknown one), in one line, and a secret of the world is never echoed.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorldFile } from '../../src/emulator/index.js';
import { InputError } from '../../src/errors.js';
import { worldPath } from '../helpers/emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'emu-problems-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const demo = readFileSync(worldPath('demo'), 'utf8');

/** The world refused for `text`, its message with the file name replaced by F, and the 1-based line of `marker`. */
function refused(text: string, marker: string): { message: string; line: number } {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes(marker)) + 1;
  assert.ok(line > 0, marker);
  try {
    loadWorldFile(file);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return { message: e.message.replaceAll(file, 'F'), line };
  }
  return assert.fail('the world was accepted');
}

describe('world problems', () => {
  it('a bad nested value: file:line of the value and its path', () => {
    const { message, line } = refused(demo.replace(/CidrBlock: 192\.168\.0\.0\/16/, 'CidrBlock: 192.168.0.0/99'), '192.168.0.0/99');
    assert.equal(message, `world file F:${line}: regions.cn-hangzhou.vpcs[0].CidrBlock: expected an IPv4 address or CIDR (a.b.c.d/0-32)`);
  });

  it('a typo in a nested key: file:line of the key and the nearest key', () => {
    const { message, line } = refused(demo.replace(/^( {6})tokens:$/m, '$1tokenz:'), 'tokenz:');
    assert.match(message, new RegExp(`^world file F:${line}: gitlab\\.users\\[0\\]\\.tokenz: unknown key \\(did you mean gitlab\\.users\\[0\\]\\.tokens\\?\\)$`));
  });

  it('a wrong type: the expected type and what was found; a secret never echoed', () => {
    const t = refused(demo.replace(/^( {2})latencyMs: 0$/m, '$1latencyMs: lots'), 'latencyMs: lots');
    assert.equal(t.message, `world file F:${t.line}: faults.latencyMs: expected a number, got a string ("lots")`);
    // a scalar of another field is echoed (above); a secret's never
    const s = refused(demo.replace('accessKeySecret: emulator-demo-secret', 'accessKeySecret: 86427531'), '86427531');
    assert.equal(s.message, `world file F:${s.line}: credentials[0].accessKeySecret: expected a string, got an integer`);
  });

  it('a reference the schema cannot see: the line of the bad field too', () => {
    const { message, line } = refused(demo.replace(/(VpcAttributes:\n\s+VpcId: \S+\n\s+VSwitchId: )vsw-[a-z0-9]+/, '$1vsw-missing'), 'vsw-missing');
    assert.match(message, new RegExp(`^world file F:${line}: regions\\.cn-hangzhou\\.instances\\[\\d+\\]\\.VpcAttributes\\.VSwitchId: unknown vSwitch vsw-missing$`));
  });
});
