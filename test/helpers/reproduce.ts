// One world's proof that a bundle reproduces the customer's verdict: with and without a waiver in the
// config, the verdict and summary `collect` reached (spawned, against the emulator) equal those of
// `analyze` on its bundle, on the pseudonymised bundle, and a year later (the test moves the clock
// with ACR_PREFLIGHT_TEST_NOW); `--now` a year later re-judges (the waiver has expired by then).
// Used by test/cli/bundle-reproduce-{1,2,3,4}.test.ts (the worlds split in four files to run side by side).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runCli, runMain } from './cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator, WORLDS_DIR } from './emulator.js';

export const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };
/** every fixture world, sorted */
export const WORLDS = readdirSync(WORLDS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

/** how long a spawned collect may take before it is killed (generous: the machine may be busy) */
export const COLLECT_TIMEOUT_MS = 240_000;
export const YEAR = 365 * 86_400_000;
export const statuses = (results: { ruleId: string; status: string; waived?: unknown }[]) => results.map((r) => `${r.ruleId}:${r.status}${r.waived ? '~' : ''}`);

/** what `collect` said on stderr: "verdict fail: 8 pass, 2 warn, 1 fail, 4 skip, 0 error, 0 waived" */
function collectLine(stderr: string): { verdict: string; summary: Record<string, number> } {
  const m = /verdict (\w+): (\d+) pass, (\d+) warn, (\d+) fail, (\d+) skip, (\d+) error, (\d+) waived/.exec(stderr);
  assert.ok(m, `collect names its verdict: ${stderr}`);
  const [, verdict, pass, warn, fail, skip, error, waived] = m;
  return { verdict: verdict!, summary: { pass: +pass!, warn: +warn!, fail: +fail!, skip: +skip!, error: +error!, waived: +waived! } };
}

async function analyzeJson(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await runMain(['analyze', file, '--format', 'json', ...args], { env });
  assert.ok([0, 1, 3].includes(r.code), `analyze ${file}: exit ${r.code}: ${r.stderr}`);
  const report = JSON.parse(r.stdout);
  assert.equal(report.exitCode, r.code);
  return report;
}

export async function reproduceWorld(world: string, dir: string): Promise<void> {
  const em = await startTestEmulator(world);
  try {
    const plainCfg = prepareConfig(world, em, join(dir, world));
    const bundles: { label: string; file: string; waived?: string }[] = [];
    // without a waiver
    const plain = join(dir, `${world}.json`);
    const c1 = await runCli(['collect', '-c', plainCfg, '--out', plain], { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
    assert.ok(c1.code !== 2 && c1.code !== null, `collect: ${c1.stderr}`);
    bundles.push({ label: 'no waiver', file: plain });
    // with a waiver on the first rule that did not pass (any rule when all passed), expiring in 30 days
    const first = JSON.parse(readFileSync(plain, 'utf8'));
    const target = first.verdict.results.find((r: any) => ['fail', 'warn', 'error'].includes(r.status))?.ruleId ?? 'acr-instance';
    const cfg = parse(readFileSync(plainCfg, 'utf8'));
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    cfg.waivers = [{ rule: target, reason: 'test: accepted for now', owner: 'support', expires }];
    const waiverCfg = join(dir, world, 'waived.yaml');
    writeFileSync(waiverCfg, stringify(cfg));
    const waived = join(dir, `${world}-waived.json`);
    const c2 = await runCli(['collect', '-c', waiverCfg, '--out', waived], { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
    assert.ok(c2.code !== 2 && c2.code !== null, `collect: ${c2.stderr}`);
    bundles.push({ label: `waiver on ${target}`, file: waived, waived: target });

    for (const [i, b] of bundles.entries()) {
      const said = collectLine((i === 0 ? c1 : c2).stderr);
      const bundle = JSON.parse(readFileSync(b.file, 'utf8'));
      assert.equal(bundle.bundleVersion, 2);
      assert.equal(bundle.verdict.verdict, said.verdict, `${b.label}: recorded = printed`);
      assert.deepEqual(bundle.verdict.summary, said.summary);
      assert.equal(bundle.verdict.judgedAt, bundle.collectedAt);
      assert.equal(bundle.waivers.length, b.waived ? 1 : 0);
      for (const k of ['tool', 'node', 'os', 'config', 'flags', 'calls', 'facts', 'redaction']) assert.ok(k in bundle, `bundle.${k}`);

      // analyze reproduces it (the CLI entry in-process: the spawned path is the test below)
      const report = await analyzeJson(b.file);
      assert.equal(report.exitCode, bundle.verdict.exitCode, `${world} ${b.label}`);
      assert.equal(report.verdict, said.verdict, `${world} ${b.label}`);
      assert.deepEqual(report.summary, said.summary, `${world} ${b.label}`);
      assert.deepEqual(statuses(report.results), statuses(bundle.verdict.results));
      assert.equal(report.analysis.judgedAs, 'collection');
      assert.equal(report.analysis.judgedAt, bundle.collectedAt);
      assert.equal(report.analysis.collectedAt, bundle.collectedAt);
      assert.equal(report.analysis.waivers, 'recorded');
      if (b.waived && report.results.find((r: any) => r.ruleId === b.waived).status !== 'pass') assert.ok(report.summary.waived >= 1, 'the recorded waiver applied');

      // the pseudonymised bundle judges the same
      const pseudo = b.file.replace(/\.json$/, '-pseudo.json');
      const red = await runMain(['redact', b.file, '--out', pseudo, '--pseudonymize']);
      assert.equal(red.code, 0, red.stderr);
      const p = await analyzeJson(pseudo);
      assert.equal(p.verdict, said.verdict, `${world} ${b.label} pseudonymised`);
      assert.deepEqual(p.summary, said.summary);
      assert.deepEqual(statuses(p.results), statuses(report.results), `${world} ${b.label} pseudonymised`);

      // a year later: still the verdict of the collection
      const later = new Date(Date.parse(bundle.collectedAt) + YEAR).toISOString();
      const y = await analyzeJson(b.file, [], { ACR_PREFLIGHT_TEST_NOW: later });
      assert.equal(y.verdict, said.verdict, `${world} ${b.label} a year later`);
      assert.deepEqual(y.summary, said.summary);
      assert.equal(y.analysis.judgedAt, bundle.collectedAt);

      // a year later with --now: judged as of then, and the header says so
      const n = await analyzeJson(b.file, ['--now'], { ACR_PREFLIGHT_TEST_NOW: later });
      assert.equal(n.analysis.judgedAs, 'now');
      assert.equal(n.analysis.judgedAt, later);
      assert.ok(n.analysis.notes.some((x: string) => /--now/.test(x)));
      if (b.waived) {
        const r = n.results.find((x: any) => x.ruleId === b.waived);
        if (r.status !== 'pass' && r.status !== 'skip') {
          assert.ok(!r.waived && r.waiverExpired, `${world}: the waiver on ${b.waived} has expired a year later`);
        }
      }
    }
  } finally {
    await em.stop();
  }
}
