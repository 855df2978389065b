// The reducer, selectors and key map, without ink: events from a real session over test rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../src/engine/types.js';
import { evaluateGate } from '../../src/app/gate.js';
import { rule as sourceBound } from '../../rules/source-bound.js';
import type { PlanView, SessionEvent } from '../../src/tui/events.js';
import { mergeReport } from '../../src/tui/merge.js';
import { interruptedNote, TuiSession, type ProvisionDriver } from '../../src/tui/session.js';
import {
  initialState,
  keyIntent,
  listCapacity,
  pluralRules,
  provisionGate,
  provisionStatus,
  reduce,
  selectedRow,
  splitKeys,
  visibleRows,
  type Action,
  type Intent,
  type TuiState,
} from '../../src/tui/state.js';
import { testSource, tuiFacts } from './helpers.js';
import { linkRule, TUI_RULES } from '../helpers/rules.js';

function fold(actions: Action[], s0?: TuiState): TuiState {
  return actions.reduce(reduce, s0 ?? initialState({ rules: TUI_RULES, provisionAvailable: true }));
}

async function sessionEvents(sgAdmits: boolean): Promise<{ events: SessionEvent[]; report: Report }> {
  const session = new TuiSession(testSource({ facts: () => tuiFacts({ sgAdmits }) }), () => 1000);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const report = await session.runChecks();
  assert.ok(report);
  return { events, report };
}

test('a run: collection progress, rules pending → running → results, summary and verdict', async () => {
  const { events, report } = await sessionEvents(false);
  assert.deepEqual(
    events.map((e) => e.type),
    ['collect-start', 'collect-step', 'collect-step', 'collect-finish', 'run-start', 'rule-start', 'rule-start', 'rule-start', 'rule-finish', 'rule-finish', 'rule-finish', 'run-finish', 'run-complete'],
  );
  let s = initialState({ rules: TUI_RULES });
  assert.deepEqual(s.rows.map((r) => r.status), ['pending', 'pending', 'pending']);
  s = reduce(s, events[0]!);
  s = reduce(s, events[1]!);
  assert.equal(s.run.phase, 'collecting');
  assert.deepEqual(s.run.steps, [{ id: 'round-1', label: 'round 1: DescribeInstances', state: 'running' }]);
  s = fold(events.slice(2, 8), s);
  assert.equal(s.rows[0]!.status, 'running');
  s = fold(events.slice(8), s);
  assert.equal(s.run.phase, 'done');
  assert.deepEqual(
    s.rows.map((r) => [r.id, r.status]),
    [['sg-ingress', 'fail'], ['gitlab-reachable', 'pass'], ['host-route', 'skip']],
  );
  assert.match(s.rows[0]!.message, /does not admit 100\.104\.128\.0\/17 on tcp\/443/);
  assert.equal(s.report, report);
  assert.equal(report.verdict, 'fail');
  assert.equal(s.run.finishedAt! - s.run.startedAt!, 0);
});

test('navigation: moves clamp, filter keeps the selection on a visible row, Enter opens, Esc returns', async () => {
  const { events } = await sessionEvents(false);
  let s = fold(events);
  assert.equal(selectedRow(s)?.id, 'sg-ingress');
  s = fold([{ type: 'move', delta: 1 }, { type: 'move', delta: 5 }], s);
  assert.equal(selectedRow(s)?.id, 'host-route');
  s = fold([{ type: 'move', delta: -Infinity }], s);
  assert.equal(selectedRow(s)?.id, 'sg-ingress');
  s = fold([{ type: 'move', delta: 1 }, { type: 'toggle-filter' }], s);
  assert.deepEqual(visibleRows(s).map((r) => r.id), ['sg-ingress']);
  assert.equal(selectedRow(s)?.id, 'sg-ingress', 'the passing selection moved to the visible failing row');
  s = fold([{ type: 'open' }], s);
  assert.equal(s.view, 'detail');
  assert.equal(s.selected, 'sg-ingress');
  s = fold([{ type: 'scroll-detail', delta: 50, max: 7 }], s);
  assert.equal(s.detailScroll, 7);
  s = fold([{ type: 'back' }, { type: 'toggle-filter' }], s);
  assert.equal(s.view, 'list');
  assert.equal(visibleRows(s).length, 3);
});

