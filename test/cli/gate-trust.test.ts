// A gate users can trust, as a new user, a CI author and a support engineer meet it: the spawned CLI
// against the emulator. Typos fail (not "incomplete"), unreachable clouds and bad regions are exit 2
// with one line, counts add up, exit-2 errors are JSON documents with --format json, a fatal error
// stops what is in flight, and the wording says what happened.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { ROOT, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };
/** a loaded machine must not turn a slow loopback GitLab into "could not decide" */
const SLOW_OK = { ACR_PREFLIGHT_PROBE_TIMEOUT_MS: '30000' };

async function withWorld<T>(world: string, fn: (cfg: string, em: Awaited<ReturnType<typeof startTestEmulator>>) => Promise<T>): Promise<T> {
  const em = await startTestEmulator(world);
  try {
    return await fn(prepareConfig(world, em, join(dir, `${world}-${Math.random().toString(36).slice(2)}`)), em);
  } finally {
    await em.stop();
  }
}
const result = (report: any, id: string) => report.results.find((r: any) => r.ruleId === id);
const oneLine = (stderr: string) => stderr.trimEnd().split('\n').filter((l) => !/^acr-preflight: (warning|resolve|cloud|gitlab)\b/.test(l));

/** a loopback port that refuses connections: bound, then closed */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a misspelt VPC id fails vpc-vswitch naming it and the nearest id; the rules that need the VPC skip', async () => {
  await withWorld('demo', async (cfg) => {
    const r = await runCli(['check', '-c', cfg, '--format', 'json', '--no-probes'], { env: { ...ENV, ACR_PREFLIGHT_VPC_VPC_ID: 'vpc-bp1nope' } });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const v = result(report, 'vpc-vswitch');
    assert.equal(v.status, 'fail');
    assert.match(v.message, /VPC vpc-bp1nope does not exist in cn-hangzhou/);
    assert.match(v.message, /vsw-bp1build belongs to vpc-bp1demo/);
    assert.match(v.message, /Nearest existing VPC ids: vpc-bp1demo/);
    for (const id of ['sg-ingress', 'link-present', 'zone-supported', 'nacl-ingress', 'reverse-cidr-overlap']) {
      assert.equal(result(report, id).status, 'skip', id);
      assert.match(result(report, id).message, /depends on vpc-vswitch/, id);
    }
    assert.equal(report.summary.error, 0, JSON.stringify(report.results.filter((x: any) => x.status === 'error').map((x: any) => x.message)));
  });
});

test('a misspelt vSwitch id fails vpc-vswitch naming the vSwitches of the VPC', async () => {
  await withWorld('demo', async (cfg) => {
    const r = await runCli(['check', '-c', cfg, '--format', 'json', '--no-probes'], { env: { ...ENV, ACR_PREFLIGHT_VPC_VSWITCH_ID: 'vsw-bp1bild' } });
    assert.equal(r.code, 1, r.stderr);
    const v = result(JSON.parse(r.stdout), 'vpc-vswitch');
    assert.equal(v.status, 'fail');
    assert.match(v.message, /vSwitch vsw-bp1bild does not exist in VPC vpc-bp1demo\. Nearest existing vSwitch ids: vsw-bp1build/);
    assert.equal(result(JSON.parse(r.stdout), 'zone-supported').status, 'skip');
  });
});

test('a misspelt VBR id fails vbr-return-route naming the nearest VBR (not an undecided error)', async () => {
  await withWorld('idc-healthy', async (cfg) => {
    const r = await runCli(['check', '-c', cfg, '--format', 'json', '--no-probes'], { env: { ...ENV, ACR_PREFLIGHT_DATACENTER_VBR_ID: 'vbr-bp1idk' } });
    assert.equal(r.code, 1, r.stderr);
    const v = result(JSON.parse(r.stdout), 'vbr-return-route');
    assert.equal(v.status, 'fail');
    assert.match(v.message, /VBR vbr-bp1idk does not exist in cn-hangzhou; nearest existing: vbr-bp1idc/);
  });
});

