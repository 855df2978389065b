// Steps "fix:<rule>:<n>": the one-call fixes rules offer (RuleResult.fixes, e.g. AuthorizeSecurityGroup
// for a missing 100.104.0.0/16 ingress rule). Only with --fix, only after confirmation, never on a
// service-managed security group, applied before the gate is checked again.
import type { FixAction, Report } from '../../engine/types.js';
import type { Facts } from '../../facts/types.js';
import type { ProvisionRuntime } from '../context.js';
import type { PlanStep } from '../types.js';
import { call } from '../util.js';

const GROUP_PARAMS = ['SecurityGroupId', 'DestGroupId', 'SourceGroupId'];

function managedGroups(facts: Facts): Set<string> {
  const ids = new Set<string>();
  const f = facts.cloud.managedSecurityGroups;
  if (f.state === 'ok') for (const g of f.value) ids.add(g.securityGroupId);
  const g = facts.cloud.gitlabSecurityGroups;
  if (g.state === 'ok') for (const s of g.value) if (s.serviceManaged) ids.add(s.securityGroupId);
  return ids;
}

export function touchesManaged(fix: FixAction, facts: Facts): string | undefined {
  const managed = managedGroups(facts);
  for (const k of GROUP_PARAMS) {
    const v = fix.params[k];
    if (typeof v === 'string' && managed.has(v)) return v;
  }
  return undefined;
}

/** Fix steps for the blocking results that offer fixes; `skipped` lists fixes refused (managed groups). */
export function planFixes(report: Report, facts: Facts, blockingIds: readonly string[]): { steps: PlanStep[]; skipped: string[] } {
  const steps: PlanStep[] = [];
  const skipped: string[] = [];
  for (const r of report.results) {
    if (!blockingIds.includes(r.ruleId) || !r.fixes?.length) continue;
    r.fixes.forEach((fix, i) => {
      const managed = touchesManaged(fix, facts);
      if (managed) {
        skipped.push(`${r.ruleId}: ${fix.action} on ${managed} refused: the group is managed by a cloud service`);
        return;
      }
      steps.push({
        id: `fix:${r.ruleId}:${i + 1}`,
        phase: 'fix',
        title: `Fix ${r.ruleId}: ${fix.action}`,
        kind: 'api',
        why: fix.why,
        calls: [{ product: fix.product, action: fix.action, params: { ...fix.params } }],
        notes: [`${r.ruleId} is ${r.status}: ${r.message}`],
      });
    });
  }
  return { steps, skipped };
}

export async function runFix(rt: ProvisionRuntime, step: PlanStep): Promise<void> {
  const c = step.calls[0]!;
  await rt.journal.around('fix', step.id, { product: c.product, action: c.action, ...c.params }, () => call(rt.api, c.product, c.action, c.params, rt.signal));
  rt.emit({ type: 'provision-verified', stepId: step.id, message: `${c.product}:${c.action} applied` });
}
