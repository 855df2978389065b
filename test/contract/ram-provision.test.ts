// RAM end to end, provision: a world whose policy is exactly `policy --provision` provisions through
// link, bind and build with the whole log; without any one of its provision actions the step that
// needs it ends in error naming that RAM action (scenarios in ram-e2e.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimalPolicy } from '../../src/cloud/actions.js';
import { runCli } from '../helpers/cli.js';
import { calledBy, env, pool, PROVISIONS, setup, stopEm, without, type Policy } from './ram-e2e.js';
import { runInProcess } from './in-process.js';

test('spawned CLI: exactly `policy --provision` provisions through link, bind and build with the whole log', async () => {
  const policy = JSON.parse((await runCli(['policy', '--provision'])).stdout) as Policy;
  const s = PROVISIONS[0]!;
  const { em, cfg, cwd } = await setup(s, policy);
  const r = await runCli([...s.args, '-c', cfg], { cwd, env });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(em.audit().filter((a) => a.status === 403), []);
  const logLines = em.state.region('cn-hangzhou').cr.buildRecords[0]!.lines.map((l) => l.Message);
  assert.ok(logLines.length > 0);
  const out = r.stdout + r.stderr;
  for (const line of logLines) assert.ok(out.includes(line), `the log line "${line}" is shown`);
});


test('without any one action of `policy --provision`, the step that needs it ends in error naming the RAM action', async () => {
  const policy = minimalPolicy({ provision: true });
  const checkOnly = new Set(minimalPolicy({ provision: false }).Statement.flatMap((s) => s.Action));
  const provisionOnly = policy.Statement.flatMap((s) => s.Action).filter((a) => !checkOnly.has(a));
  // a fix scenario is about its fix call: what comes after it (a console step on an SLB world) may stop the run
  const by = await calledBy(PROVISIONS, policy, (s, code) => s.name === 'timeout' || s.name.startsWith('fix:') || code === 0);
  const missing = await pool(provisionOnly, 3, async (ram): Promise<string | undefined> => {
    const s = by.get(ram)?.[0];
    if (!s) return `${ram}: no provision scenario calls it`;
    const { em, cfg, cwd } = await setup(s, without(policy, ram));
    const r = await runInProcess([...s.args, '-c', cfg], { env, cwd });
    await stopEm(em);
    const out = r.stdout + r.stderr;
    return r.code !== 0 && out.includes(ram) ? undefined : `${ram} (${s.name}): exit ${r.code}, ${out.trim().split('\n').slice(-3).join(' | ')}`;
  });
  assert.deepEqual(missing.filter(Boolean), []);
});

