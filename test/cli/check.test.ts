// `check`, `collect`, `analyze` and `policy` end to end: the spawned CLI with the real SDK clients
// against the emulator (which verifies their signatures) and its real GitLab over TLS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { makeTestCa } from '../helpers/tls.js';
import { ACTIONS } from '../../src/cloud/actions.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };

async function check(world: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const em = await startTestEmulator(world);
  try {
    const cfg = prepareConfig(world, em, join(dir, world));
    const r = await runCli(['check', '-c', cfg, '--format', 'json', ...args], { env: { ...ENV, ...env } });
    return { r, report: r.stdout ? JSON.parse(r.stdout) : undefined, audit: em.audit() as any[], cfg, em };
  } finally {
    await em.stop();
  }
}
/** API calls of one `check` against the demo world (ECS path, linked, repository exists). */
const DEMO_CALLS = 19;
/** every product:action the emulator saw across the TABLE worlds */
const used = new Set<string>();
const status = (report: any, id: string) => report.results.find((x: any) => x.ruleId === id)?.status;

const TABLE: [world: string, verdict: string, exit: number, checks: [string, string][], env?: NodeJS.ProcessEnv][] = [
  ['demo', 'pass', 0, [['sg-ingress', 'pass'], ['nacl-ingress', 'pass'], ['gitlab-tls', 'pass'], ['gitlab-token', 'pass'], ['link-present', 'pass'], ['slb-listener', 'skip']]],
  ['ecs-healthy-unlinked', 'pass', 0, [['link-present', 'warn'], ['source-bound', 'warn'], ['sg-ingress', 'pass']]],
  ['ecs-sg-partial', 'fail', 1, [['sg-ingress', 'fail']]],
  ['ecs-sg-udp-only', 'fail', 1, [['sg-ingress', 'fail']]],
  ['ecs-nacl-reply-blocked', 'fail', 1, [['nacl-ingress', 'fail'], ['sg-ingress', 'pass']]],
  ['slb-healthy', 'pass', 0, [['slb-listener', 'pass'], ['sg-ingress', 'skip']]],
  ['slb-acl-white-missing', 'fail', 1, [['slb-listener', 'fail']]],
  ['idc-healthy', 'pass', 0, [['vbr-return-route', 'pass'], ['idc-return-route', 'pass'], ['sg-ingress', 'skip']]],
  ['idc-route-back-to-idc', 'fail', 1, [['vbr-return-route', 'fail']]],
  ['gitlab-token-no-api', 'fail', 1, [['gitlab-token', 'fail'], ['gitlab-tls', 'warn']]],
  ['gitlab-external-url-wrong', 'fail', 1, [['gitlab-clone-url', 'fail']]],
  ['forbidden', 'incomplete', 3, [['sg-ingress', 'error']]],
  ['gitlab-hang', 'fail', 1, [['gitlab-reachable', 'fail'], ['sg-ingress', 'pass']]],
  ['gitlab-tls-expiring', 'pass', 0, [['gitlab-tls', 'warn'], ['gitlab-token', 'pass']]],
  ['gitlab-tls-wrong-host', 'fail', 1, [['gitlab-tls', 'fail'], ['gitlab-token', 'error']]],
  ['gitlab-token-expired', 'fail', 1, [['gitlab-token', 'fail']]],
  // a typo in the VPC id: the region's VPCs are listed to name the nearest
  ['demo', 'fail', 1, [['vpc-vswitch', 'fail'], ['sg-ingress', 'skip'], ['gitlab-token', 'pass']], { ACR_PREFLIGHT_VPC_VPC_ID: 'vpc-bp1demp' }],
];

