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
import { transformSync } from 'esbuild';
import { bundleSplit, USE_LATER, useLater, LAZY_PACKAGES, LAZY_REQUIRES, lazyChunkName, lazyRequires, LAUNCHER, trainCodeCache, type ChunkManifest } from '../../scripts/bundle.js';
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
// the moment the first HTTP request is made, in the same list
require('node:diagnostics_channel').subscribe('http.client.request.start', () => { if (!files.includes('<first request>')) files.push('<first request>'); });
// Node's own modules loaded by the end, by their public names ('tls', 'fs/promises')
const builtins = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_LOADS, JSON.stringify({ files: [...files, ...Object.keys(require.cache)], caches, builtins: builtins() })));
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
  const rec = JSON.parse(readFileSync(out, 'utf8')) as { files: string[]; caches: Record<string, string>; builtins: string[] };
  const loaded = rec.files.filter((f) => f.startsWith(dist) || f === '<first request>').map((f) => (f.startsWith(dist) ? f.slice(dist.length) : f));
  const firstRequest = loaded.indexOf('<first request>');
  loaded.splice(firstRequest < 0 ? loaded.length : firstRequest, firstRequest < 0 ? 0 : 1);
  const caches = Object.fromEntries(Object.entries(rec.caches).filter(([f]) => f.startsWith(dist)).map(([f, c]) => [f.slice(dist.length), c]));
  // `beforeRequest`: the chunks loaded before the first HTTP request was made (all of them if none was)
  return { r, loaded: [...new Set(loaded)], beforeRequest: new Set(firstRequest < 0 ? loaded : loaded.slice(0, firstRequest)), caches, builtins: rec.builtins };
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
 * provisioning, zod's classic API, and the SDK runtime's parts that an RPC call with a JSON body
 * does not use (each in a chunk of its own, LAZY_PACKAGES). (zod is read: the config and the API
 * answers are validated by zod/mini schemas, src/config/schema.ts and src/facts/responses.ts; the
 * classic API builds the fact bundle and emulator world schemas, which `check` does not read.) Nor
 * the yaml package, when the config is plain YAML (src/config/plain-yaml.ts reads it).
 */
const NOT_FOR_CHECK = ['ink', 'react', 'react-reconciler', 'yoga-layout', 'ssh2', 'undici', 'src/tui', 'src/emulator', 'src/provision', 'zod/v4/classic', 'lodash', 'moment', 'xml2js', 'ws', 'socks', 'yaml'];
/** Node's modules that `check --no-probes` against an http: endpoint, keys in the environment, requires but never uses: the launcher loads them on first use. */
const LAZY_BUILTINS = ['https', 'tls', 'dns/promises', 'fs/promises', 'child_process'];

test('the build is split: the entry, and chunks holding the TUI, ssh2, undici and the emulator apart', () => {
  assert.ok(manifest.files['cli.cjs']);
  const chunks = Object.keys(manifest.files).filter((f) => f.startsWith('chunks/'));
  assert.ok(chunks.length > 5, `${chunks.length} chunks`);
  for (const p of NOT_FOR_CHECK) assert.ok(chunks.some((c) => manifest.files[c]!.packages.includes(p)), `${p} is in some chunk`);
  assert.deepEqual(manifest.files['cli.cjs']!.packages.filter((p) => NOT_FOR_CHECK.includes(p) || p.startsWith('@alicloud')), []);
});

