// `npm run build:bundle` (and `npm pack`'s prepack): the CLI with all its dependencies, bundled by
// esbuild from src/cli/bin.ts, in two shapes:
// - the npm package's (bundleSplit): dist/cli.cjs, the entry, and dist/chunks/*.cjs, split where the
//   code loads lazily (each command, each SDK, ink, ssh2, undici, the emulator, the SDK runtime's
//   optional packages: LAZY_REQUIRES), each written as a function (CHUNK_HEAD), and dist/cli.cache,
//   the V8 code caches of the chunks a training `check` run loaded. bin/acr-preflight.cjs runs them; a command
//   reads and compiles only the chunks it needs (`check` never reads ink, ssh2, undici or the emulator).
// - the single executable's main script (bundle, used by scripts/build-sea.ts): one CommonJS file,
//   lazy `import()`s kept lazy as deferred module initialisations.
// In both, `--help` loads no SDK, ink or ssh2.
//
// Three things in the dependencies do not fit CommonJS, and are adapted here (and two load what they
// may never use when they are loaded, see LAZY_REQUIRES and USE_LATER):
// - yoga-layout (ink's layout engine) starts its WebAssembly with a top-level `await`. It is
//   replaced by a module whose default export is filled by a hook (Symbol.for('acr-preflight.loadYoga'))
//   that src/tui/run.tsx awaits before the first render.
// - ink's reconciler has two top-level `await`s, both only when DEV=true (React devtools); they go.
// - native addons (ssh2's optional crypto binding, cpu-features) are not bundled: ssh2 falls back to
//   Node's crypto, as it does when npm did not build them (install scripts are blocked by default).
//   Optional packages that dependencies try to `require` inside try/catch and that are not installed
//   (ws: bufferutil, utf-8-validate; debug: supports-color) become the same throwing module.
// The output may `require` Node's built-in modules only (and, split, its own chunks: the single
// executable and the launcher load nothing else); the build fails when it would need anything more.
import { build, transform, type BuildOptions, type Plugin } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';

export const ROOT = join(import.meta.dirname, '..');
export const DIST = join(ROOT, 'dist');
export const LAUNCHER = join(ROOT, 'bin', 'acr-preflight.cjs');

const YOGA_HOOK = "Symbol.for('acr-preflight.loadYoga')";

/**
 * The SDK runtime loads, with itself, what only some APIs use: @darabonba/typescript (under
 * @alicloud/openapi-core) WebSockets and their proxy agents (ws, socks: streaming APIs), XML (xml2js:
 * XML responses), dates (moment) and deep merge (lodash); its HTTP client httpx, zlib (compressed
 * responses). None is on the path of an RPC call with a JSON body, and evaluating them costs more
 * than the rest of the runtime. In the bundle each of these `require`s, in the file (under
 * node_modules) that makes it, returns a stand-in that requires the module on the first property
 * read: the same module, later. Every use in those files is a property read inside a function
 * (`new ws_1.default(…)`, `xml2js_1.Parser`, `(0, moment_1.default)(…)`, `_.merge(…)`,
 * `zlib.createGunzip()`); the build fails if a listed require is not found. In the split build the
 * packages (not the built-in zlib) are also chunks of their own (lazyChunkName), which the stand-in
 * requires: `check` does not even read them (they are most of the runtime's code).
 */
export const LAZY_REQUIRES: Record<string, string[]> = {
  '@darabonba/typescript/dist/websocket.js': ['ws', 'https-proxy-agent', 'http-proxy-agent', 'socks-proxy-agent'],
  '@darabonba/typescript/dist/xml.js': ['xml2js'],
  '@darabonba/typescript/dist/date.js': ['moment'],
  '@darabonba/typescript/dist/func.js': ['lodash'],
  'httpx/lib/index.js': ['zlib'],
};

