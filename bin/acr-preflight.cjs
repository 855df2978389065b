#!/usr/bin/env node
// `acr-preflight` as npm installs it: runs the bundled CLI (dist/cli.cjs, every dependency inside,
// built by `npm pack` / scripts/bundle.ts) with the V8 code cache made when the package was built
// (dist/cli.cache). Node 20 has no compile cache of its own; without one V8 reads and compiles the
// bundle on every start. A cache made by another Node version is rejected by V8 and the bundle is
// compiled as usual: slower to start, same behaviour. (In the repository, bin/acr-preflight.js
// runs the tsc build instead.)
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = join(__dirname, '..', 'dist', 'cli.cache');
// set by scripts/bundle.ts only: run once and write the cache of everything that run compiled
const cacheOut = process.env.ACR_PREFLIGHT_WRITE_CODE_CACHE;

let cachedData;
if (!cacheOut) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
// The bundle is ASCII only (esbuild escapes the rest; scripts/bundle.ts checks): read as latin1,
// which skips UTF-8 decoding of megabytes. Not `(function …)`: V8 compiles a parenthesized function
// at once, this one lazily like a module.
const script = new vm.Script(`var __acrPreflightMain = function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n}; __acrPreflightMain`, {
  filename: file,
  cachedData,
});
if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
const mod = { exports: {} };
script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
