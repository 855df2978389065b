// `acr-preflight provision [-c preflight.yaml] [--plan-only] [--plan FILE] [--yes] [--resume] [--fix]
//  [--timeout S] [--wait-timeout S] [--format text|json]`: link → bind → build, gated on the checks.
// The flow is src/provision/command.ts; this file wires the config, the cloud client and the live
// check (src/provision/live.ts), all loaded lazily.
import { EXIT, PreflightError } from '../errors.js';
import type { ProvisionEvent } from '../provision/types.js';
import type { CommandContext } from './commands.js';

export async function runWith(ctx: CommandContext, extra: { onEvent?: (e: ProvisionEvent) => void } = {}): Promise<number> {
  const { parseProvisionFlags, runProvisionCommand } = await import('../provision/command.js');
  const flags = parseProvisionFlags(ctx.values);
  try {
    const { openLive } = await import('../provision/live.js');
    const live = await openLive(ctx, { failOn: flags.failOn });
    for (const w of live.warnings) ctx.io.stderr.write(`warning: ${w}\n`);
    return await runProvisionCommand(ctx, { api: live.api, config: live.config, check: live.check, ...(extra.onEvent ? { onEvent: extra.onEvent } : {}) }, flags);
  } catch (err) {
    // a machine reading --format json gets a document for every outcome, not an empty stdout;
    // the one-line error on stderr and the exit code stay the entry's (rethrown); on exit 2 the
    // entry writes the error document every command shares
    if (flags.format === 'json' && err instanceof PreflightError && err.exitCode !== EXIT.usage) {
      ctx.io.stdout.write(
        `${JSON.stringify({ schemaVersion: 1, kind: 'acr-preflight-provision', ok: false, exitCode: err.exitCode, message: err.line(), error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } }, null, 2)}\n`,
      );
    }
    throw err;
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  return runWith(ctx);
}
