// Fixes as fact patches and their proof: every failure class the rules know offers a fix that the
// engine verifies by re-running every rule; a fix that breaks another rule is shown as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../rules/index.js';
import { applyPatches, PatchError, type Fix } from '../../src/engine/fixes.js';
import { runRules } from '../../src/engine/runner.js';
import type { Available, Eni, Facts, RouteEntry } from '../../src/facts/types.js';
import type { Rule } from '../../src/engine/types.js';
import { acl, group, healthyLoadBalancer, makeFacts, makeIdcFacts, makeSlbFacts, NOW, ok, perm } from '../helpers/facts.js';
import { breakingFixRule, insufficientFixRule } from '../helpers/rules.js';

const run = (facts: Facts, rules: readonly Rule[] = RULES) => runRules(facts, { rules, now: NOW });
const result = (facts: Facts, id: string) => run(facts).results.find((r) => r.ruleId === id)!;
const sgFacts = (...groups: ReturnType<typeof group>[]) =>
  makeFacts((f) => {
    f.cloud.gitlabSecurityGroups = ok(groups);
    f.cloud.gitlabEnis = ok([{ ...(f.cloud.gitlabEnis as Available<Eni[]>).value[0]!, securityGroupIds: groups.map((g) => g.securityGroupId) }]);
  });

interface FailureClass {
  name: string;
  rule: string;
  facts: Facts;
}

