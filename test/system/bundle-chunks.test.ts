// The npm package's build is split into chunks (scripts/bundle.ts) so that a command reads and
// compiles only what it runs. Built here (with its code caches) into a temporary copy of the package
// layout (bin/ + dist/), then run through the real launcher with a preload that records every file
// it compiles and whether V8 took its code cache: `check --no-probes` must not load the TUI (ink,
// react, yoga), ssh2, undici, the emulator or provisioning, and `--help` no dependency at all.
// A change that pulls one of them onto the check path (a static import where there was a lazy one)
// fails here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { bundleSplit, LAZY_REQUIRES, lazyRequires, LAUNCHER, trainCodeCache, type ChunkManifest } from '../../scripts/bundle.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';

let tmp: string;
let launcher: string;
let recorder: string;
let manifest: ChunkManifest;
let em: EmulatorHandle;
let config: string;

before(async () => {
  // inside the repository: the bundled code finds its package root (package.json, rules/) above itself
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  tmp = mkdtempSync(join(ROOT, 'test-output', 'chunks-'));
  mkdirSync(join(tmp, 'bin'));
  launcher = join(tmp, 'bin', 'acr-preflight.cjs');
  copyFileSync(LAUNCHER, launcher);
  manifest = await bundleSplit(join(tmp, 'dist'));
  await trainCodeCache(launcher);
  // what the launcher compiles (vm.Script) or Node loads as a module file, written at exit
  recorder = join(tmp, 'record-loads.cjs');
  writeFileSync(
    recorder,
    `const vm = require('node:vm');
const Script = vm.Script;
const files = [];
const caches = {};
vm.Script = class extends Script { constructor(code, opts) { super(code, opts); files.push(opts && opts.filename); caches[opts && opts.filename] = !opts || !opts.cachedData ? 'none' : this.cachedDataRejected ? 'rejected' : 'used'; } };
process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_LOADS, JSON.stringify({ files: [...files, ...Object.keys(require.cache)], caches })));
`,
  );
  em = await startTestEmulator('demo');
  config = prepareConfig('demo', em, join(tmp, 'cfg'));
}, { timeout: 300_000 });

