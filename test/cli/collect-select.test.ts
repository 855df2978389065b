// `collect --only/--skip` collects what the selected rules read (and what the access path needs),
// records the selection, and `analyze` reproduces the verdict of that selection.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { COLLECT_TIMEOUT_MS, ENV, statuses } from '../helpers/reproduce.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-collect-select-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('collect --only sg-ingress reads the security groups, not GitLab or the registry, and records the selection', async () => {
  const em = await startTestEmulator('ecs-sg-partial');
  try {
    const cfg = prepareConfig('ecs-sg-partial', em, dir);
    const all = join(dir, 'all.json');
    const only = join(dir, 'only.json');
    const skip = join(dir, 'skip.json');
    for (const [out, extra] of [[all, []], [only, ['--only', 'sg-ingress', '--fail-on', 'warn']], [skip, ['--skip', 'gitlab-tls,gitlab-token,gitlab-clone-url,gitlab-reachable']]] as const) {
      const r = await runCli(['collect', '-c', cfg, '--out', out, ...extra], { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
      assert.ok(r.code !== 2 && r.code !== null, r.stderr);
    }
    const a = JSON.parse(readFileSync(all, 'utf8'));
    const o = JSON.parse(readFileSync(only, 'utf8'));
    assert.deepEqual(o.flags, { failOn: 'warn', only: ['sg-ingress'], noProbes: false, noWaivers: false });
    assert.deepEqual(statuses(o.verdict.results), ['sg-ingress:fail']);
    assert.equal(o.facts.gitlab.token.state, 'unavailable');
    assert.match(o.facts.gitlab.token.message, /not collected/);
    assert.equal(o.facts.cloud.acrInstance.state, 'unavailable');
    assert.equal(o.facts.cloud.gitlabSecurityGroups.state, 'ok');
    const actions = (b: any) => new Set(b.calls.map((c: any) => `${c.product}:${c.action}`));
    assert.ok(!actions(o).has('cr:GetInstance') && actions(a).has('cr:GetInstance'));
    assert.ok(o.calls.length < a.calls.length, `${o.calls.length} < ${a.calls.length}`);
    // analyze applies the recorded selection and gate; a flag on the command line replaces it
    const r = JSON.parse((await runCli(['analyze', only, '--format', 'json'])).stdout);
    assert.deepEqual(statuses(r.results), ['sg-ingress:fail']);
    assert.deepEqual(r.analysis.flags, { failOn: 'warn', only: ['sg-ingress'], noProbes: false });
    assert.deepEqual(r.analysis.overridden, []);
    const wider = await runCli(['analyze', only, '--only', 'sg-ingress,gitlab-token', '--format', 'json']);
    const w = JSON.parse(wider.stdout);
    assert.deepEqual(w.analysis.overridden, ['--only']);
    assert.equal(w.results.find((x: any) => x.ruleId === 'gitlab-token').status, 'skip', 'not collected: skipped with the reason');
    const s = JSON.parse(readFileSync(skip, 'utf8'));
    assert.equal(s.facts.gitlab.probeLocal.state, 'unavailable', '--skip of every GitLab rule: no probe');
    assert.equal(s.verdict.results.length, 11);
  } finally {
    await em.stop();
  }
});