test('the list scrolls to keep the selection inside a short terminal', () => {
  const rules = Array.from({ length: 20 }, (_, i) => ({ id: `rule-${i}`, title: `Rule ${i}` }));
  let s = initialState({ rules, height: 10 });
  const cap = listCapacity(s);
  assert.equal(cap, 5);
  assert.equal(listCapacity(initialState({ rules, height: 2 })), 1);
  s = fold([{ type: 'move', delta: 7 }], s);
  assert.equal(selectedRow(s)?.id, 'rule-7');
  assert.equal(s.scroll, 7 - cap + 1);
  s = fold([{ type: 'move', delta: -Infinity }], s);
  assert.equal(s.scroll, 0);
  s = fold([{ type: 'resize', width: 80, height: 24 }, { type: 'move', delta: Infinity }], s);
  assert.equal(s.scroll, 20 - listCapacity(s));
});

test('a single-rule re-run merges into the report: summary, verdict and that rule\'s hops replaced', async () => {
  const { report: failing } = await sessionEvents(false);
  const { report: passing } = await sessionEvents(true);
  const partial: Report = { ...passing, results: passing.results.filter((r) => r.ruleId === 'sg-ingress'), path: passing.path.filter((h) => h.ruleId === 'sg-ingress') };
  const merged = mergeReport(failing, partial, ['sg-ingress']);
  assert.equal(merged.verdict, 'pass');
  assert.equal(merged.exitCode, 0);
  assert.deepEqual(merged.summary, { pass: 2, warn: 0, fail: 0, skip: 1, error: 0, waived: 0 });
  assert.deepEqual(
    merged.path.map((h) => [h.hop, h.verdict]),
    [['security-group', 'allow'], ['gitlab', 'allow']],
  );
});

test('the session re-runs one rule with fresh facts and emits the merged report', async () => {
  let admits = false;
  const src = testSource({ facts: () => tuiFacts({ sgAdmits: admits }) });
  const session = new TuiSession(src);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  await session.runChecks();
  assert.equal(session.report?.verdict, 'fail');
  admits = true; // someone fixed the security group
  events.length = 0;
  const r = await session.runChecks('sg-ingress');
  assert.equal(src.collections, 2, 'facts were collected again');
  const start = events.find((e) => e.type === 'run-start');
  assert.deepEqual(start && start.type === 'run-start' && start.ruleIds, ['sg-ingress'], '--only semantics');
  assert.equal(r?.verdict, 'pass');
  assert.equal(r?.results.length, 3);
  const s = fold(events, fold([]));
  assert.equal(s.rows.find((x) => x.id === 'sg-ingress')?.status, 'pass');
});

test('a collection error is shown, keeps the previous results, and the next run can start', async () => {
  let fail = false;
  const src = testSource({ facts: () => {
    if (fail) throw new Error('InvalidAccessKeyId.NotFound: Specified access key is not found.');
    return tuiFacts();
  } });
  const session = new TuiSession(src);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  await session.runChecks();
  fail = true;
  assert.equal(await session.runChecks(), undefined);
  const s = fold(events);
  assert.equal(s.run.phase, 'failed');
  assert.match(s.run.error ?? '', /InvalidAccessKeyId/);
  assert.equal(s.rows[0]!.status, 'fail', 'the previous result is kept');
  fail = false;
  assert.ok(await session.runChecks());
});

test('provision gate: disabled with the failing ids, while running, without a driver; open when passing', async () => {
  const { events: failEv } = await sessionEvents(false);
  const failing = fold(failEv);
  const g = provisionGate(failing);
  assert.equal(g.ok, false);
  assert.match(!g.ok ? g.reason : '', /1 failing \(sg-ingress\)/);
  const running = fold([{ type: 'collect-start', scope: 'all' }], failing);
  assert.match((provisionGate(running) as { reason: string }).reason, /while the checks run/);
  const { events: passEv } = await sessionEvents(true);
  assert.deepEqual(provisionGate(fold(passEv)), { ok: true });
  const noDriver = fold(passEv, initialState({ rules: TUI_RULES, provisionAvailable: false }));
  assert.match((provisionGate(noDriver) as { reason: string }).reason, /not available/);
});

