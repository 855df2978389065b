// Waivers with a fixed clock: valid through the end of their expiry day (UTC), then they stop
// waiving, the gate trips again, and every format says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, loadReporter } from '../../src/report/formats.js';
import { failingReport, passingReport } from './fixtures.js';
import { REPORT_RULES } from '../helpers/rules.js';
import type { WaiverConfig } from '../../src/config/types.js';

const SG_WAIVER: WaiverConfig = { rule: 'sg-ingress', reason: 'firewall change NET-42 pending', owner: 'net team', expires: '2026-11-30' };
const TOKEN_WAIVER: WaiverConfig = { rule: 'gitlab-token', reason: 'GitLab maintenance', owner: 'dev team', expires: '2026-11-30' };
const waivers = [SG_WAIVER, TOKEN_WAIVER, { rule: 'gitlab-tls', reason: 'CA rollout', owner: 'net team', expires: '2026-11-30' }];

test('waivers: on the expiry day the failing findings are waived and the gate passes', () => {
  const r = failingReport({ waivers, now: new Date('2026-11-30T23:59:59.000Z') });
  const sg = r.results.find((x) => x.ruleId === 'sg-ingress')!;
  assert.equal(sg.status, 'fail', 'the status stays what the rule said');
  assert.deepEqual(sg.waived, { reason: SG_WAIVER.reason, owner: 'net team', expires: '2026-11-30' });
  assert.equal(r.summary.waived, 3);
  assert.equal(r.summary.fail, 0, 'a waived failure counts once, as waived');
  const s = r.summary;
  assert.equal(s.pass + s.warn + s.fail + s.skip + s.error + s.waived, r.results.length, 'the counts add up to the rules run');
  assert.equal(r.verdict, 'pass', 'only the unwaived link-present warning is left, and fail-on fail does not trip on it');
  const strict = failingReport({ waivers, now: new Date('2026-11-30T23:59:59.000Z'), failOn: 'warn' });
  assert.equal(strict.exitCode, 1, 'at fail-on warn the unwaived warning trips the gate');
});

test('waivers: verdict by fixed clock — before expiry pass (at fail-on fail), after expiry fail', () => {
  const before = failingReport({ waivers, now: new Date('2026-11-30T12:00:00Z') });
  assert.equal(before.verdict, 'pass');
  assert.equal(before.exitCode, 0);
  const after = failingReport({ waivers, now: new Date('2026-12-01T00:00:00.000Z') });
  assert.equal(after.verdict, 'fail');
  assert.equal(after.exitCode, 1);
  const sg = after.results.find((x) => x.ruleId === 'sg-ingress')!;
  assert.equal(sg.waived, undefined);
  assert.equal(sg.waiverExpired?.expires, '2026-11-30');
  assert.equal(after.summary.waived, 0);
});

test('waivers: an expired waiver is named in every format', async () => {
  const after = failingReport({ waivers, now: new Date('2026-12-01T00:00:00.000Z') });
  for (const f of FORMATS) {
    const out = (await loadReporter(f))(after, { rules: REPORT_RULES });
    assert.match(out, /expire[sd]?\W.*2026-11-30|2026-11-30.*expire/s, `${f} mentions the expired waiver`);
    if (f !== 'json' && f !== 'sarif') assert.match(out, /expired on 2026-11-30/, f);
  }
});

test('waivers: waived findings appear in every format, marked with owner and expiry', async () => {
  const r = failingReport({ waivers, now: new Date('2026-11-15T00:00:00Z') });
  for (const f of FORMATS) {
    const out = (await loadReporter(f))(r, { rules: REPORT_RULES });
    assert.match(out, /sg-ingress/, f);
    assert.match(out, /net team/, f);
    assert.match(out, /2026-11-30/, f);
    assert.match(out, /waived|suppressions/i, f);
  }
});

test('waivers: a waiver never turns an error into a pass silently — an undecided rule waived is still listed', () => {
  const r = failingReport({ waivers: [TOKEN_WAIVER], now: new Date('2026-11-15T00:00:00Z') });
  const tok = r.results.find((x) => x.ruleId === 'gitlab-token')!;
  assert.equal(tok.status, 'error');
  assert.ok(tok.waived);
  assert.equal(r.verdict, 'fail', 'sg-ingress still fails');
});

test('waivers: --no-waivers (no waivers passed) audits: the same findings trip the gate', () => {
  const r = failingReport({ waivers: [], now: new Date('2026-11-15T00:00:00Z') });
  assert.equal(r.summary.waived, 0);
  assert.equal(r.exitCode, 1);
  assert.equal(passingReport().exitCode, 0);
});
