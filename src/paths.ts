// Locating files that ship with the package (rule docs, zone table), whether we run from src/ (tsx)
// or from dist/src/ (compiled).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'acr-vpc-preflight') return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('acr-vpc-preflight: cannot locate the package root');
}

let version: string | undefined;
export function toolVersion(): string {
  version ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  return version;
}

export const TOOL_NAME = 'acr-vpc-preflight';

/** Where rule docs are published; the per-rule URL is derived from the id, never typed by hand. */
export const DOCS_BASE = 'https://github.com/acr-vpc-preflight/acr-vpc-preflight/blob/main/rules/';
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
