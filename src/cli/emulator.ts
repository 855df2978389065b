// Placeholder until the issue that builds `emulator` lands.
import { UsageError } from '../errors.js';
import type { CommandContext } from './commands.js';

export async function run(_ctx: CommandContext): Promise<number> {
  throw new UsageError('`emulator` is not available in this build yet');
}
