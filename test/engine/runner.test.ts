import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent, Rule } from '../../src/engine/types.js';
import { runRules } from '../../src/engine/runner.js';
import { decide } from '../../src/engine/verdict.js';
import { applyWaivers, isExpired } from '../../src/engine/waivers.js';
import { UsageError } from '../../src/errors.js';
import { makeFacts, makeIdcFacts, makeSlbFacts, NOW, unavailable, ZONES as zones } from '../helpers/facts.js';

const mk = (id: string, check: Rule['check'], extra: Partial<Rule> = {}): Rule => ({
  id, title: id, severity: 'error', description: id, needs: [], messages: { ok: 'fine {{x}}', bad: 'bad {{x}}' }, remediation: { fix: 'do {{x}}' }, check, ...extra,
});
const pass = mk('a-pass', () => ({ status: 'pass', messageId: 'ok', data: { x: 1 } }));
const fail = mk('b-fail', () => ({ status: 'fail', messageId: 'bad', data: { x: 2 }, remediationId: 'fix' }));
const warn = mk('c-warn', () => ({ status: 'warn', messageId: 'bad', data: { x: 3 } }));
const boom = mk('d-boom', () => { throw new Error('kaboom'); });
const needsSg = mk('e-needs', (ctx) => {
  ctx.need(ctx.facts.cloud.gitlabSecurityGroups, 'GitLab security groups');
  return { status: 'pass', messageId: 'ok', data: { x: 0 } };
});
const hostRule = mk('f-host', (ctx) => {
  ctx.need(ctx.facts.hosts.gitlabHost, 'GitLab host SSH read');
  return { status: 'pass', messageId: 'ok', data: { x: 0 } };
});
const ecsOnly = mk('g-ecs', () => ({ status: 'pass', messageId: 'ok', data: { x: 0 } }), { paths: ['ecs'] });

test('renders messages and remediation, orders results as registered', () => {
  const r = runRules(makeFacts(), { rules: [pass, fail], now: NOW, zones });
  assert.deepEqual(r.results.map((x) => x.ruleId), ['a-pass', 'b-fail']);
  assert.equal(r.results[0]!.message, 'fine 1');
  assert.equal(r.results[1]!.remediation, 'do 2');
  assert.match(r.results[1]!.docs, /rules\/b-fail\.md$/);
  assert.equal(r.schemaVersion, 1);
  assert.equal(r.verdict, 'fail');
  assert.equal(r.exitCode, 1);
});

test('a rule that throws becomes an error named by its id; the run goes on', () => {
  const r = runRules(makeFacts(), { rules: [boom, pass], now: NOW, zones });
  assert.equal(r.results[0]!.status, 'error');
  assert.equal(r.results[0]!.messageId, '$crashed');
  assert.match(r.results[0]!.message, /d-boom crashed: kaboom/);
  assert.equal(r.results[1]!.status, 'pass');
  assert.equal(r.verdict, 'incomplete');
  assert.equal(r.exitCode, 3);
});

test('forbidden facts become error naming the RAM action; not-configured become skip with the hint', () => {
  const f = makeFacts((x) => {
    x.cloud.gitlabSecurityGroups = unavailable('forbidden', 'Forbidden.RAM: denied', { ramAction: 'ecs:DescribeSecurityGroupAttribute', code: 'Forbidden.RAM' });
  });
  const r = runRules(f, { rules: [needsSg, hostRule], now: NOW, zones });
  assert.equal(r.results[0]!.status, 'error');
  assert.match(r.results[0]!.message, /grant the RAM action ecs:DescribeSecurityGroupAttribute/);
  assert.equal(r.results[1]!.status, 'skip');
  assert.match(r.results[1]!.message, /\. Set probe\.gitlabHost\.ssh/);
});

test('path rules skip on other access paths with the derived reason', () => {
  const slb = runRules(makeSlbFacts(), { rules: [ecsOnly], now: NOW, zones });
  assert.equal(slb.results[0]!.status, 'skip');
  assert.match(slb.results[0]!.message, /SLB lb-gitlab/);
  assert.equal(slb.accessPath.kind, 'slb');
  const idc = runRules(makeIdcFacts(), { rules: [ecsOnly], now: NOW, zones });
  assert.equal(idc.accessPath.kind, 'idc');
  assert.match(idc.accessPath.reason, /10\.20\.0\.0\/16/);
});

test('an undetermined path makes path rules error, not skip', () => {
  const f = makeFacts((x) => {
    x.cloud.gitlabEnis = unavailable('forbidden', 'denied', { ramAction: 'ecs:DescribeInstances' });
  });
  const r = runRules(f, { rules: [ecsOnly], now: NOW, zones });
  assert.equal(r.results[0]!.status, 'error');
  assert.match(r.results[0]!.message, /cannot tell how 192\.168\.1\.10 is reached/);
  assert.match(r.results[0]!.message, /permission denied — grant the RAM action ecs:DescribeInstances/);
});

