// What every part of one collection shares: the options it was asked with, the config, the reader
// of the cloud, progress, and the selection (`collect --only/--skip`: which facts to read at all).
import type { CloudApi } from '../../cloud/api.js';
import type { Config, LoadedConfig } from '../../config/types.js';
import type { Fact, Facts } from '../types.js';
import type { CallRecord, CloudReader } from './reader.js';
import { un } from './facts.js';

export interface ProgressEvent {
  type: 'step-start' | 'step-finish';
  step: string;
  detail?: string;
}

export interface CollectOptions {
  api: CloudApi;
  env: NodeJS.ProcessEnv;
  noProbes?: boolean;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** raw evidence sink (support bundle): one entry per API call */
  onCall?: (e: CallRecord) => void;
  /**
   * Fact paths to collect ("cloud.vpc", "gitlab.token": the `needs` of the selected rules); absent =
   * all. What the access path is derived from is always collected. A fact left out is unavailable
   * with reason not-configured, so a rule that reads it skips and says why.
   */
  needs?: readonly string[];
}

/** Facts the access path is derived from: collected whatever rules are selected. */
const PATH_FACTS = ['gitlab.addresses', 'cloud.gitlabEnis', 'cloud.loadBalancers', 'cloud.linkVSwitch', 'cloud.vSwitches'];

export interface Run {
  config: Config;
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  noProbes: boolean;
  cloud: CloudReader;
  input: Facts['input'];
  progress: (e: ProgressEvent) => void;
  /** whether any of these fact paths is selected */
  want: (...paths: string[]) => boolean;
}

export function selection(needs: readonly string[] | undefined): (...paths: string[]) => boolean {
  const wanted = needs ? new Set([...needs, ...PATH_FACTS]) : undefined;
  return (...paths) => !wanted || paths.some((p) => wanted.has(p));
}

/** A fact no selected rule reads. */
export const unselected = <T>(): Fact<T> =>
  un('not-configured', 'not collected: no rule selected by collect --only/--skip reads it', 'config', { hint: 'collect without --only/--skip to include it' });

/** `f()` when one of `paths` is selected, else the unselected fact. */
export const gated = <T>(run: Run, paths: string[], f: () => Promise<Fact<T>>): Promise<Fact<T>> => (run.want(...paths) ? f() : Promise.resolve(unselected<T>()));