for (const [world, verdict, exit, checks, env] of TABLE) {
  test(`check ${world}${env ? ` with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''} → ${verdict}`, async () => {
    const { r, report, audit } = await check(world, [], env);
    for (const a of audit) used.add(`${a.product}:${a.action}`);
    assert.equal(r.code, exit, r.stderr);
    assert.equal(report.verdict, verdict);
    for (const [id, s] of checks) assert.equal(status(report, id), s, `${id}: ${report.results.find((x: any) => x.ruleId === id)?.message}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    // read-only: check makes only Describe/List/Get calls, all of them in the policy table
    for (const a of audit) {
      assert.match(a.action, /^(Describe|List|Get)/, `write call ${a.action}`);
      assert.ok(ACTIONS.some((x) => x.action === a.action && !x.write), `${a.action} is missing from the action table`);
    }
    if (world === 'gitlab-hang') {
      assert.match(status(report, 'gitlab-reachable') && report.results.find((x: any) => x.ruleId === 'gitlab-reachable').message, /no HTTP answer within \d+ ms after the TCP connection was accepted/);
    }
    if (world === 'forbidden') {
      const sg = report.results.find((x: any) => x.ruleId === 'sg-ingress');
      assert.match(sg.message, /grant the RAM action ecs:DescribeSecurityGroupAttribute/);
    }
  });
}

test('policy: the check actions in the table are exactly the actions the fixture worlds were called with', () => {
  const table = new Set(ACTIONS.filter((a) => !a.write && !a.provision).map((a) => `${a.product}:${a.action}`));
  assert.deepEqual([...used].sort(), [...table].sort());
});

test('the faults world (throttling 30%, 5xx 5%, jitter) gives the fault-free verdicts', async () => {
  const { r, report, audit } = await check('faults');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(report.verdict, 'pass');
  assert.ok(audit.some((a) => a.status >= 400), 'faults were injected and retried');
});

test('the number of API calls for the demo world is fixed (targeted collection)', async () => {
  const { audit } = await check('demo');
  // recorded for the benchmark: a world of any size must make this same number of calls
  assert.equal(audit.length, DEMO_CALLS, audit.map((a) => a.action).join(' '));
});

test('--no-probes: GitLab rules skip with a hint, cloud rules still run', async () => {
  const { r, report } = await check('demo', ['--no-probes']);
  assert.equal(r.code, 0);
  assert.equal(status(report, 'gitlab-token'), 'skip');
  assert.match(report.results.find((x: any) => x.ruleId === 'gitlab-token').message, /--no-probes/);
  assert.equal(status(report, 'sg-ingress'), 'pass');
});

test('collect → analyze gives the same verdicts; the bundle holds no secret and is 0600', async () => {
  for (const world of ['ecs-sg-partial', 'demo', 'idc-route-back-to-idc']) {
    const em = await startTestEmulator(world);
    try {
      const cfg = prepareConfig(world, em, join(dir, `b-${world}`));
      const checked = await runCli(['check', '-c', cfg, '--format', 'json'], { env: ENV });
      for (const pseudo of [false, true]) {
        const out = join(dir, `${world}-${pseudo}.json`);
        const c = await runCli(['collect', '-c', cfg, '--out', out, ...(pseudo ? ['--pseudonymize'] : [])], { env: ENV });
        assert.equal(c.code, checked.code, `collect exits with the verdict's code: ${c.stderr}`);
        assert.equal(statSync(out).mode & 0o777, 0o600);
        const text = readFileSync(out, 'utf8');
        for (const secret of [DEMO_GITLAB_TOKEN, DEMO_KEY.accessKeySecret]) assert.ok(!text.includes(secret), 'secret in bundle');
        const bundle = JSON.parse(text);
        assert.equal(bundle.redaction.pseudonymized, pseudo);
        if (pseudo) assert.ok(!text.includes('192.168.1.10'), 'addresses pseudonymized');
        const a = await runCli(['analyze', out, '--format', 'json']);
        const x = JSON.parse(checked.stdout);
        const y = JSON.parse(a.stdout);
        assert.equal(a.code, checked.code);
        assert.deepEqual(y.results.map((q: any) => [q.ruleId, q.status]), x.results.map((q: any) => [q.ruleId, q.status]), `${world} pseudonymize=${pseudo}`);
      }
    } finally {
      await em.stop();
    }
  }
});