test('an address on no known path makes path rules error (the gate never passes unchecked)', () => {
  const f = makeFacts((x) => {
    x.cloud.gitlabEnis = { state: 'ok', value: [], source: 'ecs:DescribeNetworkInterfaces', at: x.cloud.vpc.at } as any;
  });
  const r = runRules(f, { rules: [ecsOnly, pass], now: NOW, zones });
  assert.equal(r.accessPath.kind, 'unknown');
  assert.equal(r.results[0]!.status, 'error');
  assert.equal(r.results[0]!.messageId, '$pathUnplaced');
  assert.match(r.results[0]!.message, /neither an ECS private IP nor an SLB address/);
  assert.match(r.results[0]!.message, /gitlab\.endpoint/);
  assert.equal(r.results[1]!.status, 'pass', 'rules that apply to every path still run');
  assert.equal(r.verdict, 'incomplete');
});

test('events: run-start, rule-start per rule, rule-finish per rule, run-finish last', () => {
  const events: EngineEvent[] = [];
  runRules(makeFacts(), { rules: [pass, fail], now: NOW, zones, onEvent: (e) => events.push(e) });
  assert.deepEqual(events.map((e) => e.type), ['run-start', 'rule-start', 'rule-start', 'rule-finish', 'rule-finish', 'run-finish']);
});

test('--only and --skip select rules; an unknown id is a usage error', () => {
  assert.deepEqual(runRules(makeFacts(), { rules: [pass, fail, warn], only: ['b-fail'], now: NOW, zones }).results.map((r) => r.ruleId), ['b-fail']);
  assert.deepEqual(runRules(makeFacts(), { rules: [pass, fail, warn], skip: ['b-fail'], now: NOW, zones }).results.map((r) => r.ruleId), ['a-pass', 'c-warn']);
  assert.throws(() => runRules(makeFacts(), { rules: [pass], only: ['nope'], now: NOW, zones }), UsageError);
});

test('verdict and exit code for every fail-on × outcome', () => {
  const res = (status: any, waived = false) => ({ status, ...(waived ? { waived: { reason: 'r', owner: 'o', expires: '2099-01-01' } } : {}) }) as any;
  const table: [string[], 'warn' | 'fail', string, number][] = [
    [['pass'], 'fail', 'pass', 0],
    [['pass'], 'warn', 'pass', 0],
    [['pass', 'warn'], 'fail', 'pass', 0],
    [['pass', 'warn'], 'warn', 'fail', 1],
    [['fail'], 'fail', 'fail', 1],
    [['fail'], 'warn', 'fail', 1],
    [['error'], 'fail', 'incomplete', 3],
    [['error'], 'warn', 'incomplete', 3],
    [['error', 'fail'], 'fail', 'fail', 1],
    [['error', 'warn'], 'warn', 'fail', 1],
    [['skip'], 'fail', 'pass', 0],
  ];
  for (const [statuses, failOn, verdict, exitCode] of table) {
    assert.deepEqual(decide(statuses.map((s) => res(s)), failOn), { verdict, exitCode }, `${statuses} fail-on ${failOn}`);
  }
  assert.deepEqual(decide([res('fail', true)], 'fail'), { verdict: 'pass', exitCode: 0 }, 'a waived fail does not trip');
  assert.deepEqual(decide([res('error', true)], 'fail'), { verdict: 'pass', exitCode: 0 });
});

test('waivers: valid waives, expired does not and is reported, scope limits', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  assert.equal(isExpired({ expires: '2026-11-28' }, now), false, 'valid through the end of the expiry day');
  assert.equal(isExpired({ expires: '2026-11-27' }, now), true);
  const r = runRules(makeFacts(), {
    rules: [fail, warn],
    now,
    zones,
    waivers: [
      { rule: 'b-fail', reason: 'rollout', owner: 'net', expires: '2026-12-31' },
      { rule: 'c-warn', reason: 'old', owner: 'net', expires: '2026-01-01' },
    ],
  });
  assert.equal(r.results[0]!.waived?.owner, 'net');
  assert.equal(r.results[1]!.waived, undefined);
  assert.equal(r.results[1]!.waiverExpired?.expires, '2026-01-01');
  assert.equal(r.summary.waived, 1);
  assert.equal(r.verdict, 'pass');
  const scoped = applyWaivers([{ ...r.results[0]!, waived: undefined, data: { group: 'sg-1' } }], [{ rule: 'b-fail', reason: 'x', owner: 'y', expires: '2099-01-01', scope: 'sg-2' }], now);
  assert.equal(scoped[0]!.waived, undefined, 'a scoped waiver does not cover another resource');
  const base = { ...r.results[0]!, waived: undefined, data: { group: 'sg-12', port: 'tcp/443' }, evidence: [{ label: 'rule', value: { id: 'sgr-9', cidr: '100.104.0.0/17' }, source: 'ecs' }] };
  const scope = (s: string) => applyWaivers([base], [{ rule: 'b-fail', reason: 'x', owner: 'y', expires: '2099-01-01', scope: s }], now)[0]!.waived !== undefined;
  assert.equal(scope('sg-12'), true, 'the exact id in the data');
  assert.equal(scope('sgr-9'), true, 'the exact id in the evidence');
  assert.equal(scope('100.104.0.0/17'), true, 'a CIDR the result names');
  assert.equal(scope('sg-1'), false, 'a prefix of another id is not that id');
  assert.equal(scope('g-12'), false, 'nor a suffix');
  assert.equal(scope('tcp'), false, 'nor a fragment of a value');
});
