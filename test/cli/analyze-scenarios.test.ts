// `analyze` on every fact scenario gives the documented JSON report, the expected verdict and exit
// code, and the key rule's status; and the fixtures on disk are what the builders produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../helpers/scenarios.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { RULES } from '../../rules/index.js';

const EXIT = { pass: 0, fail: 1, incomplete: 3 } as const;

for (const s of SCENARIOS) {
  test(`analyze fixtures/facts/${s.name}.json → ${s.verdict}`, async () => {
    const file = join(ROOT, 'fixtures', 'facts', `${s.name}.json`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(s.facts())), 'fixture is up to date (scripts/gen-fact-fixtures.ts)');
    const r = await runCli(['analyze', file, '--format', 'json']);
    assert.equal(r.code, EXIT[s.verdict], r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.tool.name, 'acr-vpc-preflight');
    assert.equal(report.verdict, s.verdict);
    assert.equal(report.exitCode, EXIT[s.verdict]);
    assert.equal(report.results.length, RULES.length);
    for (const k of ['pass', 'warn', 'fail', 'skip', 'error', 'waived']) assert.equal(typeof report.summary[k], 'number');
    const key = report.results.find((x: any) => x.ruleId === s.key[0]);
    assert.equal(key.status, s.key[1], key.message);
    for (const x of report.results) {
      for (const f of ['ruleId', 'status', 'severity', 'title', 'message', 'evidence', 'remediation', 'docs', 'durationMs']) assert.ok(f in x, `${x.ruleId}.${f}`);
    }
    assert.ok(Array.isArray(report.path));
  });
}
