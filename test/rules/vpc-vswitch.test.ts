import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rule } from '../../rules/vpc-vswitch.js';
import { RULES } from '../../rules/index.js';
import { runRules } from '../../src/engine/runner.js';
import { makeFacts, NOW, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const REGION = ok([
  { vpcId: 'vpc-test', vSwitchIds: ['vsw-link', 'vsw-gitlab'] },
  { vpcId: 'vpc-other', vSwitchIds: ['vsw-other'] },
  { vpcId: 'vpc-tset2', vSwitchIds: [] },
  { vpcId: 'vpc-zzzzzzzz', vSwitchIds: [] },
], 'vpc:DescribeVpcs');
const noVpc = makeFacts((f) => {
  f.input.vpc.vpcId = 'vpc-tst';
  f.cloud.vpc = unavailable('not-found', 'VPC vpc-tst not found', { code: 'InvalidVpcId.NotFound' });
  f.cloud.vSwitches = ok([]);
  f.cloud.regionVpcs = REGION;
});

ruleTester(rule, [
  { name: 'VPC and vSwitch exist and belong together', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { vpc: 'vpc-test', vSwitch: 'vsw-link', zone: 'cn-hangzhou-h' } },
  { name: 'a misspelt VPC fails naming the nearest ids and where the vSwitch is', facts: noVpc, status: 'fail', messageId: 'vpcNotFoundVSwitchElsewhere', data: { vpc: 'vpc-tst', actualVpc: 'vpc-test', nearest: 'vpc-test, vpc-tset2, vpc-other (of 4 in cn-hangzhou)' } },
  {
    name: 'a misspelt vSwitch fails naming the nearest vSwitches of the VPC',
    facts: makeFacts((f) => {
      f.input.vpc.vSwitchId = 'vsw-lnk';
      f.cloud.linkVSwitch = unavailable('not-found', 'not found', { code: 'InvalidVSwitchId.NotFound' });
      f.cloud.regionVpcs = REGION;
    }),
    status: 'fail',
    messageId: 'vSwitchNotFound',
    data: { vSwitch: 'vsw-lnk', where: 'VPC vpc-test' },
    check: (r) => assert.match(String(r.data.nearest), /^vsw-link\b/),
  },
  {
    name: 'both misspelt: both named, vSwitches from the whole region',
    facts: makeFacts((f) => {
      f.input.vpc.vpcId = 'vpc-tst';
      f.input.vpc.vSwitchId = 'vsw-othr';
      f.cloud.vpc = unavailable('not-found');
      f.cloud.linkVSwitch = unavailable('not-found');
      f.cloud.regionVpcs = REGION;
    }),
    status: 'fail',
    messageId: 'bothNotFound',
    check: (r) => assert.match(String(r.data.nearestVSwitch), /^vsw-other\b/),
  },
  {
    name: 'a vSwitch of another VPC fails naming that VPC',
    facts: makeFacts((f) => { f.cloud.linkVSwitch = ok({ vSwitchId: 'vsw-link', vpcId: 'vpc-other', zoneId: 'cn-hangzhou-h', cidrBlock: '10.0.0.0/24' }); }),
    status: 'fail',
    messageId: 'vSwitchElsewhere',
    data: { actualVpc: 'vpc-other', vpc: 'vpc-test' },
  },
  {
    name: 'an empty region says so',
    facts: makeFacts((f) => { f.cloud.vpc = unavailable('not-found'); f.cloud.linkVSwitch = unavailable('not-found'); f.cloud.regionVpcs = ok([]); }),
    status: 'fail',
    messageId: 'bothNotFound',
    data: { nearest: 'none: cn-hangzhou has none' },
  },
  {
    name: 'the region list unreadable: still a failure, the list unknown',
    facts: makeFacts((f) => { f.cloud.vpc = unavailable('not-found'); f.cloud.linkVSwitch = unavailable('not-found'); f.cloud.regionVpcs = unavailable('forbidden', 'denied'); }),
    status: 'fail',
    messageId: 'bothNotFound',
    data: { nearest: 'unknown (denied)' },
  },
  {
    name: 'an empty vSwitch description while the VPC lists it: undecided, not a typo',
    facts: makeFacts((f) => { f.cloud.linkVSwitch = unavailable('not-found', 'vSwitch vsw-link not found'); }),
    status: 'error',
    messageId: 'contradictory',
    data: { what: 'vSwitch', id: 'vsw-link' },
  },
  { name: 'a denied VPC read is undecided', facts: makeFacts((f) => { f.cloud.vpc = unavailable('forbidden', 'denied', { ramAction: 'vpc:DescribeVpcAttribute' }); }), status: 'error', messageId: '$forbidden' },
]);

test('rules that need the VPC skip with "depends on vpc-vswitch" when it fails; others still run', () => {
  const report = runRules(noVpc, { rules: RULES, now: NOW });
  const by = (id: string) => report.results.find((r) => r.ruleId === id)!;
  assert.equal(by('vpc-vswitch').status, 'fail');
  for (const id of ['zone-supported', 'reverse-cidr-overlap', 'sg-ingress', 'nacl-ingress', 'link-present']) {
    assert.equal(by(id).status, 'skip', id);
    assert.match(by(id).message, /depends on vpc-vswitch/, id);
  }
  assert.equal(by('acr-instance').status, 'pass');
  assert.equal(by('gitlab-reachable').status, 'pass');
  assert.equal(report.exitCode, 1);
});
