// `acr-preflight emulator --world FILE [--port N] [--gitlab-port N] [--audit FILE] [--state-dir DIR]`:
// prints one JSON line on stdout when ready and runs until SIGINT/SIGTERM (ctx.signal).
import { resolve } from 'node:path';
import { EXIT, InputError, UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

function port(value: unknown, flag: string, def: number): number {
  if (value === undefined) return def;
  const s = String(value);
  if (!/^\d+$/.test(s) || Number(s) > 65535) throw new UsageError(`${flag}: "${s}" is not a port number (0-65535)`, '0 picks a free port');
  return Number(s);
}

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.values;
  if (typeof v.world !== 'string' || !v.world) {
    throw new UsageError('emulator: --world FILE is required', 'e.g. acr-preflight emulator --world fixtures/worlds/demo.yaml');
  }
  const cloudPort = port(v.port, '--port', 8790);
  const gitlabPort = port(v['gitlab-port'], '--gitlab-port', 0);
  const { startEmulator } = await import('../emulator/index.js');
  let em;
  try {
    em = await startEmulator({
      worldFile: resolve(ctx.io.cwd, v.world),
      port: cloudPort,
      gitlabPort,
      auditFile: typeof v.audit === 'string' ? resolve(ctx.io.cwd, v.audit) : undefined,
      stateDir: typeof v['state-dir'] === 'string' ? resolve(ctx.io.cwd, v['state-dir']) : undefined,
      // internal errors (bugs) and git http-backend complaints go to stderr; stdout carries only the ready line
      log: (l) => ctx.io.stderr.write(`${l}\n`),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') throw new UsageError(`emulator: port ${e.port ?? ''} on 127.0.0.1 is in use`, 'pick another with --port/--gitlab-port, or 0 for a free one');
    if (e instanceof InputError || e instanceof UsageError) throw e;
    if (e.message?.startsWith('openssl') || e.message?.includes('git')) throw new InputError(`emulator: could not prepare the GitLab: ${e.message.split('\n')[0]}`, 'is git/openssl installed?');
    throw err;
  }
  ctx.io.stdout.write(em.readyLine() + '\n');
  if (!ctx.signal.aborted) await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
  await em.stop();
  // SIGTERM is how an emulator is normally stopped (0); Ctrl-C counts as an interruption (130)
  const reason = String((ctx.signal.reason as Error | undefined)?.message ?? '');
  return reason.includes('SIGINT') ? EXIT.interrupted : EXIT.pass;
}
