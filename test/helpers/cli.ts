// Spawn the real CLI (bin/acr-preflight.js over dist/, built by `npm test` before the tests run).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'acr-preflight.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number; command?: string[] } = {},
): Promise<CliResult> {
  // command: another build of the CLI (an installed package, the single executable)
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The same CLI entry in this process (no spawn): for the many offline steps of one scenario
 * (analyze of a bundle already written by a spawned `collect`). `env` replaces process.env.
 */
export async function runMain(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { Writable, Readable } = await import('node:stream');
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { add(String(chunk)); cb(); } });
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([]),
    env: { NO_COLOR: '1', ...(opts.env ?? {}) },
    cwd: opts.cwd ?? ROOT,
  });
  return { code, stdout, stderr };
}
