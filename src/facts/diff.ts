// What changed between two fact snapshots, in the terms an engineer fixes things in: security-group
// rules added/removed/changed, network-ACL entries, routes, SLB listeners/ACLs/health, the zone, the
// certificate, the token, the binding, the link. Pure; provenance (`at`, `source`), probe timings and
// durations are not changes.
import type { Fact, Facts, NaclEntry, SecurityGroup, SgPermission } from './types.js';

export interface FactChange {
  /** the fact path, as rules name it in `needs`: "cloud.gitlabSecurityGroups", "gitlab.tls", "input" */
  fact: string;
  kind: 'added' | 'removed' | 'changed';
  /** what changed: "sg-bp1base ingress rule sgr-1", "listener 443/tcp", "certificate" */
  subject: string;
  before?: string;
  after?: string;
}

const NOISE_KEYS = new Set(['at', 'source', 'timing', 'ms', 'durationMs']);

function stable(v: unknown): string {
  if (v === undefined) return 'undefined';
  return JSON.stringify(v, (k, x) => (NOISE_KEYS.has(k) ? undefined : x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

/** one value as a short line */
function show(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return v.length ? v.join(', ') : '(empty)';
  const s = stable(v);
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}

export function describePermission(p: SgPermission): string {
  const peer = p.direction === 'ingress'
    ? `from ${p.sourceCidrIp ?? p.sourcePrefixListId ?? p.sourceGroupId ?? 'anywhere'}`
    : `to ${p.destCidrIp ?? p.destPrefixListId ?? p.destGroupId ?? 'anywhere'}`;
  const ports = p.portRangeListId ? `port list ${p.portRangeListId}` : p.portRange;
  return `${p.policy} ${p.ipProtocol} ${ports} ${peer}, priority ${p.priority}${p.sourcePortRange ? `, source ports ${p.sourcePortRange}` : ''}`;
}

function describeNacl(e: NaclEntry): string {
  return `${e.policy} ${e.protocol} ${e.port} ${e.cidr}${e.name ? ` (${e.name})` : ''}`;
}

/**
 * Keyed list diff: items matched by `id` (when it gives one) are "changed" when their description
 * differs; the rest are matched by description, so a rule with no id that is removed and one added
 * are a removal and an addition.
 */
function keyedDiff<T>(fact: string, where: string, before: T[], after: T[], id: (x: T) => string | undefined, describe: (x: T) => string, noun: string): FactChange[] {
  const out: FactChange[] = [];
  const bIds = new Map(before.flatMap((x) => (id(x) ? [[id(x)!, x] as const] : [])));
  const aIds = new Map(after.flatMap((x) => (id(x) ? [[id(x)!, x] as const] : [])));
  const bRest = before.filter((x) => !id(x) || !aIds.has(id(x)!)).map(describe);
  const aRest = after.filter((x) => !id(x) || !bIds.has(id(x)!)).map(describe);
  for (const [k, b] of bIds) {
    const a = aIds.get(k);
    if (a !== undefined && stable(a) !== stable(b)) out.push({ fact, kind: 'changed', subject: `${where}${noun} ${k}`, before: describe(b), after: describe(a) });
  }
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const bc = count(bRest);
  const ac = count(aRest);
  for (const [d, n] of bc) for (let i = 0; i < n - (ac.get(d) ?? 0); i++) out.push({ fact, kind: 'removed', subject: `${where}${noun}`, before: d });
  for (const [d, n] of ac) for (let i = 0; i < n - (bc.get(d) ?? 0); i++) out.push({ fact, kind: 'added', subject: `${where}${noun}`, after: d });
  return out;
}

function groups(fact: string, before: SecurityGroup[], after: SecurityGroup[]): FactChange[] {
  const out: FactChange[] = [];
  const b = new Map(before.map((g) => [g.securityGroupId, g]));
  const a = new Map(after.map((g) => [g.securityGroupId, g]));
  for (const [id, g] of b) if (!a.has(id)) out.push({ fact, kind: 'removed', subject: `security group ${id}`, before: `${g.permissions.length} rules` });
  for (const [id, g] of a) {
    const old = b.get(id);
    if (!old) {
      out.push({ fact, kind: 'added', subject: `security group ${id}`, after: `${g.permissions.length} rules` });
      continue;
    }
    for (const k of ['type', 'innerAccessPolicy', 'vpcId'] as const) {
      if (old[k] !== g[k]) out.push({ fact, kind: 'changed', subject: `security group ${id} ${k}`, before: show(old[k] ?? 'unset'), after: show(g[k] ?? 'unset') });
    }
    out.push(...keyedDiff(fact, `${id} `, old.permissions, g.permissions, (p) => p.ruleId, (p) => `${p.direction} ${describePermission(p)}`, 'rule'));
  }
  return out;
}

/** Changes of one fact whose both sides are available. */
function valueChanges(path: string, before: unknown, after: unknown): FactChange[] {
  const anyB = before as any;
  const anyA = after as any;
  switch (path) {
    case 'cloud.gitlabSecurityGroups':
    case 'cloud.managedSecurityGroups':
      return groups(path, anyB, anyA);
    case 'cloud.gitlabNetworkAcl': {
      if (!anyB || !anyA) break;
      const out = [
        ...keyedDiff(path, `${anyA.networkAclId} `, anyB.ingress as NaclEntry[], anyA.ingress as NaclEntry[], (e) => e.entryId, describeNacl, 'inbound entry'),
        ...keyedDiff(path, `${anyA.networkAclId} `, anyB.egress as NaclEntry[], anyA.egress as NaclEntry[], (e) => e.entryId, describeNacl, 'outbound entry'),
      ];
      for (const dir of ['ingress', 'egress'] as const) {
        const bo = (anyB[dir] as NaclEntry[]).map(describeNacl);
        const ao = (anyA[dir] as NaclEntry[]).map(describeNacl);
        if (!out.length && bo.length === ao.length && stable([...bo].sort()) === stable([...ao].sort()) && stable(bo) !== stable(ao)) {
          out.push({ fact: path, kind: 'changed', subject: `${anyA.networkAclId} ${dir === 'ingress' ? 'inbound' : 'outbound'} entry order`, before: bo.join('; '), after: ao.join('; ') });
        }
      }
      if (out.length) return out;
      break;
    }
    case 'cloud.vbrRouteEntries':
      return keyedDiff(path, '', anyB, anyA, (e: any) => e.destinationCidrBlock, (e: any) => `${e.destinationCidrBlock} → ${e.nextHops.map((h: any) => `${h.nextHopType} ${h.nextHopId}`).join(', ') || 'no next hop'} (${e.status}, ${e.type})`, 'route');
    case 'cloud.loadBalancers': {
      const out: FactChange[] = [];
      const b = new Map((anyB as any[]).map((l) => [l.loadBalancerId, l]));
      for (const l of anyA as any[]) {
        const old = b.get(l.loadBalancerId);
        if (!old) {
          out.push({ fact: path, kind: 'added', subject: `SLB ${l.loadBalancerId}`, after: l.address });
          continue;
        }
        const id = l.loadBalancerId;
        if (old.status !== l.status) out.push({ fact: path, kind: 'changed', subject: `SLB ${id} status`, before: show(old.status ?? 'unknown'), after: show(l.status ?? 'unknown') });
        out.push(...keyedDiff(path, `SLB ${id} `, old.listeners, l.listeners, (x: any) => `${x.listenerPort}/${x.listenerProtocol}`, (x: any) => `${x.listenerPort}/${x.listenerProtocol} ${x.status}, ACL ${x.aclStatus}${x.aclType ? ` ${x.aclType}` : ''}${x.aclIds?.length ? ` ${x.aclIds.join(',')}` : x.aclId ? ` ${x.aclId}` : ''}`, 'listener'));
        out.push(...keyedDiff(path, `SLB ${id} `, old.acls, l.acls, (x: any) => x.aclId, (x: any) => `${x.aclId}: ${x.entries.join(', ') || '(empty)'}`, 'ACL'));
        out.push(...keyedDiff(path, `SLB ${id} `, old.backends, l.backends, (x: any) => `${x.serverId}:${x.port ?? ''}`, (x: any) => `${x.serverId}${x.port ? `:${x.port}` : ''} ${x.healthStatus}`, 'backend'));
      }
      for (const [id, l] of b) if (!(anyA as any[]).some((x) => x.loadBalancerId === id)) out.push({ fact: path, kind: 'removed', subject: `SLB ${id}`, before: l.address });
      return out;
    }
    case 'cloud.vSwitches':
      return keyedDiff(path, '', anyB, anyA, (x: any) => x.vSwitchId, (x: any) => `${x.vSwitchId} ${x.cidrBlock} in ${x.zoneId}${x.networkAclId ? `, ACL ${x.networkAclId}` : ''}`, 'vSwitch');
    case 'cloud.prefixLists':
      return keyedDiff(path, '', anyB, anyA, (x: any) => x.prefixListId, (x: any) => `${x.prefixListId}: ${x.entries.join(', ')}`, 'prefix list');
    case 'cloud.managedEnis':
    case 'cloud.gitlabEnis':
      return keyedDiff(path, '', anyB, anyA, (x: any) => x.networkInterfaceId ?? x.instanceId, (x: any) => `${x.networkInterfaceId ?? x.instanceId ?? 'ENI'} in ${x.vSwitchId} (${x.privateIpAddresses.join(', ')}), groups ${x.securityGroupIds.join(', ')}`, 'ENI');
    default:
      break;
  }
  return leafChanges(path, before, after);
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Generic: the leaves that differ, named by their path inside the value ("zoneId", "gitlab.endpoint"). */
function leafChanges(fact: string, before: unknown, after: unknown, at = ''): FactChange[] {
  if (stable(before) === stable(after)) return [];
  const subject = at ? `${label(fact)} ${at}` : label(fact);
  if (!isPlain(before) || !isPlain(after)) {
    if (at) return [{ fact, kind: 'changed', subject, before: show(before ?? 'unset'), after: show(after ?? 'unset') }];
    return [{ fact, kind: before === null || before === undefined ? 'added' : after === null || after === undefined ? 'removed' : 'changed', subject, ...(before != null ? { before: show(before) } : {}), ...(after != null ? { after: show(after) } : {}) }];
  }
  const out: FactChange[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (NOISE_KEYS.has(k)) continue;
    out.push(...leafChanges(fact, before[k], after[k], at ? `${at}.${k}` : k));
  }
  return out;
}

const LABELS: Record<string, string> = {
  'cloud.linkVSwitch': 'link vSwitch', 'cloud.gitlabVSwitch': 'GitLab vSwitch', 'gitlab.tls': 'certificate', 'gitlab.token': 'token',
  'cloud.sourceBinding': 'source binding', 'cloud.repository': 'repository', 'cloud.vbr': 'VBR', 'cloud.acrInstance': 'ACR instance',
  'cloud.vpc': 'VPC', 'gitlab.project': 'project', 'gitlab.user': 'token owner', 'gitlab.probeLocal': 'local probe', 'gitlab.probeJump': 'jump-host probe',
  'hosts.gitlabHost': 'GitLab host', 'hosts.idcRouter': 'IDC router', 'gitlab.addresses': 'GitLab addresses', input: 'config',
};
const label = (fact: string) => LABELS[fact] ?? fact;

function factChanges(path: string, b: Fact<unknown>, a: Fact<unknown>): FactChange[] {
  if (b.state === 'ok' && a.state === 'ok') return valueChanges(path, b.value, a.value);
  const side = (f: Fact<unknown>) => (f.state === 'ok' ? 'available' : `unavailable (${f.reason}${f.code ? ` ${f.code}` : ''}: ${f.message})`);
  if (b.state !== a.state || (b.state === 'unavailable' && a.state === 'unavailable' && (b.reason !== a.reason || b.message !== a.message))) {
    return [{ fact: path, kind: 'changed', subject: label(path), before: side(b), after: side(a) }];
  }
  return [];
}

/** Every fact change between two snapshots, in fact order (config first). */
export function diffFacts(before: Facts, after: Facts): FactChange[] {
  const out: FactChange[] = leafChanges('input', before.input, after.input);
  for (const group of ['cloud', 'gitlab', 'hosts'] as const) {
    const b = before[group] as Record<string, Fact<unknown>>;
    const a = after[group] as Record<string, Fact<unknown>>;
    for (const k of Object.keys({ ...b, ...a })) {
      if (!b[k] || !a[k]) continue;
      out.push(...factChanges(`${group}.${k}`, b[k]!, a[k]!));
    }
  }
  return out;
}
