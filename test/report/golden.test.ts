// Golden files per format for a passing and a failing report. Regenerate with UPDATE_GOLDEN=1
// after an intended change, and review the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATS, loadReporter, type Format } from '../../src/report/formats.js';
import { ROOT } from '../helpers/cli.js';
import { failingReport, passingReport } from './fixtures.js';
import { REPORT_RULES } from '../helpers/rules.js';

const DIR = join(ROOT, 'fixtures', 'golden');
const EXT: Record<Format, string> = { text: 'txt', json: 'json', junit: 'junit.xml', sarif: 'sarif', markdown: 'md', html: 'html' };
const update = process.env.UPDATE_GOLDEN === '1';

const cases = [
  { name: 'pass', report: passingReport },
  { name: 'fail', report: failingReport },
];

for (const c of cases) {
  for (const format of FORMATS) {
    test(`golden: ${c.name} report as ${format}`, async () => {
      const actual = (await loadReporter(format))(c.report(), { rules: REPORT_RULES, artifactUri: 'preflight.yaml' });
      const file = join(DIR, `${c.name}.${EXT[format]}`);
      if (update) {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, actual);
        return;
      }
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`);
      assert.equal(actual, readFileSync(file, 'utf8'), `${format} output changed; if intended, regenerate with UPDATE_GOLDEN=1`);
    });
  }
}

test('golden: the GitLab CI flavour of the failing text report folds passed and skipped groups', async () => {
  const actual = (await loadReporter('text'))(failingReport(), { ci: 'gitlab', color: true });
  const file = join(DIR, 'fail.gitlab.txt');
  if (update) {
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'));
});
