// SDK error messages as the tool prints them: the URL and query the SDK glues on are dropped, the
// host is named once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanSdkMessage } from '../../src/cloud/client.js';

test('transport messages lose the glued request URL and name the host once', () => {
  const cases: [string, string][] = [
    ['connect ECONNREFUSED 127.0.0.1:1POST http://127.0.0.1:1/?Action=DescribeVpcs&RegionId=cn-hangzhou failed.', 'connect ECONNREFUSED 127.0.0.1:1'],
    ['socket hang upPOST http://127.0.0.1:39291/?VpcId=vpc-1 failed.', 'socket hang up (127.0.0.1:39291)'],
    ['ReadTimeout(500). POST http://ecs.cn-hangzhou.aliyuncs.com/?InstanceIds=%5B%22i-1%22%5D failed.', 'ReadTimeout(500) (ecs.cn-hangzhou.aliyuncs.com)'],
    ['getaddrinfo ENOTFOUND vpc.cn-x.aliyuncs.comPOST https://vpc.cn-x.aliyuncs.com/?a=b failed.', 'getaddrinfo ENOTFOUND vpc.cn-x.aliyuncs.com'],
    ['Throttling.User: code: 400, Request was denied due to user flow control. request id: REQ-1', 'Throttling.User: code: 400, Request was denied due to user flow control. request id: REQ-1'],
    ['first line\nsecond line', 'first line'],
  ];
  for (const [raw, want] of cases) assert.equal(cleanSdkMessage(raw), want, raw);
  for (const [raw] of cases) assert.doesNotMatch(cleanSdkMessage(raw), /\?|POST|failed\./);
});
