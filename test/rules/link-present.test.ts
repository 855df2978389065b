import { rule } from '../../rules/link-present.js';
import { group, makeFacts, makeSlbFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const egress = (dest: string, portRange = '1/65535', policy: 'accept' | 'drop' = 'accept', priority = 1) => ({ direction: 'egress' as const, policy, priority, ipProtocol: 'TCP', portRange, destCidrIp: dest });
const managed = (...perms: ReturnType<typeof egress>[]) => makeFacts((f) => { f.cloud.managedSecurityGroups = ok([group('sg-m', perms, { serviceManaged: true, type: 'enterprise' })]); });
ruleTester(rule, [
  { name: 'linked to GitLab', facts: makeFacts(), status: 'pass', messageId: 'ok' },
  { name: 'not linked yet warns', facts: makeFacts((f) => { f.cloud.managedSecurityGroups = ok([]); f.cloud.managedEnis = ok([]); }), status: 'warn', messageId: 'absent' },
  { name: 'egress to another IP fails', facts: managed(egress('192.168.1.11/32')), status: 'fail', messageId: 'missingTargets', data: { missing: '192.168.1.10:443' } },
  { name: 'egress only to port 22', facts: managed(egress('192.168.1.10/32', '22/22')), status: 'fail', messageId: 'missingTargets' },
  { name: 'extra endpoint missing', facts: (() => { const f = makeFacts(); f.input.extraEndpoints = ['192.168.2.15:8081']; return f; })(), status: 'fail', messageId: 'missingTargets', data: { missing: '192.168.2.15:8081' } },
  { name: 'extra endpoint admitted', facts: (() => { const f = managed(egress('192.168.1.10/32'), egress('192.168.2.15/32', '8081/8081')); f.input.extraEndpoints = ['192.168.2.15:8081']; return f; })(), status: 'pass', messageId: 'ok' },
  { name: 'a higher-priority drop wins', facts: managed(egress('192.168.1.10/32', '1/65535', 'drop', 1), egress('192.168.0.0/16', '1/65535', 'accept', 2)), status: 'fail', messageId: 'missingTargets' },
  { name: 'SLB path checks the SLB address', facts: makeSlbFacts(), status: 'pass', messageId: 'ok', data: { gitlab: '192.168.1.100' } },
]);
