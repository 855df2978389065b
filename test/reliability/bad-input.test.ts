// Bad input: malformed bundles (analyze) and worlds (emulator) each give exit 2 and one line that
// names the problem and where — no stack trace, nothing on stdout, nothing written. (The config
// corpus lives in fixtures/configs/invalid/ and is tested by test/config.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function expectOneLine(r: { code: number | null; stdout: string; stderr: string }, what: RegExp, label: string) {
  assert.equal(r.code, 2, `${label}: exit ${r.code}\n${r.stderr}`);
  // stdout carries nothing, or (with --format json) the error document and nothing else
  if (r.stdout) assert.deepEqual([JSON.parse(r.stdout).verdict, JSON.parse(r.stdout).exitCode], ['error', 2], `${label}: stdout holds only the error document`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${label}: one line, got\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error: .*\n/, `${label}: stack trace`);
  assert.match(lines[0]!, what, label);
}

// ---- bundles ---------------------------------------------------------------------------------
const good = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'facts', 'healthy-ecs.json'), 'utf8'));
const bundles: [string, string | Buffer, RegExp][] = [
  ['empty', '', /not valid JSON|empty/],
  ['binary', Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]), /binary|not a JSON/],
  ['not json', 'this is not json', /not valid JSON/],
  ['array', '[]', /expected a JSON object|not a fact snapshot/],
  ['number', '42', /not a fact snapshot/],
  ['schema 2', JSON.stringify({ ...good, schemaVersion: 2 }), /schemaVersion/],
  ['no schemaVersion', JSON.stringify({ ...good, schemaVersion: undefined }), /schemaVersion/],
  ['no input', JSON.stringify({ ...good, input: undefined }), /input/],
  ['bad port', JSON.stringify({ ...good, input: { ...good.input, gitlab: { ...good.input.gitlab, port: 'x' } } }), /input\.gitlab\.port/],
  ['bad scheme', JSON.stringify({ ...good, input: { ...good.input, gitlab: { ...good.input.gitlab, scheme: 'ftp' } } }), /scheme/],
  ['truncated', JSON.stringify(good).slice(0, 500), /not valid JSON/],
  ['bundle with broken facts', JSON.stringify({ bundleVersion: 1, facts: { ...good, cloud: 'nope' } }), /facts\.cloud/],
];
const OPTIONAL_FACTS = new Set(['slbBackendNetworks']);
for (const [group, keys] of Object.entries({ cloud: Object.keys(good.cloud), gitlab: Object.keys(good.gitlab), hosts: Object.keys(good.hosts) })) {
  for (const k of keys) {
    // facts added after schema 1 shipped may be absent (older bundles): the rule that needs them is undecided, not refused
    if (!OPTIONAL_FACTS.has(k)) bundles.push([`missing ${group}.${k}`, JSON.stringify({ ...good, [group]: { ...good[group], [k]: undefined } }), new RegExp(`${group}\\.${k}`)]);
    bundles.push([`bad state ${group}.${k}`, JSON.stringify({ ...good, [group]: { ...good[group], [k]: { state: 'maybe' } } }), new RegExp(`${group}\\.${k}`)]);
  }
}
bundles.push(['bad reason', JSON.stringify({ ...good, cloud: { ...good.cloud, vpc: { state: 'unavailable', reason: 'because', message: 'x' } } }), /cloud\.vpc\.reason/]);
bundles.push(['list expected', JSON.stringify({ ...good, cloud: { ...good.cloud, vSwitches: { state: 'ok', value: {} } } }), /cloud\.vSwitches\.value/]);
// deep: values the rules compute with (a crashed rule or a verdict on nonsense was the old outcome)
const edit = (f: (g: any) => void) => {
  const g = structuredClone(good);
  f(g);
  return JSON.stringify(g);
};
const sg0 = 'cloud.gitlabSecurityGroups.value[0]';
bundles.push(
  ['permissions null', edit((g) => (g.cloud.gitlabSecurityGroups.value[0].permissions = null)), new RegExp(`${sg0.replace(/[.[\]]/g, '\\$&')}\\.permissions: `)],
  ['priority as a string', edit((g) => (g.cloud.gitlabSecurityGroups.value[0].permissions[0].priority = '1')), /permissions\[0\]\.priority: /],
  ['priority out of range', edit((g) => (g.cloud.gitlabSecurityGroups.value[0].permissions[0].priority = 101)), /permissions\[0\]\.priority: /],
  ['policy in API casing', edit((g) => (g.cloud.gitlabSecurityGroups.value[0].permissions[0].policy = 'Accept')), /permissions\[0\]\.policy: /],
  ['source CIDR not a CIDR', edit((g) => (g.cloud.gitlabSecurityGroups.value[0].permissions[0].sourceCidrIp = '100.104.0.0/33')), /sourceCidrIp: expected an IPv4 CIDR/],
  ['VPC CIDR not a CIDR', edit((g) => (g.cloud.vpc.value.cidrBlock = '999.1.1.1/99')), /cloud\.vpc\.value\.cidrBlock: expected an IPv4 CIDR/],
  ['group type unknown', edit((g) => (g.cloud.gitlabSecurityGroups.value[0].type = 'advanced')), /\.type: /],
  ['probe outcome unknown', edit((g) => (g.gitlab.probeLocal = { state: 'ok', source: 'x', at: 'y', value: { ...(g.gitlab.probeLocal.value ?? {}), vantage: 'local', url: 'u', timing: { totalMs: 1 }, outcome: 'maybe' } })), /gitlab\.probeLocal\.value\.outcome: /],
  ['datacenter CIDR not a CIDR', edit((g) => (g.input.datacenter = { cidrs: ['10.0.0.0/8', 'ten'], routerConfigured: false })), /input\.datacenter\.cidrs\[1\]: expected an IPv4 CIDR/],
  ['bundle version 3', JSON.stringify({ bundleVersion: 3, facts: good }), /bundleVersion 3 is not one this acr-preflight reads/],
  ['bundle version 2 without its record', JSON.stringify({ bundleVersion: 2, facts: good }), /bundle version 2: collectedAt: missing/],
  ['bundle version 2 with waivers not a list', JSON.stringify({ bundleVersion: 2, facts: good, collectedAt: 'x', flags: { failOn: 'fail' }, waivers: {} }), /bundle version 2: waivers: expected a list/],
  ['prefix list entry neither IPv4 nor IPv6', edit((g) => (g.cloud.prefixLists = { state: 'ok', source: 'x', at: 'y', value: [{ prefixListId: 'pl-1', addressFamily: 'IPv6', entries: ['2001:db8::/129'] }] })), /prefixLists\.value\[0\]\.entries\[0\]: expected an IPv4 or IPv6 CIDR/],
);

