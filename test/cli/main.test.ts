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

/** Runs `body` as a module beside exitWith (the tsc build); returns the exit code, stdout and the time taken. */
async function withExitWith(body: string): Promise<{ code: number | null; out: string; ms: number }> {
  const { spawn } = await import('node:child_process');
  const main = pathToFileURL(join(ROOT, 'dist', 'src', 'cli', 'main.js')).href;
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import { exitWith } from ${JSON.stringify(main)};\n${body}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('latin1').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out, ms: Date.now() - t0 };
}

test('the entry ends the process once main returns, with its code: a pending timer or socket does not hold it', async () => {
  const r = await withExitWith(`setTimeout(() => process.stdout.write('timer ran\\n'), 30_000);\nprocess.stdout.write('report\\n');\nexitWith(3);`);
  assert.equal(r.code, 3);
  assert.equal(r.out, 'report\n');
  assert.ok(r.ms < 20_000, `the pending timer held the process ${r.ms} ms`);
});

test('the entry loses nothing written: output still draining into a pipe is written before the process ends', async () => {
  // 4 MB into a pipe is more than the pipe holds: the process ends when the write is done (the timer, 1 s, shows it waited)
  const r = await withExitWith(`setTimeout(() => {}, 1000);\nprocess.stdout.write('x'.repeat(4 * 1024 * 1024) + '\\nend\\n');\nexitWith(4);`);
  assert.equal(r.code, 4);
  assert.equal(r.out.length, 4 * 1024 * 1024 + '\nend\n'.length);
  assert.ok(r.out.endsWith('\nend\n'));
});
