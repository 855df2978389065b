// Test launcher. Node 20's `node --test` neither expands globs nor finds .ts files in a directory
// (it silently runs nothing), so we list test files ourselves and fail when none were found or run.
//
//   node --import tsx scripts/run-tests.ts                 every test under test/
//   node --import tsx scripts/run-tests.ts --no-system     without test/system (netns, sshd)
//   node --import tsx scripts/run-tests.ts test/engine     only files under the given paths
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function collect(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (/\.test\.tsx?$/.test(path)) {
    out.push(resolve(path));
  }
}

const args = process.argv.slice(2);
const noSystem = args.includes('--no-system');
const roots = args.filter((a) => !a.startsWith('--'));
const files: string[] = [];
for (const root of roots.length ? roots : ['test']) collect(root, files);
const selected = noSystem ? files.filter((f) => !f.includes('/test/system/')) : files;

if (selected.length === 0) {
  console.error(`run-tests: no test files found under ${roots.join(', ') || 'test'}`);
  process.exit(1);
}

// Every probe in every test refuses non-loopback targets outside a test-made namespace.
process.env.ACR_PREFLIGHT_LOOPBACK_ONLY = '1';

let passed = 0;
let failed = 0;
let skipped = 0;
// two files at a time on a 2-core machine: a third makes the timing-sensitive tests (SSH, probes) flaky
const stream = run({ files: selected, concurrency: 2, timeout: 600_000 });
stream.on('test:pass', (e) => {
  if (e.details?.type === 'suite') return;
  if (e.skip || e.todo) skipped++;
  else passed++;
});
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite') return;
  failed++;
});
stream.compose(new spec()).pipe(process.stdout);
stream.on('close', () => {
  const summary = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  process.stdout.write(`\n${summary}\n`);
  if (passed === 0) {
    console.error('run-tests: no test ran');
    process.exitCode = 1;
  } else if (failed > 0) {
    process.exitCode = 1;
  }
});
