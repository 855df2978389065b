// `npm run build:sea`: acr-preflight as one executable file for the platform it is built on
// (linux-x64 here): Node's single executable application. The bundle (scripts/bundle.ts) is the
// main script; the files the tool reads at run time (the package's `files` that are not code: rule
// docs, the zone table, the demo's worlds and configs, package.json) are embedded as assets under
// their repository paths (src/paths.ts reads them). Output: dist/sea/acr-preflight (and the
// bundle it was made from, dist/sea/main.cjs).
//
//   node --experimental-sea-config dist/sea/sea-config.json   → the preparation blob
//   copy of this `node` + postject (NODE_SEA_BLOB, the SEA fuse)  → the executable
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { bundle, ROOT } from './bundle.js';

export const SEA_DIR = join(ROOT, 'dist', 'sea');
export const SEA_BIN = join(SEA_DIR, process.platform === 'win32' ? 'acr-preflight.exe' : 'acr-preflight');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** package.json `files` entries that are data ('dir/', 'dir/*.ext'), expanded to repository paths. */
export function dataFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const out = ['package.json'];
  for (const entry of pkg.files) {
    if (/^(bin|dist)\//.test(entry)) continue; // code: the bundle is the main script
    const star = /^(.*)\/\*(\.[\w.]+)$/.exec(entry);
    const found: string[] = [];
    if (star) {
      for (const name of readdirSync(join(ROOT, star[1]!)).sort()) if (name.endsWith(star[2]!) && statSync(join(ROOT, star[1]!, name)).isFile()) found.push(join(ROOT, star[1]!, name));
    } else if (existsSync(join(ROOT, entry)) && statSync(join(ROOT, entry)).isDirectory()) walk(join(ROOT, entry), found);
    else found.push(join(ROOT, entry));
    if (!found.length) throw new Error(`build-sea: package.json files entry "${entry}" matches nothing`);
    out.push(...found.map((f) => relative(ROOT, f).split('\\').join('/')));
  }
  return out;
}

export async function buildSea(): Promise<{ bytes: number; assets: number }> {
  if (Number(process.versions.node.split('.')[0]) < 20) throw new Error('build-sea: needs Node 20 or later');
  rmSync(SEA_DIR, { recursive: true, force: true });
  mkdirSync(SEA_DIR, { recursive: true });
  // its own copy of the bundle: `npm pack` may be writing dist/cli.cjs meanwhile
  const main = join(SEA_DIR, 'main.cjs');
  await bundle(main);
  const assets = Object.fromEntries(dataFiles().map((rel) => [rel, join(ROOT, rel)]));
  const blob = join(SEA_DIR, 'sea-prep.blob');
  const config = { main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets };
  const configFile = join(SEA_DIR, 'sea-config.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  execFileSync(process.execPath, ['--experimental-sea-config', configFile], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  copyFileSync(process.execPath, SEA_BIN);
  chmodSync(SEA_BIN, 0o755);
  const { inject } = createRequire(import.meta.url)('postject') as { inject: (file: string, name: string, data: Buffer, opts: { sentinelFuse: string; machoSegmentName?: string }) => Promise<void> };
  // postject prints a harmless warning about ELF note sections on Linux; keep the build output clean
  const warn = console.warn;
  console.warn = () => {};
  try {
    await inject(SEA_BIN, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE, ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}) });
  } finally {
    console.warn = warn;
  }
  rmSync(blob);
  return { bytes: statSync(SEA_BIN).size, assets: Object.keys(assets).length };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const t0 = performance.now();
  const { bytes, assets } = await buildSea();
  process.stderr.write(`build-sea: ${relative(process.cwd(), SEA_BIN)} (${(bytes / 2 ** 20).toFixed(0)} MB, ${assets} embedded files, ${Math.round(performance.now() - t0)} ms)\n`);
}
