import { rule } from '../../rules/zone-supported.js';
import { makeFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';
import { withOverrides, loadZoneTable } from '../../src/engine/zones.js';

const zone = (zoneId: string, region = 'cn-hangzhou') => makeFacts((f) => {
  f.input.region = region;
  f.cloud.acrInstance = ok({ instanceId: 'cri-test', status: 'RUNNING', regionId: region });
  f.cloud.linkVSwitch = ok({ vSwitchId: 'vsw-link', vpcId: 'vpc-test', zoneId, cidrBlock: '192.168.2.0/24' });
});
ruleTester(rule, [
  { name: 'listed zone', facts: zone('cn-hangzhou-h'), status: 'pass', messageId: 'ok' },
  { name: 'finance cloud zone', facts: zone('cn-hangzhou-finance-j', 'cn-hangzhou-finance'), status: 'pass', messageId: 'ok' },
  { name: 'unlisted zone in a listed region warns', facts: zone('cn-hangzhou-b'), status: 'warn', messageId: 'notListed', data: { zone: 'cn-hangzhou-b' } },
  { name: 'unlisted region warns', facts: zone('me-east-1a', 'me-east-1'), status: 'warn', messageId: 'notListed', data: { listed: 'none' } },
  { name: 'Mumbai is in the Chinese docs only', facts: zone('ap-south-1a', 'ap-south-1'), status: 'warn', messageId: 'chineseOnly' },
  { name: 'config additions extend the table', facts: zone('cn-hangzhou-b'), zones: withOverrides(loadZoneTable(), { 'cn-hangzhou': ['cn-hangzhou-b'] }), status: 'pass', messageId: 'ok' },
  { name: 'Tokyo b', facts: zone('ap-northeast-1b', 'ap-northeast-1'), status: 'pass', messageId: 'ok' },
]);
