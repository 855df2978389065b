// Documented example responses: the example JSON shown on each read action's Alibaba API reference
// page (fixtures/contract/examples/<action>.json, with its page), put through the same normalisation
// the collectors and provision use, and the facts it yields. These examples are a source of truth
// that neither the emulator nor the collectors wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudApi } from '../../src/cloud/api.js';
import { normInstance, normSourceBinding } from '../../src/facts/collect.js';
import { parseResponse } from '../../src/facts/responses.js';
import { LogTail } from '../../src/provision/steps/build.js';
import { readBuildRules, readSource } from '../../src/provision/state.js';
import type { ProvisionRuntime } from '../../src/provision/context.js';
import type { ProvisionEvent } from '../../src/provision/types.js';
import { normStatus } from '../../src/provision/util.js';
import { ROOT } from '../helpers/cli.js';
import { recordReads, readProblem } from './model.js';

const DIR = join(ROOT, 'fixtures', 'contract', 'examples');
interface Example {
  action: string;
  page: string;
  response: Record<string, any>;
}
const EXAMPLES: Record<string, Example> = Object.fromEntries(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Example]),
);
const example = (name: string) => structuredClone(EXAMPLES[name]!.response);

/** a CloudApi that answers each action with its documented example, recording what is read of it */
function exampleApi(reads: Map<string, Set<string>>): CloudApi {
  return {
    requestCount: 0,
    async call(product, action) {
      const ex = Object.values(EXAMPLES).find((e) => e.action === `${product}:${action}`);
      if (!ex) throw Object.assign(new Error(`no documented example for ${product}:${action}`), { code: 'NoExample' });
      const key = `${product}:${action}`;
      if (!reads.has(key)) reads.set(key, new Set());
      return recordReads(structuredClone(ex.response), reads.get(key)!);
    },
  };
}

test('every example names its action and cites its public reference page', () => {
  assert.ok(Object.keys(EXAMPLES).length >= 5);
  for (const [name, e] of Object.entries(EXAMPLES)) {
    assert.equal(e.action.split(':')[1], name, `${name}.json is the example of ${e.action}`);
    assert.match(e.page, /^https:\/\/(www\.alibabacloud\.com|help\.aliyun\.com)\//, name);
  }
});

test('GetInstance: the documented example is a RUNNING instance, the fact names no region', () => {
  const f = normInstance(parseResponse('cr:GetInstance', example('GetInstance')), 'cri-config');
  assert.deepEqual(f, { instanceId: 'cri-xkx6vujuhay0tasd', instanceName: 'shanghai-instance1', status: 'RUNNING', specification: 'Enterprise_Basic' });
  assert.equal('RegionId' in example('GetInstance'), false, 'the documented answer has no RegionId');
});

test('GetRepoSourceCodeRepo: the string flags of the documented example read as booleans, in check and in provision', async () => {
  assert.deepEqual(normSourceBinding(parseResponse('cr:GetRepoSourceCodeRepo', example('GetRepoSourceCodeRepo'))), {
    codeRepoType: 'GITHUB',
    codeRepoNamespaceName: 'namespace',
    codeRepoName: 'repo',
    codeRepoDomain: 'https://github.com',
    overseaBuild: false,
    autoBuild: true,
  });
  const reads = new Map<string, Set<string>>();
  const s = await readSource(exampleApi(reads), 'cri-x', 'crr-x', AbortSignal.timeout(5000));
  assert.deepEqual(s, { codeRepoType: 'GITHUB', codeRepoNamespaceName: 'namespace', codeRepoName: 'repo', codeRepoDomain: 'https://github.com', overseaBuild: false });
  assert.deepEqual([...reads.get('cr:GetRepoSourceCodeRepo')!].map((p) => readProblem('cr', 'GetRepoSourceCodeRepo', p)).filter(Boolean), []);
});

test('GetRepoBuildRecordStatus: the lower-case "success" of the documented example is SUCCESS', () => {
  assert.equal(normStatus(example('GetRepoBuildRecordStatus').BuildStatus), 'SUCCESS');
});

test('ListRepoBuildRule: the documented example is one GIT_BRANCH rule', async () => {
  const reads = new Map<string, Set<string>>();
  const rules = await readBuildRules(exampleApi(reads), 'cri-x', 'crr-x', AbortSignal.timeout(5000));
  assert.deepEqual(rules, [{ buildRuleId: 'crbr-khys0nd3asbe****', pushType: 'GIT_BRANCH', pushName: 'v0.1', imageTag: 'v0.1', dockerfileLocation: '/', dockerfileName: 'Dockerfile' }]);
});

test('ListRepoBuildRecordLog: the documented example is one GIT_CLONE line, shown once', async () => {
  const events: ProvisionEvent[] = [];
  const reads = new Map<string, Set<string>>();
  const rt = { api: exampleApi(reads), signal: AbortSignal.timeout(5000), emit: (e: ProvisionEvent) => events.push(e) } as unknown as ProvisionRuntime;
  const tail = new LogTail(rt, { InstanceId: 'cri-x', RepoId: 'crr-x', BuildRecordId: 'b-1' });
  await tail.pull();
  await tail.pull(); // the same page again: nothing new
  assert.deepEqual(events, [{ type: 'provision-log', stage: 'GIT_CLONE', lines: ['fetch stage begin'] }]);
  assert.equal(tail.lastStage, 'GIT_CLONE');
  assert.equal(tail.refused, undefined);
});
