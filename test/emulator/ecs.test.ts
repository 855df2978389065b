// The real @alicloud/ecs20140526 client against the emulator: shapes, filters, pagination, writes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Ecs from '@alicloud/ecs20140526';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { ecsClient, loadFixtureWorld, startTestEmulator } from '../helpers/emulator.js';

describe('emulator: ecs with the real SDK', () => {
  let em: EmulatorHandle;
  let ecs: Awaited<ReturnType<typeof ecsClient>>;
  before(async () => {
    const w = loadFixtureWorld('demo');
    const region = w.regions['cn-hangzhou'];
    // 25 extra rules so DescribeSecurityGroupAttribute pages (MaxResults min 10)
    for (let i = 0; i < 25; i++) {
      region.securityGroups[1].Permissions.push({ Direction: 'ingress', Policy: 'accept', Priority: 60, IpProtocol: 'TCP', PortRange: `${8000 + i}/${8000 + i}`, SourceCidrIp: '10.0.0.0/8' });
    }
    region.instances.push({
      InstanceId: 'i-bp1other', ZoneId: 'cn-hangzhou-i', Status: 'Stopped',
      VpcAttributes: { VpcId: 'vpc-bp1demo', VSwitchId: 'vsw-bp1build', PrivateIpAddress: ['192.168.10.7', '192.168.10.8'] },
      SecurityGroupIds: ['sg-bp1base'],
    });
    em = await startTestEmulator(w);
    ecs = await ecsClient(em);
  });
  after(async () => {
    await em?.stop();
  });

  it('DescribeInstances filters by PrivateIpAddresses (JSON array) and fills the SDK model', async () => {
    const r = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-bp1demo', privateIpAddresses: JSON.stringify(['192.168.1.10']) }));
    const list = r.body!.instances!.instance!;
    assert.equal(list.length, 1);
    const i = list[0]!;
    assert.equal(i.instanceId, 'i-bp1gitlab');
    assert.equal(i.status, 'Running');
    assert.equal(i.zoneId, 'cn-hangzhou-h');
    assert.deepEqual(i.vpcAttributes!.privateIpAddress!.ipAddress, ['192.168.1.10']);
    assert.equal(i.vpcAttributes!.vSwitchId, 'vsw-bp1gitlab');
    assert.deepEqual(i.securityGroupIds!.securityGroupId, ['sg-bp1gitlab', 'sg-bp1base']);
    const eni = i.networkInterfaces!.networkInterface![0]!;
    assert.equal(eni.type, 'Primary');
    assert.equal(eni.primaryIpAddress, '192.168.1.10');
    assert.ok(eni.networkInterfaceId!.startsWith('eni-'));
  });

  it('DescribeInstances: InstanceIds, Status and token pagination across pages', async () => {
    const byId = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: '["i-bp1other","i-nope"]' }));
    assert.deepEqual(byId.body!.instances!.instance!.map((x) => x.instanceId), ['i-bp1other']);
    const stopped = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', status: 'Stopped' }));
    assert.deepEqual(stopped.body!.instances!.instance!.map((x) => x.instanceId), ['i-bp1other']);
    const p1 = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', maxResults: 1 }));
    assert.equal(p1.body!.instances!.instance!.length, 1);
    assert.ok(p1.body!.nextToken);
    const p2 = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', maxResults: 1, nextToken: p1.body!.nextToken }));
    assert.equal(p2.body!.instances!.instance!.length, 1);
    assert.equal(p2.body!.nextToken, '');
    assert.notEqual(p1.body!.instances!.instance![0]!.instanceId, p2.body!.instances!.instance![0]!.instanceId);
    await assert.rejects(
      ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', privateIpAddresses: '192.168.1.10' })),
      (e: any) => e.code === 'InvalidParameter' && e.statusCode === 400,
    );
  });

  it('DescribeNetworkInterfaces shows the derived primary ENI and the managed link ENI', async () => {
    const prim = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', primaryIpAddress: '192.168.1.10' }));
    const set = prim.body!.networkInterfaceSets!.networkInterfaceSet!;
    assert.equal(set.length, 1);
    assert.equal(set[0]!.instanceId, 'i-bp1gitlab');
    assert.equal(set[0]!.type, 'Primary');
    assert.deepEqual(set[0]!.securityGroupIds!.securityGroupId, ['sg-bp1gitlab', 'sg-bp1base']);
    assert.equal(set[0]!.privateIpSets!.privateIpSet![0]!.primary, true);
    const byIp = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', privateIpAddress: ['192.168.10.8'] }));
    assert.equal(byIp.body!.networkInterfaceSets!.networkInterfaceSet![0]!.instanceId, 'i-bp1other');
    const managed = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-bp1build', serviceManaged: true }));
    const m = managed.body!.networkInterfaceSets!.networkInterfaceSet!;
    assert.deepEqual(m.map((x) => x.networkInterfaceId), ['eni-bp1acrlink']);
    assert.equal(m[0]!.serviceManaged, true);
    assert.equal(m[0]!.instanceId, undefined);
    const byId = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', networkInterfaceId: ['eni-bp1acrlink', 'eni-nope'] }));
    assert.equal(byId.body!.networkInterfaceSets!.networkInterfaceSet!.length, 1);
  });

  it('DescribeSecurityGroups filters by VpcId, ServiceManaged and SecurityGroupIds', async () => {
    const all = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-bp1demo', maxResults: 100 }));
    assert.equal(all.body!.securityGroups!.securityGroup!.length, 3);
    const managed = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', vpcId: 'vpc-bp1demo', serviceManaged: true }));
    const sg = managed.body!.securityGroups!.securityGroup!;
    assert.deepEqual(sg.map((x) => x.securityGroupId), ['sg-bp1acrlink']);
    assert.equal(sg[0]!.serviceManaged, true);
    assert.equal(sg[0]!.securityGroupType, 'enterprise');
    const ids = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', securityGroupIds: '["sg-bp1base"]' }));
    assert.deepEqual(ids.body!.securityGroups!.securityGroup!.map((x) => x.securityGroupId), ['sg-bp1base']);
    const other = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-shanghai' }));
    assert.deepEqual(other.body!.securityGroups!.securityGroup, []);
    await assert.rejects(
      ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhuo' })),
      (e: any) => e.code === 'InvalidRegionId.NotFound' && e.statusCode === 404,
    );
  });

  it('DescribeSecurityGroupAttribute: documented fields, Direction, NextToken pages', async () => {
    const r = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', direction: 'ingress' }));
    const b = r.body!;
    assert.equal(b.vpcId, 'vpc-bp1demo');
    assert.equal(b.innerAccessPolicy, 'Accept');
    const perm = b.permissions!.permission!;
    assert.equal(perm.length, 3);
    assert.equal(perm[0]!.priority, '1');
    assert.equal(perm[0]!.policy, 'Accept');
    assert.equal(perm[0]!.ipProtocol, 'TCP');
    assert.equal(perm[0]!.portRange, '443/443');
    assert.equal(perm[0]!.sourceCidrIp, '100.104.0.0/16');
    assert.equal(perm[1]!.sourcePrefixListId, 'pl-bp1office');
    assert.ok(perm[0]!.securityGroupRuleId!.startsWith('sgr-'));
    const egress = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1acrlink', direction: 'egress' }));
    assert.equal(egress.body!.permissions!.permission![0]!.destCidrIp, '192.168.1.10/32');
    // sg-bp1base holds 26 rules: three pages of 10
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const pg = await ecs.describeSecurityGroupAttribute(
        new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1base', maxResults: 10, ...(token ? { nextToken: token } : {}) }),
      );
      seen.push(...pg.body!.permissions!.permission!.map((x) => x.securityGroupRuleId!));
      token = pg.body!.nextToken || undefined;
      pages++;
    } while (token && pages < 10);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 26);
    // the audit shows the cursor of each page (a pagination cursor is not a secret)
    const cursors = em.audit().filter((a) => a.action === 'DescribeSecurityGroupAttribute' && a.params.SecurityGroupId === 'sg-bp1base').map((a) => a.params.NextToken);
    assert.equal(cursors.length, 3);
    assert.equal(cursors[0], undefined);
    assert.ok(cursors[1] && cursors[1] !== '***' && cursors[2] && cursors[2] !== cursors[1], JSON.stringify(cursors));
  });

  it('answers NotFound and MissingParameter as the documented errors', async () => {
    await assert.rejects(
      ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-nope' })),
      (e: any) => e.name === 'ClientError' && e.code === 'InvalidSecurityGroupId.NotFound' && e.statusCode === 404 && e.data.HostId === 'ecs.cn-hangzhou.aliyuncs.com' && /troubleshoot/.test(e.data.Recommend),
    );
    await assert.rejects(
      ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({})),
      (e: any) => e.code === 'MissingParameter' && /RegionId/.test(e.message),
    );
  });

  it('DescribePrefixListAttributes lists the entries', async () => {
    const r = await ecs.describePrefixListAttributes(new $Ecs.DescribePrefixListAttributesRequest({ regionId: 'cn-hangzhou', prefixListId: 'pl-bp1office' }));
    assert.equal(r.body!.addressFamily, 'IPv4');
    assert.deepEqual(r.body!.entries!.entry!.map((e) => e.cidr), ['172.16.8.0/24']);
    await assert.rejects(
      ecs.describePrefixListAttributes(new $Ecs.DescribePrefixListAttributesRequest({ regionId: 'cn-hangzhou', prefixListId: 'pl-nope' })),
      (e: any) => e.code === 'InvalidPrefixListId.NotFound',
    );
  });

  it('AuthorizeSecurityGroup adds a rule, refuses duplicates and managed groups', async () => {
    const req = () => new $Ecs.AuthorizeSecurityGroupRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', ipProtocol: 'TCP', portRange: '8443/8443', sourceCidrIp: '100.104.0.0/16', priority: '1', policy: 'accept' });
    await ecs.authorizeSecurityGroup(req());
    const r = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', direction: 'ingress' }));
    assert.ok(r.body!.permissions!.permission!.some((p) => p.portRange === '8443/8443' && p.sourceCidrIp === '100.104.0.0/16'));
    await assert.rejects(ecs.authorizeSecurityGroup(req()), (e: any) => e.code === 'InvalidPermission.Duplicate');
    await assert.rejects(
      ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1acrlink', ipProtocol: 'TCP', portRange: '1/1', sourceCidrIp: '1.2.3.4/32' })),
      (e: any) => e.code === 'InvalidOperation.ResourceManagedByCloudProduct' && e.statusCode === 403,
    );
    await assert.rejects(
      ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', ipProtocol: 'TCP', portRange: '0/99999', sourceCidrIp: '1.2.3.4/32' })),
      (e: any) => e.code === 'InvalidPortRange.Malformed',
    );
    for (const [field, value] of [['sourceCidrIp', 'banana'], ['sourceCidrIp', '100.104.0.0/33'], ['destCidrIp', '192.168.1.300']] as const) {
      await assert.rejects(
        ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', ipProtocol: 'TCP', portRange: '1/1', sourceCidrIp: '1.2.3.4/32', [field]: value })),
        (e: any) => e.code === `Invalid${field[0]!.toUpperCase()}${field.slice(1)}.Malformed` && e.statusCode === 400,
        `${field}=${value}`,
      );
    }
    // the newer form: several rules in Permissions.N.*
    await ecs.authorizeSecurityGroup(
      new $Ecs.AuthorizeSecurityGroupRequest({
        regionId: 'cn-hangzhou',
        securityGroupId: 'sg-bp1base',
        permissions: [
          new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'TCP', portRange: '9000/9001', sourceCidrIp: '100.104.0.0/17', priority: '2', policy: 'drop' }),
          new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'TCP', portRange: '9000/9001', sourcePrefixListId: 'pl-bp1office' }),
        ],
      }),
    );
    const base = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1base', maxResults: 1000 }));
    const added = base.body!.permissions!.permission!.filter((p) => p.portRange === '9000/9001');
    assert.deepEqual(added.map((p) => [p.policy, p.priority, p.sourceCidrIp, p.sourcePrefixListId]), [
      ['Drop', '2', '100.104.0.0/17', ''],
      ['Accept', '1', '', 'pl-bp1office'],
    ]);
    const audit = em.audit().filter((a) => a.action === 'AuthorizeSecurityGroup');
    assert.deepEqual(audit.map((a) => a.code), ['OK', 'InvalidPermission.Duplicate', 'InvalidOperation.ResourceManagedByCloudProduct', 'InvalidPortRange.Malformed', 'InvalidSourceCidrIp.Malformed', 'InvalidSourceCidrIp.Malformed', 'InvalidDestCidrIp.Malformed', 'OK']);
  });
});
