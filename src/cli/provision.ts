// `acr-preflight provision [-c preflight.yaml] [--plan-only] [--plan FILE] [--yes] [--resume] [--fix]
//  [--timeout S] [--wait-timeout S] [--format text|json]`: link → bind → build, gated on the checks.
// The flow is src/provision/command.ts; this file wires the config, the cloud client and the live
// check (src/provision/live.ts), all loaded lazily.
import type { ProvisionEvent } from '../provision/types.js';
import type { CommandContext } from './commands.js';

export async function runWith(ctx: CommandContext, extra: { onEvent?: (e: ProvisionEvent) => void } = {}): Promise<number> {
  const { parseProvisionFlags, runProvisionCommand } = await import('../provision/command.js');
  const flags = parseProvisionFlags(ctx.values);
  const { openLive } = await import('../provision/live.js');
  const live = await openLive(ctx, { failOn: flags.failOn });
  for (const w of live.warnings) ctx.io.stderr.write(`warning: ${w}\n`);
  return runProvisionCommand(ctx, { api: live.api, config: live.config, check: live.check, ...(extra.onEvent ? { onEvent: extra.onEvent } : {}) }, flags);
}

export async function run(ctx: CommandContext): Promise<number> {
  return runWith(ctx);
}