test(`analyze refuses ${bundles.length} malformed bundles with one line and exit 2`, async () => {
  assert.ok(bundles.length >= 60);
  for (const [i, [label, content, what]] of bundles.entries()) {
    const f = join(dir, `bundle-${i}.json`);
    writeFileSync(f, content);
    const r = await runCli(['analyze', f, '--format', 'json']);
    expectOneLine(r, what, `bundle "${label}"`);
    assert.match(r.stderr, new RegExp(`bundle-${i}\\.json`), `${label}: names the file`);
  }
});

test('analyze refuses a bundle over the size limit without reading it', async () => {
  const f = join(dir, 'huge.json');
  writeFileSync(f, Buffer.alloc(65 * 1024 * 1024, 0x20));
  expectOneLine(await runCli(['analyze', f]), /over the .* limit/, 'huge bundle');
});

// ---- worlds ----------------------------------------------------------------------------------
const demoWorld = readFileSync(join(ROOT, 'fixtures', 'worlds', 'demo.yaml'), 'utf8');
const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
const worlds: [string, string | Buffer][] = [
  ['empty', ''],
  ['binary', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00])],
  ['yaml syntax', 'regions: [cn-hangzhou\n  vpcs: }'],
  ['yaml bomb', bomb],
  ['a list', '- a\n- b\n'],
  ['unknown top-level key', `${demoWorld}\nregoins: {}\n`],
  ['credentials not an object', demoWorld.replace(/^credentials:.*$/m, 'credentials: 42')],
  ['faults rate wrong type', `${demoWorld}\n`.replace(/^faults:.*$/m, 'faults: { throttleRate: "lots" }')],
  ['faults rate above 1', `${demoWorld}\n`.replace(/^faults:.*$/m, 'faults: { throttleRate: 7 }')],
  ['gitlab tls mode', demoWorld.replace(/^  tls: ca$/m, '  tls: maybe')],
  ['bad CIDR', demoWorld.replace(/CidrBlock: 192\.168\.0\.0\/16/, 'CidrBlock: 192.168.0.0/99')],
  ['regions not a map', demoWorld.replace(/^regions:$/m, 'regions: 3\nxregions:')],
  ['huge', 'x'.repeat(9 * 1024 * 1024)],
  ['users not a list', demoWorld.replace(/^  users:$/m, '  users: 5\n  xusers:')],
  ['token scopes wrong type', demoWorld.replace(/scopes:\n\s+- api/, 'scopes: api')],
  ['json garbage', '{"credentials": '],
  ['unknown fault', `${demoWorld}\n`.replace(/^faults:.*$/m, 'faults: { explode: true }')],
  ['negative latency', `${demoWorld}\n`.replace(/^faults:.*$/m, 'faults: { latencyMs: -5 }')],
  ['instance without id', demoWorld.replace(/InstanceId: i-bp1gitlab/, 'InstanceIdd: i-bp1gitlab')],
  ['build outcome', demoWorld.replace(/outcome: SUCCESS/, 'outcome: MAYBE')],
  ['no credentials', demoWorld.replace(/^credentials:\n(  .*\n)+/m, '')],
];

test('a world without credentials says that they are required (not "Invalid input")', async () => {
  const f = join(dir, 'world-nocred.yaml');
  writeFileSync(f, demoWorld.replace(/^credentials:\n(  .*\n)+/m, ''));
  const r = await runCli(['emulator', '--world', f, '--port', '0', '--gitlab-port', '0'], { timeoutMs: 20_000 });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /world-nocred\.yaml:\d+: credentials: missing \(required\)/);
  rmSync(f);
});

test(`the emulator refuses ${worlds.length} malformed worlds with one line and exit 2`, async () => {
  for (const [i, [label, content]] of worlds.entries()) {
    const f = join(dir, `world-${i}.yaml`);
    writeFileSync(f, content);
    const r = await runCli(['emulator', '--world', f, '--port', '0', '--gitlab-port', '0'], { timeoutMs: 20_000 });
    if (r.code === 0 || r.stdout.includes('"cloud"')) {
      assert.fail(`world "${label}" was accepted:\n${r.stdout}`);
    }
    assert.equal(r.code, 2, `${label}: exit ${r.code} ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${label}: one line:\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.match(r.stderr, new RegExp(`world-${i}\\.yaml`), `${label}: names the file: ${r.stderr}`);
  }
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('world-')).length, worlds.length, 'nothing else written');
});
