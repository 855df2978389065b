// Placeholder until the issue that builds `check` lands.
import { UsageError } from '../errors.js';
import type { CommandContext } from './commands.js';

export async function run(_ctx: CommandContext): Promise<number> {
  throw new UsageError('`check` is not available in this build yet');
}
