import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rule } from '../../rules/reverse-cidr-overlap.js';
import { makeFacts, makeIdcFacts, ok, unavailable } from '../helpers/facts.js';
import { evaluateRule, ruleTester } from '../helpers/rule-tester.js';

const vpc = (x: object) => makeFacts((f) => { f.cloud.vpc = ok({ vpcId: 'vpc-test', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: [], userCidrs: [], ...x }); });
const dc = (cidrs: string[]) => makeIdcFacts((f) => { f.input.datacenter!.cidrs = cidrs; });

ruleTester(rule, [
  { name: 'private VPC and vSwitches', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { count: 3 } },
  { name: 'IDC cidrs clear of the range', facts: makeIdcFacts(), status: 'pass', messageId: 'ok', data: { count: 5 } },
  { name: 'a vSwitch inside the range', facts: makeFacts((f) => { f.cloud.vSwitches = ok([{ vSwitchId: 'vsw-x', vpcId: 'vpc-test', zoneId: 'z', cidrBlock: '100.104.3.0/24' }]); }), status: 'fail', messageId: 'overlap', data: { n: 1, list: '100.104.3.0/24 (vSwitch vsw-x)', shadowed: '100.104.3.0/24' } },
  { name: 'a secondary VPC CIDR covering it', facts: vpc({ secondaryCidrBlocks: ['100.64.0.0/10'] }), status: 'fail', messageId: 'overlap', data: { n: 1, list: '100.64.0.0/10 (VPC vpc-test secondary)', shadowed: '100.104.0.0/16' } },
  { name: 'a primary VPC CIDR exactly the range', facts: vpc({ cidrBlock: '100.104.0.0/16' }), status: 'fail', messageId: 'overlap', data: { list: '100.104.0.0/16 (VPC vpc-test)' } },
  { name: 'a user CIDR overlapping', facts: vpc({ userCidrs: ['100.104.0.0/24'] }), status: 'fail', messageId: 'overlap', data: { list: '100.104.0.0/24 (VPC vpc-test user CIDR)' } },
  { name: 'a data-center prefix overlapping', facts: dc(['10.20.0.0/16', '100.104.128.0/17']), status: 'fail', messageId: 'overlap', data: { list: '100.104.128.0/17 (datacenter.cidrs)', shadowed: '100.104.128.0/17' } },
  { name: 'a data-center prefix containing the range', facts: dc(['10.20.0.0/16', '100.64.0.0/10']), status: 'fail', messageId: 'overlap', data: { n: 1, list: '100.64.0.0/10 (datacenter.cidrs)' } },
  { name: 'every overlapping prefix is named with its origin', facts: makeIdcFacts((f) => { f.input.datacenter!.cidrs = ['10.20.0.0/16', '100.104.0.0/20', '100.104.8.0/24']; f.cloud.vSwitches = ok([{ vSwitchId: 'vsw-y', vpcId: 'vpc-test', zoneId: 'z', cidrBlock: '100.104.200.0/24' }]); }), status: 'fail', messageId: 'overlap', data: { n: 3, list: '100.104.200.0/24 (vSwitch vsw-y), 100.104.0.0/20 (datacenter.cidrs), 100.104.8.0/24 (datacenter.cidrs)', shadowed: '100.104.0.0/20, 100.104.200.0/24' } },
  { name: 'adjacent ranges do not overlap', facts: dc(['100.103.0.0/16', '100.105.0.0/16', '100.103.255.255/32']), status: 'pass', messageId: 'ok' },
  { name: 'VPC unreadable is undecided', facts: makeIdcFacts((f) => { f.cloud.vpc = unavailable('forbidden', 'denied', { ramAction: 'vpc:DescribeVpcAttribute' }); }), status: 'error', messageId: '$forbidden', data: { ramAction: 'vpc:DescribeVpcAttribute' } },
]);

test('reverse-cidr-overlap: 100,000 data-center prefixes, every overlap named and counted, quickly', () => {
  const cidrs: string[] = [];
  for (let i = 0; i < 100_000; i++) cidrs.push(`10.${(i >> 8) & 255}.${i & 255}.0/24`);
  for (let i = 0; i < 300; i++) cidrs.push(`100.104.${i & 255}.${i >> 8 ? 128 : 0}/25`);
  const facts = makeIdcFacts((f) => { f.input.datacenter!.cidrs = cidrs; });
  const t0 = performance.now();
  const r = evaluateRule(rule, facts);
  const ms = performance.now() - t0;
  assert.equal(r.status, 'fail');
  assert.equal(r.data.n, 300);
  assert.match(String(r.data.list), /… 280 more$/);
  // 100.104.0-43.x fully covered (two /25 each), 44-255 only their lower /25: 3 + 212 prefixes
  assert.match(String(r.data.shadowed), /^100\.104\.0\.0\/19, 100\.104\.32\.0\/21, 100\.104\.40\.0\/22, 100\.104\.44\.0\/25, .* \(215 prefixes\)$/);
  const named = r.evidence.find((e) => e.label === 'overlapping prefixes')!.value as unknown[];
  assert.equal(named.length, 300);
  // linear in the prefixes: generous bound that a quadratic pass (10^10 steps) could never meet
  assert.ok(ms < 5000, `took ${ms} ms`);
});
