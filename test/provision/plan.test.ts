// The plan is a pure value: gate, steps, fingerprint, and its text/JSON renderings (golden files).
// UPDATE_GOLDEN=1 rewrites fixtures/golden/plan-*.{txt,json}.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Config } from '../../src/config/types.js';
import { runRules } from '../../src/engine/runner.js';
import type { Facts } from '../../src/facts/types.js';
import type { JournalEntry } from '../../src/provision/journal.js';
import { makePlan, planIsBlocked, planView, renderPlanJson, renderPlanText, type PlanInput } from '../../src/provision/plan.js';
import { evaluateGate } from '../../src/app/gate.js';
import { fingerprint, linkState, type CrState } from '../../src/provision/state.js';
import { ROOT } from '../helpers/cli.js';
import { demoConfig, targetOf, worldFacts } from './helpers.js';
import { group, managedGroup, ok, perm, ZONES } from '../helpers/facts.js';
import { PROVISION_RULES } from '../helpers/rules.js';
import { rule as realLinkPresent } from '../../rules/link-present.js';

const AT = '2026-11-28T10:00:00.000Z';

/** The demo world: GitLab's group sg-bp1gitlab admits the builder range (sgOpen) or not; the link exists (linked) or not. */
function facts(c: Config, o: { linked?: boolean; sgOpen?: boolean } = {}): Facts {
  const linked = o.linked ?? true;
  const sgOpen = o.sgOpen ?? true;
  return worldFacts(c, (f) => {
    f.cloud.gitlabSecurityGroups = ok([group('sg-bp1gitlab', sgOpen ? [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16' })] : [], { vpcId: c.vpc.vpcId })]);
    f.cloud.managedSecurityGroups = ok(linked ? [group('sg-bp1acrlink', managedGroup('192.168.1.10').permissions, { vpcId: c.vpc.vpcId, serviceManaged: true, type: 'enterprise' })] : []);
    f.cloud.managedEnis = ok(linked ? [{ networkInterfaceId: 'eni-bp1acrlink', vpcId: c.vpc.vpcId, vSwitchId: c.vpc.vSwitchId, privateIpAddresses: ['192.168.10.250'], securityGroupIds: ['sg-bp1acrlink'], serviceManaged: true }] : []);
  });
}

const DEMO_CR: CrState = { namespaceExists: true, repoId: 'crr-demoapp01', source: null, buildRules: [] };

function input(o: { config?: Config; linked?: boolean; sgOpen?: boolean; cr?: CrState; journal?: JournalEntry[]; fix?: boolean; resume?: Record<string, string>; waivers?: Config['waivers'] } = {}): PlanInput {
  const config = o.config ?? demoConfig();
  const f = facts(config, o);
  const report = runRules(f, { rules: PROVISION_RULES, now: new Date(AT), zones: ZONES, ...(o.waivers ? { waivers: o.waivers } : {}) });
  return {
    config,
    target: targetOf(config),
    run: { facts: f, report },
    cr: o.cr ?? DEMO_CR,
    journal: o.journal ?? [],
    resumeBuilds: o.resume ?? {},
    fix: o.fix ?? false,
    failOn: 'fail',
    buildTimeoutMs: 1800_000,
    now: new Date(AT),
  };
}

function golden(name: string, actual: string): void {
  const file = join(ROOT, 'fixtures', 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 to accept)`);
}

describe('plan (pure)', () => {
  test('demo state: link present, bind by API, rule and build created — golden text and JSON', () => {
    const plan = makePlan(input());
    assert.deepEqual(plan.steps.map((s) => [s.id, s.kind]), [
      ['link', 'done'],
      ['namespace', 'done'],
      ['repository', 'done'],
      ['bind', 'verify'],
      ['build-rule:GIT_BRANCH:main:latest', 'api'],
      ['build:GIT_BRANCH:main:latest', 'api'],
    ]);
    assert.deepEqual(plan.steps[3]!.calls[0], {
      product: 'cr',
      action: 'CreateRepoSourceCodeRepo',
      params: { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01', CodeRepoType: 'GITLAB', CodeRepoNamespaceName: 'group', CodeRepoName: 'app', OverseaBuild: false },
    });
    assert.equal(plan.steps[5]!.calls[0]!.params.BuildRuleId, '<BuildRuleId from step build-rule:GIT_BRANCH:main:latest>');
    golden('plan-demo.txt', renderPlanText(plan));
    golden('plan-demo.json', renderPlanJson(plan));
  });

  test('fresh environment: guided link with exact console values, namespace/repository created, extra endpoints', () => {
    const config = demoConfig({ extraEndpoints: ['192.168.2.15:8081'], gitlab: { ...demoConfig().gitlab, project: 'group/sub/app' } });
    const plan = makePlan(input({ config, linked: false, cr: { namespaceExists: false, repoId: null, source: null, buildRules: [] } }));
    const link = plan.steps[0]!;
    assert.equal(link.kind, 'guided');
    assert.deepEqual(link.guided!.values, [
      { label: 'GitLab private IP', value: '192.168.1.10' },
      { label: 'Other IPs', value: '192.168.2.15' },
      { label: 'VPC', value: 'vpc-bp1demo' },
      { label: 'vSwitch', value: 'vsw-bp1build (cn-hangzhou-i)' },
    ]);
    assert.match(link.guided!.consolePath, /Code Source → GitLab → Manage Link/);
    assert.match(link.guided!.verify, /192\.168\.2\.15:8081/);
    const bind = plan.steps.find((s) => s.id === 'bind')!;
    assert.equal(bind.calls[0]!.params.CodeRepoNamespaceName, 'group/sub');
    assert.equal(bind.calls[0]!.params.CodeRepoName, 'app');
    assert.equal(bind.calls[0]!.params.RepoId, '<RepoId from step repository>');
    const token = bind.guided!.values.find((v) => v.label === 'Private token')!;
    assert.match(token.value, /environment variable GITLAB_TOKEN/);
    golden('plan-fresh.txt', renderPlanText(plan));
  });

  test('gate: a failing rule refuses; --fix offers AuthorizeSecurityGroup and opens the gate', () => {
    const refused = makePlan(input({ sgOpen: false }));
    assert.equal(refused.gate.ok, false);
    assert.equal(planIsBlocked(refused), true);
    assert.deepEqual(refused.gate.blocking.map((b) => [b.ruleId, b.status, b.fixable]), [['sg-ingress', 'fail', true]]);
    assert.ok(refused.notes.some((n) => /--fix would offer/.test(n)));
    assert.ok(!refused.steps.some((s) => s.phase === 'fix'));
    const text = renderPlanText(refused);
    assert.match(text, /Gate: REFUSED/);
    assert.match(text, /Nothing will be written/);

    const fixed = makePlan(input({ sgOpen: false, fix: true }));
    assert.equal(planIsBlocked(fixed), false);
    assert.equal(fixed.steps[0]!.id, 'fix:sg-ingress:1');
    assert.equal(fixed.steps[0]!.calls[0]!.action, 'AuthorizeSecurityGroup');
    golden('plan-fix.txt', renderPlanText(fixed));
  });

  test('gate: waived failures pass; link-present warn and source-bound are resolved by provision', () => {
    const waived = makePlan(input({ sgOpen: false, waivers: [{ rule: 'sg-ingress', reason: 'r', owner: 'o', expires: '2099-01-01' }] }));
    assert.equal(waived.gate.ok, true);
    const unlinked = makePlan(input({ linked: false }));
    assert.equal(unlinked.gate.ok, true);
    assert.deepEqual(unlinked.gate.resolves.map((r) => [r.ruleId, r.status]), [['link-present', 'warn']]);
    const report = unlinked.gate;
    void report;
    const r = input({});
    const withBound = { ...r.run.report, results: [...r.run.report.results, { ...r.run.report.results[0]!, ruleId: 'source-bound', status: 'fail' as const }] };
    assert.equal(evaluateGate(withBound).ok, true);
    const withWarn = { ...r.run.report, results: [...r.run.report.results, { ...r.run.report.results[0]!, ruleId: 'gitlab-tls', status: 'warn' as const }] };
    assert.equal(evaluateGate(withWarn, 'fail').ok, true);
    assert.equal(evaluateGate(withWarn, 'warn').ok, false);
  });

  test('an incomplete link (link-present fail: an extra endpoint missing) is the guided step to complete it, not a refusal', () => {
    const config = demoConfig({ extraEndpoints: ['192.168.2.15:8081'] });
    const f = facts(config);
    const report = runRules(f, { rules: [realLinkPresent], now: new Date(AT), zones: ZONES });
    assert.equal(report.results[0]!.status, 'fail');
    assert.equal(report.results[0]!.messageId, 'missingTargets');
    const plan = makePlan({ ...input({ config }), run: { facts: f, report } });
    assert.equal(plan.gate.ok, true);
    assert.deepEqual(plan.gate.resolves.map((r) => [r.ruleId, r.status]), [['link-present', 'fail']]);
    const link = plan.steps.find((st) => st.id === 'link')!;
    assert.equal(link.kind, 'guided');
    assert.match(link.guided!.title, /^Complete the build link/);
    assert.match(link.guided!.instructions[0]!, /does not admit 192\.168\.2\.15:8081/);
    assert.deepEqual(link.guided!.values.find((v) => v.label === 'Other IPs')?.value, '192.168.2.15');
  });

  test('build-arg values never appear in the plan (they may be secrets)', () => {
    const config = demoConfig({ build: { rules: [{ pushType: 'GIT_BRANCH', pushName: 'main', imageTag: 'latest', buildArgs: ['NPM_TOKEN=npm_SuperSecret123', 'VERSION=1.2'] }] } });
    const plan = makePlan(input({ config }));
    const text = renderPlanText(plan) + renderPlanJson(plan) + JSON.stringify(planView(plan));
    assert.ok(!text.includes('npm_SuperSecret123') && !text.includes('1.2'), 'values masked');
    assert.match(text, /BuildArgs\.1="?NPM_TOKEN=\*\*\*/);
    assert.match(text, /BuildArgs\.2"?[=:] ?"?VERSION=\*\*\*/);
  });

  test('existing rule reused (duplicates noted), a bound project is done, a different one is updated', () => {
    const rules = [
      { buildRuleId: 'crbr-1', pushType: 'GIT_BRANCH', pushName: 'main', imageTag: 'latest' },
      { buildRuleId: 'crbr-2', pushType: 'GIT_BRANCH', pushName: 'main', imageTag: 'latest' },
    ];
    const src = { codeRepoType: 'GITLAB', codeRepoNamespaceName: 'group', codeRepoName: 'app', overseaBuild: false };
    const plan = makePlan(input({ cr: { ...DEMO_CR, source: src, buildRules: rules } }));
    const rule = plan.steps.find((s) => s.id.startsWith('build-rule:'))!;
    assert.equal(rule.kind, 'done');
    assert.match(rule.notes[0]!, /crbr-2/);
    assert.equal(plan.steps.find((s) => s.id === 'bind')!.kind, 'done');
    assert.equal(plan.steps.find((s) => s.id.startsWith('build:'))!.calls[0]!.params.BuildRuleId, 'crbr-1');

    const other = makePlan(input({ cr: { ...DEMO_CR, source: { ...src, codeRepoName: 'old', overseaBuild: true } } }));
    const bind = other.steps.find((s) => s.id === 'bind')!;
    assert.equal(bind.kind, 'api');
    assert.equal(bind.calls[0]!.action, 'UpdateRepoSourceCodeRepo');
    assert.equal(bind.calls[0]!.params.OverseaBuild, 'false');
    assert.match(bind.why, /group\/old.*OverseaBuild on/);
  });

  test('the journal makes a finished build done; a failed one is built again; a resumed one is waited for', () => {
    const cr = { ...DEMO_CR, buildRules: [{ buildRuleId: 'crbr-1', pushType: 'GIT_BRANCH', pushName: 'main', imageTag: 'latest' }] };
    const end = (status: string): JournalEntry[] => [
      { v: 1, type: 'begin', id: 'r:1', run: 'r', at: AT, op: 'await-build', key: 'GIT_BRANCH:main:latest' },
      { v: 1, type: 'end', id: 'r:1', run: 'r', at: AT, op: 'await-build', key: 'GIT_BRANCH:main:latest', ok: true, result: { BuildRecordId: 'B1', BuildRuleId: 'crbr-1', status } },
    ];
    const build = (p: ReturnType<typeof makePlan>) => p.steps.find((s) => s.id.startsWith('build:'))!;
    assert.equal(build(makePlan(input({ cr, journal: end('SUCCESS') }))).kind, 'done');
    const again = build(makePlan(input({ cr, journal: end('FAILED') })));
    assert.equal(again.kind, 'api');
    assert.match(again.notes[0]!, /ended FAILED/);
    const resumed = build(makePlan(input({ cr, resume: { 'GIT_BRANCH:main:latest': 'B7' } })));
    assert.equal(resumed.calls[0]!.action, 'GetRepoBuildRecordStatus');
    assert.equal(resumed.calls[0]!.params.BuildRecordId, 'B7');
  });

  test('fingerprint: stable for the same state, different when what provision reads changes', () => {
    const a = input();
    const fp = (x: PlanInput) => fingerprint({ results: x.run.report.results, link: linkState(x.run, x.config.vpc.vSwitchId), cr: x.cr });
    assert.equal(fp(a), fp(input()));
    assert.notEqual(fp(a), fp(input({ linked: false })));
    assert.notEqual(fp(a), fp(input({ cr: { ...DEMO_CR, buildRules: [{ buildRuleId: 'x', pushType: 'GIT_BRANCH', pushName: 'main', imageTag: 'latest' }] } })));
    assert.notEqual(fp(a), fp(input({ sgOpen: false })));
  });

  test('planView maps to the TUI shape', () => {
    const v = planView(makePlan(input({ linked: false })));
    assert.equal(v.steps[0]!.kind, 'guided');
    assert.equal(v.steps[1]!.kind, 'noop');
    assert.ok(v.steps[0]!.detail.some((d) => d.includes('GitLab private IP: 192.168.1.10')));
  });
});
