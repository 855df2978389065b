// `acr-preflight policy [--provision]`: the minimal RAM policy for the calls this tool makes.
import { minimalPolicy, unconfirmedRamActions } from '../cloud/actions.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext): Promise<number> {
  const provision = ctx.values.provision === true;
  ctx.io.stdout.write(`${JSON.stringify(minimalPolicy({ provision }), null, 2)}\n`);
  // stdout stays a policy document to pipe into `aliyun ram CreatePolicy`; the caveat goes to stderr
  const inferred = unconfirmedRamActions({ provision });
  if (inferred.length) {
    ctx.io.stderr.write(`acr-preflight: note: Alibaba's ACR authorization table does not list these RAM names; they follow its naming: ${inferred.join(', ')}. If a call is denied anyway, its result names the action to grant.\n`);
  }
  return 0;
}
