// `acr-preflight policy [--provision]`: the minimal RAM policy for the calls this tool makes, printed
// from the action table (each RAM action as the API reference page of its action documents it).
import { minimalPolicy } from '../cloud/actions.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext): Promise<number> {
  const provision = ctx.values.provision === true;
  ctx.io.stdout.write(`${JSON.stringify(minimalPolicy({ provision }), null, 2)}\n`);
  return 0;
}
