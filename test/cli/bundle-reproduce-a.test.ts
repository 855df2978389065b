// collect → analyze reproduces the verdict: the first half of the fixture worlds (see test/helpers/reproduce.ts).
import { describe, test, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reproduceWorld, WORLDS } from '../helpers/reproduce.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-bundle-repro-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('collect → analyze reproduces the verdict (with and without a waiver, pseudonymised, a year later)', { concurrency: 2 }, () => {
  for (const world of WORLDS.slice(0, Math.ceil(WORLDS.length / 2))) test(world, () => reproduceWorld(world, dir));
});
