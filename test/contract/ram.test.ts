// RAM as data: the tool's action table against the emulator's own reading of the reference pages,
// and end to end against an emulator that enforces the caller's policy. A policy that is exactly
// `acr-preflight policy` passes `check` with no `error`; exactly `policy --provision` runs provision
// through link, bind and build with the whole log; without any one of its actions the rule or step
// that needs it ends in `error` naming that RAM action (one emulator per scenario, the policy swapped
// through PUT /__emulator/ram, the CLI run in-process for the per-action cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, minimalPolicy } from '../../src/cloud/actions.js';
import { PRODUCTS as SERVED } from '../../src/emulator/cloud-server.js';
import { RAM_ACTIONS } from '../../src/emulator/ram-actions.js';
import { runCli } from '../helpers/cli.js';
import { loadFixtureWorld, rpcCaller, startTestEmulator } from '../helpers/emulator.js';
import { calledBy, CHECKS, emulators, env, pool, setRam, setup, stopEm, without, type Policy } from './ram-e2e.js';
import { runInProcess } from './in-process.js';

test("the tool's action table and the emulator's reading of the reference pages agree", () => {
  const differences: string[] = [];
  for (const a of ACTIONS) {
    const e = RAM_ACTIONS[`${a.product}:${a.action}`];
    if (!e) differences.push(`${a.product}:${a.action}: the tool calls it, the emulator's map lacks it`);
    else if (e.ram !== a.ram) differences.push(`${a.product}:${a.action}: the tool says ${a.ram}, the emulator ${e.ram}`);
    assert.match(a.source, /^https:\/\/(www\.alibabacloud\.com|help\.aliyun\.com)\//, `${a.action} cites its page`);
  }
  assert.deepEqual(differences, []);
  const served = SERVED.flatMap((s) => Object.keys(s.actions).map((x) => `${s.product}:${x}`));
  assert.deepEqual(served.filter((k) => !RAM_ACTIONS[k]), [], 'every served action has its RAM action');
});

test('a refusal is the documented error: cr 403 NoPrivilege, ECS/VPC/SLB 403 Forbidden.RAM', async () => {
  const w = loadFixtureWorld('demo');
  w.ram = ['ecs:DescribeInstances', 'cr:GetInstance'];
  const em = await startTestEmulator(w);
  emulators.push(em);
  const rpc = await rpcCaller(em);
  assert.equal((await rpc('ecs', 'DescribeInstances', { RegionId: 'cn-hangzhou' })).Instances.Instance.length > 0, true);
  assert.equal((await rpc('cr', 'GetInstance', { InstanceId: 'cri-demo1234' })).IsSuccess, true);
  const refused = async (product: string, action: string, params: Record<string, unknown>) => {
    try {
      await rpc(product, action, params);
    } catch (err) {
      return [(err as { statusCode?: number }).statusCode, (err as { code?: string }).code];
    }
    return 'allowed';
  };
  assert.deepEqual(await refused('cr', 'GetRepoSourceCodeRepo', { InstanceId: 'cri-demo1234', RepoId: 'crr-demoapp01' }), [403, 'NoPrivilege']);
  assert.deepEqual(await refused('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  assert.deepEqual(await refused('vpc', 'DescribeVSwitches', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  assert.deepEqual(await refused('slb', 'DescribeLoadBalancers', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  // a policy document with a Deny and wildcards
  await setRam(em, { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*'], Resource: '*' }, { Effect: 'Deny', Action: 'ecs:DescribeInstances', Resource: '*' }] });
  assert.deepEqual(await refused('ecs', 'DescribeInstances', { RegionId: 'cn-hangzhou' }), [403, 'Forbidden.RAM']);
  assert.equal(await refused('ecs', 'DescribeSecurityGroups', { RegionId: 'cn-hangzhou' }), 'allowed');
});

test('spawned CLI: a world whose policy is exactly `acr-preflight policy` passes check with no error', async () => {
  const policy = JSON.parse((await runCli(['policy'])).stdout) as Policy;
  for (const s of CHECKS) {
    const { em, cfg, cwd } = await setup(s, policy);
    const r = await runCli([...s.args, '-c', cfg], { cwd, env });
    const report = JSON.parse(r.stdout) as { results: { ruleId: string; status: string; message: string }[] };
    assert.deepEqual(report.results.filter((x) => x.status === 'error').map((x) => `${x.ruleId}: ${x.message}`), [], s.name);
    assert.deepEqual(em.audit().filter((a) => a.status === 403), [], `${s.name}: nothing refused`);
  }
});


test('without any one action of `policy`, the rule that needs it ends in error naming the RAM action', async () => {
  const policy = minimalPolicy({ provision: false });
  const checks = CHECKS.map((s) => ({ ...s, args: [...s.args, '--no-probes'] }));
  const by = await calledBy(checks, policy, (_s, code) => [0, 1].includes(code));
  const missing = await pool(policy.Statement.flatMap((s) => s.Action), 3, async (ram): Promise<string | undefined> => {
    // the scenarios whose path needs it (the SLB reads matter on the SLB path, the BGP reads on the IDC path)
    const callers = by.get(ram) ?? [];
    if (!callers.length) return `${ram}: no check scenario calls it`;
    const seen: string[] = [];
    for (const s of callers) {
      const { em, cfg, cwd } = await setup(s, without(policy, ram));
      const r = await runInProcess([...s.args, '-c', cfg], { env, cwd });
      await stopEm(em);
      const report = JSON.parse(r.stdout) as { results: { ruleId: string; status: string; message: string }[] };
      if (report.results.some((x) => x.status === 'error' && x.message.includes(ram))) return undefined;
      seen.push(`${s.name}: ${report.results.map((x) => `${x.ruleId}=${x.status}`).join(' ')}`);
    }
    return `${ram}: no rule ended in error naming it (${seen.join('; ')})`;
  });
  assert.deepEqual(missing.filter(Boolean), []);
});

