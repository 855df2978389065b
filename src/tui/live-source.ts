// The TUI's CheckSource over the live check (src/app), with provision wired in when the config names
// a repository. Collection progress becomes CollectSteps; cloud clients are made once and reused;
// every collection runs under the same overall deadline as `check`.
import { RULES } from '../../rules/index.js';
import { checkOnce, collectOnce, DEFAULT_DEADLINE_MS } from '../app/check.js';
import { cloudApiFor } from '../app/clients.js';
import type { CloudApi } from '../cloud/api.js';
import type { LoadedConfig } from '../config/types.js';
import { makeSource, type CheckSource } from './session.js';

export async function liveSource(loaded: LoadedConfig, opts: { cwd: string; env: NodeJS.ProcessEnv; noProbes?: boolean }): Promise<CheckSource> {
  let api: CloudApi | undefined;
  const client = async (signal: AbortSignal) => (api ??= await cloudApiFor(loaded, opts.env, signal));
  const steps = new Map<string, string>();
  let provision: CheckSource['provision'];
  if (loaded.config.acr.namespace && loaded.config.acr.repository) {
    const { makeProvisionDriver } = await import('../provision/driver.js');
    provision = makeProvisionDriver({
      api: {
        get requestCount() {
          return api?.requestCount ?? 0;
        },
        call: async (product, action, params, o) => (await client(o?.signal ?? AbortSignal.timeout(DEFAULT_DEADLINE_MS))).call(product, action, params, o),
      },
      config: loaded.config,
      cwd: opts.cwd,
      check: async ({ only, signal }) => {
        const { facts, report } = await checkOnce(loaded, {
          env: opts.env,
          signal,
          api: await client(signal),
          ...(opts.noProbes ? { noProbes: true } : {}),
          gate: { waivers: loaded.config.waivers ?? [], ...(only?.length ? { only } : {}) },
        });
        return { facts, report };
      },
    });
  }
  return makeSource({
    rules: RULES,
    ...(loaded.config.waivers ? { waivers: loaded.config.waivers } : {}),
    ...(provision ? { provision } : {}),
    collect: async ({ signal, onStep }) => {
      const { facts } = await collectOnce(loaded, {
        api: await client(signal),
        env: opts.env,
        signal,
        ...(opts.noProbes ? { noProbes: true } : {}),
        onProgress: (e) => {
          const id = `${e.step}${e.step === 'cloud' ? `:${(e.detail ?? '').split(':')[0]}` : ''}`;
          if (e.type === 'step-start') {
            steps.set(id, e.detail ?? e.step);
            onStep({ id, label: e.detail ? `${e.step}: ${e.detail}` : e.step, state: 'running' });
          } else {
            onStep({ id, label: steps.get(id) ? `${e.step}: ${steps.get(id)}` : e.step, state: 'done' });
          }
        },
      });
      return facts;
    },
  });
}
