// Faults: throttling, 5xx and jitter never change a verdict; malformed answers make the affected
// rules `error` with the reason (never a crash); an overall deadline holds.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { checkOnce } from '../../src/app/check.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret, ACR_PREFLIGHT_LOOPBACK_ONLY: '1' };

async function statuses(world: Record<string, any> | string, name: string, runs = 1, opts: { deadlineMs?: number } = {}) {
  const em = await startTestEmulator(world);
  try {
    const cfg = prepareConfig(typeof world === 'string' ? world : 'demo', em, join(dir, name));
    const loaded = loadConfig({ file: cfg, env, cwd: dir });
    const out: { verdict: string; results: [string, string, string][] }[] = [];
    for (let i = 0; i < runs; i++) {
      const { report } = await checkOnce(loaded, { env, noProbes: true, ...(opts.deadlineMs ? { deadlineMs: opts.deadlineMs } : {}) });
      out.push({ verdict: report.verdict, results: report.results.map((r) => [r.ruleId, r.status, r.message]) });
    }
    return { out, audit: em.audit() };
  } finally {
    await em.stop();
  }
}

test('50 checks under 30% throttling, 5% 5xx and latency jitter give the fault-free verdicts', async () => {
  const clean = loadFixtureWorld('demo');
  const base = (await statuses(clean, 'clean')).out[0]!;
  const faulty = structuredClone(clean);
  faulty.faults = { latencyMs: 2, jitterMs: 8, throttleRate: 0.3, errorRate: 0.05, seed: 7 };
  const { out, audit } = await statuses(faulty, 'faulty', 50);
  assert.ok(audit.filter((a: any) => a.status >= 400).length > 50, 'faults were injected');
  for (const run of out) {
    assert.equal(run.verdict, base.verdict);
    assert.deepEqual(run.results.map((r) => r.slice(0, 2)), base.results.map((r) => r.slice(0, 2)));
  }
});

// A malformed answer must make the rules that read it undecided, never a confident verdict on nothing
// (a lost permission list read as "no rules" was a fail; a lost status as "UNKNOWN"). The world is
// the healthy demo, so any fail or pass of these rules would be wrong.
const MALFORMED: [action: string, rules: string[]][] = [
  ['DescribeSecurityGroupAttribute', ['sg-ingress', 'link-present']],
  ['DescribeNetworkAclAttributes', ['nacl-ingress']],
  ['GetInstance', ['acr-instance']],
  ['DescribeVSwitchAttributes', ['zone-supported']],
  ['DescribeVSwitches', ['reverse-cidr-overlap']],
  ['DescribeNetworkInterfaces', ['sg-ingress', 'nacl-ingress']],
];
for (const kind of ['json', 'missing-fields', 'wrong-types'] as const) {
  test(`malformed answers (${kind}): the rules that read them are undecided with the reason, no crash, no verdict`, async () => {
    for (const [action, rules] of MALFORMED) {
      const w = loadFixtureWorld('demo');
      w.faults = { ...(w.faults ?? {}), malformed: { [action]: kind } };
      const { out } = await statuses(w, `malformed-${kind}-${action}`);
      for (const id of rules) {
        const r = out[0]!.results.find((x) => x[0] === id)!;
        assert.equal(r[1], 'error', `${action} ${kind} → ${id}: ${r[1]} ${r[2]}`);
        assert.match(r[2], kind === 'json' ? /unavailable|Could not decide/ : /malformed answer|Could not decide/, `${action} ${kind} → ${id}: ${r[2]}`);
      }
      for (const r of out[0]!.results) assert.doesNotMatch(r[2], /crashed/, `${r[0]}: ${r[2]}`);
      assert.equal(out[0]!.verdict, 'incomplete', `${action} ${kind}`);
    }
  });
}

test('an overall deadline bounds a check against a very slow cloud', async () => {
  const w = loadFixtureWorld('demo');
  w.faults = { latencyMs: 3000 };
  const t0 = Date.now();
  const { out } = await statuses(w, 'slow', 1, { deadlineMs: 1500 });
  assert.ok(Date.now() - t0 < 12_000, `took ${Date.now() - t0} ms`);
  assert.equal(out[0]!.verdict, 'incomplete');
  assert.ok(out[0]!.results.some((r) => r[1] === 'error' && /timed? ?out|deadline|Timeout/i.test(r[2])), JSON.stringify(out[0]!.results.slice(0, 3)));
});

test('the overall deadline and Ctrl-C also end a GitLab probe that hangs (long probe.timeoutMs)', async () => {
  const em = await startTestEmulator('gitlab-hang');
  try {
    const cfg = prepareConfig('gitlab-hang', em, join(dir, 'hang-deadline'));
    const c = parse(readFileSync(cfg, 'utf8'));
    c.probe.timeoutMs = 60_000;
    writeFileSync(cfg, stringify(c));
    const loaded = loadConfig({ file: cfg, env, cwd: dir });
    // the deadline
    let t0 = Date.now();
    const { report } = await checkOnce(loaded, { env, deadlineMs: 1500 });
    assert.ok(Date.now() - t0 < 10_000, `the deadline held: ${Date.now() - t0} ms`);
    const reach = report.results.find((r) => r.ruleId === 'gitlab-reachable')!;
    assert.equal(reach.status, 'fail', reach.message);
    assert.match(reach.message, /when the run's deadline ended the probe/);
    // Ctrl-C
    const ac = new AbortController();
    t0 = Date.now();
    setTimeout(() => ac.abort(Object.assign(new Error('interrupted by SIGINT'), { code: 'ERR_INTERRUPTED' })), 800);
    await assert.rejects(checkOnce(loaded, { env, signal: ac.signal }));
    assert.ok(Date.now() - t0 < 10_000, `Ctrl-C ended the probe: ${Date.now() - t0} ms`);
  } finally {
    await em.stop();
  }
});
