// Step "link" (guided): the build VPC link has no public API (docs/alibaba-api.md). Detect it — the
// ServiceManaged security group in the VPC whose egress admits GitLab and every extraEndpoints
// entry, and the managed ENI in the chosen vSwitch — else show the exact console values, wait, and
// verify by re-running the link-present rule with backoff until it passes.
import type { Config } from '../../config/types.js';
import { ProvisionError } from '../../errors.js';
import type { ProvisionRuntime } from '../context.js';
import { gitlabAddress, linkState, type CheckRun, type LinkState } from '../state.js';
import type { GuidedAction, PlanStep } from '../types.js';
import { Waiter } from '../util.js';
import { isAbort } from '../journal.js';

export const LINK_CONSOLE_PATH = 'ACR console → Instances → <instance> → Repositories → Code Source → GitLab → Manage Link';

export function linkGuide(config: Config, run: CheckRun, link?: LinkState): GuidedAction {
  const ip = gitlabAddress(run.facts);
  const incomplete = Boolean(link?.present && !link.ok);
  const missing = run.report.results.find((r) => r.ruleId === 'link-present' && r.messageId === 'missingTargets')?.data.missing;
  const port = run.facts.input.gitlab.port;
  const extra = (config.extraEndpoints ?? []).map((e) => e.replace(/:\d+$/, ''));
  const zone = run.facts.cloud.linkVSwitch.state === 'ok' ? ` (${run.facts.cloud.linkVSwitch.value.zoneId})` : '';
  return {
    title: incomplete ? 'Complete the build link ("Manage Link") in the ACR console' : 'Create the build link ("Manage Link") in the ACR console',
    consolePath: LINK_CONSOLE_PATH.replace('<instance>', config.acr.instanceId),
    values: [
      { label: 'GitLab private IP', value: ip },
      { label: 'Other IPs', value: extra.length ? [...new Set(extra)].join(', ') : '(none)' },
      { label: 'VPC', value: config.vpc.vpcId },
      { label: 'vSwitch', value: `${config.vpc.vSwitchId}${zone}` },
    ],
    instructions: [
      ...(incomplete ? [`The link exists but its managed security group does not admit ${missing ?? 'every endpoint'}: edit it so that it lists all the IPs below.`] : []),
      `Open ${LINK_CONSOLE_PATH.replace('<instance>', config.acr.instanceId)}.`,
      `Select VPC ${config.vpc.vpcId} and vSwitch ${config.vpc.vSwitchId}.`,
      `Enter the GitLab private IP ${ip} (GitLab listens on port ${port})${extra.length ? ` and the other IPs ${[...new Set(extra)].join(', ')}` : ''}, then confirm.`,
    ],
    verify: `a ServiceManaged security group in ${config.vpc.vpcId} whose egress admits ${ip}:${port}${(config.extraEndpoints ?? []).map((e) => `, ${e}`).join('')}, and its ENI in ${config.vpc.vSwitchId} (rule link-present)`,
  };
}

export function planLink(config: Config, run: CheckRun, link: LinkState): PlanStep {
  const base = { id: 'link', phase: 'link' as const, title: `Build link (VPC link) in ${config.vpc.vpcId} / ${config.vpc.vSwitchId}`, calls: [] };
  if (link.present && link.ok) {
    return {
      ...base,
      kind: 'done',
      why: 'the link exists: nothing to do',
      notes: [`found: security group ${link.securityGroupIds.join(', ') || '?'}, ENI ${link.eniIds.join(', ') || '?'} — ${link.message}`],
    };
  }
  const guide = linkGuide(config, run, link);
  return {
    ...base,
    kind: 'guided',
    why: link.present
      ? `the link exists but is incomplete (${link.message}); "Manage Link" has no public API, so a person edits it in the console`
      : '"Manage Link" has no public API: a person creates it in the console, then the tool verifies it',
    guided: guide,
    notes: ['after the console step: polled with backoff until it is verified (--wait-timeout)'],
  };
}