test('policy lists exactly the read actions; --provision adds the writes', async () => {
  const r = await runCli(['policy']);
  assert.equal(r.code, 0);
  const p = JSON.parse(r.stdout);
  const actions = p.Statement.flatMap((s: any) => s.Action);
  assert.ok(actions.includes('ecs:DescribeSecurityGroupAttribute'));
  assert.ok(!actions.some((a: string) => /Create|Authorize|Cancel|Update/.test(a)));
  const w = JSON.parse((await runCli(['policy', '--provision'])).stdout);
  const all = w.Statement.flatMap((s: any) => s.Action);
  for (const a of ['cr:CreateRepositoryBuildRule', 'cr:CreateSourceRepository', 'ecs:AuthorizeSecurityGroup']) assert.ok(all.includes(a), a);
  // the RAM names the reference pages document, not `cr:<API action>`
  for (const a of ['cr:BuildRepositoryByRule', 'cr:CancelBuildRepository', 'cr:GetRepositoryBuildLog', 'cr:GetSourceRepository', 'cr:ListRepositoryBuildRule']) assert.ok(all.includes(a), a);
  for (const a of ['cr:CreateRepositoryBuildRecord', 'cr:CancelRepositoryBuild', 'cr:GetRepositoryBuildRecord']) assert.ok(!all.includes(a), `${a} is not a documented RAM action of a call we make`);
  assert.ok(actions.includes('cr:GetSourceRepository'), 'check reads the binding (source-bound)');
  assert.equal(r.stderr, '');
});

