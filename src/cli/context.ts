// What a command runs with: its parsed flags, its streams and environment, and the interrupt signal.
// Types only, so command modules and the command table can both name them without importing each other.

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (m: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  io: CommandIO;
  /** aborted on SIGINT/SIGTERM; long operations must stop promptly and leave a journal */
  signal: AbortSignal;
  debug: boolean;
  /** colour and animation allowed: stderr is a TTY, no CI, no NO_COLOR */
  color: boolean;
}
