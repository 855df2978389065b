// prepare + applyPlan against the in-process emulator with the real openapi-core client: every
// write is read back from the emulator's audit log.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { applyPlan, prepare } from '../../src/provision/apply.js';
import { Journal, pendingOps, parseJournal } from '../../src/provision/journal.js';
import { control, loadFixtureWorld, startTestEmulator, DEMO_GITLAB_TOKEN } from '../helpers/emulator.js';
import { demoConfig, emulatorApi, makeRuntime, writes, type TestRuntime } from './helpers.js';

function fastWorld(edit: (w: Record<string, any>) => void = () => {}): Record<string, any> {
  const w = loadFixtureWorld('demo');
  w.regions['cn-hangzhou'].cr.builds = { outcome: 'SUCCESS', durationMs: 600, pendingMs: 100 };
  edit(w);
  return w;
}

function unlinked(w: Record<string, any>): void {
  const r = w.regions['cn-hangzhou'];
  r.securityGroups = r.securityGroups.filter((s: any) => !s.ServiceManaged);
  r.networkInterfaces = [];
  r.cr.codeSources = [];
}

const emulators: EmulatorHandle[] = [];
const runtimes: TestRuntime[] = [];
after(async () => {
  for (const em of emulators) await em.stop();
  for (const rt of runtimes) rt.cleanup();
});

async function setup(world: Record<string, any>, opts: Parameters<typeof makeRuntime>[2] = {}) {
  const em = await startTestEmulator(world);
  emulators.push(em);
  const api = await emulatorApi(em);
  const rt = makeRuntime(api, demoConfig(), opts);
  runtimes.push(rt);
  return { em, api, rt };
}