test('a region id that is not an Alibaba Cloud region is a config error naming the nearest, from flag, env and file', async () => {
  const cfg = join(dir, 'region.yaml');
  copyFileSync(join(ROOT, 'fixtures', 'configs', 'demo.yaml'), cfg);
  for (const [args, env] of [[['--region', 'cn-hangzou'], {}], [[], { ACR_PREFLIGHT_REGION: 'cn-hangzou' }]] as const) {
    const r = await runCli(['check', '-c', cfg, ...args], { env: { ...ENV, ...env } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(oneLine(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /"cn-hangzou" is not an Alibaba Cloud region id \(did you mean cn-hangzhou\?\)/);
    assert.match(r.stderr, args.length ? /--region/ : /ACR_PREFLIGHT_REGION/);
  }
  writeFileSync(cfg, `region: cn-hangzou\n${(await import('node:fs')).readFileSync(join(ROOT, 'fixtures', 'configs', 'demo.yaml'), 'utf8').replace(/^region: .*$/m, '')}`);
  const r = await runCli(['check', '-c', cfg], { env: ENV });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /region\.yaml:1: region: "cn-hangzou" is not an Alibaba Cloud region id \(did you mean cn-hangzhou\?\)/);
});

test('a cloud endpoint that refuses connections: one line, exit 2, before any rule runs', async () => {
  const port = await closedPort();
  const cfg = join(dir, 'refused.yaml');
  copyFileSync(join(ROOT, 'fixtures', 'configs', 'demo.yaml'), cfg);
  const r = await runCli(['check', '-c', cfg, '--endpoint', `http://127.0.0.1:${port}`, '--no-probes'], { env: ENV });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '', 'no report');
  const errors = r.stderr.split('\n').filter((l) => /^acr-preflight: (?!warning|resolve|cloud)/.test(l));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, /cannot reach the cloud API \([a-z]+:\w+\): the connection was refused .* — check cloud\.endpoint/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('with a live waiver on a failing rule, each result counts once and the counts add up (json, text, markdown)', async () => {
  await withWorld('ecs-sg-partial', async (cfg) => {
    const env = { ...ENV, ...SLOW_OK, ACR_PREFLIGHT_WAIVERS: JSON.stringify([{ rule: 'sg-ingress', reason: 'migration', owner: 'net team', expires: '2099-12-31' }]) };
    const md = join(dir, 'waived.md');
    const r = await runCli(['check', '-c', cfg, '--format', 'markdown', '--output', md, '--format', 'json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const s = report.summary;
    assert.equal(s.waived, 1);
    assert.equal(s.fail, 0, 'the waived failure is not also a failure');
    assert.equal(s.pass + s.warn + s.fail + s.skip + s.error + s.waived, report.results.length);
    const text = await runCli(['check', '-c', cfg], { env });
    assert.match(text.stdout, /, 0 failed, .*, 1 waived/);
    const markdown = (await import('node:fs')).readFileSync(md, 'utf8');
    assert.match(markdown, /passed/);
    assert.match(markdown, /\| ❌ fail \| 0 \|/);
    assert.match(markdown, /\| 🔕 waived \| 1 \|/);
  });
});

test('--format json on exit 2 writes the error document on stdout, for every command and cause', async () => {
  const port = await closedPort();
  const demo = join(ROOT, 'fixtures', 'configs', 'demo.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'region: cn-hangzhou\nregoin: x\n');
  const cases: [string, string[], NodeJS.ProcessEnv][] = [
    ['config error (check)', ['check', '-c', bad, '--format', 'json'], ENV],
    ['usage error (check)', ['check', '--format', 'json', '--fail-on', 'sometimes'], ENV],
    ['bad region (provision)', ['provision', '-c', demo, '--region', 'cn-hangzou', '--format', 'json', '--plan-only'], ENV],
    ['missing bundle (analyze)', ['analyze', join(dir, 'nope.json'), '--format', 'json'], ENV],
    ['unknown option (rules)', ['rules', '--format', 'json', '--bogus'], ENV],
    ['unreachable cloud (check)', ['check', '-c', demo, '--endpoint', `http://127.0.0.1:${port}`, '--no-probes', '--format=json'], ENV],
  ];
  for (const [what, args, env] of cases) {
    const r = await runCli(args, { env });
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schemaVersion, 1, what);
    assert.equal(doc.tool.name, 'acr-vpc-preflight', what);
    assert.equal(doc.verdict, 'error', what);
    assert.equal(doc.exitCode, 2, what);
    assert.equal(typeof doc.error.message, 'string', what);
    assert.ok('hint' in doc.error, what);
    assert.ok(r.stderr.includes(doc.error.message.split('\n')[0]), `${what}: the same error on stderr`);
  }
});

test('refused credentials: the error document, and nothing sent to GitLab after the run failed', async () => {
  const requests: { path: string; at: number }[] = [];
  const gitlab: Server = createServer((req: IncomingMessage, res) => {
    requests.push({ path: req.url ?? '', at: Date.now() });
    // GitLab answers slowly: the cloud refuses the credentials first
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: '17.5.0' }));
    }, 1500);
  });
  await new Promise<void>((r) => gitlab.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (gitlab.address() as { port: number }).port;
    await withWorld('demo', async (cfg) => {
      const env = {
        ...ENV,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret',
        ACR_PREFLIGHT_GITLAB_ENDPOINT: 'http://192.168.1.10',
        ACR_PREFLIGHT_PROBE_CONNECT_TO: `192.168.1.10:80=127.0.0.1:${port}`,
      };
      const r = await runCli(['check', '-c', cfg, '--format', 'json'], { env });
      const exitedAt = Date.now();
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /refused the credentials/);
      assert.equal(JSON.parse(r.stdout).verdict, 'error');
      const lines = r.stderr.trimEnd().split('\n');
      const errorAt = lines.findIndex((l) => /refused the credentials/.test(l));
      assert.equal(errorAt, lines.length - 1, `nothing after the error line:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /gitlab done/);
      // had the probe gone on, the version answer (1.5 s) would be followed by the token requests
      await new Promise((res) => setTimeout(res, 2000));
      const late = requests.filter((q) => q.at > exitedAt || /personal_access_tokens|\/user|\/projects/.test(q.path));
      assert.deepEqual(late, [], 'no request after the run failed');
    });
  } finally {
    gitlab.closeAllConnections();
    await new Promise<void>((r) => gitlab.close(() => r()));
  }
});

test('collect exits with the verdict\'s exit code (1 on a failing environment)', async () => {
  await withWorld('ecs-sg-partial', async (cfg) => {
    const out = join(dir, 'bundle-fail.json');
    const r = await runCli(['collect', '-c', cfg, '--out', out], { env: ENV });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /verdict fail/);
  });
});

test('a config with several problems lists each of them with its place', async () => {
  const bad = join(dir, 'three.yaml');
  writeFileSync(bad, ['region: cn-hangzhou', 'acr: { instanceId: cri_x }', 'vpc: { vpcId: vpc-a1, vSwitchId: vsw-a1 }', 'gitlab: { endpoint: ftp://x, username: b, token: env:T, project: g/a }', 'extraEndpoints: ["nope"]', ''].join('\n'));
  const r = await runCli(['check', '-c', bad], { env: ENV });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^acr-preflight: the config has 3 problems:\n/);
  assert.match(r.stderr, /\n {2}- \S*three\.yaml:2: acr\.instanceId: /);
  assert.match(r.stderr, /\n {2}- \S*three\.yaml:4: gitlab\.endpoint: /);
  assert.match(r.stderr, /\n {2}- \S*three\.yaml:5: extraEndpoints\[0\]: /);
  assert.doesNotMatch(r.stderr, /more problem/);
});

test('wording: --no-probes skips say so; the IDC path table names the problem; one missing address is "it"', async () => {
  await withWorld('demo', async (cfg) => {
    const r = await runCli(['check', '-c', cfg, '--format', 'json', '--no-probes'], { env: { ...ENV, ACR_PREFLIGHT_EXTRA_ENDPOINTS: '192.168.2.15:8081' } });
    const report = JSON.parse(r.stdout);
    for (const id of ['gitlab-reachable', 'gitlab-tls', 'gitlab-token', 'gitlab-clone-url']) {
      assert.match(result(report, id).message, /probes disabled \(--no-probes\)/, id);
      assert.doesNotMatch(result(report, id).message, /is not configured/, id);
    }
    assert.match(result(report, 'host-route').message, /is not configured\. Set probe\.gitlabHost\.ssh/);
    assert.match(result(report, 'link-present').message, /does not admit 192\.168\.2\.15:8081: it was not entered/);
  });
  await withWorld('idc-route-back-to-idc', async (cfg) => {
    const r = await runCli(['check', '-c', cfg], { env: { ...ENV, ...SLOW_OK } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /routed back to the data center/);
    assert.doesNotMatch(r.stdout, /backToIdc/);
  });
});

test('analyze: a bundle without its facts is one clear line', async () => {
  const f = join(dir, 'nofacts.json');
  writeFileSync(f, JSON.stringify({ bundleVersion: 1, calls: [] }));
  const r = await runCli(['analyze', f]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /nofacts\.json: a support bundle without its facts \(the "facts" field is missing\)/);
  assert.doesNotMatch(r.stderr, /unsupported missing/);
});

test('examples/preflight.yaml works as copied, with environment credentials, and warns about nothing', async () => {
  await withWorld('demo', async (_cfg, em) => {
    const work = mkdtempSync(join(dir, 'example-'));
    copyFileSync(join(ROOT, 'examples', 'preflight.yaml'), join(work, 'preflight.yaml'));
    const env = {
      ...ENV,
      ...SLOW_OK,
      HOME: work, // no ~/.alibabacloud or ~/.aliyun: the environment's AccessKey is what is used
      ACR_PREFLIGHT_ACR_INSTANCE_ID: 'cri-demo1234',
      ACR_PREFLIGHT_VPC_VPC_ID: 'vpc-bp1demo',
      ACR_PREFLIGHT_VPC_VSWITCH_ID: 'vsw-bp1build',
      ACR_PREFLIGHT_PROBE_CONNECT_TO: `192.168.1.10:443=127.0.0.1:${em.gitlabPort}`,
      ...(em.gitlabCa ? { ACR_PREFLIGHT_GITLAB_CA_FILE: em.gitlabCa } : {}),
    };
    const r = await runCli(['check', '--endpoint', em.cloudUrl], { env, cwd: work });
    assert.doesNotMatch(r.stderr, /warning/, r.stderr);
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
  });
});
