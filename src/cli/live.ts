// What the live commands (check, collect, tui, provision) share on the command line: the config named
// by the flags, with its warnings on stderr, and plain progress lines. The pipeline itself (clients,
// collection under the deadline, the rules) is src/app/.
import { loadRunConfig } from '../app/config.js';
import { configFlags } from '../config/overrides.js';
import type { LoadedConfig } from '../config/types.js';
import type { ProgressEvent } from '../facts/collect.js';
import type { CommandContext } from './context.js';

/** Loads the config named by -c (or the default), with --region/--endpoint/--profile and env overrides. */
export function loadForCommand(ctx: CommandContext): LoadedConfig {
  const loaded = loadRunConfig({
    ...(typeof ctx.values.config === 'string' ? { file: ctx.values.config } : {}),
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    flags: configFlags(ctx.values),
  });
  for (const w of loaded.warnings) ctx.io.stderr.write(`acr-preflight: warning: ${w}\n`);
  return loaded;
}

/** Progress lines for stderr: plain, one per step, no animation. */
export function progressPrinter(stderr: NodeJS.WritableStream): (e: ProgressEvent) => void {
  const t0 = Date.now();
  return (e) => {
    if (e.type === 'step-start') stderr.write(`acr-preflight: ${e.step}${e.detail ? `: ${e.detail}` : ''} …\n`);
    else if (e.step === 'cloud' || e.step === 'gitlab') stderr.write(`acr-preflight: ${e.step} done${e.detail ? ` (${e.detail})` : ''} [${Date.now() - t0} ms]\n`);
  };
}
