// Worlds the cloud would refuse are refused: a CLB listener with more than three ACLs, an instance or
// ENI that mixes basic and advanced (enterprise) security groups, a rule that references an
// advanced group or lives in one. A listener with up to three ACLs is served with all of them.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { validateWorld } from '../../src/emulator/index.js';
import { InputError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { loadFixtureWorld, rpcCaller, startTestEmulator } from '../helpers/emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'emu-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const refused = (w: unknown, re: RegExp) => assert.throws(() => validateWorld(w, 'w.yaml'), (e: unknown) => e instanceof InputError && re.test(e.message));
const region = (w: any) => w.regions['cn-hangzhou'];

describe('emulator: limits the cloud enforces', () => {
  it('a CLB listener with four ACLs is refused; three are served, all of them', async () => {
    const w = loadFixtureWorld('slb-healthy');
    const l = region(w).loadBalancers[0].Listeners[0];
    delete l.AclId;
    l.AclIds = ['acl-bp1build', 'acl-2', 'acl-3', 'acl-4'];
    refused(w, /loadBalancers\[0\]\.Listeners\[0\]\.AclIds: 4 ACLs; a CLB listener can be associated with at most three/);
    l.AclIds = ['acl-bp1build', 'acl-2', 'acl-3'];
    region(w).accessControlLists.push({ AclId: 'acl-2', AclEntrys: [] }, { AclId: 'acl-3', AclEntrys: [] });
    const em = await startTestEmulator(w);
    try {
      const call = await rpcCaller(em);
      const b: any = await call('slb', 'DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', 'LoadBalancerId.1': 'lb-bp1gitlab' });
      const got = b.Listeners.find((x: any) => x.ListenerPort === 443);
      assert.deepEqual(got.AclIds, ['acl-bp1build', 'acl-2', 'acl-3']);
      assert.equal(got.AclId, 'acl-bp1build');
    } finally {
      await em.stop();
    }
  });

  it('an instance or ENI mixing basic and advanced security groups is refused', () => {
    const w = loadFixtureWorld('slb-healthy');
    region(w).securityGroups[1].SecurityGroupType = 'enterprise';
    refused(w, /instances\[0\]\.SecurityGroupIds: mixes basic \(normal\) and advanced \(enterprise\) security groups/);
  });

  it('a rule referencing an advanced group, or a group reference inside an advanced group, is refused', () => {
    const w = loadFixtureWorld('slb-healthy');
    region(w).securityGroups.push({ SecurityGroupId: 'sg-adv', VpcId: 'vpc-bp1demo', SecurityGroupType: 'enterprise', Permissions: [] });
    region(w).securityGroups[0].Permissions.push({ Direction: 'ingress', Policy: 'accept', Priority: 1, IpProtocol: 'TCP', PortRange: '443/443', SourceGroupId: 'sg-adv' });
    refused(w, /securityGroups\[0\]\.Permissions\[2\]\.SourceGroupId: sg-adv is an advanced \(enterprise\) group, which cannot be the authorization object/);
    const v = loadFixtureWorld('slb-healthy');
    region(v).securityGroups.push({ SecurityGroupId: 'sg-adv', VpcId: 'vpc-bp1demo', SecurityGroupType: 'enterprise', Permissions: [{ Direction: 'ingress', Policy: 'accept', Priority: 1, IpProtocol: 'TCP', PortRange: '443/443', SourceGroupId: 'sg-bp1base' }] });
    refused(v, /securityGroups\[2\]\.Permissions\[0\]\.SourceGroupId: advanced \(enterprise\) group sg-adv cannot authorize a security group/);
  });

  it('the emulator CLI refuses such a world with one line and exit 2', async () => {
    const w = loadFixtureWorld('slb-healthy');
    region(w).securityGroups[1].SecurityGroupType = 'enterprise';
    const file = join(dir, 'mixed.yaml');
    writeFileSync(file, stringify(w));
    const r = await runCli(['emulator', '--world', file, '--port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mixed\.yaml:\d+: regions\.cn-hangzhou\.instances\[0\]\.SecurityGroupIds: mixes basic/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