test('no credentials: one line, exit 2', async () => {
  const em = await startTestEmulator('demo');
  try {
    const cfg = prepareConfig('demo', em, join(dir, 'nocreds'));
    const r = await runCli(['check', '-c', cfg], { env: { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '', HOME: dir } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no Alibaba Cloud credentials found/);
    assert.equal(r.stderr.trim().split('\n').filter((l) => !l.includes('warning')).length, 1);
  } finally {
    await em.stop();
  }
});

test('an unset token variable or a missing SSH key file is one line and exit 2, before any cloud call', async () => {
  const em = await startTestEmulator('demo');
  try {
    const cfg = prepareConfig('demo', em, join(dir, 'secrets'));
    const { GITLAB_TOKEN: _t, ...noToken } = ENV;
    const r = await runCli(['check', '-c', cfg], { env: { ...noToken, GITLAB_TOKEN: '' } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /gitlab\.token: environment variable GITLAB_TOKEN is empty/);
    assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
    assert.equal(em.audit().length, 0, 'nothing was called');
    // --no-probes does not need the token
    assert.equal((await runCli(['check', '-c', cfg, '--no-probes'], { env: { ...noToken, GITLAB_TOKEN: '' } })).code, 0);

    const withHost = join(dir, 'secrets', 'with-host.yaml');
    writeFileSync(withHost, `${readFileSync(cfg, 'utf8')}\n`.replace(/^probe:\n/m, `probe:\n  gitlabHost:\n    ssh: { host: 192.168.1.10, username: ops, privateKeyFile: ${join(dir, 'no-such-key')} }\n`));
    const k = await runCli(['check', '-c', withHost], { env: ENV });
    assert.equal(k.code, 2, k.stderr);
    assert.match(k.stderr, /probe\.gitlabHost\.ssh: SSH key file .*no-such-key does not exist/);
    assert.doesNotMatch(k.stderr, /\n\s+at |internal error/);
  } finally {
    await em.stop();
  }
});

test('credentials the cloud refuses are one line and exit 2 (not "instance not found", not ten undecided rules)', async () => {
  const em = await startTestEmulator('demo');
  try {
    const cfg = prepareConfig('demo', em, join(dir, 'badkey'));
    for (const bad of [{ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIunknownkey' }, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret' }]) {
      const r = await runCli(['check', '-c', cfg, '--format', 'json'], { env: { ...ENV, ...bad } });
      assert.equal(r.code, 2, r.stderr);
      // no report (nothing could be checked): the error document
      assert.deepEqual([JSON.parse(r.stdout).verdict, JSON.parse(r.stdout).exitCode], ['error', 2]);
      const errs = r.stderr.trim().split('\n').filter((l) => !/^acr-preflight: (resolve|gitlab|cloud)(:| done)/.test(l));
      assert.equal(errs.length, 1, r.stderr);
      assert.match(errs[0]!, /the cloud API refused the credentials \((InvalidAccessKeyId\.NotFound|SignatureDoesNotMatch) on /);
      assert.ok(!r.stderr.includes(DEMO_KEY.accessKeySecret) && !r.stderr.includes('not-the-secret'));
    }
  } finally {
    await em.stop();
  }
});

test('an unreachable cloud endpoint: one line naming the address (no glued URL), exit 2, no rule run', async () => {
  const em = await startTestEmulator('demo');
  const cfg = prepareConfig('demo', em, join(dir, 'closed'));
  await em.stop(); // the port is now closed
  const r = await runCli(['check', '-c', cfg, '--no-probes'], { env: ENV });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const errs = r.stderr.trim().split('\n').filter((l) => !/^acr-preflight: (warning|resolve|cloud)\b/.test(l));
  assert.equal(errs.length, 1, r.stderr);
  assert.match(errs[0]!, /cannot reach the cloud API .*ECONNREFUSED 127\.0\.0\.1:\d+\)/);
  assert.doesNotMatch(errs[0]!, /POST|\?|127\.0\.0\.1:\d+127/);
});

test('an --output or --out into a directory that does not exist is refused before anything is collected', async () => {
  const em = await startTestEmulator('demo');
  try {
    const cfg = prepareConfig('demo', em, join(dir, 'outdir'));
    const r = await runCli(['check', '-c', cfg, '--format', 'json', '--output', join(dir, 'no-such-dir', 'report.json')], { env: ENV });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--output .*report\.json: the directory .*no-such-dir does not exist/);
    const c = await runCli(['collect', '-c', cfg, '--out', join(dir, 'no-such-dir', 'b.json')], { env: ENV });
    assert.equal(c.code, 2, c.stderr);
    assert.match(c.stderr, /--out .*b\.json: the directory .*no-such-dir does not exist/);
    assert.equal(em.audit().length, 0, 'no cloud call was made');
  } finally {
    await em.stop();
  }
});

test('--debug lists every cloud call on stderr (action, outcome, time, parameters) and leaves stdout alone', async () => {
  const { r } = await check('forbidden', ['--debug', '--no-probes']);
  assert.equal(r.code, 3, r.stderr);
  JSON.parse(r.stdout);
  assert.match(r.stderr, /debug: ecs:DescribeInstances ok \d+ ms \{.*"PrivateIpAddresses"/);
  assert.match(r.stderr, /debug: ecs:DescribeSecurityGroupAttribute failed Forbidden\.RAM/);
});

test('gitlab.caFile adds to the trust store: CAs from NODE_EXTRA_CA_CERTS are still trusted', async () => {
  const other = makeTestCa('an unrelated corporate CA');
  const em = await startTestEmulator('demo');
  try {
    const cfg = prepareConfig('demo', em, join(dir, 'extra-ca'));
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/caFile: .*/, `caFile: ${other.caFile}`));
    const without = await runCli(['check', '-c', cfg, '--format', 'json', '--only', 'gitlab-tls'], { env: ENV });
    assert.equal(JSON.parse(without.stdout).results[0].status, 'fail', 'the emulator CA is not in caFile');
    const withExtra = await runCli(['check', '-c', cfg, '--format', 'json', '--only', 'gitlab-tls'], { env: { ...ENV, NODE_EXTRA_CA_CERTS: em.gitlabCa! } });
    const r = JSON.parse(withExtra.stdout).results[0];
    assert.equal(r.status, 'pass', r.message);
  } finally {
    await em.stop();
    other.remove();
  }
});