test('provision events: plan → confirm → guided step verified → build log grouped by stage → result', () => {
  const s = fold([
    { type: 'provision-planning' },
    { type: 'provision-plan', plan: { target: 'team/app', notes: [], steps: [{ id: 'link', title: 'Link', kind: 'guided', detail: [] }, { id: 'build', title: 'Build', kind: 'api', detail: [] }] } },
  ]);
  assert.equal(s.view, 'provision');
  assert.equal(s.provision.phase, 'confirm');
  const t = fold(
    [
      { type: 'provision-step', stepId: 'link', state: 'waiting' },
      { type: 'provision-guided', prompt: { stepId: 'link', title: 'Create the link', instructions: ['open'], values: [{ label: 'VPC', value: 'vpc-1' }] } },
      { type: 'provision-verified', stepId: 'link', message: 'managed group sg-m found' },
      { type: 'provision-step', stepId: 'link', state: 'done' },
      { type: 'provision-log', stage: 'GIT_CLONE', lines: ['a'] },
      { type: 'provision-log', stage: 'GIT_CLONE', lines: ['b'] },
      { type: 'provision-log', stage: 'BUILD', lines: ['c'] },
      { type: 'provision-finish', ok: true, message: 'image team/app:latest' },
    ],
    s,
  );
  assert.equal(t.provision.phase, 'done');
  assert.equal(t.provision.guided?.verified, 'managed group sg-m found');
  assert.deepEqual(t.provision.log, [{ stage: 'GIT_CLONE', lines: ['a', 'b'] }, { stage: 'BUILD', lines: ['c'] }]);
  assert.deepEqual(t.provision.steps.map((x) => [x.id, x.state]), [['link', 'done'], ['build', 'pending']]);
});

test('key map: list, detail, confirm and help keys', async () => {
  const { events } = await sessionEvents(false);
  const s = fold(events);
  assert.deepEqual(keyIntent(s, 'j', {}), { kind: 'ui', action: { type: 'move', delta: 1 } });
  assert.deepEqual(keyIntent(s, '', { upArrow: true }), { kind: 'ui', action: { type: 'move', delta: -1 } });
  assert.deepEqual(keyIntent(s, '\r', { return: true }), { kind: 'ui', action: { type: 'open' } });
  assert.deepEqual(keyIntent(s, 'r', {}), { kind: 'rerun', ruleId: 'sg-ingress' });
  assert.deepEqual(keyIntent(s, 'R', {}), { kind: 'rerun' });
  assert.deepEqual(keyIntent(s, 'f', {}), { kind: 'ui', action: { type: 'toggle-filter' } });
  assert.deepEqual(keyIntent(s, 'q', {}), { kind: 'quit' });
  assert.deepEqual(keyIntent(s, 'c', { ctrl: true }), { kind: 'interrupt' });
  assert.deepEqual(keyIntent(s, 'p', {}), { kind: 'provision-start' });
  assert.equal(keyIntent(s, 'x', {}), undefined);
  const d = reduce(s, { type: 'open' });
  assert.deepEqual(keyIntent(d, '', { delete: true }), { kind: 'ui', action: { type: 'back' } });
  assert.deepEqual(keyIntent(d, 'j', {}, { detailMax: 4 }), { kind: 'ui', action: { type: 'scroll-detail', delta: 1, max: 4 } });
  const h = reduce(s, { type: 'toggle-help' });
  assert.deepEqual(keyIntent(h, 'x', {}), { kind: 'ui', action: { type: 'toggle-help' } });
  const c = fold([{ type: 'provision-planning' }, { type: 'provision-plan', plan: { target: 't', notes: [], steps: [] } }], s);
  assert.deepEqual(keyIntent(c, 'y', {}), { kind: 'provision-confirm' });
  assert.deepEqual(keyIntent(c, 'n', {}), { kind: 'provision-decline' });
  assert.deepEqual(keyIntent(c, 'j', {}, { provisionMax: 9, provisionAt: 2 }), { kind: 'ui', action: { type: 'scroll-provision', delta: 1, max: 9, from: 2 } });
  assert.equal(keyIntent(c, 'x', {}), undefined);
  const scrolled = reduce(c, { type: 'scroll-provision', delta: 1, max: 9, from: 2 });
  assert.equal(scrolled.provisionScroll, 3);
});

