// `analyze`: bad input is one line and exit 2 with nothing on stdout; bundles wrap snapshots.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli.js';
import { outcomeFacts, TempDir } from './snapshots.js';

const tmp = new TempDir();
after(() => tmp.remove());

async function refused(args: string[], pattern: RegExp, lines = 1) {
  const r = await runCli(['analyze', ...args], { cwd: tmp.path });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, lines, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(r.stderr, pattern);
}

test('analyze: missing argument, missing file, directory', async () => {
  await refused([], /^acr-preflight: analyze needs a bundle file/);
  await refused(['nope.json'], /^acr-preflight: nope\.json: cannot read the bundle \(not found\)/);
  await refused(['.'], /^acr-preflight: \.: not a regular file/);
});

test('analyze: not JSON, binary, wrong shape, wrong schemaVersion', async () => {
  await refused([tmp.write('text.json', 'region: x\n')], /text\.json: not valid JSON/);
  await refused([tmp.write('bin.json', Buffer.from([0xff, 0xfe, 0x00, 0x81]))], /bin\.json: not a JSON bundle \(binary data\)/);
  await refused([tmp.write('arr.json', [])], /arr\.json: not a fact snapshot: expected a JSON object/);
  await refused([tmp.write('v2.json', { ...outcomeFacts('pass'), schemaVersion: 2 })], /v2\.json: not a fact snapshot: schemaVersion: unsupported 2 \(this acr-preflight reads 1\)/);
  const noVpc = outcomeFacts('pass') as any;
  delete noVpc.cloud.vpc;
  await refused([tmp.write('novpc.json', noVpc)], /novpc\.json: not a fact snapshot: cloud\.vpc: missing/);
  const badState = outcomeFacts('pass') as any;
  badState.gitlab.token = { state: 'maybe' };
  await refused([tmp.write('state.json', badState)], /gitlab\.token\.state: expected "ok" or "unavailable"/);
  const badList = outcomeFacts('pass') as any;
  badList.cloud.gitlabSecurityGroups.value = {};
  await refused([tmp.write('list.json', badList)], /cloud\.gitlabSecurityGroups\.value: expected a list/);
  await refused([tmp.write('wrapped-bad.json', { facts: { schemaVersion: 1 } })], /not a fact snapshot: facts\.collectedAt: missing/);
});

test('analyze: a bundle whose facts have a wrong shape is refused with the path of the bad field', async () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'bundles', 'v1-sg-partial-drop.json'), 'utf8'));
  bundle.facts.cloud.gitlabSecurityGroups.value[0].permissions[0].priority = 500;
  await refused(
    [tmp.write('prio.json', bundle)],
    /prio\.json: not a fact snapshot: facts\.cloud\.gitlabSecurityGroups\.value\[0\]\.permissions\[0\]\.priority: must be at most 100, got 500 — pass a bundle/,
  );
  bundle.facts.cloud.gitlabSecurityGroups.value[0].permissions[0].priority = 1;
  bundle.facts.cloud.vpc = { state: 'ok', value: { vpcId: 'vpc-1', cidrBlock: '192.168.0.0/16', secondaryCidrBlocks: 'none', userCidrs: [] }, source: 's', at: 'a' };
  await refused([tmp.write('vpc.json', bundle)], /vpc\.json: not a fact snapshot: facts\.cloud\.vpc\.value\.secondaryCidrBlocks: expected a list, got a string \("none"\)/);
});

test('analyze: a bad config or format is refused before anything is written', async () => {
  const snap = tmp.write('ok.json', outcomeFacts('pass'));
  await refused([snap, '-c', tmp.write('bad.yaml', 'region: cn-hangzhou\nregoin: x\n')], /the config has 4 problems:\n {2}- bad\.yaml:2: regoin: unknown key \(did you mean region\?\)\n {2}- bad\.yaml:1: acr: missing/, 5);
  await refused([snap, '--format', 'sarf'], /unknown --format "sarf" \(did you mean sarif\?\)/);
});

test('analyze: a support bundle whose facts field holds the snapshot reads the same', async () => {
  const plain = await runCli(['analyze', tmp.write('plain.json', outcomeFacts('fail')), '--format', 'json'], { cwd: tmp.path });
  const bundle = await runCli(['analyze', tmp.write('bundle.json', { kind: 'acr-preflight-bundle', facts: outcomeFacts('fail') }), '--format', 'json'], { cwd: tmp.path });
  assert.equal(bundle.code, plain.code);
  const strip = (s: string) => JSON.parse(s).results.map((r: any) => [r.ruleId, r.status, r.message]);
  assert.deepEqual(strip(bundle.stdout), strip(plain.stdout));
});

test('analyze: a committed version-1 bundle still analyzes, judged at its collection time, with a note that it lacks flags, waivers and verdict', async () => {
  const v1 = join(ROOT, 'fixtures', 'bundles', 'v1-sg-partial-drop.json');
  const r = await runCli(['analyze', v1, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.results.find((x: any) => x.ruleId === 'sg-ingress').status, 'fail');
  assert.equal(report.analysis.bundleVersion, 1);
  assert.equal(report.analysis.judgedAt, '2026-11-28T12:00:00.000Z');
  assert.equal(report.analysis.waivers, 'none');
  assert.equal(report.analysis.recorded, undefined);
  assert.match(report.analysis.notes.join(' '), /bundle version 1: it does not record the flags, waivers or verdict/);
  const text = await runCli(['analyze', v1]);
  assert.match(text.stdout, /bundle \(version 1\) collected 2026-11-28T12:00:00\.000Z by acr-preflight 0\.1\.0/);
  assert.match(text.stdout, /note: bundle version 1/);
  // a config's waivers apply to a version-1 bundle when asked
  const cfg = tmp.write('waive.yaml', readFileSync(join(ROOT, 'fixtures', 'configs', 'ecs-sg-partial.yaml'), 'utf8') + 'waivers:\n  - { rule: sg-ingress, reason: "known", owner: "net team", expires: 2026-12-31 }\n');
  const waived = await runCli(['analyze', v1, '-c', cfg, '--format', 'json'], { env: { GITLAB_TOKEN: 'x' } });
  const w = JSON.parse(waived.stdout);
  assert.equal(w.analysis.waivers, 'config');
  assert.ok(w.results.find((x: any) => x.ruleId === 'sg-ingress').waived, waived.stderr);
});

test('analyze: a version-2 bundle whose record is broken is one line, exit 2', async () => {
  const v1 = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'bundles', 'v1-sg-partial-drop.json'), 'utf8'));
  await refused([tmp.write('v2-bad.json', { ...v1, bundleVersion: 2, collectedAt: v1.createdAt, flags: { failOn: 'sometimes' }, waivers: [], verdict: {} })], /v2-bad\.json: bundle version 2: flags\.failOn: expected warn or fail/);
  await refused([tmp.write('v9.json', { ...v1, bundleVersion: 9 })], /bundleVersion 9 is not one this acr-preflight reads \(1, 2\)/);
});
