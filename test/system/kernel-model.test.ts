// The translations the differential tests load into the kernel, on their own: where the kernel cannot
// say a thing the way Alibaba documents it (priorities, drop winning a tie), the translation is the
// place a mistake would hide, so it is tested without any kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SgPermission } from '../../src/facts/types.js';
import { group, perm } from '../helpers/facts.js';
import { datacenterRoutesToBatch, firstMatchOrder, networkAclToNft, securityGroupsToNft, vbrRoutesToBatch } from './kernel-model.js';

test('first-match order: a lower priority number first, across groups', () => {
  const a = perm({ ruleId: 'a', policy: 'accept', priority: 5 });
  const b = perm({ ruleId: 'b', policy: 'accept', priority: 1 });
  const order = firstMatchOrder([group('sg-1', [a]), group('sg-2', [b])]);
  assert.deepEqual(order.map((p) => p.ruleId), ['b', 'a']);
});

test('first-match order: at equal priority a drop comes before an accept, whatever the group order', () => {
  const accept = perm({ ruleId: 'accept', policy: 'accept', priority: 3 });
  const drop = perm({ ruleId: 'drop', policy: 'drop', priority: 3 });
  assert.deepEqual(firstMatchOrder([group('sg-1', [accept]), group('sg-2', [drop])]).map((p) => p.ruleId), ['drop', 'accept']);
  assert.deepEqual(firstMatchOrder([group('sg-1', [drop, accept])]).map((p) => p.ruleId), ['drop', 'accept']);
});

test('first-match order: egress rules are left out', () => {
  const out = perm({ ruleId: 'out', policy: 'drop', direction: 'egress', priority: 1 });
  assert.deepEqual(firstMatchOrder([group('sg-1', [out, perm({ ruleId: 'in', policy: 'accept' })])]).map((p) => p.ruleId), ['in']);
});

test('first-match order is the documented decision for any rule set (property)', () => {
  // the documented decision for one matching set: the smallest priority decides, drop if any rule of that priority drops
  const arb = fc.array(fc.record({ priority: fc.integer({ min: 1, max: 5 }), policy: fc.constantFrom('accept' as const, 'drop' as const) }), { minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(arb, fc.integer({ min: 1, max: 4 }), (rules, groups) => {
      const perms: SgPermission[] = rules.map((r, i) => perm({ ruleId: `r${i}`, ...r }));
      const split = Array.from({ length: groups }, (_, g) => group(`sg-${g}`, perms.filter((_, i) => i % groups === g)));
      const first = firstMatchOrder(split)[0]!;
      const top = Math.min(...rules.map((r) => r.priority));
      const documented = rules.some((r) => r.priority === top && r.policy === 'drop') ? 'drop' : 'accept';
      assert.equal(first.priority, top);
      assert.equal(first.policy, documented);
    }),
    { numRuns: 300 },
  );
});

test('security groups as nft: the order, protocol, ports, source ports and prefix lists', () => {
  const text = securityGroupsToNft(
    [
      group('sg-1', [
        perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/16', portRange: '1/65535', sourcePortRange: '1024/65535' }),
        perm({ policy: 'drop', priority: 2, sourcePrefixListId: 'pl-1', portRange: '443/443' }),
        perm({ policy: 'accept', priority: 1, ipProtocol: 'ALL', portRange: '-1/-1', sourceCidrIp: '100.104.1.0/24' }),
      ]),
    ],
    { 'pl-1': ['100.104.2.0/24', '100.104.3.0/24'] },
    443,
  );
  const rules = text.split('\n').filter((l) => l.includes('ip saddr 100.104.'));
  assert.deepEqual(rules.map((l) => l.trim()), [
    'ip saddr 100.104.1.0/24 accept',
    'ip saddr 100.104.2.0/24 meta l4proto tcp tcp dport 443 jump deny',
    'ip saddr 100.104.3.0/24 meta l4proto tcp tcp dport 443 jump deny',
    'ip saddr 100.104.0.0/16 meta l4proto tcp tcp dport 1-65535 tcp sport 1024-65535 accept',
  ]);
  assert.match(text, /tcp dport != 443 accept/);
  assert.match(text, /jump deny\n  }\n}\n$/);
});

test('network ACL as nft: inbound by source, outbound by destination, ports always the destination port', () => {
  const text = networkAclToNft(
    [{ policy: 'accept', protocol: 'tcp', port: '443/443', cidr: '100.104.0.0/16' }],
    [{ policy: 'drop', protocol: 'all', port: '-1/-1', cidr: '100.104.128.0/17' }, { policy: 'accept', protocol: 'tcp', port: '1024/65535', cidr: '0.0.0.0/0' }],
  );
  assert.match(text, /ip saddr 100\.104\.0\.0\/16 meta l4proto tcp tcp dport 443 accept/);
  assert.match(text, /ip daddr 100\.104\.128\.0\/17 drop/);
  assert.match(text, /ip daddr 0\.0\.0\.0\/0 meta l4proto tcp tcp dport 1024-65535 accept/);
});

test('routes: toward the VPC via the builder side, back to the data center unreachable, data-center prefixes blackholed', () => {
  assert.equal(vbrRoutesToBatch([{ cidr: '100.104.0.0/16', toward: 'vpc' }, { cidr: '100.104.64.0/18', toward: 'idc' }], 100, '10.200.0.1'), 'route flush table 100\nroute add 100.104.0.0/16 via 10.200.0.1 table 100\nroute add unreachable 100.104.64.0/18 table 100\n');
  assert.equal(datacenterRoutesToBatch(['100.104.8.0/21'], 200), 'route flush table 200\nroute add blackhole 100.104.8.0/21 table 200\n');
});
