import { rule } from '../../rules/slb-listener.js';
import type { LoadBalancer } from '../../src/facts/types.js';
import { healthyLoadBalancer, makeFacts, makeSlbFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withLb = (lb: Partial<LoadBalancer>) => makeSlbFacts((f) => { f.cloud.loadBalancers = ok([healthyLoadBalancer(lb)]); });
const aclListener = (aclType: string) => [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType, aclId: 'acl-1' }];

ruleTester(rule, [
  { name: 'running listener, no ACL, healthy backend', facts: makeSlbFacts(), status: 'pass', messageId: 'ok' },
  { name: 'no listener on the port', facts: withLb({ listeners: [{ listenerPort: 80, listenerProtocol: 'http', status: 'running', aclStatus: 'off' }] }), status: 'fail', messageId: 'noListener', data: { listeners: '80' } },
  { name: 'listener stopped', facts: withLb({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'stopped', aclStatus: 'off' }] }), status: 'fail', messageId: 'stopped' },
  { name: 'whitelist includes the range', facts: withLb({ listeners: aclListener('white'), acls: [{ aclId: 'acl-1', entries: ['100.104.0.0/16'] }] }), status: 'pass', messageId: 'ok' },
  { name: 'whitelist missing half', facts: withLb({ listeners: aclListener('white'), acls: [{ aclId: 'acl-1', entries: ['100.104.0.0/17', '192.168.0.0/16'] }] }), status: 'fail', messageId: 'whiteListMissing', data: { uncovered: '100.104.128.0/17' } },
  { name: 'empty whitelist forwards everything', facts: withLb({ listeners: aclListener('white'), acls: [{ aclId: 'acl-1', entries: [] }] }), status: 'pass', messageId: 'ok' },
  { name: 'blacklist blocking a /24', facts: withLb({ listeners: aclListener('black'), acls: [{ aclId: 'acl-1', entries: ['100.104.7.0/24'] }] }), status: 'fail', messageId: 'blackListed', data: { blocked: '100.104.7.0/24' } },
  { name: 'blacklist elsewhere', facts: withLb({ listeners: aclListener('black'), acls: [{ aclId: 'acl-1', entries: ['10.0.0.0/8'] }] }), status: 'pass', messageId: 'ok' },
  { name: 'blacklist containing the whole range', facts: withLb({ listeners: aclListener('black'), acls: [{ aclId: 'acl-1', entries: ['100.64.0.0/10'] }] }), status: 'fail', messageId: 'blackListed', data: { blocked: '100.104.0.0/16' } },
  { name: 'ACL status off ignores the ACL', facts: withLb({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'off', aclType: 'white', aclId: 'acl-1' }], acls: [{ aclId: 'acl-1', entries: ['10.0.0.0/8'] }] }), status: 'pass', messageId: 'ok' },
  { name: 'ACL not collected is an error', facts: withLb({ listeners: aclListener('white'), acls: [] }), status: 'error', messageId: 'aclMissing' },
  { name: 'all backends abnormal', facts: withLb({ backends: [{ serverId: 'i-1', healthStatus: 'abnormal' }, { serverId: 'i-2', healthStatus: 'abnormal' }] }), status: 'fail', messageId: 'noHealthy' },
  { name: 'health checks pending', facts: withLb({ backends: [{ serverId: 'i-1', healthStatus: 'unavailable' }] }), status: 'warn', messageId: 'healthPending' },
  { name: 'one healthy backend is enough', facts: withLb({ backends: [{ serverId: 'i-1', healthStatus: 'abnormal' }, { serverId: 'i-2', healthStatus: 'normal' }] }), status: 'pass', messageId: 'ok', data: { healthy: 1, backends: 2 } },
  { name: 'skipped on the ECS path', facts: makeFacts(), status: 'skip', messageId: '$notApplicable' },
]);
