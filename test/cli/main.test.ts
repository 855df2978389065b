import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runCli } from '../helpers/cli.js';

test('--help lists every command and exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const c of ['check', 'tui', 'collect', 'analyze', 'provision', 'explain', 'rules', 'policy', 'emulator', 'demo']) {
    assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
  }
  assert.equal(r.stderr, '');
});

test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('an unknown command is one line with a suggestion and exit 2', async () => {
  const r = await runCli(['chek']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command "chek".*did you mean "check"/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('an unknown option is one line and exit 2', async () => {
  const r = await runCli(['rules', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown option '--bogus'/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('every command takes --version (its help lists it)', async () => {
  for (const c of ['rules', 'check']) {
    const r = await runCli([c, '--version']);
    assert.deepEqual([r.code, r.stderr], [0, ''], c);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  }
});

test('an unknown leading option is one line (no help dump) and exit 2', async () => {
  const r = await runCli(['-x']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /unknown option "-x"/);
});

test('help for an unknown command is a usage error with a suggestion', async () => {
  const r = await runCli(['help', 'rulez']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /unknown command "rulez".*did you mean "rules"/);
  const ok = await runCli(['help', 'rules']);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /^list the rules/);
});

test('no command without a terminal prints usage and exits 2', async () => {
  const r = await runCli([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Usage: acr-preflight/);
});

test('--help loads neither the SDKs nor ink, ssh2 or undici', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'imports.txt');
  const hook = pathToFileURL(join(ROOT, 'test', 'helpers', 'trace-imports.mjs')).href;
  const r = await runCli(['check', '--help'], { env: { NODE_OPTIONS: `--import=${hook}`, TRACE_IMPORTS_FILE: file } });
  assert.equal(r.code, 0);
  const loaded = readFileSync(file, 'utf8');
  assert.match(loaded, /dist\/src\/cli\/main\.js/, 'the trace hook saw the CLI load');
  for (const heavy of ['@alicloud', 'ink', 'react', 'ssh2', 'undici']) {
    assert.doesNotMatch(loaded, new RegExp(`node_modules/${heavy}/`), `${heavy} loaded by --help`);
  }
});
