// The ink views, driven through ink-testing-library: frames polled with waitFor, always unmounted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { App, type TuiExit } from '../../src/tui/app.js';
import type { PlanView, ProvisionEvent } from '../../src/tui/events.js';
import { TuiSession, type ProvisionDriver } from '../../src/tui/session.js';
import { rule as sourceBound } from '../../rules/source-bound.js';
import type { Rule } from '../../src/engine/types.js';
import type { Facts } from '../../src/facts/types.js';
import { testSource, waitFor, tuiFacts } from './helpers.js';
import { linkRule, TUI_RULES } from '../helpers/rules.js';

const UP = '\u001B[A';
const DOWN = '\u001B[B';
const ESC = '\u001B';

function mount(
  t: { after: (fn: () => void) => void },
  opts: { sgAdmits?: boolean; hold?: boolean; color?: boolean; height?: number; provision?: ProvisionDriver; docs?: Record<string, string>; rules?: Rule[]; facts?: (admits: boolean) => Facts } = {},
) {
  let admits = opts.sgAdmits ?? false;
  const source = testSource({
    facts: () => (opts.facts ? opts.facts(admits) : tuiFacts({ sgAdmits: admits })),
    ...(opts.rules ? { rules: opts.rules } : {}),
    ...(opts.hold ? { hold: true } : {}),
    ...(opts.provision ? { provision: opts.provision } : {}),
    docs: opts.docs ?? { 'sg-ingress': '# sg-ingress\n\nChecks that every group of the GitLab ENI admits the reverse range.\n' },
  });
  const session = new TuiSession(source);
  const exits: TuiExit[] = [];
  const r = render(<App session={session} color={opts.color ?? false} width={80} height={opts.height ?? 24} onExit={(e) => exits.push(e)} />);
  t.after(() => {
    r.unmount();
    session.close();
  });
  return { ...r, session, source, exits, fix: () => (admits = true) };
}

const frame = (get: () => string | undefined) => () => get() ?? '';

test('live run: collection progress with a running spinner, then one line per rule, summary and verdict', async (t) => {
  const m = mount(t, { hold: true, color: true });
  const live = await waitFor(m.lastFrame, /collecting \(0 done, .*\): round 1: DescribeInstances/);
  assert.match(live, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] collecting/);
  assert.match(live, /WAIT sg-ingress/);
  assert.match(live, /checks running…/);
  m.source.release();
  const done = await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  assert.match(done, /✗ FAIL sg-ingress\s+Security group sg-gitlab does not admit/);
  assert.match(done, /✓ PASS gitlab-reachable\s+GitLab 16\.11\.2 answered in 6 ms\./);
  assert.match(done, /- SKIP host-route/);
  assert.match(done, /pass 1 · warn 0 · fail 1 · skip 1 · error 0 — FAIL \(exit 1\)/);
  for (const line of done.split('\n')) assert.ok(line.length <= 80, `wider than 80 columns: ${line}`);
  assert.equal(done.split('\n').filter((l) => /sg-ingress/.test(l)).length, 1, 'each rule printed once');
});

