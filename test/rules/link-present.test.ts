import { test } from 'node:test';
import assert from 'node:assert/strict';
import { egressAdmits, rule } from '../../rules/link-present.js';
import type { Facts, SgPermission } from '../../src/facts/types.js';
import { group, makeFacts, makeSlbFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const egress = (dest: string, portRange = '1/65535', policy: 'accept' | 'drop' = 'accept', priority = 1, ipProtocol = 'TCP'): SgPermission => ({ direction: 'egress', policy, priority, ipProtocol, portRange, destCidrIp: dest });
/** the link's group is sg-acr-managed, the id the builder's ENI carries */
const managed = (perms: SgPermission[], mutate?: (f: Facts) => void) => makeFacts((f) => {
  f.cloud.managedSecurityGroups = ok([group('sg-acr-managed', perms, { serviceManaged: true, type: 'enterprise' })]);
  mutate?.(f);
});
const withExtra = (...extra: string[]) => (f: Facts) => { f.input.extraEndpoints = extra; };

ruleTester(rule, [
  { name: 'linked to GitLab', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { groups: 'sg-acr-managed', targets: '192.168.1.10:443' } },
  { name: 'not linked yet warns', facts: makeFacts((f) => { f.cloud.managedSecurityGroups = ok([]); f.cloud.managedEnis = ok([]); }), status: 'warn', messageId: 'absent', check: (r) => { if (!r.remediation.includes('Manage Link')) throw new Error(r.remediation); } },
  { name: 'managed groups unreadable names the RAM action', facts: makeFacts((f) => { f.cloud.managedSecurityGroups = unavailable('forbidden', 'denied', { ramAction: 'ecs:DescribeSecurityGroups' }); }), status: 'error', messageId: '$forbidden', data: { ramAction: 'ecs:DescribeSecurityGroups' } },
  { name: 'egress to another IP fails', facts: managed([egress('192.168.1.11/32')]), status: 'fail', messageId: 'missingTargets', data: { missing: '192.168.1.10:443' } },
  { name: 'egress only to port 22', facts: managed([egress('192.168.1.10/32', '22/22')]), status: 'fail', messageId: 'missingTargets' },
  { name: 'UDP-only egress fails', facts: managed([egress('192.168.1.10/32', '443/443', 'accept', 1, 'UDP')]), status: 'fail', messageId: 'missingTargets' },
  { name: 'ALL protocol with -1/-1 admits', facts: managed([egress('192.168.0.0/16', '-1/-1', 'accept', 1, 'ALL')]), status: 'pass', messageId: 'ok' },
  { name: 'extra endpoint missing', facts: makeFacts(withExtra('192.168.2.15:8081')), status: 'fail', messageId: 'missingTargets', data: { missing: '192.168.2.15:8081' }, check: (r) => { if (!r.remediation.includes('192.168.2.15:8081')) throw new Error(r.remediation); } },
  { name: 'extra endpoint admitted', facts: managed([egress('192.168.1.10/32'), egress('192.168.2.15/32', '8081/8081')], withExtra('192.168.2.15:8081')), status: 'pass', messageId: 'ok', data: { targets: '192.168.1.10:443, 192.168.2.15:8081' } },
  { name: 'only the unadmitted extra endpoints are named', facts: managed([egress('192.168.1.10/32'), egress('192.168.2.15/32', '8081/8081')], withExtra('192.168.2.15:8081', '192.168.2.16:5000', '192.168.2.15:9000')), status: 'fail', messageId: 'missingTargets', data: { missing: '192.168.2.16:5000, 192.168.2.15:9000' } },
  { name: 'a higher-priority drop wins', facts: managed([egress('192.168.1.10/32', '1/65535', 'drop', 1), egress('192.168.0.0/16', '1/65535', 'accept', 2)]), status: 'fail', messageId: 'missingTargets' },
  { name: 'a lower-priority drop loses', facts: managed([egress('192.168.1.10/32', '443/443', 'accept', 1), egress('0.0.0.0/0', '-1/-1', 'drop', 100, 'ALL')]), status: 'pass', messageId: 'ok' },
  { name: 'drop wins a priority tie across groups', facts: makeFacts((f) => {
    f.cloud.managedSecurityGroups = ok([
      group('sg-acr-managed', [egress('192.168.1.10/32', '443/443', 'accept', 5)], { serviceManaged: true, type: 'enterprise' }),
      group('sg-acr-managed-2', [egress('192.168.1.0/24', '1/65535', 'drop', 5)], { serviceManaged: true, type: 'enterprise' }),
    ]);
    f.cloud.managedEnis = ok([{ networkInterfaceId: 'eni-acr', vpcId: 'vpc-test', vSwitchId: 'vsw-link', privateIpAddresses: ['192.168.2.50'], securityGroupIds: ['sg-acr-managed', 'sg-acr-managed-2'], serviceManaged: true }]);
  }), status: 'fail', messageId: 'missingTargets' },
  { name: 'another link\'s group in the VPC does not count', facts: makeFacts((f) => {
    f.cloud.managedSecurityGroups = ok([
      group('sg-acr-managed', [egress('192.168.1.99/32')], { serviceManaged: true, type: 'enterprise' }),
      group('sg-other-instance', [egress('192.168.1.10/32')], { serviceManaged: true, type: 'enterprise' }),
    ]);
  }), status: 'fail', messageId: 'missingTargets', data: { groups: 'sg-acr-managed' } },
  { name: 'group present but no ENI in the link vSwitch warns', facts: makeFacts((f) => { f.cloud.managedEnis = ok([]); }), status: 'warn', messageId: 'noEni', data: { vSwitch: 'vsw-link' } },
  { name: 'ENIs unreadable still judges the egress', facts: makeFacts((f) => { f.cloud.managedEnis = unavailable('timeout', 'timed out'); }), status: 'pass', messageId: 'ok' },
  { name: 'SLB path checks the SLB address', facts: makeSlbFacts(), status: 'pass', messageId: 'ok', data: { gitlab: '192.168.1.100' } },
  { name: 'GitLab address unknown is undecided', facts: makeFacts((f) => { f.input.gitlab.host = 'gitlab.corp.internal'; f.gitlab.addresses = unavailable('error', 'ENOTFOUND'); }), status: 'error', messageId: 'noAddress' },
]);

test('egressAdmits: unmatched traffic follows the group type default', () => {
  const accept = egress('10.0.0.0/8', '443/443');
  assert.equal(egressAdmits([group('sg-e', [accept], { type: 'enterprise' })], '192.168.1.10', 443).ok, false);
  assert.equal(egressAdmits([group('sg-b', [accept], { type: 'normal' })], '192.168.1.10', 443).ok, true);
  const r = egressAdmits([group('sg-e', [accept], { type: 'enterprise' })], '10.1.2.3', 443);
  assert.deepEqual(r, { ok: true, by: 'sg-e: accept TCP 443/443 to 10.0.0.0/8 (priority 1)' });
});
