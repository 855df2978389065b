// The npm package as a user gets it: `npm pack` (its prepack builds the bundle), then
// `npm install --global --prefix TMP ./the.tgz` with npm's defaults (install scripts blocked) and
// --offline (the package needs nothing from the registry: its dependencies are inside the bundle),
// then the installed `acr-preflight` run from a directory outside the repository.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { RULES } from '../../rules/index.js';
import { ROOT, runCli } from '../helpers/cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
let tmp: string;
let bin: string;
let outside: string;
let files: string[];

// npm and node from the running Node's directory first, so the spawned npm uses this Node
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'acrp-pkg-'));
  // `npm pack` runs prepare (tsc -p ., rewriting dist/src that other tests are running) and then
  // prepack; here prepack is run by name and the pack itself without scripts, so nothing else moves
  await run('npm', ['run', 'prepack'], { cwd: ROOT, env, timeout: 400_000, maxBuffer: 64 * 2 ** 20 });
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, env, timeout: 120_000, maxBuffer: 64 * 2 ** 20 });
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  files = info[0]!.files.map((f) => f.path);
  const prefix = join(tmp, 'prefix');
  await run('npm', ['install', '--global', '--offline', '--prefix', prefix, join(tmp, info[0]!.filename)], { cwd: tmp, env, timeout: 120_000 });
  bin = join(prefix, 'bin', 'acr-preflight');
  outside = join(tmp, 'elsewhere');
  mkdirSync(outside);
}, { timeout: 600_000 });

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[], timeoutMs = 60_000) =>
  runCli(args, { command: [bin], cwd: outside, env: { ...env, HOME: outside, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, timeoutMs });

test('the tarball holds the bundle (entry and chunks), its launcher and code caches, rule docs, the zone table and the demo fixtures; no sources or tests', () => {
  for (const f of ['bin/acr-preflight.cjs', 'dist/cli.cjs', 'dist/cli.cache', 'package.json', 'rules/data/vpc-build-zones.json', 'fixtures/worlds/demo.yaml', 'fixtures/configs/demo.yaml']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  for (const r of RULES) assert.ok(files.includes(`rules/${r.id}.md`), `rules/${r.id}.md is in the tarball`);
  // the split bundle (scripts/bundle.ts): every chunk (the code caches are dist/cli.cache); not the build's manifest
  const built = JSON.parse(readFileSync(join(ROOT, 'dist', 'chunks', 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
  for (const f of Object.keys(built.files)) assert.ok(files.includes(`dist/${f}`), `dist/${f} is in the tarball`);
  assert.deepEqual(files.filter((f) => /^dist\/chunks\//.test(f) && !f.endsWith('.cjs')), []);
  const stray = files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || /\.tsx?$/.test(f) || f.startsWith('dist/src/'));
  assert.deepEqual(stray, []);
});

test('the installed package has no dependencies to install (everything is in the bundle)', () => {
  const installed = join(dirname(dirname(bin)), 'lib', 'node_modules', pkg.name);
  assert.ok(existsSync(join(installed, 'dist', 'cli.cjs')));
  assert.ok(!existsSync(join(installed, 'node_modules')) || readdirSync(join(installed, 'node_modules')).length === 0, 'no node_modules under the installed package');
});

test('installed: --version prints the package version', async () => {
  const r = await cli(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('installed: rules lists every rule, explain reads its shipped doc', async () => {
  const r = await cli(['rules']);
  assert.equal(r.code, 0, r.stderr);
  for (const rule of RULES) assert.match(r.stdout, new RegExp(`^${rule.id}\\s`, 'm'));
  const e = await cli(['explain', 'sg-ingress']);
  assert.equal(e.code, 0, e.stderr);
  const doc = readFileSync(join(ROOT, 'rules', 'sg-ingress.md'), 'utf8');
  const firstHeading = /^#\s+(.+)$/m.exec(doc)![1]!.replace(/[`*]/g, '');
  assert.ok(e.stdout.includes(firstHeading), 'the rule doc, not the fallback description');
  assert.match(e.stdout, /What must hold/);
});

test('installed: demo runs the whole flow on the shipped world and config (exit 0)', { timeout: 180_000 }, async () => {
  const r = await cli(['demo'], 170_000);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /\[demo\] done: check → link\/bind verified → build succeeded/);
  assert.match(r.stdout, /PASS|Provision succeeded/);
});
