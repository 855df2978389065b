#!/usr/bin/env node
// `acr-preflight` as npm installs it: runs the bundled CLI (built by `npm pack` / scripts/bundle.ts):
// dist/cli.cjs, the entry, and dist/chunks/*.cjs, the rest of the code (every dependency inside)
// split so that each command reads and compiles only what it runs — `check` never reads ink, ssh2,
// undici or the emulator. A chunk is loaded the first time the code requires it ('./chunks/x.cjs'),
// with its V8 code cache (x.cache beside it, made by a training `check` when the package was built):
// Node 20 has no compile cache of its own; without one V8 parses and compiles every chunk on every
// start. A cache made by another Node version is rejected by V8 and the chunk is compiled as
// usual: slower to start, same behaviour. (In the repository, bin/acr-preflight.js runs the tsc
// build instead.)
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const nodeRequire = createRequire(join(dist, 'cli.cjs'));
// set by scripts/bundle.ts only: run once and write the cache of everything that run compiled
const writeCaches = process.env.ACR_PREFLIGHT_WRITE_CODE_CACHE === '1';
/** file → module, in load order */
const loaded = new Map();

function cacheOf(file) {
  return file.replace(/\.cjs$/, '.cache');
}

function load(file) {
  const known = loaded.get(file);
  if (known) return known.module.exports;
  let cachedData;
  if (!writeCaches) {
    try {
      cachedData = readFileSync(cacheOf(file));
    } catch {
      cachedData = undefined;
    }
  }
  // The chunks are ASCII only (esbuild escapes the rest; scripts/bundle.ts checks): read as latin1,
  // which skips UTF-8 decoding. Not `(function …)`: V8 compiles a parenthesized function at once,
  // this one lazily like a module.
  const script = new vm.Script(`var __acrPreflightChunk = function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n}; __acrPreflightChunk`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  loaded.set(file, { module, script });
  const dir = dirname(file);
  // the bundle requires its own chunks by relative path and Node's built-in modules by name, nothing else
  const require = (id) => (id.startsWith('./') || id.startsWith('../') ? load(join(dir, id)) : nodeRequire(id));
  script.runInThisContext()(module.exports, require, module, file, dir);
  return module.exports;
}

if (writeCaches) {
  process.once('exit', () => {
    for (const [file, { script }] of loaded) writeFileSync(cacheOf(file), script.createCachedData());
  });
}
load(join(dist, 'cli.cjs'));
