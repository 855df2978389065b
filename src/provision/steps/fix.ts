// Steps "fix:<rule>:<n>": the fixes rules offer (RuleResult.fixes, e.g. AuthorizeSecurityGroup for a
// missing 100.104.0.0/16 ingress rule) that the engine proved (the rule passes with the fix applied
// and no other rule gets worse) and that a documented API call makes real. Only with --fix, only
// after confirmation, never on a service-managed security group, in the order of the proof; the
// gate is checked again afterwards.
import type { ApiCall, Fix, Report } from '../../engine/types.js';
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

export function touchesManaged(call: ApiCall, facts: Facts): string | undefined {
  const managed = managedGroups(facts);
  for (const k of GROUP_PARAMS) {
    const v = call.params[k];
    if (typeof v === 'string' && managed.has(v)) return v;
  }
  return undefined;
}

/** Why a fix is not applied automatically, or undefined when it is. */
function notApplicable(fix: Fix, facts: Facts): string | undefined {
  if (fix.proof?.state !== 'verified') {
    const p = fix.proof;
    if (!p) return 'it was not proven';
    if (p.state === 'breaks') return `it would make ${p.breaks.map((b) => `${b.ruleId} ${b.to}`).join(', ')}`;
    return `with it the rule would still be ${p.after}${p.remaining ? ` (${p.remaining})` : ''}`;
  }
  if (!fix.calls?.length) return 'no API makes it: follow its steps by hand';
  for (const c of fix.calls) {
    const managed = touchesManaged(c, facts);
    if (managed) return `${c.action} on ${managed} refused: the group is managed by a cloud service`;
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
      const why = notApplicable(fix, facts);
      if (why) {
        skipped.push(`${r.ruleId}: "${fix.title}" not applied: ${why}`);
        return;
      }
      steps.push({
        id: `fix:${r.ruleId}:${i + 1}`,
        phase: 'fix',
        title: `Fix ${r.ruleId}: ${fix.title}`,
        kind: 'api',
        why: fix.why,
        calls: fix.calls!.map((c) => ({ product: c.product, action: c.action, params: { ...c.params } })),
        notes: [`${r.ruleId} is ${r.status}: ${r.message}`, `proven: with this change ${r.ruleId} passes and no other rule gets worse`],
      });
    });
  }
  return { steps, skipped };
}

export async function runFix(rt: ProvisionRuntime, step: PlanStep): Promise<void> {
  for (const [i, c] of step.calls.entries()) {
    const key = step.calls.length > 1 ? `${step.id}:${i + 1}` : step.id;
    await rt.journal.around('fix', key, { product: c.product, action: c.action, ...c.params }, () => call(rt.api, c.product, c.action, c.params, rt.signal));
  }
  rt.emit({ type: 'provision-verified', stepId: step.id, message: step.calls.map((c) => `${c.product}:${c.action}`).join(', ') + ' applied' });
}