/**
 * Packages our own code loads on first use, through one module each (the module, for the tsc build,
 * `createRequire`s the package; the bundle makes it a `require` of the package's chunk). yaml: a
 * `check` whose config is plain YAML never needs it (src/config/plain-yaml.ts).
 */
export const OWN_LAZY: Record<string, string> = { yaml: 'src/util/yaml-lib.ts' };

/** The packages in LAZY_REQUIRES and OWN_LAZY that are not built into Node: in the split build, chunks of their own. */
export const LAZY_PACKAGES = [...new Set([...Object.values(LAZY_REQUIRES).flat(), ...Object.keys(OWN_LAZY)])].filter((pkg) => !isBuiltin(pkg));

/** The split build's chunk of a package in LAZY_PACKAGES (dist/chunks/<name>.cjs). */
export function lazyChunkName(pkg: string): string {
  return `lazy-${pkg.replace(/[^\w.-]/g, '-')}`;
}

/**
 * `src` with the `require`s of `packages` made lazy (see LAZY_REQUIRES); `split`: each package that
 * is not built in is required from its own chunk (`require("acrp-lazy:ws").default`, which the split
 * build's plugin resolves to that chunk), not bundled with `src`.
 */
export function lazyRequires(src: string, packages: string[], where: string, split = false): string {
  let out = src;
  for (const pkg of packages) {
    // `var ws_1 = __importDefault(require("ws"));`, `var _ = __importStar(require("lodash"));`, `const zlib = require('zlib');`
    const re = new RegExp(`^(var|const) (\\w+) = ((?:__importDefault|__importStar)\\()?require\\((["'])${pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\4\\)(\\))?;$`, 'm');
    const m = re.exec(out);
    if (!m || Boolean(m[3]) !== Boolean(m[5])) throw new Error(`scripts/bundle.ts: no \`var … = require("${pkg}")\` in ${where}; update LAZY_REQUIRES`);
    const load = split && !isBuiltin(pkg) ? `require("${LAZY_PREFIX}${pkg}").default` : `require("${pkg}")`;
    out = out.replace(re, `${m[1]} ${m[2]} = __acrpLazy(function () { return ${m[3] ?? ''}${load}${m[5] ?? ''}; });`);
  }
  return `${out}
function __acrpLazy(load) {
  var mod;
  return new Proxy({}, {
    get: function (_t, key) { return (mod || (mod = load()))[key]; },
    has: function (_t, key) { return key in (mod || (mod = load())); },
  });
}
`;
}

const LAZY_PREFIX = 'acrp-lazy:';

/**
 * What two dependencies make when they are loaded and may never use, made on first use instead
 * (same things, later), so that the Node modules behind them load only then (bin/acr-preflight.cjs
 * gives `check` those modules on first use):
 * - httpx makes its keep-alive agents; the HTTPS one needs node:https and so node:tls, which an
 *   `http:` endpoint (the emulator's) never uses. Its one HTTPS agent is made by the first HTTPS request.
 * - the credentials' external-process provider promisifies child_process.execFile, which only that
 *   provider (a `process_command` profile) runs. It is promisified on each run.
 * The build fails if an edit does not find its text.
 */
export const USE_LATER: Record<string, [string, string][]> = {
  'httpx/lib/index.js': [
    ['const httpsAgent = new https.Agent({ keepAlive: true });', 'let httpsAgent;'],
    ['const defaultAgent = isHttps ? httpsAgent : httpAgent;', 'const defaultAgent = isHttps ? (httpsAgent || (httpsAgent = new https.Agent({ keepAlive: true }))) : httpAgent;'],
  ],
  '@alicloud/credentials/dist/src/providers/external.js': [
    ['const execFileAsync = (0, util_1.promisify)(child_process_1.execFile);', 'const execFileAsync = (...args) => (0, util_1.promisify)(child_process_1.execFile)(...args);'],
  ],
};