after(async () => {
  await em?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Runs the built CLI; returns the result and the chunks it loaded (relative to dist/). */
async function runRecorded(args: string[]) {
  const out = join(tmp, `loads-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli(args, {
    command: [process.execPath, '--require', recorder, launcher],
    cwd: tmp,
    env: {
      RECORD_LOADS: out,
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret,
      GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
    },
    timeoutMs: 90_000,
  });
  const dist = join(tmp, 'dist') + '/';
  const rec = JSON.parse(readFileSync(out, 'utf8')) as { files: string[]; caches: Record<string, string> };
  const loaded = rec.files.filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length));
  const caches = Object.fromEntries(Object.entries(rec.caches).filter(([f]) => f.startsWith(dist)).map(([f, c]) => [f.slice(dist.length), c]));
  return { r, loaded: [...new Set(loaded)], caches };
}

function packagesIn(files: string[]): Set<string> {
  const all = new Set<string>();
  for (const f of files) {
    const entry = manifest.files[f];
    assert.ok(entry, `${f} is an output of the build`);
    for (const p of entry.packages) all.add(p);
  }
  return all;
}

/**
 * What `check` must never read: the TUI, SSH, the GitLab probes' HTTP client, the emulator,
 * provisioning, zod's classic API. (zod is read: the config and the API answers are validated by
 * zod/mini schemas, src/config/schema.ts and src/facts/responses.ts; the classic API builds the
 * fact bundle and emulator world schemas, which `check` does not read.)
 */
const NOT_FOR_CHECK = ['ink', 'react', 'react-reconciler', 'yoga-layout', 'ssh2', 'undici', 'src/tui', 'src/emulator', 'src/provision', 'zod/v4/classic'];

test('the build is split: the entry, and chunks holding the TUI, ssh2, undici and the emulator apart', () => {
  assert.ok(manifest.files['cli.cjs']);
  const chunks = Object.keys(manifest.files).filter((f) => f.startsWith('chunks/'));
  assert.ok(chunks.length > 5, `${chunks.length} chunks`);
  for (const p of NOT_FOR_CHECK) assert.ok(chunks.some((c) => manifest.files[c]!.packages.includes(p)), `${p} is in some chunk`);
  assert.deepEqual(manifest.files['cli.cjs']!.packages.filter((p) => NOT_FOR_CHECK.includes(p) || p.startsWith('@alicloud')), []);
});

test('check --no-probes passes and loads the SDK chunks but none of the TUI, ssh2, undici, emulator or provision chunks', { timeout: 120_000 }, async () => {
  const { r, loaded, caches } = await runRecorded(['check', '--no-probes', '-c', config]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^PASS: /m);
  assert.ok(loaded.includes('cli.cjs'), `the recorder saw the launcher load the entry: ${loaded.join(', ')}`);
  const pkgs = packagesIn(loaded);
  // the recorder works: what check needs is there
  for (const p of ['@alicloud/openapi-core', '@darabonba/typescript', 'yaml', 'zod/v4/core', 'zod/v4/mini', 'src/facts', 'src/report']) assert.ok(pkgs.has(p), `${p} loaded`);
  const unwanted = NOT_FOR_CHECK.filter((p) => pkgs.has(p));
  assert.deepEqual(unwanted, [], `check loaded chunks holding ${unwanted.join(', ')}: ${loaded.join(', ')}`);
  // every chunk it loads comes with its code cache (dist/cli.cache, trained by a check), and V8 takes it
  assert.deepEqual(Object.entries(caches).filter(([, c]) => c !== 'used'), [], 'code caches used for every chunk of check');
  // and less than half the code
  const bytes = (fs: string[]) => fs.reduce((n, f) => n + manifest.files[f]!.bytes, 0);
  assert.ok(bytes(loaded) < bytes(Object.keys(manifest.files)) / 2, `check reads ${bytes(loaded)} of ${bytes(Object.keys(manifest.files))} bytes`);
});

test('--help and --version load the entry and a few small shared chunks of our own, no dependency', async () => {
  for (const args of [['--help'], ['--version'], ['check', '--help']]) {
    const { r, loaded } = await runRecorded(args);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(loaded.includes('cli.cjs'));
    const pkgs = [...packagesIn(loaded)];
    assert.deepEqual(pkgs.filter((p) => !p.startsWith('src/')), [], `${args.join(' ')} loads only our own code: ${pkgs.join(', ')}`);
    const bytes = loaded.reduce((n, f) => n + manifest.files[f]!.bytes, 0);
    assert.ok(bytes < 40_000, `${args.join(' ')} reads ${bytes} bytes`);
  }
});

test('the SDK runtime\'s WebSocket, XML, date, merge and zlib modules load on first use, not with the runtime', async () => {
  const loadAdapted = (file: string) => {
    const path = join(ROOT, 'node_modules', file);
    const src = lazyRequires(readFileSync(path, 'utf8'), LAZY_REQUIRES[file]!, path);
    const own = createRequire(path);
    const required: string[] = [];
    const exportsObj: Record<string, any> = {};
    const mod = { exports: exportsObj };
    const tracked = (id: string) => {
      required.push(id);
      return own(id);
    };
    new Function('exports', 'require', 'module', '__filename', '__dirname', src)(exportsObj, tracked, mod, path, join(path, '..'));
    return { mod: mod.exports, required };
  };
  assert.ok(Object.keys(LAZY_REQUIRES).length >= 5);
  for (const [file, lazy] of Object.entries(LAZY_REQUIRES)) {
    const { mod, required } = loadAdapted(file);
    assert.ok(Object.keys(mod).length > 0, `${file} was evaluated`);
    assert.deepEqual(required.filter((id) => lazy.includes(id)), [], `${file} loads none of ${lazy.join(', ')} until used`);
  }
  // first use loads the real module: the same answers as without the stand-in
  const xml = loadAdapted('@darabonba/typescript/dist/xml.js');
  assert.deepEqual(xml.mod.default.parseXml('<a><b>1</b></a>', null), { a: { b: '1' } });
  assert.ok(xml.required.includes('xml2js'));
  const func = loadAdapted('@darabonba/typescript/dist/func.js');
  assert.deepEqual(func.mod.merge({ a: { b: 1 } }, { a: { c: 2 } }), { a: { b: 1, c: 2 } });
  assert.ok(func.required.includes('lodash'));
  // httpx decompresses a gzip answer through the stand-in of zlib
  const httpx = loadAdapted('httpx/lib/index.js');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify({ ok: true })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const res = await httpx.mod.request(url, { timeout: 10_000 });
    assert.deepEqual(JSON.parse(await httpx.mod.read(res, 'utf8')), { ok: true });
    assert.ok(httpx.required.includes('zlib'));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  // a module no longer required the way the adaptation expects fails the build, not the user
  assert.throws(() => lazyRequires('var x = require("other");', ['ws'], 'test.js'), /no `var … = require\("ws"\)`/);
});
