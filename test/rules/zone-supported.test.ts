import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rule } from '../../rules/zone-supported.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { withOverrides, loadZoneTable } from '../../src/engine/zones.js';

const zone = (zoneId: string, region = 'cn-hangzhou') => makeFacts((f) => {
  f.input.region = region;
  f.cloud.acrInstance = ok({ instanceId: 'cri-test', status: 'RUNNING', regionId: region });
  f.cloud.linkVSwitch = ok({ vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId, cidrBlock: '192.168.2.0/24' });
});
const remediationHas = (needle: string) => (r: { remediation: string }) => { if (!r.remediation.includes(needle)) throw new Error(r.remediation); };

ruleTester(rule, [
  { name: 'listed zone', facts: zone('cn-hangzhou-h'), status: 'pass', messageId: 'ok', data: { zone: 'cn-hangzhou-h', date: '2025-01-09' }, check: (r) => { if (!JSON.stringify(r.evidence).includes('build-a-container-image-in-a-vpc')) throw new Error('source missing'); } },
  { name: 'finance cloud zone', facts: zone('cn-hangzhou-finance-j', 'cn-hangzhou-finance'), status: 'pass', messageId: 'ok' },
  {
    name: 'unlisted zone in a listed region fails, naming the table date and the zones: override',
    facts: zone('cn-hangzhou-b'),
    status: 'fail',
    messageId: 'notListed',
    data: { zone: 'cn-hangzhou-b', date: '2025-01-09' },
    check: (r) => {
      remediationHas('zones: { cn-hangzhou: [cn-hangzhou-b] }')(r);
      assert.match(r.message, /table of 2025-01-09/);
      assert.match(r.message, /zones: \{ cn-hangzhou: \[cn-hangzhou-b\] \}/);
    },
  },
  {
    name: 'unlisted region warns that the region is not in the table at all',
    facts: zone('me-east-1a', 'me-east-1'),
    status: 'warn',
    messageId: 'regionNotListed',
    data: { region: 'me-east-1', zone: 'me-east-1a', date: '2025-01-09' },
    check: (r) => {
      assert.doesNotMatch(r.remediation, /listed zone of me-east-1|\(none\)/);
      assert.match(r.remediation, /Region me-east-1 is not in the dated VPC-build zone table \(2025-01-09\)/);
      assert.match(r.remediation, /current "Build a container image in a VPC" page/);
      assert.match(r.remediation, /zones: \{ me-east-1: \[me-east-1a\] \}/);
    },
  },
  {
    name: 'config additions for an unlisted region make its zone listed',
    facts: zone('me-east-1a', 'me-east-1'),
    zones: withOverrides(loadZoneTable(), { 'me-east-1': ['me-east-1a'] }),
    status: 'pass',
    messageId: 'ok',
  },
  {
    name: 'a zone of a region listed only by the Chinese docs names those zones',
    facts: zone('ap-south-1c', 'ap-south-1'),
    status: 'fail',
    messageId: 'notListed',
    data: { listed: 'none confirmed; Chinese docs only: ap-south-1a, ap-south-1b' },
  },
  { name: 'Mumbai is in the Chinese docs only', facts: zone('ap-south-1a', 'ap-south-1'), status: 'warn', messageId: 'chineseOnly', data: { zone: 'ap-south-1a' } },
  { name: 'config additions extend the table', facts: zone('cn-hangzhou-b'), zones: withOverrides(loadZoneTable(), { 'cn-hangzhou': ['cn-hangzhou-b'] }), status: 'pass', messageId: 'ok' },
  { name: 'config additions confirm a Chinese-docs-only zone', facts: zone('ap-south-1b', 'ap-south-1'), zones: withOverrides(loadZoneTable(), { 'ap-south-1': ['ap-south-1b'] }), status: 'pass', messageId: 'ok' },
  { name: 'Tokyo b', facts: zone('ap-northeast-1b', 'ap-northeast-1'), status: 'pass', messageId: 'ok' },
  { name: 'link vSwitch unreadable is undecided', facts: makeFacts((f) => { f.cloud.linkVSwitch = unavailable('not-found', 'vsw-link does not exist', { code: 'InvalidVSwitchId.NotFound' }); }), status: 'error', messageId: '$unavailable' },
]);

test('the shipped zone table is the complete English table of the reference, dated, plus Mumbai as Chinese-docs-only', () => {
  const t = loadZoneTable();
  assert.match(t.retrieved, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(t.source, /https:\/\/alibabacloud\.com\/help\/en\/acr\/user-guide\/build-a-container-image-in-a-vpc/);
  assert.match(t.source, /https:\/\/help\.aliyun\.com\/document_detail\/436102\.html/);
  const expected: Record<string, string[]> = {
    'cn-beijing': ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'].map((z) => `cn-beijing-${z}`),
    'cn-hangzhou': ['e', 'f', 'g', 'h', 'i', 'j', 'k'].map((z) => `cn-hangzhou-${z}`),
    'cn-shenzhen': ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `cn-shenzhen-${z}`),
    'cn-shanghai': ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'i'].map((z) => `cn-shanghai-${z}`),
    'cn-zhangjiakou': ['a', 'b', 'c'].map((z) => `cn-zhangjiakou-${z}`),
    'cn-hongkong': ['b', 'c', 'd'].map((z) => `cn-hongkong-${z}`),
    'ap-southeast-1': ['a', 'b', 'c'].map((z) => `ap-southeast-1${z}`),
    'ap-southeast-5': ['ap-southeast-5a', 'ap-southeast-5b'],
    'us-east-1': ['us-east-1a', 'us-east-1b'],
    'us-west-1': ['us-west-1a', 'us-west-1b'],
    'eu-west-1': ['eu-west-1a', 'eu-west-1b'],
    'eu-central-1': ['eu-central-1a', 'eu-central-1b'],
    'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1b'],
    'cn-chengdu': ['cn-chengdu-a', 'cn-chengdu-b'],
    'cn-heyuan': ['cn-heyuan-a', 'cn-heyuan-b'],
    'cn-hangzhou-finance': ['h', 'i', 'j', 'k'].map((z) => `cn-hangzhou-finance-${z}`),
    'ap-south-1': [],
  };
  assert.deepEqual(Object.keys(t.regions).sort(), Object.keys(expected).sort());
  for (const [region, zones] of Object.entries(expected)) {
    assert.deepEqual([...t.regions[region]!.zones].sort(), [...zones].sort(), region);
    for (const z of t.regions[region]!.zones) assert.ok(z.startsWith(region), `${z} belongs to ${region}`);
  }
  assert.deepEqual(t.regions['ap-south-1']!.chineseDocsOnly, ['ap-south-1a', 'ap-south-1b']);
  for (const [region, e] of Object.entries(t.regions)) if (region !== 'ap-south-1') assert.equal(e.chineseDocsOnly, undefined, region);
});
