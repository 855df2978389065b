// The import graph of the TypeScript sources and the rules it must obey (docs/architecture.md):
//
//   cli → tui → provision → app → {report, engine, facts, cloud, config} → {net, util}
//   rules/ → engine types, facts types, net, util          (and only app and above import rules/)
//   emulator → net, util                                   (it shares no judgement with the tool)
//
// A layer may import its own layer and any layer below it; the five middle layers may import each
// other, but the graph as a whole has no cycle. A bare package is imported by its public entry
// points only (its `exports` map, or its main entry when it has none), never `pkg/dist/...`.
// Type-only imports count like any other: a type still couples the layers.
//
//   node --import tsx scripts/import-graph.ts      prints every violation, exit 1 when there is one
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface Edge {
  from: string;
  to: string;
  /** the specifier as written */
  spec: string;
}

export interface Violation {
  kind: 'direction' | 'cycle' | 'private' | 'unresolved';
  message: string;
}

/** The layer of a repository-relative path, or undefined for files outside the layered tree. */
export function layerOf(file: string): string | undefined {
  const p = file.split(sep).join('/');
  if (p.startsWith('rules/')) return 'rules';
  const m = /^src\/([^/]+)\//.exec(p);
  if (m) return m[1];
  // loose files at the top of src/ (errors.ts, paths.ts) sit with util
  if (/^src\/[^/]+\.tsx?$/.test(p)) return 'util';
  return undefined;
}

const MIDDLE = ['report', 'engine', 'facts', 'cloud', 'config'];
const BASE = ['net', 'util'];

/** Which layers each layer may import (its own layer is always allowed). */
export const ALLOWED: Record<string, string[]> = {
  cli: ['tui', 'provision', 'app', 'emulator', 'rules', ...MIDDLE, ...BASE],
  tui: ['provision', 'app', 'rules', ...MIDDLE, ...BASE],
  provision: ['app', 'rules', ...MIDDLE, ...BASE],
  app: ['rules', ...MIDDLE, ...BASE],
  ...Object.fromEntries(MIDDLE.map((l) => [l, [...MIDDLE, ...BASE]])),
  net: ['util'],
  util: ['net'],
  emulator: [...BASE],
  rules: ['engine', 'facts', ...BASE],
};

/** rules/ may see these files of the engine and facts layers only. */
const RULES_MAY_SEE = new Set(['src/engine/types.ts', 'src/facts/types.ts']);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') walk(p, out);
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
}

/** Comments and string contents other than import specifiers do not hide or fake an import. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The module specifiers one source file imports (static, re-exports, side-effect and dynamic). */
export function specifiersOf(src: string): string[] {
  const code = stripComments(src);
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1] as string);
  return out;
}

function resolveLocal(fromAbs: string, spec: string): string | undefined {
  const base = resolve(dirname(fromAbs), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.jsx$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function packageName(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, n).join('/'), subpath: parts.slice(n).join('/') };
}

/** Whether `pkg/subpath` is a public entry point of the installed package. */
function isPublicSubpath(root: string, name: string, subpath: string): boolean {
  if (!subpath) return true;
  const pj = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(pj)) return false;
  const exp = (JSON.parse(readFileSync(pj, 'utf8')) as { exports?: unknown }).exports;
  if (!exp || typeof exp !== 'object' || Array.isArray(exp)) return false;
  const keys = Object.keys(exp).filter((k) => k.startsWith('./'));
  const want = `./${subpath}`;
  return keys.some((k) => k === want || (k.includes('*') && new RegExp(`^${k.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(want)));
}

export interface Graph {
  files: string[];
  edges: Edge[];
  violations: Violation[];
}

/** Reads src/ and rules/ under `root` and checks direction, cycles and private package files. */
export function checkImports(root: string): Graph {
  const abs: string[] = [];
  for (const d of ['src', 'rules']) walk(join(root, d), abs);
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const files = abs.map(rel);
  const edges: Edge[] = [];
  const violations: Violation[] = [];
  const builtins = new Set(builtinModules);

  for (const a of abs) {
    const from = rel(a);
    for (const spec of specifiersOf(readFileSync(a, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolveLocal(a, spec);
        if (!target) {
          violations.push({ kind: 'unresolved', message: `${from}: imports ${spec}, which does not exist` });
          continue;
        }
        edges.push({ from, to: rel(target), spec });
      } else if (!spec.startsWith('node:') && !builtins.has(spec.split('/')[0] as string)) {
        const { name, subpath } = packageName(spec);
        if (!isPublicSubpath(root, name, subpath)) {
          violations.push({ kind: 'private', message: `${from}: imports ${spec}, a private file of ${name}; use its public entry point` });
        }
      }
    }
  }

  for (const e of edges) {
    const lf = layerOf(e.from);
    const lt = layerOf(e.to);
    if (!lf || !lt) {
      violations.push({ kind: 'direction', message: `${e.from}: imports ${e.to}, outside src/ and rules/` });
      continue;
    }
    if (lf === 'rules' && lt !== 'rules' && (lt === 'engine' || lt === 'facts') && !RULES_MAY_SEE.has(e.to)) {
      violations.push({ kind: 'direction', message: `${e.from}: imports ${e.to}; rules see the engine and facts types only` });
      continue;
    }
    if (lf !== lt && !(ALLOWED[lf] ?? []).includes(lt)) {
      violations.push({ kind: 'direction', message: `${e.from}: imports ${e.to} (${lf} → ${lt}), against the direction` });
    }
  }

  for (const cycle of findCycles(files, edges)) {
    violations.push({ kind: 'cycle', message: `import cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  }
  return { files, edges, violations };
}

/** The strongly connected components with more than one file (or a file importing itself), each as a path. */
export function findCycles(files: string[], edges: Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  // Tarjan, iterative
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  for (const start of files) {
    if (idx.has(start)) continue;
    const work: { v: string; i: number }[] = [{ v: start, i: 0 }];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    on.add(start);
    while (work.length) {
      const top = work[work.length - 1] as { v: string; i: number };
      const succ = next.get(top.v) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++] as string;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          on.add(w);
          work.push({ v: w, i: 0 });
        } else if (on.has(w)) {
          low.set(top.v, Math.min(low.get(top.v) as number, idx.get(w) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) as number, low.get(top.v) as number));
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          on.delete(w);
          comp.push(w);
        } while (w !== top.v);
        if (comp.length > 1 || (next.get(top.v) ?? []).includes(top.v)) out.push(pathThrough(comp, next));
      }
    }
  }
  return out;
}

/** One concrete cycle inside a strongly connected component, for the message. */
function pathThrough(comp: string[], next: Map<string, string[]>): string[] {
  const inComp = new Set(comp);
  const start = [...comp].sort()[0] as string;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift() as string;
    for (const w of next.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0] as string) as string);
        return path;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return comp;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const g = checkImports(resolve(dirname(new URL(import.meta.url).pathname), '..'));
  for (const v of g.violations) console.log(`${v.kind}: ${v.message}`);
  console.log(`${g.files.length} files, ${g.edges.length} imports, ${g.violations.length} violation(s)`);
  process.exitCode = g.violations.length ? 1 : 0;
}
