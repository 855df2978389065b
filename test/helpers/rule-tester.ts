// A table-driven rule tester in the manner of ESLint's RuleTester. Each case runs the rule through
// the real runner (so skip/error handling is the product's), and the tester fails on duplicate
// cases, unknown message ids, unfilled placeholders and a rule that mutates its input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Facts } from '../../src/facts/types.js';
import type { Rule, RuleResult, Status, ZoneTable } from '../../src/engine/types.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadZoneTable } from '../../src/engine/zones.js';
import { packageRoot } from '../../src/paths.js';
import { ENGINE_MESSAGES, runRules } from '../../src/engine/runner.js';
import { NOW } from './facts.js';

export interface RuleCase {
  name: string;
  facts: Facts;
  status: Status;
  messageId: string;
  /** subset of result.data that must match exactly */
  data?: Record<string, string | number>;
  /** extra assertions on the result */
  check?: (r: RuleResult) => void;
  now?: Date;
  /** zone table for the case (default: the shipped rules/data table) */
  zones?: ZoneTable;
}

function shippedZones(): ZoneTable | undefined {
  return existsSync(join(packageRoot(), 'rules', 'data', 'vpc-build-zones.json')) ? loadZoneTable() : undefined;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

export function evaluateRule(rule: Rule, facts: Facts, now = NOW, zones?: ZoneTable): RuleResult {
  const table = zones ?? shippedZones() ?? { source: 'none', retrieved: '', regions: {} };
  const report = runRules(deepFreeze(structuredClone(facts)), { rules: [rule], now, zones: table });
  assert.equal(report.results.length, 1);
  return report.results[0]!;
}

export function ruleTester(rule: Rule, cases: RuleCase[]): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`${rule.id}: duplicate case "${c.name}"`);
    names.add(c.name);
  }
  for (const c of cases) {
    test(`${rule.id}: ${c.name}`, () => {
      let result: RuleResult;
      try {
        result = evaluateRule(rule, c.facts, c.now, c.zones);
      } catch (err) {
        if (err instanceof TypeError && /read.only|frozen|not extensible/i.test(err.message)) {
          assert.fail(`${rule.id} mutates its input: ${err.message}`);
        }
        throw err;
      }
      assert.ok(
        result.messageId in rule.messages || result.messageId in ENGINE_MESSAGES,
        `unknown messageId ${result.messageId}`,
      );
      assert.doesNotMatch(result.message, /\{\{/, `unfilled placeholder in message: ${result.message}`);
      assert.doesNotMatch(result.remediation, /\{\{/, `unfilled placeholder in remediation: ${result.remediation}`);
      assert.notEqual(result.messageId, '$crashed', `rule crashed: ${result.message}`);
      assert.equal(result.status, c.status, `status: ${result.message}`);
      assert.equal(result.messageId, c.messageId, `messageId: ${result.message}`);
      for (const [k, v] of Object.entries(c.data ?? {})) {
        assert.deepEqual(result.data[k], v, `data.${k}`);
      }
      if (result.status === 'fail') assert.ok(result.remediation.length > 0, 'a failing result carries a remediation');
      c.check?.(result);
    });
  }
}