export function useLater(src: string, key: string, where: string): string {
  let out = src;
  for (const [from, to] of USE_LATER[key] ?? []) {
    if (out.split(from).length !== 2) throw new Error(`scripts/bundle.ts: ${key.split('/')[0]} changed (no single "${from}" in ${where}); update USE_LATER`);
    out = out.replace(from, to);
  }
  return out;
}

/** The dependencies adapted to CommonJS (above); `split`: for bundleSplit (LAZY_REQUIRES packages as chunks of their own). */
export function adapt(split: boolean): Plugin {
  return {
    name: 'acr-preflight-adapt',
    setup(b) {
      if (split) {
        // the stand-in's require: the package's chunk, a sibling in dist/chunks/
        b.onResolve({ filter: new RegExp(`^${LAZY_PREFIX}`) }, (args) =>
          args.kind === 'entry-point'
            ? { path: args.path, namespace: 'acrp-lazy' }
            : { path: `./${lazyChunkName(args.path.slice(LAZY_PREFIX.length))}.cjs`, external: true },
        );
        // the chunk: the package (resolved from the file that requires it), as its exports' `default`
        b.onLoad({ filter: /.*/, namespace: 'acrp-lazy' }, (args) => {
          const pkg = args.path.slice(LAZY_PREFIX.length);
          const by = Object.keys(LAZY_REQUIRES).find((f) => LAZY_REQUIRES[f]!.includes(pkg));
          return { loader: 'js', resolveDir: by ? dirname(join(ROOT, 'node_modules', by)) : ROOT, contents: `module.exports = require(${JSON.stringify(pkg)});` };
        });
      }
      // our modules that load a package on first use (OWN_LAZY): a require of its chunk (split), or
      // of the package bundled in (the single file: esbuild runs a CommonJS package on first require)
      for (const [pkg, file] of Object.entries(OWN_LAZY)) {
        b.onLoad({ filter: new RegExp(`${file.split('/').map((p) => p.replace(/[.]/g, '\\.')).join('[\\\\/]')}$`) }, () => ({
          loader: 'js',
          resolveDir: ROOT,
          contents: `let lib;\nexport function ${pkg}() { return lib || (lib = ${split ? `require(${JSON.stringify(LAZY_PREFIX + pkg)}).default` : `require(${JSON.stringify(pkg)})`}); }\n`,
        }));
      }
      b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'acrp-yoga' }));
      b.onLoad({ filter: /.*/, namespace: 'acrp-yoga' }, () => ({
        resolveDir: ROOT,
        loader: 'js',
        contents: `
import { loadYoga } from 'yoga-layout/load';
export * from 'yoga-layout/load';
const Yoga = {};
export default Yoga;
globalThis[${YOGA_HOOK}] = async () => { if (!Yoga.Node) Object.assign(Yoga, await loadYoga()); };
`,
      }));
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
        let src = readFileSync(args.path, 'utf8');
        const edits: [string, string][] = [
          ["await import('./devtools.js');", "throw Object.assign(new Error('React devtools are not part of this build'), { code: 'ERR_MODULE_NOT_FOUND' });"],
          ['? await loadPackageJson()', "? { name: 'ink', version: undefined }"],
        ];
        for (const [from, to] of edits) {
          if (!src.includes(from)) throw new Error(`scripts/bundle.ts: ink changed (no "${from}" in ${args.path}); update the adaptation`);
          src = src.replace(from, to);
        }
        return { contents: src, loader: 'js' };
      });
      // the SDK runtime's optional parts, loaded on first use instead of with the runtime (see LAZY_REQUIRES)
      // (and what httpx and the credentials make on first use, see USE_LATER)
      b.onLoad({ filter: /[\\/]node_modules[\\/](@darabonba[\\/]typescript[\\/]dist|httpx[\\/]lib|@alicloud[\\/]credentials[\\/]dist[\\/]src[\\/]providers)[\\/]\w+\.js$/ }, (args) => {
        const key = args.path.split(/[\\/]node_modules[\\/]/).pop()!.split('\\').join('/');
        const packages = LAZY_REQUIRES[key];
        if (!packages && !USE_LATER[key]) return undefined;
        const src = useLater(readFileSync(args.path, 'utf8'), key, args.path);
        return { contents: packages ? lazyRequires(src, packages, args.path, split) : src, loader: 'js' };
      });
      b.onResolve({ filter: /\.node$|^(cpu-features|bufferutil|utf-8-validate|supports-color)$/ }, (args) => ({ path: args.path, namespace: 'acrp-native' }));
      b.onLoad({ filter: /.*/, namespace: 'acrp-native' }, (args) => ({
        loader: 'js',
        contents: `throw new Error(${JSON.stringify(`${args.path} is not part of this build`)});`,
      }));
    },
  };
}

