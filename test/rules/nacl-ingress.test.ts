import assert from 'node:assert/strict';
import { rule } from '../../rules/nacl-ingress.js';
import type { NaclEntry } from '../../src/facts/types.js';
import { acl, healthyLoadBalancer, makeFacts, makeIdcFacts, makeSlbFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const e = (policy: 'accept' | 'drop', cidr: string, port = '-1/-1', protocol = 'all', entryId?: string): NaclEntry => ({ policy, cidr, port, protocol, ...(entryId ? { entryId } : {}) });
const withAcl = (ingress: NaclEntry[], egress: NaclEntry[]) =>
  makeFacts((f) => {
    f.cloud.gitlabNetworkAcl = ok(acl(ingress, egress));
  });
const allowAll = [e('accept', '0.0.0.0/0')];
/** with gitlab.sshPort 22 configured: the request must be admitted on 443 and 22 */
const withSsh = (ingress: NaclEntry[], egress: NaclEntry[]) =>
  makeFacts((f) => {
    f.input.gitlab.sshPort = 22;
    f.cloud.gitlabNetworkAcl = ok(acl(ingress, egress));
  });

ruleTester(rule, [
  { name: 'no ACL bound', facts: makeFacts(), status: 'pass', messageId: 'noAcl' },
  { name: 'accept all both ways', facts: withAcl(allowAll, allowAll), status: 'pass', messageId: 'admitted' },
  {
    name: 'specific accepts both ways',
    facts: withAcl([e('accept', '100.104.0.0/16', '443/443', 'tcp')], [e('accept', '100.104.0.0/16', '1/65535', 'tcp')]),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'request dropped by an earlier entry (first match wins)',
    facts: withAcl([e('drop', '100.104.0.0/17', '-1/-1', 'all', 'nae-1'), e('accept', '0.0.0.0/0')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { ranges: '100.104.0.0/17', port: 443 },
  },
  {
    name: 'a later drop does not matter after an accept',
    facts: withAcl([e('accept', '0.0.0.0/0'), e('drop', '100.104.0.0/16')], allowAll),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'request on the wrong port falls through to the implicit drop',
    facts: withAcl([e('accept', '100.104.0.0/16', '80/80', 'tcp')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { ranges: '100.104.0.0/16' },
    check: (r) => assert.match(String(r.data.decider), /implicit drop/),
  },
  {
    name: 'udp-only entry does not admit tcp',
    facts: withAcl([e('accept', '100.104.0.0/16', '443/443', 'udp')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
  },
  {
    name: 'reply direction blocked (stateless)',
    facts: withAcl(allowAll, [e('accept', '192.168.0.0/16')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.0.0/16' },
  },
  {
    name: 'reply allowed only to port 443 covers none of the ephemeral replies',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '443/443', 'tcp')]),
    status: 'fail',
    messageId: 'replyBlocked',
  },
  {
    name: 'reply dropped for half of the range',
    facts: withAcl(allowAll, [e('drop', '100.104.128.0/17'), e('accept', '0.0.0.0/0')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.128.0/17' },
  },
  {
    name: 'reply accept for part of the ephemeral ports is not enough',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '1024/30000', 'tcp')]),
    status: 'fail',
    messageId: 'replyBlocked',
  },
  // exact first match over address × port: entries that split the ports or the addresses
  {
    name: 'replies allowed by two entries that split the ephemeral ports',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '1024/32767', 'tcp'), e('accept', '100.104.0.0/16', '32768/65535', 'tcp')]),
    status: 'pass',
    messageId: 'admitted',
    check: (r) => {
      const labels = r.evidence.map((x) => x.label);
      assert.ok(labels.includes('reply to 100.104.0.0/16 on ports 1024-32767'), labels.join(' | '));
      assert.ok(labels.includes('reply to 100.104.0.0/16 on ports 32768-65535'), labels.join(' | '));
    },
  },
  {
    name: 'replies allowed by entries that split both addresses and ports',
    facts: withAcl(allowAll, [
      e('accept', '100.104.0.0/17', '1024/65535', 'tcp'),
      e('accept', '100.104.128.0/17', '1024/32767', 'tcp'),
      e('accept', '0.0.0.0/0', '32768/65535', 'tcp'),
    ]),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'a gap between two split reply entries falls through to the implicit drop',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '1024/32767', 'tcp'), e('accept', '100.104.0.0/16', '32769/65535', 'tcp')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.0.0/16', droppedPorts: '32768', placement: 'append', position: 0 },
    check: (r) => assert.match(String(r.data.decider), /^no egress entry matches 100\.104\.0\.0\/16 on ports 32768 \(implicit drop\)$/),
  },
  {
    name: 'a drop of some ports for some addresses fails exactly those',
    facts: withAcl(allowAll, [e('drop', '100.104.128.0/17', '1024/2047', 'tcp', 'nae-low'), e('accept', '0.0.0.0/0')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.128.0/17', droppedPorts: '1024-2047', placement: 'before entry 1', position: 1 },
    check: (r) => assert.match(String(r.data.decider), /nae-low \(position 1\).*\(decides 100\.104\.128\.0\/17 on ports 1024-2047\)/),
  },
  {
    name: 'each dropped part is named with the entry that decided it',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '1024/40000', 'tcp'), e('drop', '100.104.128.0/17', '-1/-1', 'all', 'nae-block'), e('accept', '0.0.0.0/0')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.128.0/17', droppedPorts: '40001-65535', placement: 'before entry 2', position: 2 },
    check: (r) => {
      assert.match(String(r.data.decider), /^egress entry nae-block \(position 2\): drop all port -1\/-1 to 100\.104\.128\.0\/17 \(decides 100\.104\.128\.0\/17 on ports 40001-65535\)$/);
      const accepted = r.evidence.find((x) => x.label === 'reply to 100.104.0.0/17 on ports 40001-65535');
      assert.match(String(accepted?.value), /^accepted by egress entry #3 \(position 3\)/);
    },
  },
  {
    name: 'an explicit partial drop and the implicit drop are both reported',
    facts: withAcl(allowAll, [e('drop', '100.104.0.0/16', '1024/2047', 'tcp', 'nae-low')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.0.0/16', droppedPorts: '1024-65535', placement: 'before entry 1' },
    check: (r) => assert.match(String(r.data.decider), /nae-low .*\(decides 100\.104\.0\.0\/16 on ports 1024-2047\); no egress entry matches 100\.104\.0\.0\/16 on ports 2048-65535 \(implicit drop\)/),
  },
  {
    name: 'requests on the GitLab and SSH ports allowed by separate entries',
    facts: withSsh([e('accept', '100.104.0.0/16', '22/22', 'tcp'), e('accept', '100.104.0.0/16', '443/443', 'tcp')], allowAll),
    status: 'pass',
    messageId: 'admitted',
    data: { ports: '443, 22' },
  },
  {
    name: 'request to the SSH port dropped for half the range by a port-range entry',
    facts: withSsh([e('drop', '100.104.0.0/17', '1/100', 'tcp', 'nae-ssh'), e('accept', '0.0.0.0/0')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { port: 22, ranges: '100.104.0.0/17', placement: 'before entry 1', position: 1 },
  },
  // where the fix goes: above the first dropping entry, or anywhere when only the implicit drop drops
  {
    name: 'request with no matching entry: the fix appends an entry',
    facts: withAcl([e('accept', '10.0.0.0/8')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { placement: 'append', position: 0 },
    check: (r) => {
      assert.doesNotMatch(r.remediation, /before|above|end of the list/);
      assert.match(r.remediation, /^Add an inbound entry: accept tcp 443\/443 from 100\.104\.0\.0\/16\. No entry matches .* any position works/);
    },
  },
  {
    name: 'reply with no matching entry: the fix appends an entry',
    facts: withAcl(allowAll, [e('accept', '192.168.0.0/16')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { placement: 'append', droppedPorts: '1024-65535' },
    check: (r) => {
      assert.doesNotMatch(r.remediation, /before|above|end of the list/);
      assert.match(r.remediation, /^Add an outbound entry: accept tcp 1024\/65535 .*any position works/);
    },
  },
  {
    name: 'request dropped by a later entry: the fix goes above it',
    facts: withAcl([e('accept', '10.0.0.0/8'), e('drop', '0.0.0.0/0', '-1/-1', 'all', 'nae-deny')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { ranges: '100.104.0.0/16', placement: 'before entry 2', position: 2 },
    check: (r) => assert.match(r.remediation, /^Add an inbound entry above entry 2 /),
  },
  { name: 'skipped on the IDC path', facts: makeIdcFacts(), status: 'skip', messageId: '$notApplicable' },

  // SLB path: the ACL of each backend server's vSwitch filters what the SLB forwards to it
  { name: 'SLB: backend vSwitch without a network ACL', facts: makeSlbFacts(), status: 'pass', messageId: 'backendsAdmitted', check: (r) => assert.match(String(r.data.summary), /i-gitlab in vsw-gitlab \(no network ACL\)/) },
  {
    name: 'SLB: backend vSwitch ACL admits the request on the backend port and the reply',
    facts: slbWithBackendAcl([e('accept', '100.104.0.0/16', '8443/8443', 'tcp')], allowAll, 8443),
    status: 'pass',
    messageId: 'backendsAdmitted',
  },
  {
    name: 'SLB: backend vSwitch ACL drops the request from 100.104.0.0/16 (the builder\'s address reaches the backend on a TCP listener)',
    facts: slbWithBackendAcl([e('accept', '192.168.0.0/16'), e('drop', '0.0.0.0/0', '-1/-1', 'all', 'nae-deny')], allowAll),
    status: 'fail',
    messageId: 'backendRequestBlocked',
    data: { server: 'i-gitlab', vSwitch: 'vsw-gitlab', acl: 'nacl-backend', port: 443, ranges: '100.104.0.0/16', lb: 'lb-gitlab' },
    check: (r) => assert.match(r.remediation, /accept tcp 443\/443 from 100\.104\.0\.0\/16/),
  },
  {
    name: 'SLB: the request is judged on the backend port, not the listener port',
    facts: slbWithBackendAcl([e('accept', '100.104.0.0/16', '443/443', 'tcp')], allowAll, 8443),
    status: 'fail',
    messageId: 'backendRequestBlocked',
    data: { port: 8443 },
  },
  {
    name: 'SLB: backend vSwitch ACL drops the reply to the ephemeral ports',
    facts: slbWithBackendAcl(allowAll, [e('accept', '192.168.0.0/16')]),
    status: 'fail',
    messageId: 'backendReplyBlocked',
    data: { server: 'i-gitlab', droppedPorts: '1024-65535' },
  },
  {
    name: 'SLB: one of two backends blocks: the check fails naming it',
    facts: makeSlbFacts((f) => {
      f.cloud.loadBalancers = ok([healthyLoadBalancer({
        backends: [
          { serverId: 'i-a', port: 443, listenerPort: 443, healthStatus: 'normal' },
          { serverId: 'i-b', port: 443, listenerPort: 443, healthStatus: 'normal' },
        ],
      })]);
      f.cloud.slbBackendNetworks = ok([
        { serverId: 'i-a', vSwitchId: 'vsw-a', networkAcl: null },
        { serverId: 'i-b', vSwitchId: 'vsw-b', networkAcl: { ...acl([e('drop', '100.104.0.0/16')], allowAll), networkAclId: 'nacl-b' } },
      ]);
    }),
    status: 'fail',
    messageId: 'backendRequestBlocked',
    data: { server: 'i-b', vSwitch: 'vsw-b', acl: 'nacl-b' },
  },
  {
    name: 'SLB: a layer-7 (HTTPS) listener does not hand the builder\'s address to the backend',
    facts: slbWithBackendAcl([e('drop', '100.104.0.0/16')], allowAll, 443, 'https'),
    status: 'pass',
    messageId: 'noLayer4',
  },
  {
    name: 'SLB: a backend whose vSwitch could not be found is undecided',
    facts: makeSlbFacts((f) => {
      f.cloud.slbBackendNetworks = ok([{ serverId: 'i-gitlab' }]);
    }),
    status: 'error',
    messageId: 'backendUnknown',
    data: { servers: 'i-gitlab' },
  },
  {
    name: 'SLB: backend networks unreadable names the RAM action',
    facts: makeSlbFacts((f) => {
      f.cloud.slbBackendNetworks = unavailable('forbidden', 'denied', { ramAction: 'vpc:DescribeVSwitchAttributes' });
    }),
    status: 'error',
    messageId: '$forbidden',
  },
  {
    name: 'SLB: a snapshot written before backend networks were collected is undecided, not passed',
    facts: makeSlbFacts((f) => {
      delete f.cloud.slbBackendNetworks;
    }),
    status: 'error',
    messageId: '$unavailable',
  },
]);

function slbWithBackendAcl(ingress: NaclEntry[], egress: NaclEntry[], backendPort = 443, protocol = 'tcp') {
  return makeSlbFacts((f) => {
    f.cloud.loadBalancers = ok([healthyLoadBalancer({
      listeners: [{ listenerPort: 443, listenerProtocol: protocol, status: 'running', aclStatus: 'off', backendServerPort: backendPort }],
      backends: [{ serverId: 'i-gitlab', port: backendPort, listenerPort: 443, healthStatus: 'normal' }],
    })]);
    f.cloud.slbBackendNetworks = ok([{ serverId: 'i-gitlab', vSwitchId: 'vsw-gitlab', networkAcl: { ...acl(ingress, egress), networkAclId: 'nacl-backend' } }]);
  });
}
