// The proven fixes, made real: for each failing world whose fix a documented API makes, `check`
// offers a verified fix; its API calls, sent with the real SDK client to the emulator, make a fresh
// `check` pass that rule. Worlds are modified in place to build the failure classes the fixture
// worlds do not have (a drop winning a priority tie). A stopped listener's fix is proven on facts only:
// the emulator, like SLB, reports its backends' health as unavailable until health checks run again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudApi } from '../../src/cloud/client.js';
import { credentialsFor } from '../../src/cloud/credentials.js';
import type { Fix } from '../../src/engine/types.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-fixes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret, ACR_PREFLIGHT_LOOPBACK_ONLY: '1' };

type World = Record<string, any>;
const CASES: { name: string; world: string; rule: string; actions: string[]; edit?: (w: World) => void }[] = [
  { name: 'security group: a drop at priority 1 over an accept of the whole range', world: 'ecs-sg-partial', rule: 'sg-ingress', actions: ['RevokeSecurityGroup'] },
  { name: 'security group admits UDP only', world: 'ecs-sg-udp-only', rule: 'sg-ingress', actions: ['AuthorizeSecurityGroup'] },
  {
    name: 'a drop wins a priority tie',
    world: 'demo',
    rule: 'sg-ingress',
    actions: ['RevokeSecurityGroup'],
    edit: (w) => {
      const sg = w.regions['cn-hangzhou'].securityGroups.find((g: World) => !g.ServiceManaged);
      sg.Permissions.push({ SecurityGroupRuleId: 'sgr-tie-drop', Direction: 'ingress', Policy: 'drop', Priority: 1, IpProtocol: 'TCP', PortRange: '443/443', SourceCidrIp: '100.104.64.0/18' });
    },
  },
  { name: 'the network ACL drops the reply', world: 'ecs-nacl-reply-blocked', rule: 'nacl-ingress', actions: ['UpdateNetworkAclEntries'] },
  { name: 'the SLB whitelist misses the range', world: 'slb-acl-white-missing', rule: 'slb-listener', actions: ['AddAccessControlListEntry'] },
];

for (const c of CASES) {
  test(`fix applied through the API: ${c.name}`, async () => {
    const world = loadFixtureWorld(c.world);
    c.edit?.(world);
    const em = await startTestEmulator(world);
    try {
      const cfg = prepareConfig(c.world, em, join(dir, c.name.replace(/\W+/g, '-')));
      const check = async () => {
        const r = await runCli(['check', '-c', cfg, '--format', 'json', '--no-probes'], { env: ENV });
        assert.ok(r.stdout, r.stderr);
        return JSON.parse(r.stdout).results.find((x: { ruleId: string }) => x.ruleId === c.rule) as { status: string; message: string; fixes?: Fix[] };
      };
      const before = await check();
      assert.equal(before.status, 'fail', before.message);
      const fix = before.fixes?.[0];
      assert.equal(fix?.proof?.state, 'verified', JSON.stringify(fix));
      assert.deepEqual(fix!.calls!.map((x) => x.action), c.actions);
      const api = await createCloudApi({ region: 'cn-hangzhou', endpoint: em.cloudUrl, credentials: credentialsFor({ env: ENV }), env: ENV, seed: 1 });
      for (const call of fix!.calls!) await api.call(call.product, call.action, call.params);
      const after = await check();
      assert.equal(after.status, 'pass', after.message);
    } finally {
      await em.stop();
    }
  });
}
