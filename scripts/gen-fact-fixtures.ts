// Writes fixtures/facts/<scenario>.json from the test builders, so the scenarios stay valid Facts
// as the model evolves:  node --import tsx scripts/gen-fact-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../test/helpers/scenarios.js';

const dir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'fixtures', 'facts');
mkdirSync(dir, { recursive: true });
for (const s of SCENARIOS) {
  writeFileSync(join(dir, `${s.name}.json`), `${JSON.stringify(s.facts(), null, 2)}\n`);
  console.log(`fixtures/facts/${s.name}.json`);
}
