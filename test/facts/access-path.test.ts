// The access path is decided in one place (src/facts/access-path.ts): the engine's reading of a set of
// facts and the collector's reading of what round 1 found are the same function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datacenterCidrOf, decideAccessPath, gitlabAddressOf, onEcsInterface, type PathEvidence } from '../../src/facts/access-path.js';
import { deriveAccessPath } from '../../src/engine/access-path.js';
import { GITLAB_IP, makeFacts, makeIdcFacts, makeSlbFacts, ok, SLB_IP, unavailable } from '../helpers/facts.js';

const evidence = (e: Partial<PathEvidence> = {}): PathEvidence => ({
  host: 'gitlab.example.internal',
  addresses: ok([GITLAB_IP]),
  enis: ok([]),
  loadBalancers: ok([]),
  datacenterCidrs: ['10.1.0.0/16'],
  region: 'cn-hangzhou',
  ...e,
});

test('ECS before SLB before the data center; each named in the reason', () => {
  const eni = ok([{ instanceId: 'i-gitlab' }]);
  const lb = ok([{ loadBalancerId: 'lb-1' }]);
  assert.deepEqual(decideAccessPath(evidence({ enis: eni, loadBalancers: lb })), { kind: 'ecs', address: GITLAB_IP, reason: `GitLab ${GITLAB_IP} is the private IP of i-gitlab` });
  assert.deepEqual(decideAccessPath(evidence({ loadBalancers: lb })), { kind: 'slb', address: GITLAB_IP, reason: `GitLab ${GITLAB_IP} is the address of SLB lb-1` });
  assert.deepEqual(decideAccessPath(evidence({ addresses: ok(['10.1.1.5']) })), { kind: 'idc', address: '10.1.1.5', reason: 'GitLab 10.1.1.5 is inside data-center CIDR 10.1.0.0/16' });
  assert.equal(decideAccessPath(evidence()).kind, 'unknown');
  assert.equal(decideAccessPath(evidence()).undetermined, undefined, 'looked everywhere: unknown, not undetermined');
});

test('a lookup that failed leaves the path undetermined, naming the RAM action to grant', () => {
  const d = decideAccessPath(evidence({ enis: unavailable('forbidden', 'denied', { ramAction: 'ecs:DescribeInstances' }) }));
  assert.equal(d.kind, 'unknown');
  assert.equal(d.undetermined, true);
  assert.match(d.reason, /ECS lookup: permission denied — grant the RAM action ecs:DescribeInstances/);
  const none = decideAccessPath(evidence({ addresses: unavailable('probe-failed', 'DNS lookup failed') }));
  assert.deepEqual(none, { kind: 'unknown', reason: 'gitlab.example.internal could not be resolved (DNS lookup failed)', undetermined: true });
});

test('the address: an IPv4 literal host is itself; a name is its first IPv4 answer', () => {
  assert.deepEqual(gitlabAddressOf('192.168.5.5', unavailable('probe-failed')), { address: '192.168.5.5' });
  assert.deepEqual(gitlabAddressOf('h', ok(['fd00::1', '192.168.5.6'])), { address: '192.168.5.6' });
  assert.deepEqual(gitlabAddressOf('h', ok(['fd00::1'])), { why: 'h has no IPv4 address' });
  assert.equal(datacenterCidrOf('10.1.2.3', ['192.168.0.0/16', '10.1.0.0/16']), '10.1.0.0/16');
  assert.equal(datacenterCidrOf(undefined, ['10.1.0.0/16']), undefined);
});

test('the engine reads each kind of world through the same decision', () => {
  assert.equal(deriveAccessPath(makeFacts()).kind, 'ecs');
  assert.equal(deriveAccessPath(makeSlbFacts()).kind, 'slb');
  assert.equal(deriveAccessPath(makeSlbFacts()).address, SLB_IP);
  assert.equal(deriveAccessPath(makeIdcFacts()).kind, 'idc');
});

test('an ECS interface holding the address decides alone: the collector does not wait for the load balancer lookup', () => {
  const eni = ok([{ instanceId: 'i-gitlab' }]);
  assert.equal(onEcsInterface(eni), true);
  assert.equal(onEcsInterface(ok([])), false);
  assert.equal(onEcsInterface(unavailable('timeout')), false);
  const { loadBalancers: _, ...withoutLb } = evidence({ enis: eni });
  assert.equal(decideAccessPath(withoutLb).kind, 'ecs');
  // without an interface the load balancer lookup is needed: asking without it is a programming error
  const { loadBalancers: __, ...noEniNoLb } = evidence();
  assert.throws(() => decideAccessPath(noEniNoLb), /load balancer lookup is needed/);
});
