// The reducer, selectors and key map, without ink: events from a real session over test rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../src/engine/types.js';
import type { SessionEvent } from '../../src/tui/events.js';
import { mergeReport } from '../../src/tui/merge.js';
import { TuiSession } from '../../src/tui/session.js';
import {
  initialState,
  keyIntent,
  listCapacity,
  provisionGate,
  reduce,
  selectedRow,
  visibleRows,
  type Action,
  type TuiState,
} from '../../src/tui/state.js';
import { makeFacts, TEST_RULES, testSource } from './helpers.js';

function fold(actions: Action[], s0?: TuiState): TuiState {
  return actions.reduce(reduce, s0 ?? initialState({ rules: TEST_RULES, provisionAvailable: true }));
}

async function sessionEvents(sgAdmits: boolean): Promise<{ events: SessionEvent[]; report: Report }> {
  const session = new TuiSession(testSource({ facts: () => makeFacts({ sgAdmits }) }), () => 1000);
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
  let s = initialState({ rules: TEST_RULES });
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
  const src = testSource({ facts: () => makeFacts({ sgAdmits: admits }) });
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
    return makeFacts();
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
  const noDriver = fold(passEv, initialState({ rules: TEST_RULES, provisionAvailable: false }));
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
