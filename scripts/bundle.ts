// `npm run build:bundle`: the whole CLI as one CommonJS file, dist/cli.cjs — what the npm package's
// `acr-preflight` (bin/acr-preflight.cjs) runs and the single executable's main script
// (scripts/build-sea.ts) — and dist/cli.cache, the V8 code cache of a `check` run (the launcher
// reads it: a faster start).
// esbuild starts at src/cli/bin.ts and follows the imports (lazy `import()`s stay lazy: each module
// is evaluated only when first imported, so `--help` still loads no SDK, ink or ssh2).
//
// Three things in the dependencies do not fit one CommonJS file, and are adapted here:
// - yoga-layout (ink's layout engine) starts its WebAssembly with a top-level `await`. It is
//   replaced by a module whose default export is filled by a hook (Symbol.for('acr-preflight.loadYoga'))
//   that src/tui/run.tsx awaits before the first render.
// - ink's reconciler has two top-level `await`s, both only when DEV=true (React devtools); they go.
// - native addons (ssh2's optional crypto binding, cpu-features) are not bundled: ssh2 falls back to
//   Node's crypto, as it does when npm did not build them (install scripts are blocked by default).
//   Optional packages that dependencies try to `require` inside try/catch and that are not installed
//   (ws: bufferutil, utf-8-validate; debug: supports-color) become the same throwing module.
// The output may `require` Node's built-in modules only (the single executable can load nothing
// else); the build fails when it would need anything more.
import { build, type Plugin } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const ROOT = join(import.meta.dirname, '..');
export const BUNDLE = join(ROOT, 'dist', 'cli.cjs');
export const CODE_CACHE = join(ROOT, 'dist', 'cli.cache');
export const LAUNCHER = join(ROOT, 'bin', 'acr-preflight.cjs');

const YOGA_HOOK = "Symbol.for('acr-preflight.loadYoga')";

const adapt: Plugin = {
  name: 'acr-preflight-adapt',
  setup(b) {
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
    b.onResolve({ filter: /\.node$|^(cpu-features|bufferutil|utf-8-validate|supports-color)$/ }, (args) => ({ path: args.path, namespace: 'acrp-native' }));
    b.onLoad({ filter: /.*/, namespace: 'acrp-native' }, (args) => ({
      loader: 'js',
      contents: `throw new Error(${JSON.stringify(`${args.path} is not part of this build`)});`,
    }));
  },
};

export async function bundle(outfile = BUNDLE): Promise<{ bytes: number; inputs: number; byPackage: Record<string, number> }> {
  const r = await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'bin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    jsx: 'automatic',
    // smaller is faster to start: V8 reads and pre-parses the whole file before running any of it
    minify: process.env.ACRP_BUNDLE_READABLE !== '1',
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'warning',
    metafile: true,
    plugins: [adapt],
    // `import.meta.url` in ESM sources (the package root lookup) is this file's URL
    // React's development builds are never used by a terminal UI in production
    define: { 'import.meta.url': '__acrpUrl', 'import.meta.dirname': '__dirname', 'process.env.NODE_ENV': '"production"' },
    banner: {
      js: [
        '// acr-preflight (acr-vpc-preflight), bundled with its dependencies; see the package\'s README.',
        "var __acrpUrl = typeof __filename === 'string' ? require('node:url').pathToFileURL(__filename).href : 'file:///';",
      ].join('\n'),
    },
  });
  // bin/acr-preflight.cjs reads it as latin1
  if (/[^\x00-\x7f]/.test(readFileSync(outfile, 'latin1'))) throw new Error('bundle: the output is not ASCII (esbuild charset)');
  const out = r.metafile!.outputs[Object.keys(r.metafile!.outputs)[0]!]!;
  const outside = out.imports.filter((i) => i.external && !isBuiltin(i.path) && !i.path.startsWith('node:')).map((i) => i.path);
  if (outside.length) throw new Error(`bundle: the output would require ${[...new Set(outside)].join(', ')} at run time; bundle them or stub them in scripts/bundle.ts`);
  // the launcher runs the bundle as a vm script (with its code cache), which has no dynamic import():
  // every import() must have been bundled into a deferred module initialisation
  const dynamic = out.imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path);
  if (dynamic.length) throw new Error(`bundle: the output keeps a dynamic import() of ${[...new Set(dynamic)].join(', ')}, which the launcher cannot run; import it statically`);
  const byPackage: Record<string, number> = {};
  for (const [file, info] of Object.entries(out.inputs)) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
    byPackage[key] = (byPackage[key] ?? 0) + info.bytesInOutput;
  }
  return { bytes: statSync(outfile).size, inputs: Object.keys(r.metafile!.inputs).length, byPackage };
}

/**
 * The code cache: one `check --no-probes` of the demo world against the emulator (in this process),
 * through the launcher, which writes the cache of every function the run compiled.
 */
export async function trainCodeCache(): Promise<number> {
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
      ACR_PREFLIGHT_WRITE_CODE_CACHE: CODE_CACHE,
    };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [LAUNCHER, 'check', '--no-probes', '--config', 'preflight.yaml'], { cwd: dir, env, stdio: 'ignore' });
      const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    // the demo world passes; anything else means the bundle is broken
    if (code !== 0) throw new Error(`bundle: the training run (check --no-probes on the demo world) exited ${code}`);
    return statSync(CODE_CACHE).size;
  } finally {
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const t0 = performance.now();
  const { bytes, inputs } = await bundle();
  const cache = await trainCodeCache();
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  process.stderr.write(`bundle: dist/cli.cjs ${mb(bytes)} MB from ${inputs} files, dist/cli.cache ${mb(cache)} MB (${Math.round(performance.now() - t0)} ms)\n`);
}