// --- the gate is provision's own --------------------------------------------------------------

test('provision gate: a source-bound fail that provision resolves (another project, OverseaBuild on) does not block — as in the CLI', async () => {
  const facts = () =>
    tuiFacts({
      sgAdmits: true,
      repository: { repoId: 'crr-1', repoName: 'app', repoNamespaceName: 'team' },
      binding: { codeRepoType: 'GITLAB', codeRepoNamespaceName: 'other', codeRepoName: 'app', overseaBuild: true },
    });
  const session = new TuiSession(testSource({ facts, rules: [...TUI_RULES, sourceBound] }), () => 1000);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const report = await session.runChecks();
  assert.ok(report);
  assert.equal(report.results.find((r) => r.ruleId === 'source-bound')?.status, 'fail');
  assert.equal(report.verdict, 'fail', 'the check verdict still says fail');
  assert.equal(evaluateGate(report, report.failOn).ok, true, 'provision (the CLI) proceeds');
  assert.deepEqual(provisionGate(fold(events)), { ok: true }, 'and so does the TUI');

  // a real failure next to it still blocks, named alone
  const both = () => ({ ...facts(), cloud: { ...facts().cloud, gitlabSecurityGroups: tuiFacts().cloud.gitlabSecurityGroups } });
  const s2 = new TuiSession(testSource({ facts: both, rules: [...TUI_RULES, sourceBound] }), () => 1000);
  const ev2: SessionEvent[] = [];
  s2.subscribe((e) => ev2.push(e));
  await s2.runChecks();
  const g = provisionGate(fold(ev2));
  assert.equal(g.ok, false);
  assert.match(!g.ok ? g.reason : '', /provision is disabled: 1 failing \(sg-ingress\)/);
});

// --- quitting and leaving during provision -----------------------------------------------------

const PLAN: PlanView = { target: 'team/app', notes: [], steps: [{ id: 'link', title: 'Link', kind: 'guided', detail: [] }, { id: 'build', title: 'Build main → latest', kind: 'api', detail: [] }] };

/** A passing run, a plan, and apply under way (the build running). */
async function applying(): Promise<TuiState> {
  const { events } = await sessionEvents(true);
  return fold(
    [
      { type: 'provision-planning' },
      { type: 'provision-plan', plan: PLAN },
      { type: 'provision-step', stepId: 'link', state: 'done' },
      { type: 'provision-step', stepId: 'build', state: 'running' },
      { type: 'provision-build', status: 'BUILDING', buildId: 'build-7' },
    ],
    fold(events),
  );
}

/** Apply a key's intent the way the app does for UI intents. */
function press(s: TuiState, input: string, key = {}): { s: TuiState; intent: Intent | undefined } {
  const intent = keyIntent(s, input, key);
  return { s: intent?.kind === 'ui' ? reduce(s, intent.action) : s, intent };
}

test('q while provision applies asks first: a second q or y quits, any other key stays', async () => {
  const s0 = await applying();
  assert.equal(s0.provision.phase, 'applying');
  for (const view of ['provision', 'list', 'detail', 'help'] as const) {
    const s = view === 'detail' ? reduce(reduce(s0, { type: 'back' }), { type: 'open' }) : view === 'help' ? reduce(s0, { type: 'toggle-help' }) : view === 'list' ? reduce(s0, { type: 'back' }) : s0;
    assert.equal(s.view, view);
    const a = press(s, 'q');
    assert.deepEqual(a.intent, { kind: 'ui', action: { type: 'ask-quit' } }, `${view}: q does not quit at once`);
    assert.equal(a.s.quitPending, true);
    assert.deepEqual(press(a.s, 'q').intent, { kind: 'quit' }, `${view}: the second q quits`);
    assert.deepEqual(press(a.s, 'y').intent, { kind: 'quit' }, `${view}: y quits`);
    const stay = press(a.s, 'n');
    assert.deepEqual(stay.intent, { kind: 'ui', action: { type: 'cancel-quit' } });
    assert.equal(stay.s.quitPending, false);
    assert.deepEqual(press(stay.s, 'q').intent, { kind: 'ui', action: { type: 'ask-quit' } }, 'and asks again next time');
    assert.deepEqual(keyIntent(a.s, 'c', { ctrl: true }), { kind: 'interrupt' }, 'Ctrl-C is never asked');
  }
  // provision ends while the question is open: nothing is lost by quitting any more
  const asked = press(s0, 'q').s;
  const done = reduce(asked, { type: 'provision-finish', ok: true, message: 'built' });
  assert.equal(done.quitPending, false);
  assert.deepEqual(keyIntent(done, 'q', {}), { kind: 'quit' });
  // nothing applies: q quits at once (the plan to confirm writes nothing)
  const confirm = fold([{ type: 'provision-planning' }, { type: 'provision-plan', plan: PLAN }], (await sessionEvents(true)).events.reduce(reduce, initialState({ rules: TUI_RULES, provisionAvailable: true })));
  assert.deepEqual(keyIntent(confirm, 'q', {}), { kind: 'quit' });
});

