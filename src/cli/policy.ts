// `acr-preflight policy [--provision]`: the minimal RAM policy for the calls this tool makes.
import { minimalPolicy } from '../cloud/actions.js';
import type { CommandContext } from './commands.js';

export async function run(ctx: CommandContext): Promise<number> {
  ctx.io.stdout.write(`${JSON.stringify(minimalPolicy({ provision: ctx.values.provision === true }), null, 2)}\n`);
  return 0;
}
