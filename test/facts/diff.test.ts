// diffFacts names changes in the terms fixes are made in; provenance and timings are not changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffFacts } from '../../src/facts/diff.js';
import type { Facts } from '../../src/facts/types.js';
import { acl, makeFacts, makeIdcFacts, makeSlbFacts, ok, healthyLoadBalancer } from '../helpers/facts.js';

const lines = (b: Facts, a: Facts) => diffFacts(b, a).map((c) => `${c.fact} ${c.kind} ${c.subject}: ${c.before ?? ''} → ${c.after ?? ''}`);

test('the same facts observed at another time are no change', () => {
  const a = makeFacts();
  const b = makeFacts((f) => {
    f.collectedAt = '2030-01-01T00:00:00.000Z';
    (f.cloud.vpc as any).at = '2030-01-01T00:00:00.000Z';
    (f.gitlab.probeLocal as any).value.timing = { totalMs: 999 };
  });
  assert.deepEqual(diffFacts(a, b), []);
});

test('network-ACL entries, routes, SLB listener/ACL/health, zone, certificate, token, binding, link', () => {
  const nacl = diffFacts(
    makeFacts((f) => (f.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }], [{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }])))),
    makeFacts((f) => (f.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }], [{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '192.168.0.0/16' }])))),
  );
  assert.deepEqual(nacl.map((c) => [c.fact, c.kind, c.subject.replace(/^\S+ /, ''), c.before ?? c.after]), [
    ['cloud.gitlabNetworkAcl', 'removed', 'outbound entry', 'accept all -1/-1 0.0.0.0/0'],
    ['cloud.gitlabNetworkAcl', 'added', 'outbound entry', 'accept all -1/-1 192.168.0.0/16'],
  ]);
  const route = lines(makeIdcFacts(), makeIdcFacts((f) => ((f.cloud.vbrRouteEntries as any).value[1].nextHops = [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }])));
  assert.equal(route.length, 1);
  assert.match(route[0]!, /^cloud\.vbrRouteEntries changed route .*VirtualBorderRouter ri-vbr-vlan/);
  const slb = lines(
    makeSlbFacts(),
    makeSlbFacts((f) => (f.cloud.loadBalancers = ok([healthyLoadBalancer({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'stopped', aclStatus: 'off' }], backends: [{ serverId: 'i-1', port: 443, healthStatus: 'abnormal' }] })]))),
  );
  assert.ok(slb.some((l) => /listener 443\/tcp: 443\/tcp running.* → 443\/tcp stopped/.test(l)), slb.join('\n'));
  assert.ok(slb.some((l) => /backend/.test(l) && /abnormal/.test(l)), slb.join('\n'));
  const misc = lines(
    makeFacts(),
    makeFacts((f) => {
      (f.cloud.linkVSwitch as any).value.zoneId = 'cn-hangzhou-z';
      (f.gitlab.tls as any).value.validTo = '2026-12-01T00:00:00.000Z';
      (f.gitlab.token as any).value.scopes = ['read_api'];
      f.cloud.sourceBinding = ok(null);
      f.cloud.managedSecurityGroups = ok([]);
    }),
  );
  for (const re of [/link vSwitch zoneId: cn-hangzhou-\w → cn-hangzhou-z/, /certificate validTo/, /token scopes: api → read_api/, /cloud\.sourceBinding removed source binding/, /cloud\.managedSecurityGroups removed security group/]) {
    assert.ok(misc.some((l) => re.test(l)), `${re}\n${misc.join('\n')}`);
  }
});

test('a fact that became unavailable is a change that says why', () => {
  const c = diffFacts(makeFacts(), makeFacts((f) => (f.cloud.vpc = { state: 'unavailable', reason: 'forbidden', message: 'denied', code: 'Forbidden.RAM', source: 'vpc:DescribeVpcAttribute', at: 'x' })));
  assert.deepEqual(c.map((x) => [x.fact, x.before, x.after]), [['cloud.vpc', 'available', 'unavailable (forbidden Forbidden.RAM: denied)']]);
});
