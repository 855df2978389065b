// Signatures (V3 ACS3-HMAC-SHA256 and RPC HMAC-SHA1), STS, the error body, routing errors, faults
// and the audit — with the real SDK clients.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as $Ecs from '@alicloud/ecs20140526';
import fc from 'fast-check';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { NonceCache } from '../../src/emulator/signature.js';
import { DEMO_KEY, DEMO_STS, ecsClient, loadFixtureWorld, rpcCaller, startTestEmulator } from '../helpers/emulator.js';

const sgReq = () => new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', direction: 'ingress' });

describe('emulator: authentication and errors', () => {
  let em: EmulatorHandle;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-auth-'));
    const w = loadFixtureWorld('demo');
    w.credentials.push({ accessKeyId: 'STS.Expired', accessKeySecret: 'x-secret', securityToken: 'old-token', expiration: '2020-01-01T00:00:00Z' });
    w.credentials.push({ accessKeyId: 'LTAIdisabled', accessKeySecret: 'y-secret', active: false });
    w.faults = {
      seed: 3,
      perAction: { DescribeVpcs: { throttleRate: 1, retryAfterMs: 20 }, DescribeVSwitches: { errorRate: 1 }, 'vpc:DescribeBgpPeers': { throttleFirst: 1, errorFirst: 1 } },
      malformed: { ListInstance: 'json', ListNamespace: 'missing-fields', GetInstance: 'wrong-types' },
    };
    // keep DescribeSecurityGroupAttribute allowed for the signature tests: deny DescribeInstances instead
    w.faults.deny = ['ecs:DescribeInstances'];
    em = await startTestEmulator(w, { auditFile: join(dir, 'audit.jsonl') });
  });
  after(async () => {
    await em?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts V3 (default) and V1 (signatureAlgorithm v2) signatures', async () => {
    const v3 = await ecsClient(em);
    assert.equal((await v3.describeSecurityGroupAttribute(sgReq())).body!.securityGroupId, 'sg-bp1gitlab');
    const v1 = await ecsClient(em, { v1: true });
    assert.equal((await v1.describeSecurityGroupAttribute(sgReq())).body!.securityGroupId, 'sg-bp1gitlab');
  });

  it('accepts STS credentials with their token, V3 and V1, and rejects a wrong or expired token', async () => {
    for (const v1 of [false, true]) {
      const sts = await ecsClient(em, { creds: DEMO_STS, v1 });
      assert.equal((await sts.describeSecurityGroupAttribute(sgReq())).statusCode, 200);
      const bad = await ecsClient(em, { creds: { ...DEMO_STS, securityToken: 'forged' }, v1 });
      await assert.rejects(bad.describeSecurityGroupAttribute(sgReq()), (e: any) => e.code === 'InvalidSecurityToken.MismatchWithAccessKey');
      const none = await ecsClient(em, { creds: { accessKeyId: DEMO_STS.accessKeyId, accessKeySecret: DEMO_STS.accessKeySecret }, v1 });
      await assert.rejects(none.describeSecurityGroupAttribute(sgReq()), (e: any) => e.code === 'InvalidSecurityToken.Malformed');
    }
    const expired = await ecsClient(em, { creds: { accessKeyId: 'STS.Expired', accessKeySecret: 'x-secret', securityToken: 'old-token' } });
    await assert.rejects(expired.describeSecurityGroupAttribute(sgReq()), (e: any) => e.code === 'InvalidSecurityToken.Expired');
  });

  it('rejects a wrong secret (SignatureDoesNotMatch), an unknown or disabled key', async () => {
    for (const v1 of [false, true]) {
      const wrong = await ecsClient(em, { creds: { ...DEMO_KEY, accessKeySecret: 'not-the-secret' }, v1 });
      await assert.rejects(wrong.describeSecurityGroupAttribute(sgReq()), (e: any) => e.name === 'ClientError' && e.code === 'SignatureDoesNotMatch' && e.statusCode === 400);
    }
    const unknown = await ecsClient(em, { creds: { accessKeyId: 'LTAInobody', accessKeySecret: 's' } });
    await assert.rejects(unknown.describeSecurityGroupAttribute(sgReq()), (e: any) => e.code === 'InvalidAccessKeyId.NotFound' && e.statusCode === 404);
    const disabled = await ecsClient(em, { creds: { accessKeyId: 'LTAIdisabled', accessKeySecret: 'y-secret' } });
    await assert.rejects(disabled.describeSecurityGroupAttribute(sgReq()), (e: any) => e.code === 'InvalidAccessKeyId.Inactive');
  });

  it('verifies odd characters in the query and params in a signed form body', async () => {
    const call = await rpcCaller(em);
    const odd = "a b+c*d~e!f'g(h)i/j:k ünï 中文";
    const r = await call('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou', SecurityGroupName: odd });
    assert.deepEqual(r.SecurityGroups.SecurityGroup, []);
    const form = await rpcCaller(em, { form: true });
    const f = await form('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou', SecurityGroupIds: '["sg-bp1base"]' });
    assert.deepEqual(f.SecurityGroups.SecurityGroup.map((x: any) => x.SecurityGroupId), ['sg-bp1base']);
    const v1form = await rpcCaller(em, { form: true, v1: true });
    const g = await v1form('vpc', 'DescribeVSwitchAttributes', { RegionId: 'cn-hangzhou', VSwitchId: 'vsw-bp1build' });
    assert.equal(g.ZoneId, 'cn-hangzhou-i');
  });

  it('any parameter text verifies, V3 and V1, in the query and in a form body (property)', async () => {
    const callers = [await rpcCaller(em), await rpcCaller(em, { v1: true }), await rpcCaller(em, { form: true }), await rpcCaller(em, { form: true, v1: true })];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          fc.string({ unit: fc.constantFrom('*', "'", '(', ')', '!', '~', ' ', '+', '%', '&', '=', '/', ':', '?', '#', 'é', '中', 'a'), maxLength: 20 }),
        ),
        fc.integer({ min: 0, max: 3 }), async (name, i) => {
        const r = await callers[i]!('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou', SecurityGroupName: name, VpcId: 'vpc-bp1demo' });
        return Array.isArray(r.SecurityGroups.SecurityGroup);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('answers unknown actions and versions with proper errors, unsigned requests with IncompleteSignature', async () => {
    const call = await rpcCaller(em);
    await assert.rejects(call('ecs', 'RunInstances', { RegionId: 'cn-hangzhou' }), (e: any) => e.code === 'InvalidApi.NotFound' && e.statusCode === 404);
    await assert.rejects(call('1999-01-01', 'DescribeThings', {}), (e: any) => e.code === 'NoSuchVersion');
    const raw = await fetch(`${em.cloudUrl}/?Action=DescribeVpcs&Version=2016-04-28&RegionId=cn-hangzhou`, { method: 'POST' });
    const body = (await raw.json()) as Record<string, string>;
    assert.equal(raw.status, 400);
    assert.equal(body.Code, 'IncompleteSignature');
    for (const k of ['RequestId', 'HostId', 'Code', 'Message', 'Recommend']) assert.equal(typeof body[k], 'string', k);
    const none = await fetch(`${em.cloudUrl}/`, { method: 'POST' });
    assert.equal(((await none.json()) as Record<string, string>).Code, 'MissingParameter');
  });

  it('RAM denial: 403 Forbidden.RAM with AccessDeniedDetail naming the action', async () => {
    const ecs = await ecsClient(em);
    await assert.rejects(ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' })), (e: any) => {
      assert.equal(e.code, 'Forbidden.RAM');
      assert.equal(e.statusCode, 403);
      assert.equal(e.data.AccessDeniedDetail.AuthAction, 'ecs:DescribeInstances');
      return true;
    });
  });

  it('throttling surfaces as the SDK ThrottlingError (with retry-after); 5xx as ServerError; retries give up', async () => {
    const call = await rpcCaller(em);
    await assert.rejects(call('vpc', 'DescribeVpcs', { RegionId: 'cn-hangzhou' }), (e: any) => {
      assert.equal(e.name, 'ThrottlingError');
      assert.equal(e.code, 'Throttling.User');
      assert.equal(e.statusCode, 400);
      assert.equal(e.retryAfter, 20);
      return true;
    });
    await assert.rejects(call('vpc', 'DescribeVSwitches', { RegionId: 'cn-hangzhou' }), (e: any) => e.name === 'ServerError' && e.code === 'ServiceUnavailable' && e.statusCode === 503);
    const before = em.audit().filter((a) => a.action === 'DescribeVpcs').length;
    const retrying = await rpcCaller(em, { retries: 3 });
    await assert.rejects(retrying('vpc', 'DescribeVpcs', { RegionId: 'cn-hangzhou' }), (e: any) => e.code === 'Throttling.User');
    assert.equal(em.audit().filter((a) => a.action === 'DescribeVpcs').length - before, 3);
    // throttleFirst 1 + errorFirst 1: a retrying client gets through on the third attempt
    const r = await retrying('vpc', 'DescribeBgpPeers', { RegionId: 'cn-hangzhou' });
    assert.equal(r.TotalCount, 0);
    assert.deepEqual(em.audit().filter((a) => a.action === 'DescribeBgpPeers').map((a) => a.code), ['Throttling.User', 'ServiceUnavailable', 'OK']);
  });

  it('malformed answers: truncated JSON, missing fields', async () => {
    const call = await rpcCaller(em);
    await assert.rejects(call('cr', 'ListInstance', {}));
    const r = await call('cr', 'ListNamespace', { InstanceId: 'cri-demo1234' });
    assert.deepEqual(Object.keys(r), ['RequestId']);
    const g = await call('cr', 'GetInstance', { InstanceId: 'cri-demo1234' });
    assert.equal(g.IsSuccess, 'yes');
    assert.equal(typeof g.CreateTime, 'string');
    assert.equal(typeof g.InstanceId, 'number');
  });

  it('audit: in memory and as JSON lines, secrets never written', async () => {
    const v1 = await ecsClient(em, { creds: DEMO_STS, v1: true });
    await v1.describeSecurityGroupAttribute(sgReq());
    const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length >= 10);
    for (const l of lines) assert.deepEqual(Object.keys(l).sort(), ['action', 'code', 'params', 'product', 'status', 'time']);
    const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    for (const secret of [DEMO_KEY.accessKeySecret, DEMO_STS.accessKeySecret, DEMO_STS.securityToken, 'forged']) assert.ok(!text.includes(secret), secret);
    for (const l of lines) for (const k of ['Signature', 'AccessKeyId', 'SecurityToken', 'SignatureNonce']) assert.ok(!(k in l.params), k);
    const last = lines.at(-1);
    assert.deepEqual(last, { ...last, product: 'ecs', action: 'DescribeSecurityGroupAttribute', status: 200, code: 'OK' });
    assert.deepEqual(last.params, { RegionId: 'cn-hangzhou', SecurityGroupId: 'sg-bp1gitlab', Direction: 'ingress' });
    const viaHttp = (await (await fetch(`${em.cloudUrl}/__emulator/audit`)).json()) as unknown[];
    assert.equal(viaHttp.length, em.audit().length);
  });

  // A V1 request signed by hand (docs/alibaba-api.md): the signature covers
  // the parameters only, so the action that runs must be the signed Action, never a header.
  async function v1Request(params: Record<string, string>, headers: Record<string, string> = {}) {
    const enc = (x: string) => encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const all: Record<string, string> = {
      Format: 'JSON', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: randomUUID(),
      Timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), AccessKeyId: DEMO_KEY.accessKeyId, ...params,
    };
    const canonical = Object.keys(all).sort().map((k) => `${enc(k)}=${enc(all[k]!)}`).join('&');
    all.Signature = createHmac('sha1', `${DEMO_KEY.accessKeySecret}&`).update(`POST&%2F&${enc(canonical)}`).digest('base64');
    const r = await fetch(`${em.cloudUrl}/?${new URLSearchParams(all)}`, { method: 'POST', headers });
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  }

  it('V1: the signed Action runs; an x-acs-action header that differs is refused', async () => {
    const params = { Action: 'DescribeVpcs', Version: '2016-04-28', RegionId: 'cn-hangzhou', SecurityGroupId: 'sg-bp1base', IpProtocol: 'TCP', PortRange: '9999/9999', SourceCidrIp: '0.0.0.0/0' };
    const plain = await v1Request({ ...params, Action: 'DescribeVSwitchAttributes', VSwitchId: 'vsw-bp1build' });
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.equal(plain.body.VSwitchId, 'vsw-bp1build');
    const before = em.state.region('cn-hangzhou').securityGroups.find((g) => g.SecurityGroupId === 'sg-bp1base')!.Permissions!.length;
    const forged = await v1Request(params, { 'x-acs-action': 'AuthorizeSecurityGroup', 'x-acs-version': '2014-05-26' });
    assert.equal(forged.status, 400);
    assert.equal(forged.body.Code, 'IncompleteSignature');
    assert.equal(em.state.region('cn-hangzhou').securityGroups.find((g) => g.SecurityGroupId === 'sg-bp1base')!.Permissions!.length, before, 'no rule was added');
    const agreeing = await v1Request({ ...params, Action: 'DescribeVSwitchAttributes', VSwitchId: 'vsw-bp1build' }, { 'x-acs-action': 'DescribeVSwitchAttributes', 'x-acs-version': '2016-04-28' });
    assert.equal(agreeing.status, 200, 'headers that agree with the signed parameters (what the SDK sends) are fine');
  });

  it('V3 with a form body: content-type must be among the signed headers', async () => {
    const sha = (b: string) => createHash('sha256').update(b).digest('hex');
    const enc = (x: string) => encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const send = async (signContentType: boolean) => {
      const body = 'VSwitchId=vsw-bp1build';
      const host = new URL(em.cloudUrl).host;
      const h: Record<string, string> = {
        host, 'content-type': 'application/x-www-form-urlencoded', 'x-acs-action': 'DescribeVSwitchAttributes', 'x-acs-version': '2016-04-28',
        'x-acs-date': new Date().toISOString().replace(/\.\d+Z$/, 'Z'), 'x-acs-signature-nonce': sha(randomUUID()), 'x-acs-content-sha256': sha(body),
      };
      const names = Object.keys(h).filter((k) => signContentType || k !== 'content-type').sort();
      const canonical = ['POST', '/', `RegionId=${enc('cn-hangzhou')}`, names.map((k) => `${k}:${h[k]}\n`).join(''), names.join(';'), sha(body)].join('\n');
      const sig = createHmac('sha256', DEMO_KEY.accessKeySecret).update(`ACS3-HMAC-SHA256\n${sha(canonical)}`).digest('hex');
      const { host: _h, ...headers } = h;
      const r = await fetch(`${em.cloudUrl}/?RegionId=cn-hangzhou`, { method: 'POST', body, headers: { ...headers, authorization: `ACS3-HMAC-SHA256 Credential=${DEMO_KEY.accessKeyId},SignedHeaders=${names.join(';')},Signature=${sig}` } });
      return { status: r.status, body: (await r.json()) as Record<string, any> };
    };
    const good = await send(true);
    assert.deepEqual([good.status, good.body.VSwitchId], [200, 'vsw-bp1build'], JSON.stringify(good.body));
    const unsigned = await send(false);
    assert.deepEqual([unsigned.status, unsigned.body.Code], [400, 'IncompleteSignature']);
  });

  it('a parameter named like an Object property is signed and passed like any other', async () => {
    const r = await v1Request({ Action: 'DescribeVSwitchAttributes', Version: '2016-04-28', RegionId: 'cn-hangzhou', VSwitchId: 'vsw-bp1build', constructor: 'y', toString: 'z' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });
});

it('the nonce cache refuses a reused nonce and forgets expired ones from the front', async () => {
  const c = new NonceCache();
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  for (let i = 0; i < 20_000; i++) c.use(`n${i}`, t0 + i);
  assert.throws(() => c.use('n5', t0 + 20_000), (e: any) => e.code === 'SignatureNonceUsed');
  c.use('late', t0 + 15 * 60 * 1000 + 10_000); // the skew window is 15 minutes: n0..n9999 are past it
  assert.equal(c.size, 20_000 - 10_000 + 1);
  c.use('n5', t0 + 15 * 60 * 1000 + 10_001); // expired, so usable again
});
