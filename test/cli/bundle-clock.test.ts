// analyze and redact through the spawned CLI, and the test-only clock: a year later the verdict is
// still the collection's; --now re-judges as of then (the certificate has expired) and says so.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { COLLECT_TIMEOUT_MS, ENV, statuses, YEAR } from '../helpers/reproduce.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-bundle-clock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('analyze and redact through the spawned CLI; a year later the clock override moves --now only', async () => {
  const world = 'gitlab-tls-expiring';
  const em = await startTestEmulator(world);
  try {
    const cfg = prepareConfig(world, em, join(dir, `clock-${world}`));
    const out = join(dir, 'clock.json');
    const c = await runCli(['collect', '-c', cfg, '--out', out], { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
    assert.ok(c.code !== 2, c.stderr);
    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    const later = new Date(Date.parse(bundle.collectedAt) + YEAR).toISOString();
    const pseudo = join(dir, 'clock-pseudo.json');
    const red = await runCli(['redact', out, '--out', pseudo, '--pseudonymize']);
    assert.equal(red.code, 0, red.stderr);
    const p = await runCli(['analyze', pseudo, '--format', 'json']);
    assert.equal(p.code, bundle.verdict.exitCode, p.stderr);
    assert.deepEqual(statuses(JSON.parse(p.stdout).results), statuses(bundle.verdict.results));
    const asCollected = await runCli(['analyze', out], { env: { ACR_PREFLIGHT_TEST_NOW: later } });
    assert.equal(asCollected.code, bundle.verdict.exitCode);
    assert.match(asCollected.stdout, new RegExp(`collected ${bundle.collectedAt.replace(/[.]/g, '\\.')} by acr-preflight \\d+\\.\\d+\\.\\d+`));
    assert.match(asCollected.stdout, /judged as of .* \(the collection time\)/);
    const tlsThen = bundle.verdict.results.find((r: any) => r.ruleId === 'gitlab-tls').status;
    assert.equal(tlsThen, 'warn', 'the certificate expires within 30 days of the collection');
    const now = await runCli(['analyze', out, '--now', '--format', 'json'], { env: { ACR_PREFLIGHT_TEST_NOW: later } });
    const r = JSON.parse(now.stdout);
    assert.equal(r.results.find((x: any) => x.ruleId === 'gitlab-tls').status, 'fail', 'a year later the certificate has expired');
    assert.equal(r.analysis.judgedAt, later);
    const text = await runCli(['analyze', out, '--now', '--fail-on', 'warn'], { env: { ACR_PREFLIGHT_TEST_NOW: later } });
    assert.match(text.stdout, /judged as of .* \(now, --now\)/);
    assert.match(text.stdout, /from the command line: --fail-on/);
    const bad = await runCli(['analyze', out, '--now'], { env: { ACR_PREFLIGHT_TEST_NOW: 'tomorrow' } });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  } finally {
    await em.stop();
  }
});