describe('provision apply (emulator)', () => {
  test('happy path: binds, creates one rule, one build, streams the log, reports the image', async () => {
    const { em, rt } = await setup(fastWorld());
    const prepared = await prepare(rt, { resume: false });
    assert.deepEqual(
      prepared.plan.steps.map((s) => [s.id, s.kind]),
      [
        ['link', 'done'],
        ['namespace', 'done'],
        ['repository', 'done'],
        ['bind', 'verify'],
        ['build-rule:GIT_BRANCH:main:latest', 'api'],
        ['build:GIT_BRANCH:main:latest', 'api'],
      ],
    );
    assert.deepEqual(writes(em), [], 'planning writes nothing');
    const res = await applyPlan(rt, prepared);
    assert.equal(res.ok, true, res.message);
    assert.equal(res.exitCode, 0);
    assert.deepEqual(writes(em), ['CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']);
    assert.equal(res.builds.length, 1);
    assert.equal(res.builds[0]!.status, 'SUCCESS');
    assert.equal(res.builds[0]!.image, 'team/app:latest');
    const logs = rt.events.filter((e) => e.type === 'provision-log');
    assert.ok(logs.some((e) => e.type === 'provision-log' && e.stage === 'GIT_CLONE'), 'clone stage streamed');
    assert.ok(logs.some((e) => e.type === 'provision-log' && e.lines.some((l) => l.includes('build success'))), 'final line streamed');
    assert.ok(logs.length >= 2, 'log came in pieces by stage');
    // no line twice
    const all = logs.flatMap((e) => (e.type === 'provision-log' ? e.lines : []));
    assert.equal(new Set(all.map((l, i) => `${i}:${l}`)).size, all.length);
    assert.ok(rt.events.some((e) => e.type === 'provision-verified' && e.stepId === 'bind' && /group\/app/.test(e.message)));
    // journal: 0600, every begin has an end
    assert.equal(statSync(rt.journal.file).mode & 0o777, 0o600);
    const entries = parseJournal(readFileSync(rt.journal.file, 'utf8'), 'j');
    assert.deepEqual(pendingOps(entries), []);
    assert.deepEqual(
      entries.filter((e) => e.type === 'begin').map((e) => e.op),
      ['bind-source', 'create-build-rule', 'trigger-build', 'await-build'],
    );
    assert.equal(res.outcomes.find((o) => o.id === 'link')!.state, 'already');
    assert.equal(res.outcomes.find((o) => o.id === 'bind')!.state, 'done');

    // rerun in the same directory: nothing is created twice
    const before = writes(em).length;
    const rt2 = makeRuntime(rt.api, rt.config, { dir: rt.dir });
    const p2 = await prepare(rt2, { resume: false });
    assert.deepEqual(p2.plan.steps.map((s) => s.kind), ['done', 'done', 'done', 'done', 'done', 'done']);
    const res2 = await applyPlan(rt2, p2);
    assert.equal(res2.ok, true, res2.message);
    assert.equal(writes(em).length, before, 'no write on the rerun');
    assert.ok(res2.outcomes.every((o) => o.state === 'already'));
  });

  test('creates the namespace and repository when missing, then binds and builds', async () => {
    const { em, rt } = await setup(
      fastWorld((w) => {
        w.regions['cn-hangzhou'].cr.namespaces = [];
        w.regions['cn-hangzhou'].cr.repositories = [];
      }),
    );
    const prepared = await prepare(rt, { resume: false });
    assert.deepEqual(prepared.plan.steps.slice(1, 3).map((s) => s.calls[0]?.action), ['CreateNamespace', 'CreateRepository']);
    assert.match(JSON.stringify(prepared.plan.steps[3]!.calls[0]!.params), /<RepoId from step/);
    const res = await applyPlan(rt, prepared);
    assert.equal(res.ok, true, res.message);
    assert.deepEqual(writes(em), ['CreateNamespace', 'CreateRepository', 'CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']);
  });

  test('guided link and bind completed mid-wait through the console endpoints', async () => {
    let acted = false;
    const { em, rt } = await setup(fastWorld(unlinked), {
      options: { canWait: true, waitTimeoutMs: 20_000 },
      onEvent: (e) => {
        // the "person": acts after the prompt appears, while provision polls
        if (e.type === 'provision-guided' && e.prompt.stepId === 'link') {
          setTimeout(() => void control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' }), 300);
        }
        if (e.type === 'provision-guided' && e.prompt.stepId === 'bind') {
          acted = true;
          assert.ok(!JSON.stringify(e.prompt).includes(DEMO_GITLAB_TOKEN), 'the token is never shown');
          assert.ok(e.prompt.values.some((v) => v.value.includes('GITLAB_TOKEN')), 'names where the token is');
          setTimeout(
            () => void control(em, 'console/bind', { endpoint: 'https://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo', instanceId: 'cri-demo1234' }),
            300,
          );
        }
      },
    });
    const prepared = await prepare(rt, { resume: false });
    assert.equal(prepared.plan.steps[0]!.kind, 'guided');
    assert.deepEqual(
      prepared.plan.steps[0]!.guided!.values.map((v) => v.label),
      ['GitLab private IP', 'Other IPs', 'VPC', 'vSwitch'],
    );
    const res = await applyPlan(rt, prepared);
    assert.equal(res.ok, true, res.message);
    assert.ok(acted);
    assert.ok(rt.events.some((e) => e.type === 'provision-verified' && e.stepId === 'link'));
    const w = writes(em);
    assert.equal(w.filter((a) => a === 'CreateRepoSourceCodeRepo').length >= 2, true, 'retried until the account was bound');
    assert.equal(w.filter((a) => a === 'CreateBuildRecordByRule').length, 1);
    const ops = rt.journal.entries.filter((e) => e.type === 'end' && (e.op === 'guided-link' || e.op === 'guided-bind')).map((e) => [e.op, e.type === 'end' && e.ok]);
    assert.deepEqual(ops, [['guided-link', true], ['guided-bind', true]]);
  });

  test('the console step done while the plan was on screen: no staleness, no prompt, verified at once', async () => {
    const { em, rt } = await setup(fastWorld(unlinked), { options: { canWait: true, waitTimeoutMs: 20_000 } });
    const prepared = await prepare(rt, { resume: false });
    assert.equal(prepared.plan.steps[0]!.kind, 'guided');
    // the person reads the plan, does "Manage Link", then confirms
    assert.equal((await control(em, 'console/link', { vpcId: 'vpc-bp1demo', vSwitchId: 'vsw-bp1build', gitlabIp: '192.168.1.10' })).status, 200);
    assert.equal((await control(em, 'console/bind', { endpoint: 'https://192.168.1.10', username: 'builder', token: DEMO_GITLAB_TOKEN, vpcId: 'vpc-bp1demo', instanceId: 'cri-demo1234' })).status, 200);
    const res = await applyPlan(rt, prepared);
    assert.equal(res.ok, true, res.message);
    assert.ok(rt.events.some((e) => e.type === 'provision-note' && /done since the plan was shown: .*link: absent\/incomplete sg= eni= → present/.test(e.message)), JSON.stringify(rt.events.filter((e) => e.type === 'provision-note')));
    assert.ok(!rt.events.some((e) => e.type === 'provision-guided' && e.prompt.stepId === 'link'), 'no console prompt for a step already done');
    assert.deepEqual(writes(em), ['CreateRepoSourceCodeRepo', 'CreateRepoBuildRule', 'CreateBuildRecordByRule']);
  });

  test('another change since the plan (a rule appeared) is stale: nothing is written', async () => {
    const { em, rt, api } = await setup(fastWorld());
    const prepared = await prepare(rt, { resume: false });
    await api.call('cr', 'CreateRepoBuildRule', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', PushType: 'GIT_TAG', PushName: 'v1', ImageTag: 'v1' });
    const before = writes(em).length;
    const res = await applyPlan(rt, prepared);
    assert.equal(res.ok, false);
    assert.match(res.message, /state changed since the plan was made \(buildRules: {2}→ crbr-\w+=GIT_TAG:v1:v1\)/);
    assert.equal(writes(em).length, before);
  });

  test('non-interactive with a missing link: error with the console values, zero writes', async () => {
    const { em, rt } = await setup(fastWorld(unlinked), { options: { canWait: false } });
    const prepared = await prepare(rt, { resume: false });
    const res = await applyPlan(rt, prepared);
    assert.equal(res.ok, false);
    assert.equal(res.exitCode, 1);
    assert.equal(res.error?.code, 'ERR_GUIDED_STEP');
    // one short line; the console values are in the guided box, shown once, without a wait
    assert.match(res.message, /link: "Manage Link" is needed in the ACR console and this run has no terminal to wait on/);
    const box = rt.events.filter((e) => e.type === 'provision-guided');
    assert.equal(box.length, 1);
    const text = JSON.stringify(box[0]);
    assert.match(text, /192\.168\.1\.10/);
    assert.match(text, /vsw-bp1build/);
    assert.doesNotMatch(text, /Waiting until/);
    assert.deepEqual(writes(em), []);
  });

  test('guided wait times out with a clear error and a closed journal', async () => {
    const { rt } = await setup(fastWorld(unlinked), { options: { canWait: true, waitTimeoutMs: 400 } });
    const res = await applyPlan(rt, await prepare(rt, { resume: false }));
    assert.equal(res.error?.code, 'ERR_GUIDED_TIMEOUT');
    assert.deepEqual(rt.journal.pending(), []);
    assert.equal(res.outcomes.find((o) => o.id === 'link')!.state, 'failed');
    assert.equal(res.outcomes.find((o) => o.id === 'bind')!.state, 'not-done');
  });

  test('Ctrl-C while waiting for the link: interrupted (130), nothing pending', async () => {
    const ac = new AbortController();
    const { rt } = await setup(fastWorld(unlinked), { options: { canWait: true, waitTimeoutMs: 20_000 }, signal: ac.signal });
    const prepared = await prepare(rt, { resume: false });
    setTimeout(() => ac.abort(), 300);
    const res = await applyPlan(rt, prepared);
    assert.equal(res.exitCode, 130);
    assert.deepEqual(rt.journal.pending(), []);
  });

  test('build failure at GIT_CLONE re-runs the network rules next to the log', async () => {
    const { rt } = await setup(fastWorld((w) => (w.regions['cn-hangzhou'].cr.builds.failStage = 'GIT_CLONE', (w.regions['cn-hangzhou'].cr.builds.outcome = 'FAILED'))));
    const res = await applyPlan(rt, await prepare(rt, { resume: false }));
    assert.equal(res.ok, false);
    assert.equal(res.error?.code, 'ERR_BUILD_FAILED');
    assert.equal(res.exitCode, 1);
    assert.equal(res.builds[0]!.status, 'FAILED');
    assert.equal(res.builds[0]!.lastStage, 'GIT_CLONE');
    assert.deepEqual(res.recheck?.map((r) => r.ruleId).sort(), ['link-present', 'sg-ingress']);
    assert.ok(rt.events.some((e) => e.type === 'provision-note' && /link-present: pass/.test(e.message)));
  });

  test('build failure in DOCKER_BUILD: no network re-check', async () => {
    const { rt } = await setup(fastWorld((w) => (w.regions['cn-hangzhou'].cr.builds.outcome = 'FAILED')));
    const res = await applyPlan(rt, await prepare(rt, { resume: false }));
    assert.equal(res.error?.code, 'ERR_BUILD_FAILED');
    assert.equal(res.builds[0]!.lastStage, 'DOCKER_BUILD');
    assert.equal(res.recheck, undefined);
  });

  test('--timeout cancels the build with CancelRepoBuildRecord', async () => {
    const { em, rt } = await setup(fastWorld((w) => (w.regions['cn-hangzhou'].cr.builds.durationMs = 60_000)), { options: { buildTimeoutMs: 700 } });
    const res = await applyPlan(rt, await prepare(rt, { resume: false }));
    assert.equal(res.error?.code, 'ERR_BUILD_TIMEOUT');
    assert.equal(res.builds[0]!.status, 'CANCELED');
    assert.ok(writes(em).includes('CancelRepoBuildRecord'));
    assert.deepEqual(rt.journal.pending(), []);
  });

  test('resume after a crash right after the trigger: finds the build, no second trigger', async () => {
    const { em, api, rt } = await setup(fastWorld());
    // a run that got as far as triggering: do its calls by hand, journal the begin only (killed before the end)
    const p1 = await prepare(rt, { resume: false });
    void p1;
    await api.call('cr', 'CreateRepoSourceCodeRepo', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', CodeRepoType: 'GITLAB', CodeRepoNamespaceName: 'group', CodeRepoName: 'app', OverseaBuild: false });
    const rule = await api.call('cr', 'CreateRepoBuildRule', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest' });
    rt.journal.begin('trigger-build', 'GIT_BRANCH:main:latest', { BuildRuleId: rule.BuildRuleId, RepoId: 'crr-demoapp01', ImageTag: 'latest' });
    await api.call('cr', 'CreateBuildRecordByRule', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', BuildRuleId: rule.BuildRuleId });

    const rt2 = makeRuntime(api, rt.config, { dir: rt.dir });
    await assert.rejects(prepare(rt2, { resume: false }), (e: any) => e.code === 'ERR_PENDING' && e.exitCode === 2);
    const p2 = await prepare(rt2, { resume: true });
    assert.equal(p2.plan.steps.find((s) => s.id.startsWith('build:'))!.calls[0]!.action, 'GetRepoBuildRecordStatus');
    const res = await applyPlan(rt2, p2);
    assert.equal(res.ok, true, res.message);
    assert.equal(writes(em).filter((a) => a === 'CreateBuildRecordByRule').length, 1, 'no second build');
    assert.equal(res.builds[0]!.status, 'SUCCESS');
    assert.deepEqual(Journal.open(rt.dir, rt.target.key).pending(), []);
  });

  test('--fix: AuthorizeSecurityGroup before the gate re-check; without --fix the gate refuses with zero writes', async () => {
    const world = fastWorld((w) => {
      const sg = w.regions['cn-hangzhou'].securityGroups.find((s: any) => s.SecurityGroupId === 'sg-bp1gitlab');
      sg.Permissions = sg.Permissions.filter((p: any) => p.SourceCidrIp !== '100.104.0.0/16');
    });
    const a = await setup(world);
    const refused = await prepare(a.rt, { resume: false });
    assert.equal(refused.plan.gate.ok, false);
    const r1 = await applyPlan(a.rt, refused);
    assert.equal(r1.error?.code, 'ERR_GATE');
    assert.equal(r1.exitCode, 1);
    assert.deepEqual(writes(a.em), []);

    const b = await setup(world, { options: { fix: true } });
    const p = await prepare(b.rt, { resume: false });
    assert.equal(p.plan.steps[0]!.id, 'fix:sg-ingress:1');
    const r2 = await applyPlan(b.rt, p);
    assert.equal(r2.ok, true, r2.message);
    assert.equal(writes(b.em)[0], 'AuthorizeSecurityGroup');
  });

  test('a plan whose state changed before the first write is refused', async () => {
    const { em, rt } = await setup(fastWorld());
    const prepared = await prepare(rt, { resume: false });
    // someone else creates the rule between plan and apply
    await rt.api.call('cr', 'CreateRepoBuildRule', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', PushType: 'GIT_BRANCH', PushName: 'main', ImageTag: 'latest' });
    const n = writes(em).length;
    const res = await applyPlan(rt, prepared);
    assert.equal(res.error?.code, 'ERR_STALE_PLAN');
    assert.match(res.message, /buildRules/);
    assert.equal(writes(em).length, n, 'nothing written after the stale check');
  });
});
