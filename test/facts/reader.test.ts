// The collectors' reader: every list read whole through the one pager with each product's paging
// convention, and a list that hits the page bound (or loops) an unavailable fact that says so —
// never a partial list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudApi, Product } from '../../src/cloud/api.js';
import { CloudReader, MAX_PAGES, type CallRecord } from '../../src/facts/collect/reader.js';

type Answer = (params: Record<string, unknown>) => Record<string, unknown>;

function fakeApi(answer: Answer): CloudApi & { calls: { product: Product; action: string; params: Record<string, unknown> }[] } {
  const calls: { product: Product; action: string; params: Record<string, unknown> }[] = [];
  return {
    calls,
    requestCount: 0,
    async call(product, action, params) {
      calls.push({ product, action, params });
      return answer(params);
    },
  };
}

const reader = (api: CloudApi, records: CallRecord[] = []) => new CloudReader(api, new AbortController().signal, (r) => records.push(r));
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `vsw-${from + i}`);
const vsw = (id: string) => ({ VSwitchId: id, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.0.0/24' });

test('PageNumber/PageSize with TotalCount (a number or, in some VPC answers, a string): every page joined', async () => {
  for (const total of [120, '120']) {
    const api = fakeApi((p) => {
      const page = Number(p.PageNumber);
      return { TotalCount: total, VSwitches: { VSwitch: ids(Math.min(50, 120 - (page - 1) * 50), (page - 1) * 50).map(vsw) } };
    });
    const got = await reader(api).byNumber('vpc:DescribeVSwitches', { VpcId: 'vpc-1' }, (b) => b.VSwitches.VSwitch);
    assert.deepEqual(got.map((v) => v.VSwitchId), ids(120));
    assert.deepEqual(api.calls.map((c) => [c.params.PageNumber, c.params.PageSize, c.params.VpcId]), [[1, 50, 'vpc-1'], [2, 50, 'vpc-1'], [3, 50, 'vpc-1']]);
  }
});

test('SLB ACL entries page by Page with TotalAclEntry', async () => {
  const api = fakeApi((p) => {
    const page = Number(p.Page);
    return { TotalAclEntry: 75, AclEntrys: { AclEntry: Array.from({ length: page === 1 ? 50 : 25 }, (_, i) => ({ AclEntryIP: `10.0.${page}.${i}/32` })) } };
  });
  const got = await reader(api).byNumber('slb:DescribeAccessControlListAttribute', { AclId: 'acl-1' }, (b) => b.AclEntrys.AclEntry, { numberKey: 'Page', totalKey: 'TotalAclEntry' });
  assert.equal(got.length, 75);
  assert.deepEqual(api.calls.map((c) => [c.params.Page, c.params.PageSize]), [[1, 50], [2, 50]]);
});

test('NextToken with MaxResults (ECS, SLB listeners) and MaxResult (VPC route entries): every page joined', async () => {
  const api = fakeApi((p) => {
    const n = p.NextToken ? Number(String(p.NextToken).slice(1)) : 0;
    return { ...(n < 2 ? { NextToken: `p${n + 1}` } : { NextToken: '' }), RouteEntrys: { RouteEntry: [{ DestinationCidrBlock: `10.${n}.0.0/16` }] } };
  });
  const got = await reader(api).byToken('vpc:DescribeRouteEntryList', { RouteTableId: 'vtb-1' }, (b) => b.RouteEntrys.RouteEntry, { pageKey: 'MaxResult' });
  assert.deepEqual(got.map((e) => e.DestinationCidrBlock), ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
  assert.deepEqual(api.calls.map((c) => [c.params.NextToken, c.params.MaxResult, c.params.MaxResults]), [[undefined, 100, undefined], ['p1', 100, undefined], ['p2', 100, undefined]]);
  const ecs = fakeApi(() => ({ Instances: { Instance: [] } }));
  await reader(ecs).byToken('ecs:DescribeInstances', {}, (b) => b.Instances.Instance);
  assert.equal(ecs.calls[0]!.params.MaxResults, 100);
});

test('a list that hits the page bound is an unavailable fact saying it was not read whole, never the pages read', async () => {
  const api = fakeApi((p) => ({ NextToken: `t${Number(String(p.NextToken ?? 't0').slice(1)) + 1}`, RouteEntrys: { RouteEntry: [{ DestinationCidrBlock: '10.0.0.0/8' }] } }));
  const cloud = reader(api);
  const f = await cloud.fact('vpc:DescribeRouteEntryList', () => cloud.byToken('vpc:DescribeRouteEntryList', { RouteTableId: 'vtb-1' }, (b) => b.RouteEntrys.RouteEntry, { pageKey: 'MaxResult' }));
  assert.equal(f.state, 'unavailable');
  assert.ok(f.state === 'unavailable');
  assert.equal(f.reason, 'api-error');
  assert.equal(f.code, 'TooManyPages');
  assert.equal(f.source, 'vpc:DescribeRouteEntryList');
  assert.equal(f.message, `DescribeRouteEntryList: more than ${MAX_PAGES} pages; the list was not read whole, so it cannot be judged`);
  assert.equal(api.calls.length, MAX_PAGES);

  // by number: full pages whose total is never reached
  const numbered = fakeApi(() => ({ TotalCount: 10 ** 9, BgpPeers: { BgpPeer: Array.from({ length: 50 }, (_, i) => ({ BgpPeerId: `bgp-${i}` })) } }));
  const c2 = reader(numbered);
  const g = await c2.fact('vpc:DescribeBgpPeers', () => c2.byNumber('vpc:DescribeBgpPeers', { RouterId: 'vbr-1' }, (b) => b.BgpPeers.BgpPeer));
  assert.ok(g.state === 'unavailable');
  assert.equal(g.code, 'TooManyPages');
  assert.match(g.message, /^DescribeBgpPeers: more than 1000 pages; the list was not read whole/);
});

test('a malformed page fails the whole list, and the evidence names the call MalformedResponse', async () => {
  const api = fakeApi((p) => (p.NextToken ? { SecurityGroups: { SecurityGroup: [{ SecurityGroupId: 42 }] } } : { NextToken: 'n1', SecurityGroups: { SecurityGroup: [{ SecurityGroupId: 'sg-1' }] } }));
  const records: CallRecord[] = [];
  const cloud = reader(api, records);
  const f = await cloud.fact('ecs:DescribeSecurityGroups', () => cloud.byToken('ecs:DescribeSecurityGroups', {}, (b) => b.SecurityGroups.SecurityGroup));
  assert.ok(f.state === 'unavailable');
  assert.equal(f.code, 'MalformedResponse');
  assert.equal(f.message, 'malformed answer: SecurityGroups.SecurityGroup[0].SecurityGroupId: expected string, got a number');
  assert.deepEqual(records.map((r) => [r.action, r.ok, r.code]), [['DescribeSecurityGroups', true, undefined], ['DescribeSecurityGroups', false, 'MalformedResponse']]);
});
