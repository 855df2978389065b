// Fixes as data, proven before anyone applies them. A rule that fails offers fixes: patches to the
// fact snapshot (the change, in the vocabulary of the facts) plus how to make the change real (the
// documented API calls, or console steps where no API exists). The engine applies each fix's
// patches to a copy of the facts and runs every rule again: a fix is *verified* only when its rule
// then passes and no other rule gets worse. The same patches, written by hand, are what `what-if`
// applies to a support bundle.
import type { Facts, LoadBalancer, RouteEntry, TokenInfo, VSwitch } from '../facts/types.js';
import type { FactPatch, Status } from './types.js';

export type { ApiCall, FactPatch, Fix, FixProof } from './types.js';

export const PATCH_OPS: readonly FactPatch['op'][] = [
  'add-sg-rule', 'remove-sg-rule', 'insert-acl-entry', 'remove-acl-entry', 'set-vbr-route', 'remove-vbr-route',
  'add-slb-acl-entry', 'remove-slb-acl-entry', 'set-slb-listener', 'use-vswitch', 'set-token-scopes',
];

/** Thrown when a patch names a resource the snapshot does not have. */
export class PatchError extends Error {}

const clone = <T>(v: T): T => structuredClone(v);

function okValue<T>(fact: { state: string; value?: T }, what: string): T {
  if (fact.state !== 'ok') throw new PatchError(`${what} is not in the facts (it could not be collected)`);
  return fact.value as T;
}

/** Every network ACL the snapshot holds: GitLab's vSwitch's and, on the SLB path, the backends'. */
function aclsOf(facts: Facts) {
  const acl = facts.cloud.gitlabNetworkAcl;
  const out = acl.state === 'ok' && acl.value ? [acl.value] : [];
  const backends = facts.cloud.slbBackendNetworks;
  if (backends?.state === 'ok') for (const b of backends.value) if (b.networkAcl) out.push(b.networkAcl);
  return out;
}

function applyOne(f: Facts, p: FactPatch): void {
  switch (p.op) {
    case 'add-sg-rule':
    case 'remove-sg-rule': {
      const groups = [
        ...(f.cloud.gitlabSecurityGroups.state === 'ok' ? f.cloud.gitlabSecurityGroups.value : []),
        ...(f.cloud.managedSecurityGroups.state === 'ok' ? f.cloud.managedSecurityGroups.value : []),
      ].filter((g) => g.securityGroupId === p.securityGroupId);
      if (!groups.length) throw new PatchError(`security group ${p.securityGroupId} is not in the facts`);
      for (const g of groups) {
        if (p.op === 'add-sg-rule') g.permissions.push(clone(p.rule));
        else {
          const before = g.permissions.length;
          g.permissions = g.permissions.filter((r) => r.ruleId !== p.ruleId);
          if (g.permissions.length === before) throw new PatchError(`security group ${p.securityGroupId} has no rule ${p.ruleId}`);
        }
      }
      return;
    }
    case 'insert-acl-entry':
    case 'remove-acl-entry': {
      const acls = aclsOf(f).filter((a) => a.networkAclId === p.networkAclId);
      if (!acls.length) throw new PatchError(`network ACL ${p.networkAclId} is not in the facts`);
      for (const a of acls) {
        const list = a[p.direction];
        if (p.op === 'insert-acl-entry') list.splice(Math.max(0, Math.min(p.position - 1, list.length)), 0, clone(p.entry));
        else {
          if (p.position < 1 || p.position > list.length) throw new PatchError(`network ACL ${p.networkAclId} has no ${p.direction} entry at position ${p.position}`);
          list.splice(p.position - 1, 1);
        }
      }
      return;
    }
    case 'set-vbr-route':
    case 'remove-vbr-route': {
      const entries = okValue<RouteEntry[]>(f.cloud.vbrRouteEntries, 'the VBR route table');
      const i = entries.findIndex((e) => e.destinationCidrBlock === p.destinationCidrBlock);
      if (p.op === 'remove-vbr-route') {
        if (i < 0) throw new PatchError(`the VBR route table has no route for ${p.destinationCidrBlock}`);
        entries.splice(i, 1);
      } else {
        const entry = { destinationCidrBlock: p.destinationCidrBlock, status: 'Available', type: 'Custom', nextHops: clone(p.nextHops) };
        if (i >= 0) entries[i] = { ...entries[i]!, ...entry };
        else entries.push(entry);
      }
      return;
    }
    case 'add-slb-acl-entry':
    case 'remove-slb-acl-entry': {
      const lbs = okValue<LoadBalancer[]>(f.cloud.loadBalancers, 'the load balancers');
      const acls = lbs.flatMap((lb) => lb.acls).filter((a) => a.aclId === p.aclId);
      if (!acls.length) throw new PatchError(`SLB access control list ${p.aclId} is not in the facts`);
      for (const a of acls) {
        if (p.op === 'add-slb-acl-entry') {
          if (!a.entries.includes(p.entry)) a.entries.push(p.entry);
        } else {
          if (!a.entries.includes(p.entry)) throw new PatchError(`SLB access control list ${p.aclId} has no entry ${p.entry}`);
          a.entries = a.entries.filter((e) => e !== p.entry);
        }
      }
      return;
    }
    case 'set-slb-listener': {
      const lbs = okValue<LoadBalancer[]>(f.cloud.loadBalancers, 'the load balancers');
      const lb = lbs.find((l) => l.loadBalancerId === p.loadBalancerId);
      const listener = lb?.listeners.find((l) => l.listenerPort === p.listenerPort);
      if (!listener) throw new PatchError(`load balancer ${p.loadBalancerId} has no listener on port ${p.listenerPort}`);
      if (p.status !== undefined) listener.status = p.status;
      if (p.aclStatus !== undefined) listener.aclStatus = p.aclStatus;
      return;
    }
    case 'use-vswitch': {
      const all = okValue<VSwitch[]>(f.cloud.vSwitches, "the VPC's vSwitches");
      const vsw = all.find((v) => v.vSwitchId === p.vSwitchId);
      if (!vsw) throw new PatchError(`vSwitch ${p.vSwitchId} is not in the VPC's vSwitches`);
      f.input.vpc.vSwitchId = vsw.vSwitchId;
      f.cloud.linkVSwitch = { state: 'ok', value: clone(vsw), source: 'patch', at: f.collectedAt };
      return;
    }
    case 'set-token-scopes': {
      const t = okValue<TokenInfo>(f.gitlab.token, 'the GitLab token');
      t.scopes = [...p.scopes];
      return;
    }
  }
}

/** The snapshot with the patches applied, in order (the input is not changed). */
export function applyPatches(facts: Facts, patches: readonly FactPatch[]): Facts {
  const f = clone(facts);
  for (const p of patches) applyOne(f, p);
  return f;
}

const RANK: Record<Status, number> = { pass: 0, skip: 0, warn: 1, error: 2, fail: 3 };

/** Is `to` worse than `from`? (pass and skip are alike: a rule that no longer applies is not a regression) */
export function worse(from: Status, to: Status): boolean {
  return RANK[to] > RANK[from];
}