test('check --no-probes passes and loads the SDK chunks but none of the TUI, ssh2, undici, emulator or provision chunks', { timeout: 120_000 }, async () => {
  const { r, loaded, caches, builtins } = await runRecorded(['check', '--no-probes', '-c', config]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^PASS: /m);
  assert.ok(loaded.includes('cli.cjs'), `the recorder saw the launcher load the entry: ${loaded.join(', ')}`);
  const pkgs = packagesIn(loaded);
  // the recorder works: what check needs is there
  for (const p of ['@alicloud/openapi-core', '@darabonba/typescript', 'zod/v4/core', 'zod/v4/mini', 'src/config', 'src/facts', 'src/report']) assert.ok(pkgs.has(p), `${p} loaded`);
  const unwanted = NOT_FOR_CHECK.filter((p) => pkgs.has(p));
  assert.deepEqual(unwanted, [], `check loaded chunks holding ${unwanted.join(', ')}: ${loaded.join(', ')}`);
  // every chunk it loads comes with its code cache (dist/cli.cache, trained by a check), and V8 takes it
  assert.ok(Object.keys(caches).length >= loaded.length - 1, `a vm.Script per chunk: ${Object.keys(caches).join(', ')}`);
  assert.deepEqual(Object.entries(caches).filter(([, c]) => c !== 'used'), [], 'code caches used for every chunk of check');
  // Node's modules it needs are loaded (the recorder sees them), the ones it does not use are not
  for (const b of ['http', 'crypto']) assert.ok(builtins.includes(b), `${b} loaded: ${builtins.join(', ')}`);
  assert.deepEqual(LAZY_BUILTINS.filter((b) => builtins.includes(b)), [], `check loaded ${builtins.join(', ')}`);
  // and less than half the code
  const bytes = (fs: string[]) => fs.reduce((n, f) => n + manifest.files[f]!.bytes, 0);
  assert.ok(bytes(loaded) < bytes(Object.keys(manifest.files)) / 2, `check reads ${bytes(loaded)} of ${bytes(Object.keys(manifest.files))} bytes`);
});

