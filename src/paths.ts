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

/** A rule's docs (rules/<id>.md from the package), or undefined when it has none. */
export function ruleDocs(ruleId: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  const file = join(packageRoot(), 'rules', `${ruleId}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
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

let links: PackageLinks | undefined;
function packageLinks(): PackageLinks {
  links ??= JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as PackageLinks;
  return links;
}

export function docsUrl(ruleId: string): string {
  return docsLinkFor(packageLinks(), ruleId);
}

export function projectUrl(): string | undefined {
  return projectUrlFor(packageLinks());
}

/** Whether a docs link is an address (else it is the `explain` command). */
export function isUrl(s: string): boolean {
  return /^https?:\/\//.test(s);
}
