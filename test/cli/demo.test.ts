// `acr-preflight demo`: emulator + check + provision in one process, in well under a minute.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { loadFixtureWorld } from '../helpers/emulator.js';
import { demoSetup, withoutConsoleSteps } from '../../src/cli/demo.js';
import { ROOT } from '../helpers/cli.js';

const home = mkdtempSync(join(tmpdir(), 'acrp-demo-home-'));
after(() => rmSync(home, { recursive: true, force: true }));

test('demo: check → guided link/bind verified → build with live log → success, exit 0 (from any directory)', async () => {
  const t0 = Date.now();
  // run from another directory, the world named by a path relative to it
  const world = relative(home, join(ROOT, 'fixtures', 'worlds', 'demo.yaml'));
  const r = await runCli(['demo', '--world', world], { cwd: home, env: { HOME: home, ACR_PREFLIGHT_LOOPBACK_ONLY: '1', CI: '' }, timeoutMs: 60_000 });
  const ms = Date.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(ms < 45_000, `took ${ms} ms`);
  const all = r.stdout + r.stderr;
  // the check's report is on stdout; the flow and the build log on stderr
  assert.match(r.stdout, /WARN\s+link-present/);
  assert.match(r.stdout, /Provision succeeded/);
  const order = ['1/2 acr-preflight check', '2/2 acr-preflight provision', 'Manage Link', 'link verified', 'account and binding verified', '[GIT_CLONE]', 'build success'];
  let at = 0;
  for (const s of order) {
    const i = r.stderr.indexOf(s, at);
    assert.ok(i >= 0, `"${s}" missing after position ${at}:\n${r.stderr}`);
    at = i;
  }
  assert.ok(!all.includes('glpat-emulator-builder-0001'), 'the token is never printed');
});

test('demo setup: console steps are taken out of the world and replayed from the config', () => {
  const w = loadFixtureWorld('demo');
  const stripped = withoutConsoleSteps(w);
  assert.equal(stripped.linked, true);
  assert.equal(stripped.bound, true);
  const r = stripped.world.regions['cn-hangzhou'];
  assert.ok(!r.securityGroups.some((s: any) => s.ServiceManaged));
  assert.deepEqual(r.cr.codeSources, []);
  assert.ok(w.regions['cn-hangzhou'].cr.codeSources.length, 'the original is untouched');
  const s = demoSetup(join(ROOT, 'fixtures/worlds/demo.yaml'), join(ROOT, 'fixtures/configs/demo.yaml'));
  assert.deepEqual(s.console.link, { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' });
  assert.equal(s.env.GITLAB_TOKEN, 'glpat-emulator-builder-0001');
  assert.equal(s.env.ALIBABA_CLOUD_ACCESS_KEY_ID, 'LTAI5tEmuDemoKey');
});