export function cannotWaitError(step: string, guide: GuidedAction): ProvisionError {
  const values = guide.values.map((v) => `${v.label}: ${v.value}`).join('; ');
  return new ProvisionError(
    'ERR_GUIDED_STEP',
    `${step}: a console step is needed and nobody can do it in a non-interactive run — ${guide.title}: ${guide.consolePath}; ${values}`,
    { hint: 'do it in the console, then re-run provision (or run on a terminal, or pass --wait-timeout SECONDS to wait for it)' },
  );
}

/** What provision says once the link is verified. */
function verifiedMessage(state: LinkState): string {
  return `link verified: security group ${state.securityGroupIds.join(', ')}, ENI ${state.eniIds.join(', ')} — ${state.message}`;
}

/**
 * What the wait says about the link so far. An absent link (link-present warns) is put in
 * provision's own words: the rule's advice is to run provision, which is what is running.
 */
function waitingNote(state: LinkState, vpcId: string): string {
  return !state.present && state.status === 'warn' ? `not linked yet: no ACR-managed security group in ${vpcId} so far` : state.message;
}

/** Wait until the link passes link-present (or fail on timeout). Ctrl-C aborts through rt.signal. */
export async function runLink(rt: ProvisionRuntime, step: PlanStep): Promise<LinkState | undefined> {
  if (step.kind === 'done') {
    rt.emit({ type: 'provision-verified', stepId: 'link', message: step.notes[0] ?? 'link present' });
    return undefined;
  }
  const guide = step.guided!;
  // done since the plan was made (the person read the plan and did it before confirming)?
  const already = linkState(await rt.check({ only: ['link-present'], signal: rt.signal }), rt.config.vpc.vSwitchId);
  if (already.present && already.ok) {
    rt.emit({ type: 'provision-verified', stepId: 'link', message: verifiedMessage(already) });
    return already;
  }
  rt.emit({ type: 'provision-guided', prompt: { stepId: 'link', title: guide.title, instructions: [...guide.instructions, `Waiting until it appears (${Math.round(rt.options.waitTimeoutMs / 1000)} s) — Ctrl-C stops; run provision again later.`], values: guide.values } });
  if (!rt.options.canWait) throw cannotWaitError('link', guide);
  rt.emit({ type: 'provision-step', stepId: 'link', state: 'waiting', note: 'waiting for the console step' });
  const b = rt.journal.begin('guided-link', 'link', { vpcId: rt.config.vpc.vpcId, vSwitchId: rt.config.vpc.vSwitchId });
  const deadline = rt.now() + rt.options.waitTimeoutMs;
  const waiter = new Waiter(rt.options.guidedPoll);
  let last = '';
  try {
    for (;;) {
      const run = await rt.check({ only: ['link-present'], signal: rt.signal });
      const state = linkState(run, rt.config.vpc.vSwitchId);
      if (state.present && state.ok) {
        rt.journal.end(b, true, { result: { securityGroupIds: state.securityGroupIds, eniIds: state.eniIds } });
        rt.emit({ type: 'provision-verified', stepId: 'link', message: verifiedMessage(state) });
        return state;
      }
      const note = waitingNote(state, rt.config.vpc.vpcId);
      if (note !== last) {
        last = note;
        rt.emit({ type: 'provision-step', stepId: 'link', state: 'waiting', note });
      }
      const left = deadline - rt.now();
      if (left <= 0) {
        rt.journal.end(b, false, { error: `timed out: ${note}` });
        throw new ProvisionError('ERR_GUIDED_TIMEOUT', `link: not verified within ${Math.round(rt.options.waitTimeoutMs / 1000)} s (${note})`, {
          hint: 'finish "Manage Link" in the console, then run provision again (nothing is redone)',
        });
      }
      await rt.sleep(waiter.next(left), rt.signal);
    }
  } catch (err) {
    // a wait is no side effect: close it, so a plain re-run (or --resume) simply looks again
    if (isAbort(err)) rt.journal.end(b, false, { error: 'interrupted while waiting' });
    throw err;
  }
}
