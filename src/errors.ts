// Typed errors with a stable code. Only the CLI entry turns them into an exit code and one line.

export const EXIT = {
  pass: 0,
  fail: 1,
  usage: 2,
  incomplete: 3,
  interrupted: 130,
} as const;

export class PreflightError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /** what to do about it, appended to the one-line message */
  readonly hint?: string;
  constructor(code: string, message: string, opts: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = opts.exitCode ?? EXIT.usage;
    this.hint = opts.hint;
  }
  /** "what, where — what to do" */
  line(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}

/** Bad command line. */
export class UsageError extends PreflightError {
  constructor(message: string, hint?: string) {
    super('ERR_USAGE', message, { exitCode: EXIT.usage, hint });
  }
}

/** Bad config file or environment override: message names the path (file:line or key path). */
export class ConfigError extends PreflightError {
  constructor(message: string, hint?: string) {
    super('ERR_CONFIG', message, { exitCode: EXIT.usage, hint });
  }
}

/** Bad input file other than config (world, bundle). */
export class InputError extends PreflightError {
  constructor(message: string, hint?: string) {
    super('ERR_INPUT', message, { exitCode: EXIT.usage, hint });
  }
}

/** No usable Alibaba Cloud credentials. */
export class CredentialsError extends PreflightError {
  constructor(message: string, hint?: string) {
    super('ERR_CREDENTIALS', message, { exitCode: EXIT.usage, hint });
  }
}

/** The cloud API cannot be reached at all (connection refused, host does not resolve): nothing can be decided. */
export class CloudUnreachableError extends PreflightError {
  constructor(message: string, hint?: string) {
    super('ERR_CLOUD_UNREACHABLE', message, { exitCode: EXIT.usage, hint });
  }
}

/** A secret reference (env:/file:) that cannot be resolved. */
export class SecretError extends PreflightError {
  constructor(message: string, hint?: string) {
    super('ERR_SECRET', message, { exitCode: EXIT.usage, hint });
  }
}

/** The run was interrupted (SIGINT) — work so far is journaled. */
export class InterruptedError extends PreflightError {
  constructor(message = 'interrupted') {
    super('ERR_INTERRUPTED', message, { exitCode: EXIT.interrupted });
  }
}

/** Provision could not complete a step (gate refused, guided step timed out, build failed). */
export class ProvisionError extends PreflightError {
  constructor(code: string, message: string, opts: { exitCode?: number; hint?: string } = {}) {
    super(code, message, { exitCode: opts.exitCode ?? EXIT.fail, hint: opts.hint });
  }
}
