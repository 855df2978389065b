// Placeholder until the issue that builds `policy` lands.
import { UsageError } from '../errors.js';
import type { CommandContext } from './commands.js';

export async function run(_ctx: CommandContext): Promise<number> {
  throw new UsageError('`policy` is not available in this build yet');
}
