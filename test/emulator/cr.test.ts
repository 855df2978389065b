// cr 2018-12-01 through the generic openapi-core client, and the console steps (Link, Bind Account)
// through our control endpoints: the whole provision path, build lifecycle and logs included.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Ecs from '@alicloud/ecs20140526';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { control, DEMO_GITLAB_TOKEN, ecsClient, loadFixtureWorld, rpcCaller, startTestEmulator } from '../helpers/emulator.js';

const INST = 'cri-demo1234';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(50);
  }
}

describe('emulator: cr and the console steps (fresh world)', () => {
  let em: EmulatorHandle;
  let call: Awaited<ReturnType<typeof rpcCaller>>;
  before(async () => {
    const w = loadFixtureWorld('ecs-healthy-unlinked');
    w.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 600, pendingMs: 150 };
    em = await startTestEmulator(w);
    call = await rpcCaller(em);
  });
  after(async () => {
    await em?.stop();
  });

  it('ListInstance / GetInstance: flat arrays, IsSuccess, TotalCount an integer here', async () => {
    const r = await call('cr', 'ListInstance', { RegionId: 'cn-hangzhou', PageNo: 1, PageSize: 30, InstanceStatus: 'RUNNING' });
    assert.equal(r.IsSuccess, true);
    assert.equal(r.TotalCount, 1);
    assert.equal(r.Instances[0].InstanceId, INST);
    assert.equal(typeof r.Instances[0].CreateTime, 'string');
    const g = await call('cr', 'GetInstance', { InstanceId: INST });
    assert.equal(g.InstanceStatus, 'RUNNING');
    assert.equal(typeof g.CreateTime, 'number');
    const missing = await call('cr', 'GetInstance', { InstanceId: 'cri-nope' });
    assert.deepEqual([missing.IsSuccess, missing.Code], [false, 'INSTANCE_NOT_EXIST']);
  });

  it('namespaces and repositories: create, list (string TotalCount, PageNo paging), get by id or name', async () => {
    assert.equal((await call('cr', 'CreateNamespace', { InstanceId: INST, NamespaceName: 'ops', AutoCreateRepo: false })).IsSuccess, true);
    assert.equal((await call('cr', 'CreateNamespace', { InstanceId: INST, NamespaceName: 'ops' })).Code, 'NAMESPACE_ALREADY_EXIST');
    await assert.rejects(call('cr', 'CreateNamespace', { InstanceId: INST, NamespaceName: '-Bad' }), (e: any) => e.code === 'InvalidParameter');
    const ns = await call('cr', 'ListNamespace', { InstanceId: INST });
    assert.equal(ns.TotalCount, '2');
    const created = await call('cr', 'CreateRepository', { InstanceId: INST, RepoNamespaceName: 'ops', RepoName: 'tool', RepoType: 'PRIVATE', Summary: 'a tool' });
    assert.match(created.RepoId, /^crr-/);
    const noNs = await call('cr', 'CreateRepository', { InstanceId: INST, RepoNamespaceName: 'nope', RepoName: 'x', RepoType: 'PRIVATE', Summary: 's' });
    assert.equal(noNs.Code, 'NAMESPACE_NOT_EXIST');
    await assert.rejects(call('cr', 'CreateRepository', { InstanceId: INST, RepoNamespaceName: 'ops', RepoName: 'x', RepoType: 'PRIVATE' }), (e: any) => e.code === 'MissingParameter');
    const p1 = await call('cr', 'ListRepository', { InstanceId: INST, PageNo: 1, PageSize: 1 });
    const p2 = await call('cr', 'ListRepository', { InstanceId: INST, PageNo: 2, PageSize: 1 });
    assert.equal(p1.TotalCount, '2');
    assert.equal(p2.PageNo, 2);
    assert.notEqual(p1.Repositories[0].RepoId, p2.Repositories[0].RepoId);
    const byName = await call('cr', 'GetRepository', { InstanceId: INST, RepoNamespaceName: 'ops', RepoName: 'tool' });
    assert.equal(byName.RepoId, created.RepoId);
    assert.equal((await call('cr', 'GetRepository', { InstanceId: INST, RepoId: 'crr-nope' })).Code, 'REPO_NOT_EXIST');
  });

  it('CreateRepoSourceCodeRepo fails until a GITLAB account is bound; bind needs a link and a good token', async () => {
    const src = { InstanceId: INST, RepoId: 'crr-demoapp01', CodeRepoType: 'GITLAB', CodeRepoNamespaceName: 'group', CodeRepoName: 'app', OverseaBuild: false };
    const before = await call('cr', 'CreateRepoSourceCodeRepo', src);
    assert.deepEqual([before.IsSuccess, before.Code], [false, 'SOURCE_CODE_ACCOUNT_NOT_BOUND']);
    assert.equal((await call('cr', 'GetRepoSourceCodeRepo', { InstanceId: INST, RepoId: 'crr-demoapp01' })).Code, 'REPO_SOURCE_NOT_EXIST');

    const bind = { endpoint: 'http://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo' };
    const noLink = await control(em, 'console/bind', bind);
    assert.equal(noLink.status, 409);
    const link = await control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10', extraIps: ['192.168.2.15:8081'] });
    assert.equal(link.status, 200);
    assert.match(link.body.securityGroupId, /^sg-/);
    const badLink = await control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-nope', gitlabIp: '192.168.1.10' });
    assert.equal(badLink.status, 404);
    for (const bad of [{ gitlabIp: 'not-an-ip' }, { gitlabIp: '192.168.1.10', extraIps: ['192.168.2.300:80'] }, { gitlabIp: '192.168.1.10', extraIps: ['192.168.2.15:70000'] }]) {
      const r = await control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', ...bad });
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    const wrongToken = await control(em, 'console/bind', { ...bind, token: 'glpat-wrong' });
    assert.equal(wrongToken.status, 400);
    assert.match(wrongToken.body.error, /unknown token/);
    const otherUser = await control(em, 'console/bind', { ...bind, username: 'alice' });
    assert.match(otherUser.body.error, /belongs to builder/);
    assert.equal((await control(em, 'console/bind', bind)).status, 200);

    // the link is visible through the ECS API like the console's artefacts
    const ecs = await ecsClient(em);
    const sgs = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-bp1demo', serviceManaged: true }));
    assert.deepEqual(sgs.body!.securityGroups!.securityGroup!.map((s) => s.securityGroupId), [link.body.securityGroupId]);
    const perms = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: link.body.securityGroupId, direction: 'egress' }));
    assert.deepEqual(perms.body!.permissions!.permission!.map((p) => [p.destCidrIp, p.portRange, p.ipProtocol]), [
      ['192.168.1.10/32', '1/65535', 'TCP'],
      ['192.168.2.15/32', '8081/8081', 'TCP'],
    ]);
    const enis = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-bp1build', serviceManaged: true }));
    assert.equal(enis.body!.networkInterfaceSets!.networkInterfaceSet![0]!.networkInterfaceId, link.body.networkInterfaceId);

    const invisible = await call('cr', 'CreateRepoSourceCodeRepo', { ...src, CodeRepoName: 'secret' });
    assert.equal(invisible.Code, 'SOURCE_CODE_REPO_NOT_EXIST');
    assert.equal((await call('cr', 'CreateRepoSourceCodeRepo', src)).IsSuccess, true);
    assert.equal((await call('cr', 'CreateRepoSourceCodeRepo', src)).Code, 'REPO_SOURCE_ALREADY_EXIST');
    const got = await call('cr', 'GetRepoSourceCodeRepo', { InstanceId: INST, RepoId: 'crr-demoapp01' });
    assert.deepEqual([got.CodeRepoType, got.CodeRepoNamespaceName, got.CodeRepoName, got.OverseaBuild, got.AutoBuild, got.CodeRepoDomain], ['GITLAB', 'group', 'app', 'false', 'false', 'http://192.168.1.10']);
    assert.equal((await call('cr', 'UpdateRepoSourceCodeRepo', { ...src, AutoBuild: 'true' })).IsSuccess, true);
    assert.equal((await call('cr', 'GetRepoSourceCodeRepo', { InstanceId: INST, RepoId: 'crr-demoapp01' })).AutoBuild, 'true');
    const dump = (await (await fetch(`${em.cloudUrl}/__emulator/state`)).json()) as any;
    assert.equal(dump.regions['cn-hangzhou'].cr.codeSources[0].token, '***');
  });

  it('build rule → build record: PENDING → BUILDING → SUCCESS, logs stream by Offset', async () => {
    const rule = await call('cr', 'CreateRepoBuildRule', {
      InstanceId: INST, RepoId: 'crr-demoapp01', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest', DockerfileLocation: '/', DockerfileName: 'Dockerfile', Platforms: ['linux/amd64', 'linux/arm64'],
    });
    assert.match(rule.BuildRuleId, /^crbr-/);
    const rules = await call('cr', 'ListRepoBuildRule', { InstanceId: INST, RepoId: 'crr-demoapp01' });
    assert.equal(rules.TotalCount, '1');
    assert.deepEqual(rules.BuildRules[0].Platforms, ['linux/amd64', 'linux/arm64']);
    const rec = await call('cr', 'CreateBuildRecordByRule', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: rule.BuildRuleId });
    const id = rec.BuildRecordId as string;
    const status = () => call('cr', 'GetRepoBuildRecordStatus', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: id });
    assert.equal((await status()).BuildStatus, 'pending');
    const seen = new Set<string>();
    const lines: any[] = [];
    let offset = 0;
    const end = Date.now() + 8000;
    for (;;) {
      const s = (await status()).BuildStatus as string;
      seen.add(s);
      const log = await call('cr', 'ListRepoBuildRecordLog', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: id, Offset: offset });
      lines.push(...log.BuildRecordLogs);
      if (log.BuildRecordLogs.length) offset = log.BuildRecordLogs.at(-1).LineNumber;
      if (s === 'success' || Date.now() > end) {
        const rest = await call('cr', 'ListRepoBuildRecordLog', { InstanceId: INST, BuildRecordId: id, Offset: offset });
        lines.push(...rest.BuildRecordLogs);
        assert.equal(rest.TotalCount, String(lines.length));
        break;
      }
      await sleep(40);
    }
    assert.deepEqual([...seen].filter((s) => s !== 'building'), ['pending', 'success']);
    assert.ok(seen.has('building'));
    assert.deepEqual(lines.map((l) => l.LineNumber), lines.map((_, i) => i + 1));
    assert.equal(lines[0].BuildStage, 'GIT_CLONE');
    assert.equal(lines.at(-1).Message, 'build success');
    const list = await call('cr', 'ListRepoBuildRecord', { InstanceId: INST, RepoId: 'crr-demoapp01' });
    assert.equal(list.BuildRecords[0].BuildStatus, 'SUCCESS');
    assert.equal(typeof list.BuildRecords[0].EndTime, 'string');
    assert.deepEqual(list.BuildRecords[0].Image, { RepoId: 'crr-demoapp01', RepoNamespaceName: 'team', RepoName: 'app', ImageTag: 'latest' });
    const one = await call('cr', 'GetRepoBuildRecord', { InstanceId: INST, BuildRecordId: id });
    assert.equal(one.Status, 'SUCCESS');
    const cancelDone = await call('cr', 'CancelRepoBuildRecord', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: id });
    assert.equal(cancelDone.Code, 'BUILD_RECORD_STATUS_NOT_SUPPORT');
  });

  it('a running build can be canceled; a missing branch fails at GIT_CLONE', async () => {
    const rule = await call('cr', 'CreateRepoBuildRule', { InstanceId: INST, RepoId: 'crr-demoapp01', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'v1' });
    const rec = await call('cr', 'CreateBuildRecordByRule', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: rule.BuildRuleId });
    assert.equal((await call('cr', 'CancelRepoBuildRecord', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: rec.BuildRecordId })).IsSuccess, true);
    const st = await call('cr', 'GetRepoBuildRecordStatus', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: rec.BuildRecordId });
    assert.equal(st.BuildStatus, 'canceled');

    const bad = await call('cr', 'CreateRepoBuildRule', { InstanceId: INST, RepoId: 'crr-demoapp01', PushType: 'GIT_BRANCH', PushName: 'release', ImageTag: 'v2' });
    const b = await call('cr', 'CreateBuildRecordByRule', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: bad.BuildRuleId });
    const final = await until(
      () => call('cr', 'GetRepoBuildRecordStatus', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: b.BuildRecordId }),
      (r) => r.BuildStatus === 'failed' || r.BuildStatus === 'success',
    );
    assert.equal(final.BuildStatus, 'failed');
    const log = await call('cr', 'ListRepoBuildRecordLog', { InstanceId: INST, BuildRecordId: b.BuildRecordId });
    assert.ok(log.BuildRecordLogs.every((l: any) => l.BuildStage === 'GIT_CLONE'));
    assert.ok(log.BuildRecordLogs.some((l: any) => /Remote branch release not found/.test(l.Message)));
    const noRule = await call('cr', 'CreateBuildRecordByRule', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: 'crbr-nope' });
    assert.equal(noRule.Code, 'BUILD_RULE_NOT_EXIST');
  });
});

