// The real seams for provision: the loaded config, one cloud client, and the live check
// (collect facts + run the rules) that the gate, the guided-step verification and the GIT_CLONE
// re-check use.
import { RULES } from '../../rules/index.js';
import type { CommandContext } from '../cli/commands.js';
import { checkOnce, cloudApiFor, loadForCommand, progressPrinter } from '../cli/live.js';
import type { CloudApi } from '../cloud/api.js';
import type { Config } from '../config/types.js';
import type { CheckRun } from './state.js';

export interface LiveProvision {
  api: CloudApi;
  config: Config;
  warnings: string[];
  check(opts: { only?: string[]; signal: AbortSignal }): Promise<CheckRun>;
}

export async function openLive(ctx: CommandContext, opts: { failOn: 'warn' | 'fail' }): Promise<LiveProvision> {
  const loaded = loadForCommand(ctx);
  const api = await cloudApiFor(loaded, ctx.io.env, ctx.signal);
  const noProbes = ctx.values['no-probes'] === true;
  let first = true;
  return {
    api,
    config: loaded.config,
    warnings: [],
    async check({ only, signal }) {
      const { facts, report } = await checkOnce(loaded, {
        env: ctx.io.env,
        noProbes,
        signal,
        api,
        // progress lines only for the first (gate) run; re-checks while waiting stay quiet
        ...(first ? { onProgress: progressPrinter(ctx.io.stderr) } : {}),
        gate: {
          failOn: opts.failOn,
          waivers: loaded.config.waivers ?? [],
          ...(only?.length ? { only: only.filter((id) => RULES.some((r) => r.id === id)) } : {}),
        },
      });
      first = false;
      return { facts, report };
    },
  };
}
