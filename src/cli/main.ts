// The CLI entry: parse, dispatch, map errors to one line and an exit code. The only place that
// decides the process exit code (bin/acr-preflight.js sets process.exitCode from our return).
import { parseArgs } from 'node:util';
import { EXIT, PreflightError, UsageError } from '../errors.js';
import { TOOL_NAME, toolVersion } from '../paths.js';
import { COMMANDS, GLOBAL_HELP, type CommandContext, type CommandIO, type CommandSpec } from './commands.js';
import { nearest } from '../util/nearest.js';

function table(rows: [string, string][]): string {
  const w = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n');
}

export function mainHelp(): string {
  return [
    'acr-preflight — make ACR EE "build in a VPC" work the first time',
    '',
    'Usage: acr-preflight [command] [options]     (no command on a terminal: the interactive UI)',
    '',
    'Commands:',
    table(COMMANDS.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    table(GLOBAL_HELP),
    '',
    'Exit codes: 0 pass, 1 failing findings, 2 usage or config error, 3 incomplete, 130 interrupted.',
    'Run `acr-preflight COMMAND --help` for a command\'s options.',
    '',
  ].join('\n');
}

export function commandHelp(c: CommandSpec): string {
  return [
    `${c.summary}`,
    '',
    `Usage: ${c.usage}`,
    '',
    'Options:',
    table([...c.optionHelp, ...GLOBAL_HELP]),
    ...(c.details ? ['', c.details] : []),
    '',
  ].join('\n');
}

function defaultIO(): CommandIO {
  return {
    stderr: process.stderr,
    // on first use only: opening stdin loads Node's stream, tty and net machinery, which a `check`
    // writing to a pipe never needs; stdout, which a `check` first writes its report to, opens
    // while the cloud answers are awaited (or at the end), not before the first request
    get stdout() {
      return process.stdout;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

function colorAllowed(io: CommandIO, noColor: boolean): boolean {
  if (noColor || io.env.NO_COLOR !== undefined || io.env.CI) return false;
  return Boolean(io.stderr.isTTY);
}

/**
 * End the process with `code` (the CLI's entry, once main has returned): at once when stdout and
 * stderr hold nothing unwritten, which skips tearing the runtime down piece by piece and waiting for
 * idle keep-alive sockets and timers (a few ms of every `check`); otherwise (a report larger than a
 * pipe takes at once, still draining) the process ends when the streams are written, as it would
 * have. Every file the CLI writes is written synchronously before main returns.
 */
export function exitWith(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], given?: CommandIO): Promise<number> {
  const io = given ?? defaultIO();
  const debug = argv.includes('--debug');
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // second Ctrl-C: leave now; journals are written before and after every side effect
      io.stderr.write('acr-preflight: interrupted (second signal: leaving at once)\n');
      process.exit(EXIT.interrupted);
    }
    controller.abort(Object.assign(new Error(`interrupted by ${sig}`), { code: 'ERR_INTERRUPTED' }));
  };
  // the process's own streams: this process's signals are ours to handle
  const useSignals = given === undefined;
  if (useSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    return await dispatch(argv, io, controller.signal, debug);
  } catch (err) {
    const code = reportError(err, io, debug, controller.signal);
    if (code === EXIT.usage && wantsJson(argv)) io.stdout.write(errorDocument(err));
    return code;
  } finally {
    if (useSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

async function dispatch(argv: string[], io: CommandIO, signal: AbortSignal, debug: boolean): Promise<number> {
  const args = argv.filter((a) => a !== '--debug');
  if (args[0] === '--version' || args[0] === '-v') {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.pass;
  }
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    if (args[1] === undefined) {
      io.stdout.write(mainHelp());
      return EXIT.pass;
    }
    const sub = COMMANDS.find((c) => c.name === args[1]);
    if (!sub) throw unknownCommand(args[1]);
    io.stdout.write(commandHelp(sub));
    return EXIT.pass;
  }
  let name = args[0];
  let rest = args.slice(1);
  if (name === undefined || name.startsWith('-')) {
    if (io.stdin.isTTY && io.stdout.isTTY) {
      name = 'tui';
      rest = args;
    } else {
      if (name === undefined) {
        // no command and no terminal for the UI: the overview is the answer, as a usage error
        io.stderr.write(mainHelp());
        return EXIT.usage;
      }
      throw new UsageError(`unknown option "${name}"`, 'run `acr-preflight --help`');
    }
  }
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw unknownCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(spec));
    return EXIT.pass;
  }
  if (rest.includes('--version')) {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.pass;
  }
  const options = { ...spec.options, 'no-color': { type: 'boolean' as const } };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UsageError(`${name}: ${msg.replace(/\. To specify.*$/, '')}`, `run \`acr-preflight ${name} --help\``);
  }
  const max = spec.allowPositionals ?? 0;
  if (parsed.positionals.length > max) {
    throw new UsageError(`${name}: unexpected argument "${parsed.positionals[max]}"`, `usage: ${spec.usage}`);
  }
  const ctx: CommandContext = {
    values: parsed.values as CommandContext['values'],
    positionals: parsed.positionals,
    io,
    signal,
    debug,
    color: colorAllowed(io, Boolean(parsed.values['no-color'])),
  };
  const mod = await spec.load();
  return await mod.run(ctx);
}

function unknownCommand(name: string): UsageError {
  const guess = nearest(name, COMMANDS.map((c) => c.name));
  return new UsageError(`unknown command "${name}"`, guess ? `did you mean "${guess}"? (acr-preflight --help)` : 'run `acr-preflight --help`');
}

/** `--format json` (or `--format=json`) anywhere on the command line. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
}

/** The document a pipeline parsing stdout gets on exit 2 with --format json. */
export function errorDocument(err: unknown): string {
  const pe = err instanceof PreflightError ? err : undefined;
  const message = pe ? pe.message : `internal error: ${((err as Error)?.message ?? String(err)).split('\n')[0]}`;
  const doc = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    verdict: 'error',
    exitCode: EXIT.usage,
    error: { message, hint: pe?.hint ?? (pe ? null : 'this is a bug; rerun with --debug and report it') },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function reportError(err: unknown, io: CommandIO, debug: boolean, signal: AbortSignal): number {
  if (signal.aborted && !(err instanceof PreflightError && err.exitCode !== EXIT.interrupted)) {
    io.stderr.write('acr-preflight: interrupted\n');
    return EXIT.interrupted;
  }
  if (err instanceof PreflightError) {
    io.stderr.write(`acr-preflight: ${err.line()}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as { message?: string; stack?: string; code?: string };
  io.stderr.write(
    `acr-preflight: internal error: ${(e?.message ?? String(err)).split('\n')[0]} — this is a bug; rerun with --debug and report it\n`,
  );
  if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
  return EXIT.usage;
}
