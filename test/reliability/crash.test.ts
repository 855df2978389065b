// Crash safety: provision killed with SIGKILL at ten different points (after 1, 2, … journal lines)
// always resumes to the same end state — one namespace, one repository, one binding, one build rule,
// one build — and a rerun afterwards writes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator } from '../helpers/emulator.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const WRITES = /^(Create|Update|Cancel|Authorize)/;

function journalLines(dir: string): number {
  const d = join(dir, '.acr-preflight');
  if (!existsSync(d)) return 0;
  return readdirSync(d).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + readFileSync(join(d, f), 'utf8').split('\n').filter(Boolean).length, 0);
}

function freshWorld() {
  const w = loadFixtureWorld('demo');
  const cr = w.regions['cn-hangzhou'].cr;
  cr.namespaces = [];
  cr.repositories = [];
  cr.sourceCodeRepos = [];
  cr.buildRules = [];
  cr.builds = { outcome: 'SUCCESS', durationMs: 1200, pendingMs: 100 };
  return w;
}

async function killAfter(args: string[], cwd: string, env: NodeJS.ProcessEnv, lines: number): Promise<'killed' | number> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
  const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const end = Date.now() + 60_000;
  while (child.exitCode === null && journalLines(cwd) < lines && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGKILL');
  await done;
  return 'killed';
}

test('kill -9 at ten points of provision, then --resume: the same end state, nothing twice', { timeout: 600_000 }, async () => {
  let reference: Record<string, number> | undefined;
  for (let trial = 1; trial <= 10; trial++) {
    const em = await startTestEmulator(freshWorld());
    const dir = mkdtempSync(join(tmpdir(), 'acrp-crash-'));
    dirs.push(dir);
    try {
      const config = prepareConfig('demo', em, dir);
      const env = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret, ACR_PREFLIGHT_LOOPBACK_ONLY: '1', HOME: dir, CI: '' };
      const first = await killAfter(['provision', '-c', config, '--yes'], dir, env, trial);
      let code: number | null = first === 'killed' ? null : first;
      for (let attempt = 0; code !== 0 && attempt < 3; attempt++) {
        const r = await runCli(['provision', '-c', config, '--yes', '--resume'], { cwd: dir, env, timeoutMs: 90_000 });
        code = r.code;
        assert.ok(code === 0, `trial ${trial}: resume exited ${code}\n${r.stderr}`);
      }
      const writes = em.audit().filter((a: any) => WRITES.test(a.action) && a.status < 400);
      const counts: Record<string, number> = {};
      for (const w of writes) counts[w.action] = (counts[w.action] ?? 0) + 1;
      assert.equal(counts.CreateBuildRecordByRule, 1, `trial ${trial}: one build (${JSON.stringify(counts)})`);
      assert.equal(counts.CreateRepoBuildRule, 1, `trial ${trial}: one build rule`);
      assert.equal(counts.CreateRepository, 1, `trial ${trial}: one repository`);
      assert.equal(counts.CreateNamespace, 1, `trial ${trial}: one namespace`);
      assert.equal((counts.CreateRepoSourceCodeRepo ?? 0) + (counts.UpdateRepoSourceCodeRepo ?? 0), 1, `trial ${trial}: one binding`);
      reference ??= counts;
      assert.deepEqual(counts, reference, `trial ${trial}: same end state`);
      const before = writes.length;
      const again = await runCli(['provision', '-c', config, '--yes'], { cwd: dir, env, timeoutMs: 90_000 });
      assert.equal(again.code, 0, again.stderr);
      const after2 = em.audit().filter((a: any) => WRITES.test(a.action) && a.status < 400).length;
      assert.equal(after2, before, `trial ${trial}: a rerun of a finished provision writes nothing`);
    } finally {
      await em.stop();
    }
  }
});
