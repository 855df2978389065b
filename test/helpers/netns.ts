// The kernel lab of the differential tests: three network namespaces of this test process — the
// builder B, a router R and GitLab G — joined by veth pairs (B b0 — r0 R r1 — g0 G), GitLab at
// `gitlab`/24 behind R's 192.168.1.1. Each test gives b0/r0 its own addresses and routes. Nothing
// here touches the root namespace but creating and deleting the namespaces (rootSnapshot shows it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Lab {
  b: string;
  r: string;
  g: string;
}

export function sh(args: string[], input?: string): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', ...(input !== undefined ? { input } : {}), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The namespace names of this process's lab: `<prefix><pid>{b,r,g}`. */
export function labNames(prefix: string): Lab {
  const p = `${prefix}${process.pid}`;
  return { b: `${p}b`, r: `${p}r`, g: `${p}g` };
}

/** Deletes labs of this prefix: this process's (`mine`), or those left by processes that are gone. */
export function deleteLabs(prefix: string, which: 'mine' | 'stale'): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const re = new RegExp(`^${prefix}(\\d+)[brg]\\b`);
  for (const line of list.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const ours = m[1] === String(process.pid);
    if (which === 'mine' ? ours : !ours && !existsSync(`/proc/${m[1]}`)) spawnSync('ip', ['netns', 'del', line.split(' ')[0]!]);
  }
}

/** The root namespace's links, routes, rules and forwarding switch: a test compares it before and after. */
export function rootSnapshot(): string {
  return [sh(['ip', '-o', 'link']).replace(/\s+\\\s+link.*$/gm, ''), sh(['ip', 'route']), sh(['ip', 'rule']), sh(['sysctl', '-n', 'net.ipv4.ip_forward'])].join('\n');
}

/** Creates the three namespaces and their links; `addresses` adds the test's own (before the links go up). */
export function buildLab(ns: Lab, gitlab: string, addresses: () => void): void {
  for (const n of Object.values(ns)) {
    sh(['ip', 'netns', 'add', n]);
    sh(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
  }
  sh(['ip', 'link', 'add', 'b0', 'netns', ns.b, 'type', 'veth', 'peer', 'name', 'r0', 'netns', ns.r]);
  sh(['ip', 'link', 'add', 'g0', 'netns', ns.g, 'type', 'veth', 'peer', 'name', 'r1', 'netns', ns.r]);
  addresses();
  sh(['ip', '-n', ns.r, 'addr', 'add', '192.168.1.1/24', 'dev', 'r1']);
  sh(['ip', '-n', ns.g, 'addr', 'add', `${gitlab}/24`, 'dev', 'g0']);
  for (const [n, dev] of [[ns.b, 'b0'], [ns.r, 'r0'], [ns.r, 'r1'], [ns.g, 'g0']] as const) sh(['ip', '-n', n, 'link', 'set', dev, 'up']);
}
