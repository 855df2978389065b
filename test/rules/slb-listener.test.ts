import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rule } from '../../rules/slb-listener.js';
import { normListener } from '../../src/facts/collect.js';
import type { LoadBalancer } from '../../src/facts/types.js';
import { healthyLoadBalancer, makeFacts, makeSlbFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withLb = (lb: Partial<LoadBalancer>) => makeSlbFacts((f) => { f.cloud.loadBalancers = ok([healthyLoadBalancer(lb)]); });
const aclListener = (aclType: string) => [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType, aclId: 'acl-1' }];
const multiAcl = (aclType: string) => [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType, aclIds: ['acl-1', 'acl-2'], aclId: 'acl-1' }];
const withSshLb = (lb: Partial<LoadBalancer>) => makeSlbFacts((f) => { f.input.gitlab.sshPort = 22; f.cloud.loadBalancers = ok([healthyLoadBalancer(lb)]); });

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
  // listener protocol: only tcp/http/https carry git
  { name: 'a running UDP-only listener on the port is not a listener for git', facts: withLb({ listeners: [{ listenerPort: 443, listenerProtocol: 'udp', status: 'running', aclStatus: 'off' }] }), status: 'fail', messageId: 'udpOnly', data: { port: 443 } },
  {
    name: 'a stopped UDP listener listed before a running TCP one is ignored',
    facts: withLb({ listeners: [{ listenerPort: 443, listenerProtocol: 'udp', status: 'stopped', aclStatus: 'off' }, { listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'off' }] }),
    status: 'pass',
    messageId: 'ok',
    data: { protocol: 'tcp', port: 443 },
  },
  {
    name: 'a running UDP listener does not hide a stopped HTTPS one',
    facts: withLb({ listeners: [{ listenerPort: 443, listenerProtocol: 'udp', status: 'running', aclStatus: 'off' }, { listenerPort: 443, listenerProtocol: 'https', status: 'stopped', aclStatus: 'off' }] }),
    status: 'fail',
    messageId: 'stopped',
    data: { protocol: 'https', status: 'stopped' },
  },
  { name: 'an HTTPS listener carries git', facts: withLb({ listeners: [{ listenerPort: 443, listenerProtocol: 'https', status: 'running', aclStatus: 'off' }] }), status: 'pass', messageId: 'ok', data: { protocol: 'https' } },
  // several ACLs on one listener: all apply
  {
    name: 'two whitelists admit the union of their entries',
    facts: withLb({ listeners: multiAcl('white'), acls: [{ aclId: 'acl-1', entries: ['100.104.0.0/17'] }, { aclId: 'acl-2', entries: ['100.104.128.0/17'] }] }),
    status: 'pass',
    messageId: 'ok',
    check: (r) => assert.match(String(r.data.aclState), /whitelist acl-1, acl-2 includes 100\.104\.0\.0\/16/),
  },
  {
    name: 'two whitelists that together miss a part',
    facts: withLb({ listeners: multiAcl('white'), acls: [{ aclId: 'acl-1', entries: ['100.104.0.0/17'] }, { aclId: 'acl-2', entries: ['100.104.128.0/18'] }] }),
    status: 'fail',
    messageId: 'whiteListMissing',
    data: { uncovered: '100.104.192.0/18', aclIds: 'acl-1, acl-2', aclId: 'acl-1' },
  },
  {
    name: 'the second of two blacklists blocks a part',
    facts: withLb({ listeners: multiAcl('black'), acls: [{ aclId: 'acl-1', entries: ['10.0.0.0/8'] }, { aclId: 'acl-2', entries: ['100.104.9.0/24'] }] }),
    status: 'fail',
    messageId: 'blackListed',
    data: { blocked: '100.104.9.0/24', aclIds: 'acl-2', aclId: 'acl-2' },
  },
  {
    name: 'blacklists that list none of the range pass',
    facts: withLb({ listeners: multiAcl('black'), acls: [{ aclId: 'acl-1', entries: ['10.0.0.0/8'] }, { aclId: 'acl-2', entries: [] }] }),
    status: 'pass',
    messageId: 'ok',
  },
  { name: 'one unreadable ACL among several is an error', facts: withLb({ listeners: multiAcl('white'), acls: [{ aclId: 'acl-1', entries: ['100.104.0.0/16'] }] }), status: 'error', messageId: 'aclMissing', data: { aclId: 'acl-2' } },
  {
    name: 'an unreadable ACL in the collector names its RAM action',
    facts: makeSlbFacts((f) => { f.cloud.loadBalancers = unavailable('forbidden', 'not allowed', { code: 'Forbidden.RAM', ramAction: 'slb:DescribeAccessControlListAttribute' }); }),
    status: 'error',
    // the SLB fact also places GitLab on the SLB path, so the engine reports the path as undecided
    messageId: '$pathUndetermined',
    check: (r) => assert.match(r.message, /slb:DescribeAccessControlListAttribute/),
  },
  {
    name: 'an old bundle with only aclId still has its ACL checked',
    facts: withLb({ listeners: aclListener('white'), acls: [{ aclId: 'acl-1', entries: ['192.168.0.0/16'] }] }),
    status: 'fail',
    messageId: 'whiteListMissing',
    data: { aclIds: 'acl-1', uncovered: '100.104.0.0/16' },
  },
  // load balancer status
  { name: 'an inactive load balancer fails', facts: withLb({ status: 'inactive' }), status: 'fail', messageId: 'lbInactive', data: { status: 'inactive' } },
  { name: 'a locked load balancer fails', facts: withLb({ status: 'locked' }), status: 'fail', messageId: 'lbInactive', data: { status: 'locked' }, check: (r) => assert.match(r.remediation, /SetLoadBalancerStatus/) },
  { name: 'an unknown load balancer status does not fail on its own', facts: makeSlbFacts((f) => { const { status: _s, ...lb } = healthyLoadBalancer(); f.cloud.loadBalancers = ok([lb]); }), status: 'pass', messageId: 'ok' },
  // every GitLab port: gitlab.port and gitlab.sshPort
  {
    name: 'sshPort configured without a listener on it fails',
    facts: makeSlbFacts((f) => { f.input.gitlab.sshPort = 22; }),
    status: 'fail',
    messageId: 'noListener',
    data: { port: 22, listeners: '443' },
  },
  {
    name: 'sshPort configured with a running listener and healthy backend passes',
    facts: withSshLb({
      listeners: [{ listenerPort: 443, listenerProtocol: 'https', status: 'running', aclStatus: 'off' }, { listenerPort: 22, listenerProtocol: 'tcp', status: 'running', aclStatus: 'off' }],
      backends: [{ serverId: 'i-gitlab', port: 443, listenerPort: 443, healthStatus: 'normal' }, { serverId: 'i-gitlab', port: 22, listenerPort: 22, healthStatus: 'normal' }],
    }),
    status: 'pass',
    messageId: 'okPorts',
    data: { ports: '443, 22' },
    check: (r) => assert.match(String(r.data.summary), /https\/443 running.*; tcp\/22 running/),
  },
  {
    name: 'sshPort listener with a whitelist missing the range fails on that port',
    facts: withSshLb({
      listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'off' }, { listenerPort: 22, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType: 'white', aclIds: ['acl-ssh'] }],
      acls: [{ aclId: 'acl-ssh', entries: ['192.168.0.0/16'] }],
      backends: [{ serverId: 'i-gitlab', listenerPort: 443, healthStatus: 'normal' }, { serverId: 'i-gitlab', listenerPort: 22, healthStatus: 'normal' }],
    }),
    status: 'fail',
    messageId: 'whiteListMissing',
    data: { port: 22, aclId: 'acl-ssh' },
  },
  {
    name: 'a failing port outranks a port whose health checks are pending',
    facts: withSshLb({
      listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'off' }, { listenerPort: 22, listenerProtocol: 'tcp', status: 'stopped', aclStatus: 'off' }],
      backends: [{ serverId: 'i-gitlab', listenerPort: 443, healthStatus: 'unavailable' }],
    }),
    status: 'fail',
    messageId: 'stopped',
    data: { port: 22 },
  },
  { name: 'skipped on the ECS path', facts: makeFacts(), status: 'skip', messageId: '$notApplicable' },
]);

test('collector: a listener keeps every ACL id of AclId and AclIds (wrapped or plain)', () => {
  assert.deepEqual(normListener({ ListenerPort: 443, ListenerProtocol: 'TCP', Status: 'running', AclStatus: 'on', AclType: 'white', AclId: 'acl-1', AclIds: ['acl-1', 'acl-2'] }), {
    listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType: 'white', aclIds: ['acl-1', 'acl-2'], aclId: 'acl-1',
  });
  assert.deepEqual(normListener({ ListenerPort: 443, ListenerProtocol: 'tcp', AclStatus: 'on', AclIds: { AclId: ['acl-3', 'acl-4'] } }).aclIds, ['acl-3', 'acl-4']);
  const off = normListener({ ListenerPort: 80, ListenerProtocol: 'http', Status: 'running', AclStatus: 'off' });
  assert.equal(off.aclIds, undefined);
  assert.equal(off.aclId, undefined);
});
