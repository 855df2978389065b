// Semantics the documentation decides, end to end: the spawned CLI against the emulator with
// fixture worlds changed in one place each (zone outside the dated table, a Guest's clone refused,
// an old GitLab without token self-inspection).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-semantics-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };

/** `check` of fixture world `base` changed by `change`, with the base world's config changed by `config` */
async function check(base: string, name: string, change: (w: any) => void, config?: (c: any) => void) {
  const w = loadFixtureWorld(base);
  change(w);
  const em = await startTestEmulator(w);
  try {
    const cfgFile = prepareConfig(base, em, join(dir, name));
    if (config) {
      const c = parse(readFileSync(cfgFile, 'utf8'));
      config(c);
      writeFileSync(cfgFile, stringify(c));
    }
    const r = await runCli(['check', '-c', cfgFile, '--format', 'json'], { env: ENV });
    return { r, report: JSON.parse(r.stdout) };
  } finally {
    await em.stop();
  }
}
const result = (report: any, id: string) => report.results.find((x: any) => x.ruleId === id);

const toZoneB = (w: any) => {
  w.regions['cn-hangzhou'].vSwitches.find((v: any) => v.VSwitchId === 'vsw-bp1build').ZoneId = 'cn-hangzhou-b';
};

test('a link vSwitch in a zone outside the dated table fails the gate (exit 1), naming the date and the zones: override', async () => {
  const { r, report } = await check('demo', 'zone-b', toZoneB);
  assert.equal(r.code, 1, r.stderr);
  const z = result(report, 'zone-supported');
  assert.equal(z.status, 'fail');
  assert.match(z.message, /table of 2025-01-09/);
  assert.match(z.message, /zones: \{ cn-hangzhou: \[cn-hangzhou-b\] \}/);
});

test('the zones: override in the config makes that zone pass', async () => {
  const { r, report } = await check('demo', 'zone-b-override', toZoneB, (c) => {
    c.zones = { 'cn-hangzhou': ['cn-hangzhou-b'] };
  });
  assert.equal(result(report, 'zone-supported').status, 'pass');
  assert.equal(r.code, 0, `${r.stderr}\n${JSON.stringify(report.results.filter((x: any) => x.status !== 'pass' && x.status !== 'skip'))}`);
});

test('a Guest of the private project: gitlab-token fails (git refuses the clone), exit 1', async () => {
  const { r, report } = await check('demo', 'guest', (w) => {
    w.gitlab.projects.find((p: any) => p.path_with_namespace === 'group/app').members = [{ username: 'builder', access_level: 10 }];
  });
  assert.equal(r.code, 1, r.stderr);
  const t = result(report, 'gitlab-token');
  assert.equal(t.status, 'fail');
  assert.match(t.message, /answered HTTP 403/);
  assert.match(t.message, /builder is Guest \(10\) of this private project/);
});

test('a Reporter of the private project passes gitlab-token', async () => {
  const { report } = await check('demo', 'reporter', (w) => {
    w.gitlab.projects.find((p: any) => p.path_with_namespace === 'group/app').members = [{ username: 'builder', access_level: 20 }];
  });
  assert.equal(result(report, 'gitlab-token').status, 'pass');
});

test('GitLab 15.4 (no /personal_access_tokens/self): gitlab-token warns that the scopes are unknown', async () => {
  const { r, report } = await check('demo', 'gitlab-15-4', (w) => {
    w.gitlab.version = '15.4.6';
  });
  const t = result(report, 'gitlab-token');
  assert.equal(t.status, 'warn', t.message);
  assert.match(t.message, /did not reveal the token's scopes \(HTTP 404/);
  assert.equal(r.code, 0, r.stderr);
});

test('a CLB listener with three blacklists: the one that lists part of 100.104.0.0/16 fails slb-listener, named', async () => {
  const { r, report } = await check('slb-healthy', 'three-acls', (w) => {
    const reg = w.regions['cn-hangzhou'];
    const l = reg.loadBalancers[0].Listeners[0];
    l.AclType = 'black';
    delete l.AclId;
    l.AclIds = ['acl-bl-1', 'acl-bl-2', 'acl-bl-3'];
    reg.accessControlLists.push(
      { AclId: 'acl-bl-1', AclEntrys: [{ AclEntryIP: '10.0.0.0/8' }] },
      { AclId: 'acl-bl-2', AclEntrys: [{ AclEntryIP: '172.16.0.0/12' }] },
      { AclId: 'acl-bl-3', AclEntrys: [{ AclEntryIP: '100.104.128.0/17' }] },
    );
  });
  assert.equal(r.code, 1, r.stderr);
  const s = result(report, 'slb-listener');
  assert.equal(s.status, 'fail');
  assert.match(s.message, /blacklist acl-bl-3 blocks 100\.104\.128\.0\/17/);
});