test('after Esc during apply: the list says provision runs, p re-opens it, the result stays until p on its page plans again', async () => {
  let s = reduce(await applying(), { type: 'back' });
  assert.equal(s.view, 'list');
  assert.match(provisionStatus(s, '*') ?? '', /^\* provision running: Build main → latest, build BUILDING — p shows it$/);
  assert.deepEqual(keyIntent(s, 'p', {}), { kind: 'ui', action: { type: 'show-provision' } });
  // R while provision runs is refused with a notice that goes when provision ends
  s = reduce(s, { type: 'busy' });
  assert.match(s.notice ?? '', /provision is running — wait until it has finished/);
  s = reduce(s, { type: 'provision-finish', ok: true, message: 'image team/app:latest built' });
  assert.equal(s.notice, undefined, 'no stale "busy" notice');
  assert.equal(s.view, 'list');
  assert.match(provisionStatus(s, '*') ?? '', /provision done \(SUCCESS\) — p shows the result/);
  // p shows the finished provision instead of planning a new one (also from a rule's detail)
  assert.deepEqual(keyIntent(s, 'p', {}), { kind: 'ui', action: { type: 'show-provision' } });
  assert.deepEqual(keyIntent(reduce(s, { type: 'open' }), 'p', {}), { kind: 'ui', action: { type: 'show-provision' } });
  s = reduce(s, { type: 'show-provision' });
  assert.equal(s.view, 'provision');
  assert.equal(s.provision.phase, 'done');
  assert.equal(s.provision.message, 'image team/app:latest built');
  // on its page, p asks for a new plan
  assert.deepEqual(keyIntent(s, 'p', {}), { kind: 'provision-start' });
  // a declined plan has nothing to show: p plans
  const declined = reduce(s, { type: 'provision-cancelled', message: 'provision not confirmed' });
  assert.equal(provisionStatus(declined, '*'), undefined);
  assert.deepEqual(keyIntent(declined, 'p', {}), { kind: 'provision-start' });
});

test('a "busy" notice for a check run goes when the run completes; other notices stay', async () => {
  const { events } = await sessionEvents(false);
  const start = events.findIndex((e) => e.type === 'collect-start');
  let s = fold(events.slice(0, start + 1));
  s = reduce(s, { type: 'busy' });
  assert.equal(s.notice, 'busy — wait for the current run to finish');
  s = fold(events.slice(start + 1), s);
  assert.equal(s.notice, undefined);
  s = fold([{ type: 'notice', text: 'provision is disabled: 1 failing (sg-ingress) — fix them, then R' }, { type: 'provision-finish', ok: false, message: 'x' }], s);
  assert.match(s.notice ?? '', /disabled/);
});

