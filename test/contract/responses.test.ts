// Contract (a): every answer the emulator gives, for every served action over every fixture world,
// has only fields the official SDK model has, each of the model's type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { PRODUCTS as SERVED } from '../../src/emulator/cloud-server.js';
import { ECS } from '../../src/emulator/handlers/ecs.js';
import { CR } from '../../src/emulator/handlers/cr.js';
import { loadFixtureWorld, startTestEmulator, WORLDS_DIR } from '../helpers/emulator.js';
import { actionModel, model, responseProblems, type Product } from './model.js';
import { sweep, type SweptCall } from './sweep.js';

const WORLDS = readdirSync(WORLDS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

/** the world without its deliberate faults (throttling, denials, malformed answers are not the contract) */
function worldOf(name: string): Record<string, any> {
  const w = loadFixtureWorld(name);
  delete w.faults;
  delete w.ram;
  return w;
}

async function sweepWorld(world: string | Record<string, any>): Promise<SweptCall[]> {
  const em = await startTestEmulator(typeof world === 'string' ? worldOf(world) : world);
  try {
    return await sweep(em);
  } finally {
    await em.stop();
  }
}

function problemsOf(calls: SweptCall[]): string[] {
  return [...new Set(calls.flatMap((c) => (c.body ? responseProblems(c.product, c.action, c.body) : [])))];
}

test('the models are the official SDK models, with their source', () => {
  for (const p of ['ecs', 'vpc', 'slb', 'cr'] as Product[]) {
    const m = model(p);
    assert.match(m.source, /^official Alibaba Cloud TypeScript SDK @alicloud\//, `${p}.json keeps its source line`);
    assert.ok(Object.keys(m.actions).length > 0);
  }
});

test('every action the emulator serves has an official model', () => {
  const missing = SERVED.flatMap((s) => Object.keys(s.actions).filter((a) => !actionModel(s.product, a)).map((a) => `${s.product}:${a}`));
  assert.deepEqual(missing, []);
});

test('every answer of every served action over every fixture world matches the official model', async () => {
  const seen = new Set<string>();
  const problems: string[] = [];
  const failed: string[] = [];
  // no fixture world has HTTP/HTTPS listeners: one more world, slb-healthy with one of each
  const http = worldOf('slb-healthy');
  http.regions['cn-hangzhou'].loadBalancers[0].Listeners.push(
    { ListenerPort: 80, ListenerProtocol: 'http', Status: 'running', AclStatus: 'off', BackendServerPort: 8080 },
    { ListenerPort: 8443, ListenerProtocol: 'https', Status: 'running', AclStatus: 'on', AclType: 'white', AclId: 'acl-bp1build', BackendServerPort: 443 },
  );
  for (const w of [...WORLDS, http]) {
    const calls = await sweepWorld(w);
    for (const c of calls) if (c.body) seen.add(`${c.product}:${c.action}`);
    const name = typeof w === 'string' ? w : 'slb-healthy with HTTP and HTTPS listeners';
    problems.push(...problemsOf(calls).map((p) => `${name}: ${p}`));
    // the sweep asks only for what the world holds: a refusal means the sweep (or the emulator) is wrong
    failed.push(...calls.filter((c) => c.error).map((c) => `${name}: ${c.product}:${c.action} ${JSON.stringify(c.params)}: ${c.error}`));
  }
  assert.deepEqual(failed, []);
  assert.deepEqual([...new Set(problems)], []);
  const notSeen = SERVED.flatMap((s) => Object.keys(s.actions).map((a) => `${s.product}:${a}`)).filter((k) => !seen.has(k));
  assert.deepEqual(notSeen, [], 'every served action answered at least once');
});

test('negative: a field the model lacks, or a type that differs, in one answer makes the check fail', async () => {
  const orig = ECS.actions.DescribeInstances!;
  const origStatus = CR.actions.GetRepoBuildRecordStatus!;
  ECS.actions.DescribeInstances = (c) => {
    const b = orig(c) as { Instances: { Instance: Record<string, unknown>[] } };
    for (const i of b.Instances.Instance) i.EniHost = 'planted';
    return b;
  };
  CR.actions.GetRepoBuildRecordStatus = (c) => ({ ...origStatus(c), BuildStatus: 42 });
  try {
    const problems = problemsOf(await sweepWorld('demo'));
    assert.ok(problems.includes('ecs:DescribeInstances: the response has Instances.Instance[].EniHost, which the model does not have'), problems.join('\n'));
    assert.ok(problems.includes('cr:GetRepoBuildRecordStatus: BuildStatus is number in the response, string in the model'), problems.join('\n'));
    assert.equal(problems.length, 2, problems.join('\n'));
  } finally {
    ECS.actions.DescribeInstances = orig;
    CR.actions.GetRepoBuildRecordStatus = origStatus;
  }
});
