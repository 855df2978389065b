// The cloud client against the emulator (which verifies the SDK runtime's signatures): retries with
// full-jitter backoff on throttling and 5xx, retryAfter honoured, no retry on permission errors,
// bounded attempts, a deadline, CR IsSuccess=false. The credential chain: credentials.test.ts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backoffMs, createCloudApi, isRetryable, regionalEndpoint, sdkEndpoint } from '../../src/cloud/client.js';
import { seededRandom } from '../../src/util/random.js';
import { credentialsFor } from '../../src/cloud/credentials.js';
import { DEMO_KEY, DEMO_STS, loadFixtureWorld, startTestEmulator } from '../helpers/emulator.js';

const home = mkdtempSync(join(tmpdir(), 'acrp-home-'));
after(() => rmSync(home, { recursive: true, force: true }));
// a temp HOME: the credential chain never reads the real ~/.aliyun or ~/.alibabacloud
const env = { HOME: home, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret, ACR_PREFLIGHT_LOOPBACK_ONLY: '1' };

async function withWorld(faults: Record<string, unknown>, fn: (api: Awaited<ReturnType<typeof createCloudApi>>, waits: number[], em: any) => Promise<void>, opts: { maxAttempts?: number; signal?: AbortSignal } = {}) {
  const w = loadFixtureWorld('demo');
  w.faults = faults;
  const em = await startTestEmulator(w);
  const waits: number[] = [];
  try {
    const api = await createCloudApi({
      region: 'cn-hangzhou',
      endpoint: em.cloudUrl,
      credentials: credentialsFor({ env }),
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
      env,
      ...opts,
    });
    await fn(api, waits, em);
  } finally {
    await em.stop();
  }
}

test('endpoints: regional names and the override', () => {
  assert.equal(regionalEndpoint('ecs', 'cn-hangzhou'), 'ecs-cn-hangzhou.aliyuncs.com');
  assert.equal(regionalEndpoint('vpc', 'cn-shanghai'), 'vpc.cn-shanghai.aliyuncs.com');
  assert.equal(regionalEndpoint('slb', 'cn-beijing'), 'slb.aliyuncs.com');
  assert.equal(regionalEndpoint('slb', 'eu-central-1'), 'slb.eu-central-1.aliyuncs.com');
  assert.equal(regionalEndpoint('cr', 'cn-hangzhou'), 'cr.cn-hangzhou.aliyuncs.com');
  assert.deepEqual(sdkEndpoint('http://127.0.0.1:8790'), { endpoint: '127.0.0.1:8790', protocol: 'http' });
});

test('backoff: full jitter under an exponential cap', () => {
  assert.equal(backoffMs(0, () => 0.999), 99);
  assert.equal(backoffMs(3, () => 0.5), 400);
  assert.equal(backoffMs(10, () => 0.999), 2997);
  assert.equal(backoffMs(4, () => 0), 0);
  assert.ok(isRetryable({ code: 'Throttling.User' } as any));
  assert.ok(isRetryable({ code: 'X', statusCode: 503 } as any));
  assert.ok(!isRetryable({ code: 'Forbidden.RAM', statusCode: 403 } as any));
});

test('throttled three times: retried with backoff, then the answer', async () => {
  await withWorld({ throttleFirst: 3 }, async (api, waits) => {
    const b = await api.call('vpc', 'DescribeVpcAttribute', { VpcId: 'vpc-bp1demo' });
    assert.equal(b.VpcId, 'vpc-bp1demo');
    assert.equal(api.requestCount, 4);
    assert.deepEqual(waits, [50, 100, 200]);
  });
});

test('retryAfter from the server replaces the backoff', async () => {
  await withWorld({ throttleFirst: 1, retryAfterMs: 777 }, async (api, waits) => {
    await api.call('vpc', 'DescribeVpcAttribute', { VpcId: 'vpc-bp1demo' });
    assert.deepEqual(waits, [777]);
  });
});