test('check loads the rules, the engine and its reporter while it waits for the cloud, not before its first request', { timeout: 120_000 }, async () => {
  const { r, loaded, beforeRequest } = await runRecorded(['check', '--no-probes', '-c', config]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.ok(beforeRequest.size < loaded.length, `the recorder saw the first request: ${loaded.join(', ')}`);
  const holding = (pred: (p: string) => boolean) => loaded.filter((f) => manifest.files[f]!.packages.some(pred));
  // (rules/ids.ts, the list of ids the config's waivers are checked against, is read before)
  const later = [...holding((p) => p.startsWith('rules/') && p !== 'rules/ids.ts'), ...holding((p) => p === 'src/engine')];
  assert.ok(later.length >= 2, `the rules and the engine were loaded: ${loaded.join(', ')}`);
  assert.deepEqual(later.filter((f) => beforeRequest.has(f)), [], `loaded before the first request: ${[...beforeRequest].join(', ')}`);
  // the SDK, the config and its schema are what the first request needs
  const early = packagesIn([...beforeRequest]);
  for (const p of ['@alicloud/openapi-core', 'zod/v4/mini', 'src/config']) assert.ok(early.has(p), `${p} before the first request`);
});

test('a config outside plain YAML (an anchor) is read by the yaml package, from its chunk: the same run', { timeout: 120_000 }, async () => {
  const text = readFileSync(config, 'utf8');
  assert.match(text, /^region: \S+$/m);
  const anchored = join(tmp, 'cfg', 'anchored.yaml');
  writeFileSync(anchored, text.replace(/^region: (\S+)$/m, 'region: &r $1'));
  const { r, loaded } = await runRecorded(['check', '--no-probes', '-c', anchored]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^PASS: /m);
  assert.ok(packagesIn(loaded).has('yaml'), `the yaml chunk was loaded: ${loaded.join(', ')}`);
  // and a problem in such a file still names its line, which only the yaml package knows there
  writeFileSync(anchored, `${text.replace(/^region: (\S+)$/m, 'region: &r $1')}unknownKey: 1\n`);
  const bad = await runRecorded(['check', '--no-probes', '-c', anchored]);
  assert.equal(bad.r.code, 2, `${bad.r.stdout}\n${bad.r.stderr}`);
  assert.match(bad.r.stderr, new RegExp(`anchored\\.yaml:${text.split('\n').length}: .*unknownKey`));
});

test('a damaged code cache file costs speed, never the run: every chunk then compiles from its text', { timeout: 180_000 }, async () => {
  const file = join(tmp, 'dist', 'cli.cache');
  const good = readFileSync(file);
  try {
    // cut short (the index names caches past the end), then not a cache file at all
    for (const bad of [good.subarray(0, Math.floor(good.length / 3)), Buffer.from('not a cache file, just words')]) {
      writeFileSync(file, bad);
      const { r, caches } = await runRecorded(['check', '--no-probes', '-c', config]);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /^PASS: /m);
      assert.ok(Object.values(caches).includes('none'), `some chunk compiled without its cache: ${JSON.stringify(caches)}`);
    }
  } finally {
    writeFileSync(file, good);
  }
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

test('the SDK runtime\'s lazily required packages are chunks of their own, which the launcher loads on first use and which work', () => {
  for (const pkg of LAZY_PACKAGES) {
    const chunk = `chunks/${lazyChunkName(pkg)}.cjs`;
    assert.ok(manifest.files[chunk]?.packages.includes(pkg), `${pkg} in ${chunk}`);
    const elsewhere = Object.keys(manifest.files).filter((f) => f !== chunk && manifest.files[f]!.packages.includes(pkg));
    assert.deepEqual(elsewhere, [], `${pkg} only in ${chunk}`);
  }
  const { load, loaded } = createRequire(import.meta.url)(launcher) as { load: (file: string) => any; loaded: Map<string, unknown> };
  const dist = join(tmp, 'dist');
  const runtimeChunk = Object.keys(manifest.files).find((f) => manifest.files[f]!.packages.includes('@darabonba/typescript'))!;
  const exported = load(join(dist, runtimeChunk)) as Record<string, unknown>;
  // the chunk exports @darabonba/typescript's module initialiser (with others): find the one whose module has merge, XML and Date
  let teaRuntime: any;
  for (const fn of Object.values(exported)) {
    if (typeof fn !== 'function' || fn.length !== 0) continue;
    try {
      const m = (fn as () => any)();
      if (m && typeof m.merge === 'function' && m.XML && m.Date) teaRuntime = m;
    } catch {
      // not a module initialiser
    }
  }
  assert.ok(teaRuntime, `the runtime chunk ${runtimeChunk} exports @darabonba/typescript`);
  const lazyLoaded = () => [...loaded.keys()].filter((f) => /[\\/]lazy-[^\\/]+\.cjs$/.test(f)).map((f) => f.slice(dist.length + 1));
  assert.deepEqual(lazyLoaded(), [], 'no lazy chunk read with the runtime');
  assert.deepEqual(teaRuntime.merge({ a: { b: 1 } }, { a: { c: 2 } }), { a: { b: 1, c: 2 } });
  assert.deepEqual(teaRuntime.XML.parseXml('<a><b>1</b></a>', null), { a: { b: '1' } });
  assert.equal(new teaRuntime.Date('2024-05-06T07:08:09Z').unix(), 1714979289);
  assert.deepEqual(lazyLoaded().sort(), ['chunks/lazy-lodash.cjs', 'chunks/lazy-moment.cjs', 'chunks/lazy-xml2js.cjs']);
  // WebSockets and the proxy agents: their chunks load and give the packages' exports
  const ws = load(join(dist, 'chunks', `${lazyChunkName('ws')}.cjs`));
  assert.equal(typeof ws.default, 'function');
  assert.equal(ws.default.OPEN, 1);
  assert.equal(typeof ws.default.Server, 'function');
  for (const agent of ['https-proxy-agent', 'http-proxy-agent', 'socks-proxy-agent']) {
    const m = load(join(dist, 'chunks', `${lazyChunkName(agent)}.cjs`));
    assert.equal(typeof Object.values(m.default).find((v) => typeof v === 'function'), 'function', `${agent} exports a class`);
  }
});

test('the launcher gives Node\'s modules as they are, the ones check does not use loaded on first use', () => {
  const req = createRequire(import.meta.url);
  const { builtin } = req(launcher) as { builtin: (id: string) => any };
  const { builtinModules } = req('node:module') as typeof import('node:module');
  // every module Node has, by both names: the module itself, or (LAZY_BUILTINS) a stand-in that is the module to every reader
  // (not the deprecated ones, which warn when loaded: `_stream_wrap`, sys, punycode, and wasi, experimental)
  for (const name of builtinModules.filter((n) => !n.startsWith('_') && !['sys', 'punycode', 'wasi'].includes(n))) {
    for (const id of [name, `node:${name}`]) {
      const real = req(`node:${name}`);
      const got = builtin(id);
      if (!LAZY_BUILTINS.includes(name)) {
        assert.equal(got, real, id);
        continue;
      }
      assert.equal(builtin(id), got, `${id}: one stand-in`);
      assert.deepEqual(Reflect.ownKeys(got), Reflect.ownKeys(real), id);
      for (const key of Reflect.ownKeys(real)) {
        assert.equal(got[key], real[key], `${id}.${String(key)}`);
        assert.deepEqual(Object.getOwnPropertyDescriptor(got, key), Object.getOwnPropertyDescriptor(real, key), `${id}.${String(key)} descriptor`);
        assert.ok(key in got);
      }
      assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(real));
    }
  }
  assert.deepEqual(builtinModules.filter((n) => LAZY_BUILTINS.includes(n)).sort(), [...LAZY_BUILTINS].sort());
  // as the bundle reads them: named imports, a namespace and a default (esbuild's __toESM enumerates)
  const { code } = transformSync("import { connect } from 'node:tls'; import * as tls from 'tls'; import https from 'node:https'; export const out = { connect, tls, https, named: () => connect };", { format: 'cjs', loader: 'js', platform: 'node' });
  const mod = { exports: {} as any };
  new Function('exports', 'require', 'module', code)(mod.exports, builtin, mod);
  const realTls = req('node:tls');
  assert.equal(mod.exports.out.named(), realTls.connect);
  assert.equal(mod.exports.out.tls.TLSSocket, realTls.TLSSocket);
  assert.equal(mod.exports.out.https.Agent, req('node:https').Agent);
  const agent = new (builtin('https').Agent)({ keepAlive: false });
  assert.ok(agent instanceof req('node:https').Agent);
  agent.destroy();
});

test('httpx makes its HTTPS agent on the first HTTPS request, not when it is loaded', async () => {
  const path = join(ROOT, 'node_modules', 'httpx', 'lib', 'index.js');
  const src = useLater(readFileSync(path, 'utf8'), 'httpx/lib/index.js', path);
  assert.doesNotMatch(src, /^const httpsAgent = new https\.Agent/m);
  const own = createRequire(path);
  const required: string[] = [];
  const mod = { exports: {} as any };
  const https = own('https');
  const made: unknown[] = [];
  const tracked = (id: string) => {
    required.push(id);
    // an https whose Agent records what is made
    return id === 'https' ? { ...https, Agent: class extends https.Agent { constructor(o: unknown) { super(o); made.push(this); } } } : own(id);
  };
  new Function('exports', 'require', 'module', '__filename', '__dirname', src)(mod.exports, tracked, mod, path, join(path, '..'));
  assert.equal(made.length, 0, 'no HTTPS agent at load');
  // a request to an https: URL makes it (and only one); the connection is refused, nothing is sent
  const req1 = mod.exports.request('https://127.0.0.1:9/', { timeout: 1000 });
  const req2 = mod.exports.request('https://127.0.0.1:9/', { timeout: 1000 });
  await Promise.allSettled([req1, req2]);
  assert.equal(made.length, 1, 'one keep-alive HTTPS agent, shared');
  (made[0] as { destroy(): void }).destroy();
  // an httpx that no longer makes its agent the way the adaptation expects fails the build, not the user
  assert.throws(() => useLater('const x = 1;', 'httpx/lib/index.js', 'test.js'), /httpx changed/);
});

test('the credentials\' external-process provider reads child_process when it runs its command, not when it is loaded', async () => {
  const key = '@alicloud/credentials/dist/src/providers/external.js';
  assert.ok(USE_LATER[key]);
  const path = join(ROOT, 'node_modules', key);
  const src = useLater(readFileSync(path, 'utf8'), key, path);
  const own = createRequire(path);
  const read: string[] = [];
  const childProcess = own('child_process');
  // a child_process that records what is read from it
  const recording = new Proxy(childProcess, { get: (t, k) => (read.push(String(k)), Reflect.get(t, k)) });
  const mod = { exports: {} as any };
  new Function('exports', 'require', 'module', '__filename', '__dirname', src)(mod.exports, (id: string) => (id === 'child_process' ? recording : own(id)), mod, path, join(path, '..'));
  assert.equal(read.length, 0, `nothing read from child_process at load: ${read.join(', ')}`);
  // its command runs (promisified execFile: stdout) and its answer is the credential
  const answer = JSON.stringify({ access_key_id: 'AKID-external', access_key_secret: 'external-secret' });
  const provider = mod.exports.default.builder().withProcessCommand(`${process.execPath} -e 'process.stdout.write(process.argv[1])' '${answer}'`).build();
  const cred = await provider.getCredentials();
  assert.equal(cred.accessKeyId, 'AKID-external');
  assert.equal(cred.accessKeySecret, 'external-secret');
  assert.ok(read.includes('execFile'));
});