const BANNER = "// acr-preflight (acr-vpc-preflight), bundled with its dependencies; see the package's README.";
/**
 * How the split build writes each chunk (and dist/cli.cjs): its CommonJS code inside a function
 * expression, the file a script whose value is that function, which bin/acr-preflight.cjs compiles
 * as it is read (no wrapping at run time: no second copy of the code to build and flatten). Not
 * `(function …)`: V8 compiles a parenthesized function at once, this one lazily like a module. The
 * head has no line break, so positions in stack traces are the code's own.
 */
export const CHUNK_HEAD = 'var __acrPreflightChunk = function (exports, require, module, __filename, __dirname) {';
export const CHUNK_TAIL = '\n}; __acrPreflightChunk\n';
const URL_VAR = "var __acrpUrl = typeof __filename === 'string' ? require('node:url').pathToFileURL(__filename).href : 'file:///';";

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // smaller is faster to start: V8 reads the whole file before running any of it
  minify: process.env.ACRP_BUNDLE_READABLE !== '1',
  legalComments: 'none',
  charset: 'ascii',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: ROOT,
  // `import.meta.url` in ESM sources (the package root lookup) is this file's URL
  // React's development builds are never used by a terminal UI in production
  define: { 'import.meta.url': '__acrpUrl', 'import.meta.dirname': '__dirname', 'process.env.NODE_ENV': '"production"' },
  banner: { js: `${BANNER}\n${URL_VAR}` },
};

/** The package of a bundled file (zod by its layer: zod/v4/core, zod/v4/mini, zod/v4/classic, …), or its source folder. */
function packageOf(input: string): string {
  const zod = /node_modules\/zod\/(v4\/\w+)\//.exec(input);
  if (zod) return `zod/${zod[1]}`;
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
}

function assertAscii(file: string, text: string): void {
  // bin/acr-preflight.cjs reads the code as latin1 (ACRP_BUNDLE_READABLE=1, for reading the output
  // only, keeps comments as they are)
  if (COMMON.minify && /[^\x00-\x7f]/.test(text)) throw new Error(`bundle: ${file} is not ASCII (esbuild charset)`);
}

/** The single executable's main script: the whole CLI in one CommonJS file (lazy `import()`s become deferred module initialisations). */
export async function bundle(outfile: string): Promise<{ bytes: number; inputs: number; byPackage: Record<string, number> }> {
  const r = await build({ ...COMMON, plugins: [adapt(false)], entryPoints: [join(ROOT, 'src', 'cli', 'bin.ts')], outfile, format: 'cjs' });
  assertAscii(outfile, readFileSync(outfile, 'latin1'));
  const out = r.metafile!.outputs[Object.keys(r.metafile!.outputs)[0]!]!;
  const outside = out.imports.filter((i) => i.external && !isBuiltin(i.path) && !i.path.startsWith('node:')).map((i) => i.path);
  if (outside.length) throw new Error(`bundle: the output would require ${[...new Set(outside)].join(', ')} at run time; bundle them or stub them in scripts/bundle.ts`);
  // the single executable runs its main script as one CommonJS file, which has no dynamic import():
  // every import() must have been bundled into a deferred module initialisation
  const dynamic = out.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path);
  if (dynamic.length) throw new Error(`bundle: the output keeps a dynamic import() of ${[...new Set(dynamic)].join(', ')}, which a CommonJS bundle cannot run; import it statically`);
  const byPackage: Record<string, number> = {};
  for (const [file, info] of Object.entries(out.inputs)) byPackage[packageOf(file)] = (byPackage[packageOf(file)] ?? 0) + info.bytesInOutput;
  return { bytes: statSync(outfile).size, inputs: Object.keys(r.metafile!.inputs).length, byPackage };
}

