// The gate flags shared by check and analyze: --fail-on, --only, --skip, --no-waivers.
import type { WaiverConfig } from '../config/types.js';
import type { RunOptions } from '../engine/runner.js';
import type { FailOn } from '../engine/verdict.js';
import { UsageError } from '../errors.js';
import { nearest } from '../util/nearest.js';

export interface GateOptions {
  failOn: FailOn;
  only?: string[];
  skip?: string[];
  /** --no-waivers: audit what the waivers hide */
  noWaivers: boolean;
}

function list(flag: string, v: unknown, ruleIds: readonly string[]): string[] | undefined {
  if (v === undefined) return undefined;
  const raw = Array.isArray(v) ? v.join(',') : String(v);
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.length) throw new UsageError(`--${flag} needs rule ids, e.g. --${flag} sg-ingress,nacl-ingress`, 'run `acr-preflight rules` to list the ids');
  for (const id of ids) {
    if (ruleIds.length && !ruleIds.includes(id)) {
      const guess = nearest(id, ruleIds);
      throw new UsageError(`--${flag}: unknown rule id "${id}"${guess ? ` (did you mean ${guess}?)` : ''}`, 'run `acr-preflight rules` to list the ids');
    }
  }
  return [...new Set(ids)];
}

/** Parse the gate flags of a command's values. `ruleIds` are the registry's ids (for checking --only/--skip). */
export function parseGateOptions(values: Record<string, unknown>, ruleIds: readonly string[]): GateOptions {
  const f = values['fail-on'];
  let failOn: FailOn = 'fail';
  if (f !== undefined) {
    if (f !== 'warn' && f !== 'fail') {
      throw new UsageError(`--fail-on must be warn or fail, got "${String(f)}"`, '--fail-on warn also fails the gate on warnings; the default is fail');
    }
    failOn = f;
  }
  const gate: GateOptions = { failOn, noWaivers: values['no-waivers'] === true };
  const only = list('only', values.only, ruleIds);
  const skip = list('skip', values.skip, ruleIds);
  if (only) gate.only = only;
  if (skip) gate.skip = skip;
  if (only && skip && only.every((id) => skip.includes(id))) {
    throw new UsageError('--only and --skip leave no rule to run', 'drop one of them');
  }
  return gate;
}

/** The RunOptions pieces the gate decides (waivers from the config unless --no-waivers). */
export function gateRunOptions(gate: GateOptions, waivers: WaiverConfig[] | undefined): Pick<RunOptions, 'failOn' | 'only' | 'skip' | 'waivers'> {
  return {
    failOn: gate.failOn,
    ...(gate.only ? { only: gate.only } : {}),
    ...(gate.skip ? { skip: gate.skip } : {}),
    waivers: gate.noWaivers ? [] : waivers ?? [],
  };
}
