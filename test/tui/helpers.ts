// Test helpers for the TUI: its scenario on the shared test world, a source over the shared test
// rules, a frame poller.
import assert from 'node:assert/strict';
import type { Rule } from '../../src/engine/types.js';
import type { AcrRepository, Facts, SourceBinding } from '../../src/facts/types.js';
import type { CollectStep } from '../../src/tui/events.js';
import { makeSource, type CheckSource, type ProvisionDriver } from '../../src/tui/session.js';
import { group, makeFacts, ok, perm, ZONES } from '../helpers/facts.js';
import { TUI_RULES } from '../helpers/rules.js';

/**
 * The TUI's scenario on the shared ECS world: GitLab's group sg-gitlab admits ssh from 10.0.0.0/8 and,
 * on 443, either all of 100.104.0.0/16 (sgAdmits) or only its lower half (rule sgr-half); the link
 * exists only when `linked`; the repository and its binding are as given (else the healthy world's).
 */
export function tuiFacts(opts: { sgAdmits?: boolean; linked?: boolean; repository?: AcrRepository | null; binding?: SourceBinding | null } = {}): Facts {
  return makeFacts((f) => {
    f.cloud.gitlabSecurityGroups = ok([
      group('sg-gitlab', [
        perm({ policy: 'accept', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' }),
        opts.sgAdmits
          ? perm({ ruleId: 'sgr-acr', policy: 'accept', sourceCidrIp: '100.104.0.0/16' })
          : perm({ ruleId: 'sgr-half', policy: 'accept', sourceCidrIp: '100.104.0.0/17' }),
      ]),
    ]);
    if (!opts.linked) {
      f.cloud.managedSecurityGroups = ok([]);
      f.cloud.managedEnis = ok([]);
    }
    if (opts.repository !== undefined) f.cloud.repository = ok(opts.repository);
    if (opts.binding !== undefined) f.cloud.sourceBinding = ok(opts.binding);
  });
}

/** A source whose collection reports steps and can be held open until release() is called. */
export function testSource(opts: { facts: () => Facts; hold?: boolean; provision?: ProvisionDriver; docs?: Record<string, string>; rules?: Rule[] }): CheckSource & {
  release: () => void;
  collections: number;
} {
  let release: () => void = () => {};
  const src = makeSource({
    rules: opts.rules ?? TUI_RULES,
    collect: async ({ onStep, signal }) => {
      out.collections++;
      const step: CollectStep = { id: 'round-1', label: 'round 1: DescribeInstances', state: 'running' };
      onStep(step);
      if (opts.hold) {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
        });
      }
      onStep({ ...step, state: 'done' });
      return opts.facts();
    },
    now: () => new Date('2026-11-28T10:00:00Z'),
    zones: ZONES,
    docs: (id) => opts.docs?.[id],
    ...(opts.provision ? { provision: opts.provision } : {}),
  });
  const out = Object.assign(src, { release: () => release(), collections: 0 });
  return out;
}

/** Poll until `get()` matches (frames update asynchronously). */
export async function waitFor(get: () => string | undefined, re: RegExp, ms = 5000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const v = get() ?? '';
    if (re.test(v)) return v;
    if (Date.now() - t0 > ms) assert.fail(`timeout waiting for ${re}\n--- last frame ---\n${v}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