/** What the split build wrote: every file (relative to dist/) with its size and the packages or source folders inside. */
export interface ChunkManifest {
  files: Record<string, { bytes: number; packages: string[] }>;
}

// A dynamic import() of a CommonJS module (an SDK, ssh2, undici) becomes a chunk whose only export is
// `default` (the module's exports). Node gives such an import() the module's exports as `default`
// AND each of its properties as a named export (`const { $OpenApiUtil } = await import(...)`), as the
// one-file bundle does; this tail makes the chunk's exports that namespace.
const CJS_NAMESPACE = `
;(function (m) {
  var d = m.exports.default, ns = {};
  if (d && (typeof d === 'object' || typeof d === 'function')) {
    Object.getOwnPropertyNames(d).forEach(function (k) {
      if (k !== 'default' && k !== '__esModule') Object.defineProperty(ns, k, { get: function () { return d[k]; }, enumerable: true });
    });
  }
  Object.defineProperty(ns, '__esModule', { value: true });
  Object.defineProperty(ns, 'default', { value: d, enumerable: true });
  m.exports = ns;
})(module);
`;

/**
 * The npm package's code: dist/cli.cjs (the entry: argument parsing, help, the command table) and
 * dist/chunks/*.cjs, split where the code loads lazily (each command, each SDK, ink, ssh2, undici,
 * the emulator), so that a command reads and compiles only the chunks it runs. esbuild splits ESM
 * only: each output is then turned into CommonJS (its imports become `require('./chunk.cjs')`, its
 * import()s `Promise.resolve().then(() => require(...))`) and wrapped in a function (CHUNK_HEAD),
 * which bin/acr-preflight.cjs runs with a code cache per chunk.
 */
