// collect → analyze reproduces the verdict: part 3 of 4 of the fixture worlds (see test/helpers/reproduce.ts;
// split so each file stays well inside the per-file time limit on a busy machine).
import { describe, test, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reproduceWorld, WORLDS } from '../helpers/reproduce.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-bundle-repro-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('collect → analyze reproduces the verdict (with and without a waiver, pseudonymised, a year later)', { concurrency: 2 }, () => {
  for (const world of WORLDS.filter((_w, i) => i % 4 === 2)) test(world, () => reproduceWorld(world, dir));
});
