// The import direction (docs/architecture.md) holds over src/ and rules/, and the walker that checks
// it does catch each kind of bad import when one is planted in a small tree of its own.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkImports, specifiersOf } from '../../scripts/import-graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the import graph of this repository', () => {
  it('runs one way, has no cycle and imports packages by their public entry points', () => {
    const g = checkImports(ROOT);
    assert.ok(g.files.length > 100, `walked ${g.files.length} files`);
    assert.ok(g.edges.length > 300, `found ${g.edges.length} imports`);
    assert.deepEqual(
      g.violations.map((v) => v.message),
      [],
    );
  });
});

describe('the walker', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** A tree with a clean base, plus the given files. */
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'acr-imports-'));
    dirs.push(root);
    const base: Record<string, string> = {
      'src/util/a.ts': 'export const a = 1;\n',
      'src/engine/types.ts': "import { a } from '../util/a.js';\nexport type T = typeof a;\n",
      'src/engine/runner.ts': "import type { T } from './types.js';\nexport const run = (t: T) => t;\n",
      'src/facts/types.ts': 'export interface F { x: number }\n',
      'src/app/check.ts': "import { run } from '../engine/runner.js';\nimport { rule } from '../../rules/r.js';\nexport const check = () => run(rule);\n",
      'src/cli/main.ts': "import { check } from '../app/check.js';\nexport const main = () => import('./sub.js').then(() => check());\n",
      'src/cli/sub.ts': 'export {};\n',
      'rules/r.ts': "import type { T } from '../src/engine/types.js';\nexport const rule = 1 as T;\n",
      'node_modules/pkg/package.json': JSON.stringify({ name: 'pkg', exports: { '.': './index.js', './public': './public.js' } }),
      'node_modules/plain/package.json': JSON.stringify({ name: 'plain', main: 'dist/index.js' }),
    };
    for (const [p, text] of Object.entries({ ...base, ...files })) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    return root;
  }
  const kinds = (root: string) => checkImports(root).violations.map((v) => `${v.kind}: ${v.message}`);

  it('passes a clean tree', () => {
    assert.deepEqual(kinds(tree({ 'src/cli/pkgs.ts': "import 'pkg';\nimport 'pkg/public';\nimport 'plain';\nimport 'node:fs';\n" })), []);
  });

  it('fails on an import against the direction, static or dynamic, type-only or not', () => {
    assert.deepEqual(kinds(tree({ 'src/engine/up.ts': "import type { main } from '../cli/main.js';\nexport type M = typeof main;\n" })), [
      'direction: src/engine/up.ts: imports src/cli/main.ts (engine → cli), against the direction',
    ]);
    assert.deepEqual(kinds(tree({ 'src/app/up.ts': "export const m = () => import('../cli/sub.js');\n" })), [
      'direction: src/app/up.ts: imports src/cli/sub.ts (app → cli), against the direction',
    ]);
  });

  it('fails when a rule imports more than the engine and facts types, or the emulator imports the tool’s judgement', () => {
    assert.deepEqual(kinds(tree({ 'rules/bad.ts': "import { run } from '../src/engine/runner.js';\nexport const b = run;\n" })), [
      'direction: rules/bad.ts: imports src/engine/runner.ts; rules see the engine and facts types only',
    ]);
    assert.deepEqual(kinds(tree({ 'src/emulator/world.ts': "import { rule } from '../../rules/r.js';\nexport const w = rule;\n" })), [
      'direction: src/emulator/world.ts: imports rules/r.ts (emulator → rules), against the direction',
    ]);
  });

  it('fails on a cycle, also inside one layer', () => {
    const v = kinds(tree({ 'src/cli/sub.ts': "import { main } from './main.js';\nexport const s = main;\n" }));
    assert.deepEqual(v, ['cycle: import cycle: src/cli/main.ts → src/cli/sub.ts → src/cli/main.ts']);
  });

  it("fails on an import of a package's private file", () => {
    assert.deepEqual(kinds(tree({ 'src/cloud/c.ts': "export const u = () => import('pkg/dist/src/util/utils.js');\nimport 'plain/dist/index.js';\n" })), [
      'private: src/cloud/c.ts: imports plain/dist/index.js, a private file of plain; use its public entry point',
      'private: src/cloud/c.ts: imports pkg/dist/src/util/utils.js, a private file of pkg; use its public entry point',
    ]);
  });

  it('reads imports, not comments or strings that look like them', () => {
    assert.deepEqual(
      specifiersOf(`// import { x } from './commented.js';\n/* import('./block.js') */\nconst s = "from './string.js'";\nimport {\n  a,\n  b,\n} from './multi.js';\nexport * from './re.js';\n`),
      ['./multi.js', './re.js'],
    );
  });
});

/** What `problems` finds in each source of src/ and rules/ but `except`, as "file: problem". */
function scan(except: string, problems: (text: string) => string[]): string[] {
  return checkImports(ROOT)
    .files.filter((f) => f !== except)
    .flatMap((f) => problems(readFileSync(join(ROOT, f), 'utf8')).map((p) => `${f}: ${p}`));
}

describe('the yaml package', () => {
  it('is loaded by src/util/yaml-lib.ts only (on first use); other sources import its types, or call yaml()', () => {
    const value = /^\s*import\s+(?!type\b)[^;]*?from\s+['"]yaml['"]|\bimport\(\s*['"]yaml['"]\s*\)|\brequire\(\s*['"]yaml['"]\s*\)/gm;
    assert.deepEqual(scan('src/util/yaml-lib.ts', (text) => [...text.matchAll(value)].map((m) => m[0].trim())), []);
  });
});

describe('zod', () => {
  it('runs without its eval-compiled fast paths: every source that builds schemas imports src/util/zod-mode.ts before zod', () => {
    const missing = scan('src/util/zod-mode.ts', (text) => {
      const zod = /^import\s+(?!type\b)[^;]*?from\s+['"]zod(?:\/[\w/]+)?['"]/m.exec(text);
      const mode = /^import\s+['"](?:\.\/|\.\.\/util\/)zod-mode\.js['"];/m.exec(text);
      return zod && !(mode && mode.index < zod.index) ? ['imports zod without src/util/zod-mode.ts first'] : [];
    });
    assert.deepEqual(missing, []);
  });
});