export async function bundleSplit(outdir = DIST): Promise<ChunkManifest> {
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  rmSync(join(outdir, 'cli.cjs'), { force: true });
  rmSync(join(outdir, 'cli.cache'), { force: true });
  const r = await build({
    ...COMMON,
    // `__acrpUrl` only in the chunks that use it (below): computing it costs a little in every chunk
    banner: { js: BANNER },
    plugins: [adapt(true)],
    entryPoints: {
      cli: join(ROOT, 'src', 'cli', 'bin.ts'),
      ...Object.fromEntries(LAZY_PACKAGES.map((pkg) => [`chunks/${lazyChunkName(pkg)}`, `${LAZY_PREFIX}${pkg}`])),
    },
    outdir,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    write: false,
  });
  const meta = r.metafile!;
  const manifest: ChunkManifest = { files: {} };
  for (const f of r.outputFiles!) {
    const rel = relative(ROOT, f.path).split('\\').join('/');
    const info = meta.outputs[rel];
    if (!info) throw new Error(`bundle: no metafile entry for ${rel}`);
    const lazyChunks = LAZY_PACKAGES.map((pkg) => `./${lazyChunkName(pkg)}.cjs`);
    const outside = info.imports.filter((i) => i.external && !isBuiltin(i.path) && !i.path.startsWith('node:') && !lazyChunks.includes(i.path)).map((i) => i.path);
    if (outside.length) throw new Error(`bundle: ${rel} would require ${[...new Set(outside)].join(', ')} at run time; bundle them or stub them in scripts/bundle.ts`);
    // CommonJS, with import() as require(): the launcher's require loads sibling chunks
    const t = await transform(f.text, { format: 'cjs', loader: 'js', supported: { 'dynamic-import': false }, minify: COMMON.minify!, charset: 'ascii', target: 'node20', logLevel: 'error' });
    const entry = info.entryPoint ? meta.inputs[info.entryPoint] : undefined;
    const cjsEntry = entry?.format === 'cjs' && info.exports.length === 1 && info.exports[0] === 'default';
    const code = `${/\b__acrpUrl\b/.test(t.code) ? `${URL_VAR}\n` : ''}${t.code}${cjsEntry ? CJS_NAMESPACE : ''}`;
    // what the launcher can run: Node's built-in modules and sibling chunks, nothing else
    for (const m of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      const id = m[1]!;
      if (!isBuiltin(id) && !id.startsWith('node:') && !/^\.\.?\/(chunks\/)?[\w.-]+\.cjs$/.test(id)) throw new Error(`bundle: ${rel} requires "${id}", which the launcher cannot load`);
    }
    assertAscii(rel, code);
    mkdirSync(dirname(f.path), { recursive: true });
    const wrapped = `${CHUNK_HEAD}${code}${CHUNK_TAIL}`;
    writeFileSync(f.path, wrapped);
    const packages = [...new Set(Object.keys(info.inputs).filter((i) => !i.startsWith(LAZY_PREFIX)).map(packageOf))].sort();
    manifest.files[relative(outdir, f.path).split('\\').join('/')] = { bytes: Buffer.byteLength(wrapped), packages };
  }
  if (!manifest.files['cli.cjs']) throw new Error('bundle: no dist/cli.cjs');
  // not shipped (package.json `files`): for the tests and the benchmark, what is in which chunk
  writeFileSync(join(outdir, 'chunks', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The code caches: one `check --no-probes` of the demo world against the emulator (in this process),
 * through the launcher, which writes into dist/cli.cache, for every chunk it loaded, the cache of
 * every function the run compiled. `launcher` runs the build in `../dist` beside it. Returns the
 * file's size.
 */
export async function trainCodeCache(launcher = LAUNCHER): Promise<number> {
  const { startEmulator } = await import('../src/emulator/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'acrp-cache-'));
  const world = parse(readFileSync(join(ROOT, 'fixtures', 'worlds', 'demo.yaml'), 'utf8'));
  const em = await startEmulator({ world, port: 0, gitlabPort: 0 });
  try {
    const cfg = parse(readFileSync(join(ROOT, 'fixtures', 'configs', 'demo.yaml'), 'utf8'));
    cfg.cloud = { endpoint: em.cloudUrl };
    delete cfg.gitlab.caFile;
    writeFileSync(join(dir, 'preflight.yaml'), stringify(cfg));
    const key = (Array.isArray(world.credentials) ? world.credentials : [world.credentials]).find((c: any) => !c.securityToken);
    const env = {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ACR_PREFLIGHT_LOOPBACK_ONLY: '1',
      ACR_PREFLIGHT_WRITE_CODE_CACHE: '1',
    };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [launcher, 'check', '--no-probes', '--config', 'preflight.yaml'], { cwd: dir, env, stdio: 'ignore' });
      const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    // the demo world passes; anything else means the bundle is broken
    if (code !== 0) throw new Error(`bundle: the training run (check --no-probes on the demo world) exited ${code}`);
    return statSync(join(dirname(launcher), '..', 'dist', 'cli.cache')).size;
  } finally {
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const t0 = performance.now();
  const { files } = await bundleSplit();
  const cache = await trainCodeCache();
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  const bytes = Object.values(files).reduce((n, f) => n + f.bytes, 0);
  process.stderr.write(`bundle: dist/cli.cjs and ${Object.keys(files).length - 1} chunks, ${mb(bytes)} MB; code caches ${mb(cache)} MB (${Math.round(performance.now() - t0)} ms)\n`);
}