test('the session checks again when provision has finished, and a close during apply leaves the resume note', async () => {
  let linked = false;
  let release: () => void = () => {};
  const driver: ProvisionDriver = {
    plan: async () => PLAN,
    apply: async ({ emit, signal }) => {
      emit({ type: 'provision-step', stepId: 'link', state: 'done' });
      linked = true;
      emit({ type: 'provision-step', stepId: 'build', title: 'Build main → latest', state: 'running' });
      emit({ type: 'provision-build', status: 'BUILDING', buildId: 'build-7' });
      // each build runs until the test releases it (or the session aborts it)
      await new Promise<void>((resolve, reject) => {
        release = resolve;
        signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
      });
      emit({ type: 'provision-build', status: 'SUCCESS' });
      return { ok: true, message: 'image team/app:latest built' };
    },
  };
  const src = testSource({ facts: () => tuiFacts({ sgAdmits: true, linked }), rules: [...TUI_RULES, linkRule], provision: driver });
  const session = new TuiSession(src, () => 1000);
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  await session.runChecks();
  assert.equal(fold(events).rows.find((r) => r.id === 'link-present')?.status, 'warn');
  await session.planProvision();
  const applied = session.applyProvision();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(session.interruptedNote, undefined, 'nothing to say while the TUI is open');
  release();
  assert.equal(await applied, true);
  assert.equal(src.collections, 2, 'the checks ran again after provision');
  const types = events.map((e) => e.type);
  assert.ok(types.lastIndexOf('collect-start') > types.indexOf('provision-finish'));
  const s = fold(events);
  assert.equal(s.rows.find((r) => r.id === 'link-present')?.status, 'pass', 'the list shows what provision changed');
  assert.equal(s.provision.phase, 'done', 'and the provision result is kept');
  session.close();
  assert.equal(session.interruptedNote, undefined, 'closing after provision finished leaves no note');

  // closed mid-build: the note says the build goes on and how to re-attach
  linked = false;
  const s2 = new TuiSession(testSource({ facts: () => tuiFacts({ sgAdmits: true }), provision: driver }), () => 1000);
  await s2.runChecks();
  await s2.planProvision();
  const p2 = s2.applyProvision();
  await new Promise((r) => setTimeout(r, 10));
  s2.close();
  assert.equal(await p2, false);
  assert.equal(s2.interruptedNote, 'acr-preflight: quit while provision was applying — build build-7 is still running in ACR; `acr-preflight provision --resume` re-attaches');
  assert.equal(interruptedNote({ step: 'Link the VPC (console)' }), 'acr-preflight: quit while provision was applying (Link the VPC (console)); `acr-preflight provision --resume` re-attaches and goes on from there');
  assert.match(interruptedNote({ step: 'Build', buildId: 'b-1', buildStatus: 'SUCCESS' }), /\(Build\); `acr-preflight provision --resume`/, 'a finished build is not "still running"');
});

// --- keys that arrive together -----------------------------------------------------------------

test('keys that arrive together are read one by one; named keys pass unchanged', async () => {
  assert.deepEqual(splitKeys('jjj', {}), [{ input: 'j', key: {} }, { input: 'j', key: {} }, { input: 'j', key: {} }]);
  assert.deepEqual(splitKeys('j', {}), [{ input: 'j', key: {} }]);
  assert.deepEqual(splitKeys('', { upArrow: true }), [{ input: '', key: { upArrow: true } }]);
  assert.deepEqual(splitKeys('\r', { return: true }), [{ input: '\r', key: { return: true } }]);
  assert.deepEqual(splitKeys('c', { ctrl: true }), [{ input: 'c', key: { ctrl: true } }]);
  assert.deepEqual(splitKeys('j\rq\x03', {}), [{ input: 'j', key: {} }, { input: '', key: { return: true } }, { input: 'q', key: {} }, { input: 'c', key: { ctrl: true } }]);
  // "jjj" moves three rows, as three presses would
  const { events } = await sessionEvents(false);
  const rules = Array.from({ length: 6 }, (_, i) => ({ id: `rule-${i}`, title: `Rule ${i}` }));
  let s = fold(events, initialState({ rules }));
  for (const k of splitKeys('jjj', {})) s = press(s, k.input, k.key).s;
  assert.equal(selectedRow(s)?.id, 'rule-3');
});

test('the list title counts rules in the singular and plural', () => {
  assert.equal(pluralRules(1, true), '1 non-passing rule');
  assert.equal(pluralRules(3, true), '3 non-passing rules');
  assert.equal(pluralRules(1, false), '1 rule');
  assert.equal(pluralRules(0, false), '0 rules');
});
