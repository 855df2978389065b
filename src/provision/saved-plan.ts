// A plan saved with `--plan-only --format json` and applied later with `--plan FILE`: what was
// reviewed is what runs — the steps with every call and parameter, and the state they were planned from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, ProvisionError } from '../errors.js';
import { stepDifferences } from './plan.js';
import { fingerprintChanges, onlyProgress, wantedSourcePart } from './state.js';
import type { Plan } from './types.js';

export function readSavedPlan(file: string, cwd: string): Plan {
  const abs = resolve(cwd, file);
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(abs, 'utf8')) as Plan;
  } catch (err) {
    throw new InputError(`${file}: cannot read a saved plan (${(err as Error).message.split('\n')[0]})`, 'save one with provision --plan-only --format json > plan.json');
  }
  if (plan?.kind !== 'acr-preflight-plan' || plan.schemaVersion !== 1 || typeof plan.fingerprint !== 'string') {
    throw new InputError(`${file}: not a provision plan (kind acr-preflight-plan, schemaVersion 1)`, 'save one with provision --plan-only --format json > plan.json');
  }
  return plan;
}

/** Throws unless the saved plan still matches the plan made now (progress of the plan itself is fine). */
export function assertSavedPlanMatches(file: string, saved: Plan, plan: Plan, project: string): void {
  if (saved.target.key !== plan.target.key) {
    throw new ProvisionError('ERR_PLAN_TARGET', `${file}: the plan is for ${saved.target.key}, the config for ${plan.target.key}`, { hint: 'use the config the plan was made with' });
  }
  const stepChanges = stepDifferences(saved, plan);
  const stateChanges = saved.fingerprint === plan.fingerprint ? [] : fingerprintChanges(saved.observed ?? {}, plan.observed ?? {});
  const progress = saved.observed && plan.observed && onlyProgress(saved.observed, plan.observed, wantedSourcePart(project));
  if (stepChanges.length || (stateChanges.length && !progress) || (saved.fingerprint !== plan.fingerprint && !saved.observed)) {
    const what = [...stateChanges, ...stepChanges];
    throw new ProvisionError('ERR_STALE_PLAN', `${file}: the plan no longer matches (made ${saved.createdAt}): ${what.join('; ') || 'the state changed'}; nothing was written`, {
      hint: 'make a new plan (provision --plan-only --format json) and review it',
    });
  }
}