test('5xx is retried; attempts are bounded', async () => {
  await withWorld({ errorFirst: 10 }, async (api, waits) => {
    await assert.rejects(api.call('ecs', 'DescribeSecurityGroups', { VpcId: 'vpc-bp1demo' }), (e: any) => e.code === 'ServiceUnavailable' && e.statusCode === 503);
    assert.equal(api.requestCount, 3);
    assert.equal(waits.length, 2);
  }, { maxAttempts: 3 });
});

test('a permission error is not retried and names the RAM action', async () => {
  await withWorld({ deny: ['ecs:DescribeSecurityGroupAttribute'] }, async (api, waits) => {
    await assert.rejects(api.call('ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-bp1gitlab' }), (e: any) => e.code === 'Forbidden.RAM' && e.ramAction === 'ecs:DescribeSecurityGroupAttribute');
    assert.equal(api.requestCount, 1);
    assert.equal(waits.length, 0);
  });
});

test('CR business errors (IsSuccess false) become errors with their code', async () => {
  await withWorld({}, async (api) => {
    await assert.rejects(api.call('cr', 'GetRepository', { InstanceId: 'cri-demo1234', RepoNamespaceName: 'team', RepoName: 'nope' }), (e: any) => /NOT_EXIST/.test(e.code));
  });
});

test('the deadline stops retries', async () => {
  const ctl = new AbortController();
  ctl.abort(new Error('deadline'));
  await withWorld({ throttleFirst: 5 }, async (api) => {
    await assert.rejects(api.call('vpc', 'DescribeVpcAttribute', { VpcId: 'vpc-bp1demo' }), (e: any) => e.code === 'Timeout');
  }, { signal: ctl.signal });
});

test('seeded jitter: the same seed gives the same waits, every wait inside its cap', async () => {
  const run = async (seed: number) => {
    const waits: number[] = [];
    const w = loadFixtureWorld('demo');
    w.faults = { throttleFirst: 4 };
    const em = await startTestEmulator(w);
    try {
      const api = await createCloudApi({ region: 'cn-hangzhou', endpoint: em.cloudUrl, credentials: credentialsFor({ env }), seed, sleep: async (ms) => void waits.push(ms), env });
      await api.call('vpc', 'DescribeVpcAttribute', { VpcId: 'vpc-bp1demo' });
    } finally {
      await em.stop();
    }
    return waits;
  };
  const a = await run(7);
  assert.deepEqual(await run(7), a);
  assert.equal(a.length, 4);
  a.forEach((ms, i) => assert.ok(ms >= 0 && ms < 100 * 2 ** i, `wait ${i}: ${ms}`));
  const r = seededRandom(1);
  const xs = Array.from({ length: 1000 }, r);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.05, 'roughly uniform');
});

test('credentials are asked for per call: refreshed temporary credentials are used, not the first ones', async () => {
  const em = await startTestEmulator('demo');
  try {
    const issued = [
      { accessKeyId: DEMO_KEY.accessKeyId, accessKeySecret: DEMO_KEY.accessKeySecret, origin: 'test' },
      { accessKeyId: DEMO_STS.accessKeyId, accessKeySecret: DEMO_STS.accessKeySecret, securityToken: DEMO_STS.securityToken, origin: 'test (refreshed)' },
      { accessKeyId: 'STS.Revoked', accessKeySecret: 'gone', securityToken: 'gone', origin: 'test (revoked)' },
    ];
    let n = 0;
    const api = await createCloudApi({ region: 'cn-hangzhou', endpoint: em.cloudUrl, credentials: { get: async () => issued[Math.min(n, issued.length - 1)]! }, env });
    const call = () => api.call('vpc', 'DescribeVSwitchAttributes', { VSwitchId: 'vsw-bp1build' });
    assert.equal((await call()).VSwitchId, 'vsw-bp1build');
    n = 1; // the provider refreshed: the STS key and token sign the next call
    assert.equal((await call()).VSwitchId, 'vsw-bp1build');
    n = 2; // a key the cloud does not know: the client must not keep signing with the old one
    await assert.rejects(call(), (e: any) => e.code === 'InvalidAccessKeyId.NotFound');
  } finally {
    await em.stop();
  }
});