describe('emulator: cr builds with a configured failure', () => {
  let em: EmulatorHandle;
  after(async () => {
    await em?.stop();
  });
  it('world cr.builds {outcome: FAILED, failStage: DOCKER_BUILD} fails after the clone', async () => {
    const w = loadFixtureWorld('demo');
    const cr = w.regions['cn-hangzhou'].cr;
    cr.builds = { outcome: 'FAILED', failStage: 'DOCKER_BUILD', durationMs: 200, pendingMs: 0 };
    cr.sourceCodeRepos = [{ InstanceId: INST, RepoId: 'crr-demoapp01', CodeRepoType: 'GITLAB', CodeRepoNamespaceName: 'group', CodeRepoName: 'app' }];
    cr.buildRules = [{ InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: 'crbr-demo1', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest' }];
    em = await startTestEmulator(w);
    const call = await rpcCaller(em);
    const b = await call('cr', 'CreateBuildRecordByRule', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: 'crbr-demo1' });
    const final = await until(
      () => call('cr', 'ListRepoBuildRecord', { InstanceId: INST, RepoId: 'crr-demoapp01' }),
      (r) => r.BuildRecords[0].BuildStatus === 'FAILED',
    );
    assert.equal(final.BuildRecords[0].BuildStatus, 'FAILED');
    const log = await call('cr', 'ListRepoBuildRecordLog', { InstanceId: INST, BuildRecordId: b.BuildRecordId });
    assert.deepEqual([...new Set(log.BuildRecordLogs.map((l: any) => l.BuildStage))], ['GIT_CLONE', 'DOCKER_BUILD']);
  });
});

describe('emulator: the world clock', () => {
  let em: EmulatorHandle;
  after(async () => {
    await em?.stop();
  });
  it('a build follows the injected clock, not the wall clock', async () => {
    let t = Date.parse('2026-11-28T12:00:00Z');
    const w = loadFixtureWorld('demo');
    const cr = w.regions['cn-hangzhou'].cr;
    cr.builds = { outcome: 'SUCCESS', durationMs: 30 * 60_000, pendingMs: 60_000 };
    cr.sourceCodeRepos = [{ InstanceId: INST, RepoId: 'crr-demoapp01', CodeRepoType: 'GITLAB', CodeRepoNamespaceName: 'group', CodeRepoName: 'app' }];
    cr.buildRules = [{ InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: 'crbr-demo1', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest' }];
    em = await startTestEmulator(w, { now: () => t });
    const call = await rpcCaller(em);
    const b = await call('cr', 'CreateBuildRecordByRule', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRuleId: 'crbr-demo1' });
    const status = async () => (await call('cr', 'GetRepoBuildRecordStatus', { InstanceId: INST, RepoId: 'crr-demoapp01', BuildRecordId: b.BuildRecordId })).BuildStatus;
    assert.equal(await status(), 'pending');
    t += 61_000;
    assert.equal(await status(), 'building');
    const half = await call('cr', 'ListRepoBuildRecordLog', { InstanceId: INST, BuildRecordId: b.BuildRecordId });
    t += 30 * 60_000;
    assert.equal(await status(), 'success');
    const all = await call('cr', 'ListRepoBuildRecordLog', { InstanceId: INST, BuildRecordId: b.BuildRecordId });
    assert.ok(half.BuildRecordLogs.length >= 1 && half.BuildRecordLogs.length < all.BuildRecordLogs.length);
  });
});
