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

let manifest: (PackageLinks & { version: string }) | undefined;
function packageJson(): PackageLinks & { version: string } {
  manifest ??= JSON.parse(packageFile('package.json') ?? '{}') as PackageLinks & { version: string };
  return manifest;
}

export function toolVersion(): string {
  return packageJson().version;
}

/** A rule's docs (rules/<id>.md from the package), or undefined when it has none. */
export function ruleDocs(ruleId: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  return packageFile(`rules/${ruleId}.md`);
}

export interface PackageLinks {
  homepage?: unknown;
  repository?: unknown;
}

/** The repository's web address from package.json `repository` (a URL, `{url}`, or `github:owner/name`). */
export function repositoryWebUrl(pkg: PackageLinks): string | undefined {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository as { url?: unknown } | undefined)?.url;
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  let u = raw.trim();
  const short = /^(github|gitlab):([\w.-]+\/[\w.-]+)$/.exec(u) ?? (/^([\w.-]+\/[\w.-]+)$/.test(u) ? [u, 'github', u] : null);
  if (short) u = `https://${short[1]}.com/${short[2]}`;
  u = u.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/\.git$/, '').replace(/\/+$/, '');
  return /^https:\/\/[^\s/]+\/\S+$/.test(u) ? u : undefined;
}

/**
 * Where a rule's docs are: rules/<id>.md in the repository that package.json declares (GitHub or
 * GitLab layout), else the command that prints them — never an address the package does not declare.
 */
export function docsLinkFor(pkg: PackageLinks, ruleId: string): string {
  const repo = repositoryWebUrl(pkg);
  if (repo && /^https:\/\/github\.com\//.test(repo)) return `${repo}/blob/main/rules/${ruleId}.md`;
  if (repo && /^https:\/\/gitlab\.com\//.test(repo)) return `${repo}/-/blob/main/rules/${ruleId}.md`;
  return `acr-preflight explain ${ruleId}`;
}

/** The project's address (its repository, else package.json `homepage`), if it declares one. */
export function projectUrlFor(pkg: PackageLinks): string | undefined {
  const repo = repositoryWebUrl(pkg);
  if (repo) return repo;
  return typeof pkg.homepage === 'string' && /^https?:\/\/\S+$/.test(pkg.homepage) ? pkg.homepage : undefined;
}

export function docsUrl(ruleId: string): string {
  return docsLinkFor(packageJson(), ruleId);
}

export function projectUrl(): string | undefined {
  return projectUrlFor(packageJson());
}

/** Whether a docs link is an address (else it is the `explain` command). */
export function isUrl(s: string): boolean {
  return /^https?:\/\//.test(s);
}
