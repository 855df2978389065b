// JUnit output parsed by a real XML parser and checked structurally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/engine/types.js';
import { failingReport, passingReport } from './fixtures.js';
import { REPORT_RULES } from '../helpers/rules.js';

function parse(xml: string): any {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, JSON.stringify(valid));
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testcase', 'testsuite', 'property'].includes(name) });
  return parser.parse(xml);
}

function cases(doc: any): Record<string, any> {
  return Object.fromEntries(doc.testsuites.testsuite[0].testcase.map((c: any) => [c.name, c]));
}

test('junit: one testcase per rule; counts on testsuites and testsuite agree with the elements', () => {
  for (const report of [passingReport(), failingReport(), failingReport({ failOn: 'warn' })]) {
    const doc = parse(renderJunit(report));
    const suite = doc.testsuites.testsuite[0];
    const tcs = suite.testcase as any[];
    assert.deepEqual(tcs.map((c) => c.name), REPORT_RULES.map((r) => r.id));
    const n = (k: string) => tcs.filter((c) => c[k] !== undefined).length;
    for (const el of [doc.testsuites, suite]) {
      assert.equal(Number(el.tests), REPORT_RULES.length);
      assert.equal(Number(el.failures), n('failure'));
      assert.equal(Number(el.errors), n('error'));
      assert.equal(Number(el.skipped), n('skipped'));
    }
    const props = Object.fromEntries(suite.properties.property.map((p: any) => [p.name, p.value]));
    assert.equal(props.verdict, report.verdict);
    assert.equal(props.exitCode, String(report.exitCode));
  }
});

test('junit: fail -> failure, error -> error, skip and waived -> skipped, warn passes at --fail-on fail', () => {
  const c = cases(parse(renderJunit(failingReport())));
  assert.equal(c['acr-instance'].failure, undefined);
  assert.equal(c['sg-ingress'].failure.type, 'fail');
  assert.match(c['sg-ingress'].failure.message, /does not admit 100\.104\.128\.0\/17/);
  const body = c['sg-ingress'].failure['#text'] as string;
  assert.match(body, /Evidence:\n- uncovered ranges: 100\.104\.128\.0\/17/);
  assert.match(body, /Fix: Add an inbound rule to sg-gitlab/);
  assert.match(body, /Docs: https:\/\/.*sg-ingress\.md/);
  assert.equal(c['gitlab-token'].error.type, 'error');
  assert.match(c['gitlab-token'].error.message, /Could not decide/);
  assert.match(c['host-route'].skipped.message, /not configured/);
  assert.match(c['link-present'].skipped.message, /^warn waived by platform team until 2026-12-31/);
  assert.equal(c['gitlab-tls'].failure, undefined);
  assert.match(c['gitlab-tls']['system-out'], /^WARNING \(does not fail the gate at --fail-on fail\)/);
  assert.match(c['gitlab-tls']['system-out'], /the waiver by net team expired on 2026-11-01/);
});

test('junit: at --fail-on warn a warning is a failure of type warn', () => {
  const c = cases(parse(renderJunit(failingReport({ failOn: 'warn' }))));
  assert.equal(c['gitlab-tls'].failure.type, 'warn');
  assert.match(c['gitlab-tls'].failure.message, /plain HTTP/);
  assert.ok(c['link-present'].skipped, 'a waived warning stays skipped at --fail-on warn');
});

test('junit: markup, quotes, control characters and astral characters survive as text', () => {
  const base = failingReport();
  const nasty = 'a <b> & "c" \'d\' \u0001\u0008 ]]> \u{1F680} end';
  const report: Report = { ...base, results: base.results.map((r) => (r.ruleId === 'sg-ingress' ? { ...r, message: nasty, evidence: [{ label: 'x</failure>', value: nasty }] } : r)) };
  const c = cases(parse(renderJunit(report)));
  assert.equal(c['sg-ingress'].failure.message, 'a <b> & "c" \'d\'  ]]> \u{1F680} end');
  assert.match(c['sg-ingress'].failure['#text'], /- x<\/failure>: a <b> & "c"/);
});
