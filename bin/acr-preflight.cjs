#!/usr/bin/env node
// `acr-preflight` as npm installs it: runs the bundled CLI (built by `npm pack` / scripts/bundle.ts):
// dist/cli.cjs, the entry, and dist/chunks/*.cjs, the rest of the code (every dependency inside)
// split so that each command reads and compiles only what it runs — `check` never reads ink, ssh2,
// undici or the emulator. A chunk is loaded the first time the code requires it ('./chunks/x.cjs'),
// with its V8 code cache: dist/cli.cache holds the caches of the chunks a training `check` loaded
// when the package was built, in one file (one read instead of one per chunk). Node 20 has no
// compile cache of its own; without one V8 parses and compiles every chunk on every start. A cache
// made by another Node version is rejected by V8 and the chunk is compiled as usual: slower to
// start, same behaviour. (In the repository, bin/acr-preflight.js runs the tsc build instead.)
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const cacheFile = join(dist, 'cli.cache');
const nodeRequire = createRequire(join(dist, 'cli.cjs'));
// set by scripts/bundle.ts only: run once and write the caches of everything that run compiled
const writeCaches = process.env.ACR_PREFLIGHT_WRITE_CODE_CACHE === '1';
/** file → module, in load order */
const loaded = new Map();

// dist/cli.cache: a 4-byte length, that many bytes of JSON { "chunks/x.cjs": [offset, length], … }
// (offsets after the index), then the caches one after the other, each at a multiple of 8 bytes
// (V8 copies a cache that is not aligned)
let caches;
let index = {};
if (!writeCaches) {
  try {
    caches = readFileSync(cacheFile);
    const n = caches.readUInt32LE(0);
    index = JSON.parse(caches.toString('latin1', 4, 4 + n));
    caches = caches.subarray(4 + n);
  } catch {
    caches = undefined;
    index = {};
  }
}

function relativeName(file) {
  return file.slice(dist.length + 1).split('\\').join('/');
}

function load(file) {
  const known = loaded.get(file);
  if (known) return known.module.exports;
  const at = caches && index[relativeName(file)];
  const cachedData = at ? caches.subarray(at[0], at[0] + at[1]) : undefined;
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
    const parts = [];
    const at = {};
    let offset = 0;
    for (const [file, { script }] of loaded) {
      const data = script.createCachedData();
      at[relativeName(file)] = [offset, data.length];
      const padded = Buffer.alloc(Math.ceil(data.length / 8) * 8);
      data.copy(padded);
      parts.push(padded);
      offset += padded.length;
    }
    const json = JSON.stringify(at);
    const head = Buffer.from(json.padEnd(Math.ceil((json.length + 4) / 8) * 8 - 4), 'latin1');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length, 0);
    writeFileSync(cacheFile, Buffer.concat([len, head, ...parts]));
  });
}
load(join(dist, 'cli.cjs'));
