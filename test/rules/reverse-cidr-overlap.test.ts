import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rule } from '../../rules/reverse-cidr-overlap.js';
import { makeFacts, makeIdcFacts, ok } from '../helpers/facts.js';
import { evaluateRule, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, [
  { name: 'private VPC and vSwitches', facts: makeFacts(), status: 'pass', messageId: 'ok' },
  { name: 'IDC cidrs clear of the range', facts: makeIdcFacts(), status: 'pass', messageId: 'ok' },
  { name: 'a vSwitch inside the range', facts: makeFacts((f) => { f.cloud.vSwitches = ok([{ vSwitchId: 'vsw-x', vpcId: 'vpc-test', zoneId: 'z', cidrBlock: '100.104.3.0/24' }]); }), status: 'fail', messageId: 'overlap', data: { n: 1, list: '100.104.3.0/24 (vSwitch vsw-x)' } },
  { name: 'a secondary VPC CIDR covering it', facts: makeFacts((f) => { f.cloud.vpc = ok({ vpcId: 'vpc-test', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: ['100.64.0.0/10'], userCidrs: [] }); }), status: 'fail', messageId: 'overlap', data: { n: 1 } },
  { name: 'a data-center prefix overlapping', facts: makeIdcFacts((f) => { f.input.datacenter!.cidrs = ['10.20.0.0/16', '100.104.128.0/17']; }), status: 'fail', messageId: 'overlap', data: { list: '100.104.128.0/17 (datacenter.cidrs)' } },
  { name: 'adjacent ranges do not overlap', facts: makeIdcFacts((f) => { f.input.datacenter!.cidrs = ['100.103.0.0/16', '100.105.0.0/16']; }), status: 'pass', messageId: 'ok' },
  { name: 'a user CIDR overlapping', facts: makeFacts((f) => { f.cloud.vpc = ok({ vpcId: 'vpc-test', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: [], userCidrs: ['100.104.0.0/24'] }); }), status: 'fail', messageId: 'overlap' },
]);

test('reverse-cidr-overlap: 100,000 data-center prefixes, every overlap named and counted', () => {
  const cidrs: string[] = [];
  for (let i = 0; i < 100_000; i++) cidrs.push(`10.${(i >> 8) & 255}.${i & 255}.0/24`);
  cidrs.push('100.104.1.0/24', '100.104.2.0/24');
  const r = evaluateRule(rule, makeIdcFacts((f) => { f.input.datacenter!.cidrs = cidrs; }));
  assert.equal(r.status, 'fail');
  assert.equal(r.data.n, 2);
});
