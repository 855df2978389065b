#!/usr/bin/env node
// `acr-preflight` as npm installs it: runs the bundled CLI (built by `npm pack` / scripts/bundle.ts):
// dist/cli.cjs, the entry, and dist/chunks/*.cjs, the rest of the code (every dependency inside)
// split so that each command reads and compiles only what it runs — `check` never reads ink, ssh2,
// undici, the emulator or the SDK runtime's optional parts (lodash, moment, ws, xml2js: chunks of
// their own). A chunk is loaded the first time the code requires it ('./chunks/x.cjs'), compiled
// from the file as it is (scripts/bundle.ts writes it as a function), with its V8 code cache: dist/cli.cache holds the caches of the chunks a training `check` loaded
// when the package was built, in one file (one read instead of one per chunk). Node 20 has no
// compile cache of its own; without one V8 parses and compiles every chunk on every start. A cache
// made by another Node version is rejected by V8 and the chunk is compiled as usual: slower to
// start, same behaviour. (In the repository, bin/acr-preflight.js runs the tsc build instead.)
'use strict';
const { closeSync, fstatSync, openSync, readSync, writeFileSync } = require('node:fs');
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
//
// Files are read into two scratch buffers that every chunk reuses, not into a new buffer each: a
// chunk's text becomes a string and V8 copies what it keeps of a cache while it compiles, so neither
// buffer is needed afterwards. Fresh memory is what a cold start pays for page by page (on a virtual
// machine each first touch of a page is a fault that costs about as much as parsing a few KB), and
// reading all the caches up front would touch 1 MB of it, most before the first request is made.
const scratch = { text: Buffer.allocUnsafeSlow(128 * 1024), cache: Buffer.allocUnsafeSlow(128 * 1024) };
function readAt(fd, kind, length, position, file) {
  if (scratch[kind].length < length) scratch[kind] = Buffer.allocUnsafeSlow(length);
  const buf = scratch[kind];
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new Error(`${file}: ended at ${position + done} bytes, ${length - done} before the ${length} expected`);
    done += n;
  }
  return buf.subarray(0, length);
}
/** the whole file, as latin1 text */
function readText(file) {
  const fd = openSync(file, 'r');
  try {
    return readAt(fd, 'text', fstatSync(fd).size, 0, file).toString('latin1');
  } finally {
    closeSync(fd);
  }
}
let cacheFd;
let cacheBase = 0;
let index = {};
if (!writeCaches) {
  try {
    cacheFd = openSync(cacheFile, 'r');
    const n = readAt(cacheFd, 'cache', 4, 0, cacheFile).readUInt32LE(0);
    index = JSON.parse(readAt(cacheFd, 'cache', n, 4, cacheFile).toString('latin1'));
    cacheBase = 4 + n;
  } catch {
    if (cacheFd !== undefined) closeSync(cacheFd);
    cacheFd = undefined;
    index = {};
  }
}
/** a chunk's code cache, or undefined (none, or the file cannot be read: the chunk then compiles as usual) */
function cacheOf(file) {
  const at = cacheFd !== undefined && index[relativeName(file)];
  if (!at) return undefined;
  try {
    return readAt(cacheFd, 'cache', at[1], cacheBase + at[0], cacheFile);
  } catch {
    return undefined;
  }
}

function relativeName(file) {
  return file.slice(dist.length + 1).split('\\').join('/');
}

// Node's modules that `check` requires (the SDK's HTTP client, the GitLab probe, the credentials
// file reader and external-process provider) but, against an http: endpoint without probes and with
// keys from the environment, never uses: each is loaded when its exports are first read. The stand-in forwards every operation to the module (property reads with
// the module as `this`, so its getters see the module; methods are the module's own, so `instanceof`
// and identity hold); esbuild's __toESM/__copyProps, which enumerate, load it at once. Properties the
// module defines as non-configurable are copied onto the stand-in's target as they are first seen
// (a Proxy must report them as they are).
const LAZY_BUILTINS = new Set(['https', 'tls', 'dns/promises', 'fs/promises', 'child_process']);
const lazyBuiltins = new Map();
function lazyBuiltin(name) {
  let mod;
  const real = () => mod || (mod = nodeRequire(`node:${name}`));
  const target = {};
  const described = (key) => {
    const d = Reflect.getOwnPropertyDescriptor(real(), key);
    if (d && !d.configurable && !Reflect.getOwnPropertyDescriptor(target, key)) Reflect.defineProperty(target, key, d);
    return d;
  };
  const stand = new Proxy(target, {
    get: (_t, key) => Reflect.get(real(), key),
    set: (_t, key, value) => Reflect.set(real(), key, value),
    has: (_t, key) => Reflect.has(real(), key),
    ownKeys: () => {
      const keys = Reflect.ownKeys(real());
      for (const key of keys) described(key);
      return keys;
    },
    getOwnPropertyDescriptor: (_t, key) => described(key),
    defineProperty: (_t, key, d) => Reflect.defineProperty(real(), key, d),
    deleteProperty: (_t, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  lazyBuiltins.set(name, stand);
  return stand;
}
function builtin(id) {
  const name = id.startsWith('node:') ? id.slice(5) : id;
  if (!LAZY_BUILTINS.has(name)) return nodeRequire(id);
  return lazyBuiltins.get(name) || lazyBuiltin(name);
}

// './x.cjs' (and '../x.cjs', './chunks/x.cjs') from the chunk in `dir` → its file, worked out once
const resolved = new Map();
function resolve(dir, id) {
  const key = dir === dist ? id : `c${id}`;
  let file = resolved.get(key);
  if (file === undefined) resolved.set(key, (file = join(dir, id)));
  return file;
}

function load(file) {
  const known = loaded.get(file);
  if (known) return known.module.exports;
  const cachedData = cacheOf(file);
  // A chunk is a script whose value is its module function (scripts/bundle.ts writes it wrapped),
  // compiled from the file's text as read: ASCII only (esbuild escapes the rest; scripts/bundle.ts
  // checks), read as latin1, which skips UTF-8 decoding.
  const script = new vm.Script(readText(file), { filename: file, cachedData });
  const module = { exports: {} };
  loaded.set(file, { module, script });
  const dir = dirname(file);
  // the bundle requires its own chunks by relative path and Node's built-in modules by name, nothing else
  const require = (id) => (id.charCodeAt(0) === 46 /* . */ ? load(resolve(dir, id)) : builtin(id));
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
if (require.main === module) load(join(dist, 'cli.cjs'));
// required (by test/system/bundle-chunks.test.ts): runs nothing, lends its loader
else module.exports = { load, builtin, loaded };
