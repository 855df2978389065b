// Loading the config a run works from: the file (-c, ACR_PREFLIGHT_CONFIG or ./preflight.yaml), the
// command-line overrides and the environment, checked against the rule ids this build ships.
import { RULE_IDS } from '../../rules/ids.js';
import { loadConfig } from '../config/load.js';
import type { FlagValues } from '../config/overrides.js';
import type { LoadedConfig } from '../config/types.js';

export interface LoadOptions {
  /** the config file named on the command line, if any */
  file?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** command-line overrides by config path (--region, --endpoint, --profile) */
  flags?: FlagValues;
}

/** The loaded config; its `warnings` are for the caller to show. */
export function loadRunConfig(opts: LoadOptions): LoadedConfig {
  return loadConfig({
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    env: opts.env,
    cwd: opts.cwd,
    flags: opts.flags ?? {},
    ruleIds: RULE_IDS,
  });
}
