// Files that ship with the tool (rule docs, the zone table, the demo's world and config, package.json),
// found relative to the installed code, whatever the working directory: the package root is the
// nearest directory above this module (src/ under tsx, dist/src/ compiled, dist/ bundled) whose
// package.json is ours. In the single executable there is no package on disk: the same files are
// the executable's embedded assets, under the same relative names.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';

export const TOOL_NAME = 'acr-vpc-preflight';

/** True inside the single executable application (no package directory, no node_modules). */
export const singleExecutable: boolean = isSea();

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  if (singleExecutable) throw new Error(`${TOOL_NAME}: the single executable has no package directory`);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === TOOL_NAME) return (root = dir);
    dir = dirname(dir);
  }
  throw new Error(`${TOOL_NAME}: cannot locate the package root`);
}

/** A file shipped with the tool, by its path in the repository ('rules/sg-ingress.md'), or undefined. */
export function packageFile(rel: string): string | undefined {
  if (singleExecutable) {
    try {
      return getAsset(rel, 'utf8');
    } catch {
      return undefined;
    }
  }
  const file = join(packageRoot(), rel);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

let manifest: { version: string } | undefined;
function packageJson(): { version: string } {
  manifest ??= JSON.parse(packageFile('package.json') ?? '{}') as { version: string };
  return manifest;
}

export function toolVersion(): string {
  return packageJson().version;
}

/** Where rule docs are published; the per-rule URL is derived from the id, never typed by hand. */
export const DOCS_BASE = 'https://github.com/acr-vpc-preflight/acr-vpc-preflight/blob/main/rules/';
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