const CLASSES: FailureClass[] = [
  { name: 'security group: only half the range admitted', rule: 'sg-ingress', facts: sgFacts(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/17' })])) },
  {
    name: 'security group: a drop wins a priority tie',
    rule: 'sg-ingress',
    facts: sgFacts(group('sg-a', [perm({ ruleId: 'sgr-acc', policy: 'accept', priority: 1, sourceCidrIp: '100.104.0.0/16' }), perm({ ruleId: 'sgr-drop', policy: 'drop', priority: 1, sourceCidrIp: '100.104.64.0/18' })])),
  },
  { name: 'security group: the wrong port', rule: 'sg-ingress', facts: sgFacts(group('sg-a', [perm({ policy: 'accept', portRange: '80/80', sourceCidrIp: '100.104.0.0/16' })])) },
  { name: 'security group: UDP only', rule: 'sg-ingress', facts: sgFacts(group('sg-a', [perm({ policy: 'accept', ipProtocol: 'UDP', sourceCidrIp: '100.104.0.0/16' })])) },
  {
    name: 'network ACL: the request is dropped',
    rule: 'nacl-ingress',
    facts: makeFacts((f) => {
      f.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'drop', protocol: 'all', port: '-1/-1', cidr: '100.104.0.0/17' }, { policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }], [{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }]));
    }),
  },
  {
    name: 'network ACL: the reply is dropped',
    rule: 'nacl-ingress',
    facts: makeFacts((f) => {
      f.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }], [{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '192.168.0.0/16' }]));
    }),
  },
  {
    name: 'network ACL: both directions dropped (one fix repairs both)',
    rule: 'nacl-ingress',
    facts: makeFacts((f) => {
      f.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'accept', protocol: 'tcp', port: '22/22', cidr: '0.0.0.0/0' }], [{ policy: 'drop', protocol: 'all', port: '-1/-1', cidr: '100.104.0.0/16' }]));
    }),
  },
  {
    name: 'SLB: the whitelist misses the range',
    rule: 'slb-listener',
    facts: makeSlbFacts((f) => {
      f.cloud.loadBalancers = ok([healthyLoadBalancer({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType: 'white', aclIds: ['acl-w'] }], acls: [{ aclId: 'acl-w', entries: ['10.0.0.0/8'] }] })]);
    }),
  },
  {
    name: 'SLB: a blacklist blocks part of the range',
    rule: 'slb-listener',
    facts: makeSlbFacts((f) => {
      f.cloud.loadBalancers = ok([healthyLoadBalancer({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType: 'black', aclIds: ['acl-b'] }], acls: [{ aclId: 'acl-b', entries: ['100.104.7.0/24', '203.0.113.0/24'] }] })]);
    }),
  },
  {
    name: 'SLB: the listener is stopped',
    rule: 'slb-listener',
    facts: makeSlbFacts((f) => {
      f.cloud.loadBalancers = ok([healthyLoadBalancer({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'stopped', aclStatus: 'off' }] })]);
    }),
  },
  {
    name: 'VBR: no route for the range',
    rule: 'vbr-return-route',
    facts: makeIdcFacts((f) => {
      f.cloud.vbrRouteEntries = ok([{ destinationCidrBlock: '10.20.0.0/16', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] }, { destinationCidrBlock: '192.168.0.0/16', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'RouterInterface', nextHopId: 'ri-to-vpc' }] }]);
    }),
  },
  {
    name: 'VBR: a more specific route points back to the data center',
    rule: 'vbr-return-route',
    facts: makeIdcFacts((f) => {
      const entries = (f.cloud.vbrRouteEntries as Available<RouteEntry[]>).value;
      entries.push({ destinationCidrBlock: '100.104.64.0/18', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] });
    }),
  },
  {
    name: 'zone: the link vSwitch is in an unlisted zone, another vSwitch is in a listed one',
    rule: 'zone-supported',
    facts: makeFacts((f) => {
      f.cloud.linkVSwitch = ok({ vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-a', cidrBlock: '192.168.2.0/24' });
      f.cloud.vSwitches = ok([{ vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-a', cidrBlock: '192.168.2.0/24' }, { vSwitchId: 'vsw-h', vpcId: 'vpc-test', zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.3.0/24' }]);
    }),
  },
  {
    name: 'token: no api scope',
    rule: 'gitlab-token',
    facts: makeFacts((f) => {
      f.gitlab.token = ok({ httpStatus: 200, name: 'ci', scopes: ['read_repository'], active: true, revoked: false, expiresAt: '2027-06-01', userId: 7 });
    }),
  },
];

for (const c of CLASSES) {
  test(`fix proven: ${c.name}`, () => {
    const before = result(c.facts, c.rule);
    assert.ok(before.status === 'fail' || before.status === 'warn', `${c.rule} should not pass: ${before.status} ${before.message}`);
    const fix = before.fixes?.[0];
    assert.ok(fix, `${c.rule} offers a fix for: ${before.message}`);
    assert.equal(fix.proof?.state, 'verified', JSON.stringify(fix.proof));
    assert.equal(fix.id, `${c.rule}#1`);
    // the proof, redone by hand: the patched facts make the rule pass
    const after = result(applyPatches(c.facts, fix.patches), c.rule);
    assert.equal(after.status, 'pass', after.message);
    assert.ok((fix.calls?.length ?? 0) + (fix.steps?.length ?? 0) > 0, 'says how to make it real');
    for (const call of fix.calls ?? []) {
      // the current forms only: no deprecated top-level security-group rule fields
      for (const k of ['IpProtocol', 'PortRange', 'SourceCidrIp', 'Policy', 'Priority']) assert.equal(call.params[k], undefined, `${call.action} ${k}`);
    }
  });
}

test('a fix that repairs its rule but breaks another is shown as not safe, with what it breaks', () => {
  // breakingFixRule's fix adds a drop for part of the range to GitLab's group: it "passes" its own
  // rule and makes sg-ingress fail
  const sg = RULES.find((r) => r.id === 'sg-ingress')!;
  const report = run(makeFacts(), [sg, breakingFixRule]);
  const fix = report.results.find((r) => r.ruleId === 't-breaker')!.fixes![0]!;
  assert.equal(fix.proof?.state, 'breaks');
  assert.deepEqual(fix.proof?.breaks.map((b) => [b.ruleId, b.from, b.to]), [['sg-ingress', 'pass', 'fail']]);
});

test('a fix that does not repair its rule is shown as not enough, with what remains', () => {
  const fix = run(makeFacts(), [insufficientFixRule]).results[0]!.fixes![0]!;
  assert.equal(fix.proof?.state, 'insufficient');
  assert.equal(fix.proof?.remaining, 'missing write_repository');
});

test('patches name resources by id; one that names nothing in the facts is refused', () => {
  const f = makeFacts();
  assert.throws(() => applyPatches(f, [{ op: 'remove-sg-rule', securityGroupId: 'sg-nope', ruleId: 'x' }]), PatchError);
  assert.throws(() => applyPatches(f, [{ op: 'remove-sg-rule', securityGroupId: 'sg-gitlab', ruleId: 'sgr-nope' }]), /has no rule sgr-nope/);
  assert.throws(() => applyPatches(f, [{ op: 'use-vswitch', vSwitchId: 'vsw-nope' }]), /not in the VPC/);
  // the input is not changed
  const patched = applyPatches(f, [{ op: 'remove-sg-rule', securityGroupId: 'sg-gitlab', ruleId: 'sgr-acr' }]);
  assert.equal((patched.cloud.gitlabSecurityGroups as { value: { permissions: unknown[] }[] }).value[0]!.permissions.length, 0);
  assert.equal((f.cloud.gitlabSecurityGroups as { value: { permissions: unknown[] }[] }).value[0]!.permissions.length, 1);
});

test('ACL entries are inserted at the given position (1-based) and removed by position', () => {
  const f = makeFacts((x) => {
    x.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'drop', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }], []));
  });
  const entry = { policy: 'accept' as const, protocol: 'tcp', port: '443/443', cidr: '100.104.0.0/16' };
  const p = applyPatches(f, [{ op: 'insert-acl-entry', networkAclId: 'nacl-gitlab', direction: 'ingress', position: 1, entry }, { op: 'insert-acl-entry', networkAclId: 'nacl-gitlab', direction: 'ingress', position: 99, entry: { ...entry, port: '22/22' } }]);
  const ingress = (p.cloud.gitlabNetworkAcl as { value: { ingress: { port: string }[] } }).value.ingress;
  assert.deepEqual(ingress.map((e) => e.port), ['443/443', '-1/-1', '22/22']);
  const q = applyPatches(p, [{ op: 'remove-acl-entry', networkAclId: 'nacl-gitlab', direction: 'ingress', position: 2 }]);
  assert.deepEqual((q.cloud.gitlabNetworkAcl as { value: { ingress: { port: string }[] } }).value.ingress.map((e) => e.port), ['443/443', '22/22']);
  assert.throws(() => applyPatches(f, [{ op: 'remove-acl-entry', networkAclId: 'nacl-gitlab', direction: 'egress', position: 1 }]), /no egress entry at position 1/);
});

test('every fix a report carries has an id and a proof (JSON contract)', () => {
  for (const c of CLASSES) {
    for (const r of run(c.facts).results) for (const f of (r.fixes ?? []) as Fix[]) {
      assert.match(f.id!, new RegExp(`^${r.ruleId}#\\d+$`));
      assert.ok(f.proof && ['verified', 'breaks', 'insufficient'].includes(f.proof.state));
    }
  }
});