test('without colour: no ANSI codes, no animation, status words carry the meaning', async (t) => {
  const m = mount(t, { color: false });
  const done = await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  assert.doesNotMatch(done, /\u001B\[/);
  assert.match(done, /^› FAIL sg-ingress/m);
  assert.match(done, /^ {2}PASS gitlab-reachable/m);
});

test('Enter opens a failing rule: evidence, path with the blocking hop, copyable fix, docs; Esc returns', async (t) => {
  const m = mount(t);
  await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  m.stdin.write('\r');
  const d = await waitFor(m.lastFrame, /Evidence/);
  assert.match(d, /FAIL {2}sg-ingress — GitLab security groups admit 100\.104\.0\.0\/16/);
  assert.match(d, /sg-gitlab: ingress accept prio 1 TCP 443\/443 from 100\.104\.0\.0\/17/);
  assert.match(d, /uncovered ranges  \(ecs:DescribeSecurityGroupAttribute sg-gitlab\)\n\s+100\.104\.128\.0\/17/);
  assert.match(d, /✗ security group\s+sg-gitlab\s+DROP\s+◀ blocked here/);
  assert.doesNotMatch(d, /[{}"]/, 'evidence is rendered, not dumped as JSON');
  // scroll to the end: the fix commands and the docs
  for (let i = 0; i < 30; i++) m.stdin.write('j');
  const end = await waitFor(m.lastFrame, /Docs/);
  // the command rows, selected and pasted into a shell, are one command (` \` continuations)
  const rows = end.split('\n');
  const first = rows.findIndex((l) => l.startsWith('  aliyun ecs AuthorizeSecurityGroup'));
  assert.ok(first > 0, end);
  let cmd = '';
  for (let i = first; i < rows.length; i++) {
    cmd += rows[i]!.trim();
    if (!rows[i]!.endsWith(' \\')) break;
    cmd = cmd.slice(0, -1);
  }
  assert.equal(
    cmd.replace(/\s+/g, ' '),
    'aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId sg-gitlab --IpProtocol TCP --PortRange 443/443 --SourceCidrIp 100.104.0.0/16 --Priority 1',
  );
  for (const l of rows) assert.ok(l.length <= 80, l);
  assert.match(end, /Checks that every group of the GitLab ENI admits the reverse range\./);
  m.stdin.write(ESC);
  await waitFor(m.lastFrame, /› FAIL sg-ingress/);
});

test('j/k and arrows move the selection; f filters to non-passing; ? shows keys', async (t) => {
  const m = mount(t);
  await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  m.stdin.write('j');
  await waitFor(m.lastFrame, /› PASS gitlab-reachable/);
  m.stdin.write(DOWN);
  await waitFor(m.lastFrame, /› SKIP host-route/);
  m.stdin.write(UP);
  m.stdin.write('k');
  await waitFor(m.lastFrame, /› FAIL sg-ingress/);
  m.stdin.write('f');
  const f = await waitFor(m.lastFrame, /— 1 non-passing rule\b/);
  assert.doesNotMatch(f, /1 non-passing rules/, 'one rule is singular');
  assert.doesNotMatch(f, /gitlab-reachable|host-route/);
  m.stdin.write('f');
  await waitFor(m.lastFrame, /gitlab-reachable/);
  m.stdin.write('?');
  const h = await waitFor(m.lastFrame, /Keys/);
  assert.match(h, /re-run the selected rule/);
  m.stdin.write('x');
  await waitFor(m.lastFrame, /› FAIL sg-ingress/);
});

test('r re-runs the selected rule with fresh facts; R re-runs all', async (t) => {
  const m = mount(t);
  await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  assert.equal(m.source.collections, 1);
  m.fix();
  m.stdin.write('r');
  const after = await waitFor(m.lastFrame, /PASS \(exit 0\)/);
  assert.match(after, /collected and evaluated sg-ingress/);
  assert.match(after, /PASS sg-ingress\s+Security group sg-gitlab admits/);
  assert.equal(m.source.collections, 2);
  m.stdin.write('R');
  await waitFor(m.lastFrame, /collected and evaluated all rules/);
  assert.equal(m.source.collections, 3);
});

test('p is refused with the reason while checks fail; q quits with the report', async (t) => {
  const m = mount(t, { provision: { plan: async () => ({ target: 'x', notes: [], steps: [] }), apply: async () => ({ ok: true, message: 'x' }) } });
  await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  m.stdin.write('p');
  await waitFor(m.lastFrame, /provision is disabled: 1 failing \(sg-ingress\)/);
  m.stdin.write('q');
  await waitFor(() => String(m.exits.length), /^1$/);
  assert.equal(m.exits[0]!.kind, 'quit');
  assert.equal(m.exits[0]!.report?.exitCode, 1);
});

test('Ctrl-C during collection ends as interrupted without a report', async (t) => {
  const m = mount(t, { hold: true });
  await waitFor(m.lastFrame, /collecting/);
  m.stdin.write('\u0003');
  await waitFor(() => String(m.exits.length), /^1$/);
  assert.deepEqual(m.exits[0], { kind: 'interrupt' });
});

test('a long list scrolls inside a short terminal', async (t) => {
  const m = mount(t, { height: 7 });
  const f = await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  assert.ok(f.split('\n').length <= 7, f);
  assert.match(f, /\[1–2 of 3\]/);
  m.stdin.write('G');
  const g = await waitFor(m.lastFrame, /› SKIP host-route/);
  assert.doesNotMatch(g, /sg-ingress/);
});

/** A provision driver that walks the guided flow: the link appears when the test says so. */
function guidedDriver() {
  let linkDone!: () => void;
  const linked = new Promise<void>((r) => (linkDone = r));
  const plan: PlanView = {
    target: 'cri-test team/app',
    notes: ['The checks passed; nothing exists yet.'],
    steps: [
      { id: 'link', title: 'Link the VPC (console)', kind: 'guided', detail: ['ACR console → Manage Link: VPC vpc-test, vSwitch vsw-link'] },
      { id: 'build', title: 'Run build rule main → latest', kind: 'api', detail: ['cr:CreateBuildRecordByRule'] },
    ],
  };
  const applied: string[] = [];
  const driver: ProvisionDriver = {
    plan: async () => plan,
    apply: async ({ emit }) => {
      const e = (x: ProvisionEvent) => emit(x);
      applied.push('apply');
      e({ type: 'provision-step', stepId: 'link', state: 'waiting' });
      e({ type: 'provision-guided', prompt: { stepId: 'link', title: 'Create the link in the ACR console', instructions: ['Open Instances → cri-test → Manage Link', 'Add the VPC and vSwitch below'], values: [{ label: 'VPC', value: 'vpc-test' }, { label: 'vSwitch', value: 'vsw-link' }, { label: 'GitLab IP', value: '192.168.1.10' }] } });
      await linked;
      e({ type: 'provision-verified', stepId: 'link', message: 'managed security group sg-acr found in vpc-test' });
      e({ type: 'provision-step', stepId: 'link', state: 'done' });
      e({ type: 'provision-step', stepId: 'build', state: 'running' });
      e({ type: 'provision-build', status: 'BUILDING', buildId: 'build-1' });
      e({ type: 'provision-log', stage: 'GIT_CLONE', lines: ['Cloning into /workspace...'] });
      e({ type: 'provision-log', stage: 'DOCKER_BUILD', lines: ['Step 1/2 : FROM alpine', 'Successfully built 1234'] });
      e({ type: 'provision-build', status: 'SUCCESS' });
      e({ type: 'provision-step', stepId: 'build', state: 'done' });
      return { ok: true, message: 'image team/app:latest built (build-1)' };
    },
  };
  return { driver, linkDone: () => linkDone(), applied };
}

test('guided provision: plan, decline, plan again, confirm, values to paste, wait, verified, build log, SUCCESS', async (t) => {
  const g = guidedDriver();
  const m = mount(t, { sgAdmits: true, provision: g.driver });
  await waitFor(m.lastFrame, /PASS \(exit 0\)/);
  m.stdin.write('p');
  const plan = await waitFor(m.lastFrame, /Apply this plan\?/);
  assert.match(plan, /1\. Link the VPC \(console\)\s+\[you, in the console\]/);
  assert.match(plan, /2\. Run build rule main → latest\s+\[API call\]/);
  m.stdin.write('n');
  await waitFor(m.lastFrame, /provision not confirmed — nothing was changed/);
  assert.deepEqual(g.applied, []);
  m.stdin.write('p');
  await waitFor(m.lastFrame, /Apply this plan\?/);
  m.stdin.write('y');
  const wait = await waitFor(m.lastFrame, /waiting for it to appear/);
  assert.match(wait, /Create the link in the ACR console/);
  assert.match(wait, /^ {4}VPC\s+vpc-test$/m);
  assert.match(wait, /^ {4}GitLab IP\s+192\.168\.1\.10$/m);
  g.linkDone();
  const done = await waitFor(m.lastFrame, /SUCCESS: image team\/app:latest built/);
  // finished: the step is ticked and the console box (values, waiting line) is gone
  assert.match(done, /✓ Link the VPC \(console\)/);
  assert.doesNotMatch(done, /waiting for it to appear|Create the link in the ACR console/);
  assert.match(done, /\[GIT_CLONE\]\n\s+Cloning into/);
  assert.match(done, /\[DOCKER_BUILD\]\n\s+Step 1\/2 : FROM alpine\n\s+Successfully built 1234/);
  assert.match(done, /status SUCCESS/);
  m.stdin.write(ESC);
  await waitFor(m.lastFrame, /PASS \(exit 0\)/);
});

test('keys that arrive together (one write "jj") each move the selection', async (t) => {
  const m = mount(t);
  await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  m.stdin.write('jj');
  await waitFor(m.lastFrame, /› SKIP host-route/);
  m.stdin.write('kk');
  await waitFor(m.lastFrame, /› FAIL sg-ingress/);
  // Enter and a key after it in one write: the second key reads the view the first one opened
  m.stdin.write('\rG');
  const d = await waitFor(m.lastFrame, /Esc back .*\((\d+)–(\d+) of \2\)$/);
  assert.match(d, /Docs/, 'G scrolled the detail Enter opened to its end');
});

test('a source-bound fail that provision resolves does not disable p: the plan opens, as with the CLI', async (t) => {
  const m = mount(t, {
    sgAdmits: true,
    rules: [...TUI_RULES, sourceBound],
    facts: () =>
      tuiFacts({
        sgAdmits: true,
        repository: { repoId: 'crr-1', repoName: 'app', repoNamespaceName: 'team' },
        binding: { codeRepoType: 'GITLAB', codeRepoNamespaceName: 'other', codeRepoName: 'app', overseaBuild: true },
      }),
    provision: { plan: async () => ({ target: 'cri-test team/app', notes: [], steps: [{ id: 'bind', title: 'Rebind to group/app', kind: 'api', detail: ['cr:UpdateRepoSourceCodeRepo'] }] }), apply: async () => ({ ok: true, message: 'x' }) },
  });
  const list = await waitFor(m.lastFrame, /FAIL \(exit 1\)/);
  assert.match(list, /FAIL source-bound/);
  m.stdin.write('p');
  const plan = await waitFor(m.lastFrame, /Apply this plan\?|provision is disabled/);
  assert.doesNotMatch(plan, /provision is disabled/);
  assert.match(plan, /1\. Rebind to group\/app/);
});

/** A driver whose build runs until the test releases it; the link appears as it applies. */
function buildingDriver(onLinked: () => void) {
  let release: () => void = () => {};
  const driver: ProvisionDriver = {
    plan: async () => ({ target: 'cri-test team/app', notes: [], steps: [{ id: 'link', title: 'Link the VPC (console)', kind: 'guided', detail: [] }, { id: 'build', title: 'Run build rule main → latest', kind: 'api', detail: [] }] }),
    apply: async ({ emit, signal }) => {
      emit({ type: 'provision-step', stepId: 'link', state: 'done' });
      onLinked();
      emit({ type: 'provision-step', stepId: 'build', state: 'running' });
      emit({ type: 'provision-build', status: 'BUILDING', buildId: 'build-1' });
      emit({ type: 'provision-log', stage: 'DOCKER_BUILD', lines: ['Step 1/2 : FROM alpine'] });
      await new Promise<void>((resolve, reject) => {
        release = resolve;
        signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
      });
      emit({ type: 'provision-build', status: 'SUCCESS' });
      emit({ type: 'provision-step', stepId: 'build', state: 'done' });
      return { ok: true, message: 'image team/app:latest built (build-1)' };
    },
  };
  return { driver, finishBuild: () => release() };
}

test('Esc during apply: the list says provision runs; when it ends the checks re-run and p shows the result, not a new plan', async (t) => {
  let linked = false;
  const b = buildingDriver(() => (linked = true));
  const m = mount(t, { sgAdmits: true, rules: [...TUI_RULES, linkRule], facts: () => tuiFacts({ sgAdmits: true, linked }), provision: b.driver });
  const before = await waitFor(m.lastFrame, /PASS \(exit 0\)/);
  assert.match(before, /WARN link-present\s+Not linked yet/);
  m.stdin.write('p');
  await waitFor(m.lastFrame, /Apply this plan\?/);
  m.stdin.write('y');
  await waitFor(m.lastFrame, /status BUILDING/);
  m.stdin.write(ESC);
  const list = await waitFor(m.lastFrame, /provision running: Run build rule main → latest, build BUILDING — p shows it/);
  assert.match(list, /WARN link-present/);
  m.stdin.write('R');
  await waitFor(m.lastFrame, /provision is running — wait until it has finished/);
  assert.equal(m.source.collections, 1);
  b.finishBuild();
  const after = await waitFor(m.lastFrame, /PASS link-present/);
  assert.equal(m.source.collections, 2, 'the checks ran again when provision had finished');
  assert.doesNotMatch(after, /WARN link-present|busy|wait until it has finished/);
  assert.match(after, /provision done \(SUCCESS\) — p shows the result/);
  m.stdin.write('p');
  const page = await waitFor(m.lastFrame, /SUCCESS: image team\/app:latest built/);
  assert.doesNotMatch(page, /Apply this plan/);
  assert.match(page, /p plan again/);
  m.stdin.write('p');
  await waitFor(m.lastFrame, /Apply this plan\?/);
});

test('q mid-build asks first; confirmed, the exit carries the resume note', async (t) => {
  const b = buildingDriver(() => {});
  const m = mount(t, { sgAdmits: true, provision: b.driver });
  await waitFor(m.lastFrame, /PASS \(exit 0\)/);
  m.stdin.write('p');
  await waitFor(m.lastFrame, /Apply this plan\?/);
  m.stdin.write('y');
  await waitFor(m.lastFrame, /status BUILDING/);
  m.stdin.write('q');
  await waitFor(m.lastFrame, /provision is still running — quit anyway\? q\/y quit · any other key stays/);
  assert.equal(m.exits.length, 0, 'q alone does not quit while provision applies');
  m.stdin.write('x');
  await waitFor(m.lastFrame, /Esc back to the checks/);
  m.stdin.write('q');
  await waitFor(m.lastFrame, /quit anyway\?/);
  m.stdin.write('q');
  await waitFor(() => String(m.exits.length), /^1$/);
  assert.equal(m.exits[0]!.kind, 'quit');
  assert.equal(m.exits[0]!.report?.exitCode, 0);
  assert.equal(m.exits[0]!.note, 'acr-preflight: quit while provision was applying — build build-1 is still running in ACR; `acr-preflight provision --resume` re-attaches');
});
