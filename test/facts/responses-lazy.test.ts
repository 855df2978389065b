// The answer schemas (src/facts/responses.ts) are built lazily: none when the module loads, each
// action's the first time an answer of it is parsed or warmResponseSchemas asks for it, and once
// per process. Warming first changes nothing of what a parse returns or refuses. Each test imports
// its own instance of the module (a query string makes it a new module), so its memo starts empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

type Responses = typeof import('../../src/facts/responses.js');
let fresh = 0;
const load = async (): Promise<Responses> => (await import(`../../src/facts/responses.js?instance=${++fresh}`)) as Responses;

/** the documented example answers, and answers broken in the ways a refusal names */
function bodies(keys: readonly string[]): { key: string; body: unknown }[] {
  const dir = join(ROOT, 'fixtures', 'contract', 'examples');
  const out: { key: string; body: unknown }[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const ex = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { action: string; response: Record<string, unknown> };
    if (!keys.includes(ex.action)) continue;
    out.push({ key: ex.action, body: ex.response });
    for (const k of Object.keys(ex.response).filter((x) => x !== 'RequestId')) {
      out.push({ key: ex.action, body: { ...ex.response, [k]: 5 } });
      out.push({ key: ex.action, body: { ...ex.response, [k]: null } });
    }
  }
  return out;
}

function outcome(m: Responses, key: string, body: unknown): unknown {
  try {
    return { ok: m.parseResponse(key as Parameters<Responses['parseResponse']>[0], structuredClone(body)) };
  } catch (err) {
    assert.ok(err instanceof m.MalformedResponse, String(err));
    return { refused: err.message };
  }
}

test('nothing is built when the module loads; a parse builds its action only, a warm the ones asked for', async () => {
  const m = await load();
  assert.deepEqual(m.builtResponseSchemas(), []);
  assert.throws(() => m.parseResponse('cr:GetInstance', { InstanceId: 'cri-1' }), /cr:GetInstance: malformed answer: InstanceStatus: expected string, got nothing/);
  assert.deepEqual(m.builtResponseSchemas(), ['cr:GetInstance']);
  m.warmResponseSchemas(['ecs:DescribeInstances', 'vpc:DescribeVpcAttribute']);
  assert.deepEqual(m.builtResponseSchemas(), ['cr:GetInstance', 'ecs:DescribeInstances', 'vpc:DescribeVpcAttribute']);
  m.warmResponseSchemas(m.ACTION_KEYS);
  assert.deepEqual([...m.builtResponseSchemas()].sort(), [...m.ACTION_KEYS].sort());
});

test('each schema is built once: warming again, parsing and reading RESPONSES all give the same instance', async () => {
  const m = await load();
  m.warmResponseSchemas(['ecs:DescribeSecurityGroupAttribute', 'slb:DescribeLoadBalancerListeners']);
  const first = m.responseSchema('ecs:DescribeSecurityGroupAttribute');
  const listeners = m.responseSchema('slb:DescribeLoadBalancerListeners');
  m.warmResponseSchemas(['ecs:DescribeSecurityGroupAttribute', 'slb:DescribeLoadBalancerListeners']);
  m.parseResponse('ecs:DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-1', Permissions: { Permission: [] } });
  assert.equal(m.responseSchema('ecs:DescribeSecurityGroupAttribute'), first);
  assert.equal(m.RESPONSES['ecs:DescribeSecurityGroupAttribute'], first);
  assert.equal(m.RESPONSES['slb:DescribeLoadBalancerListeners'], listeners);
  assert.deepEqual(m.builtResponseSchemas(), ['ecs:DescribeSecurityGroupAttribute', 'slb:DescribeLoadBalancerListeners']);
});

test('warming first, then parsing, returns and refuses exactly what parsing alone does', async () => {
  const warmed = await load();
  const alone = await load();
  const cases = bodies(alone.ACTION_KEYS);
  assert.ok(cases.length > 50, `${cases.length} answers`);
  warmed.warmResponseSchemas(warmed.ACTION_KEYS);
  assert.deepEqual(alone.builtResponseSchemas(), []);
  let refused = 0;
  for (const { key, body } of cases) {
    const a = outcome(alone, key, body);
    const w = outcome(warmed, key, body);
    assert.deepEqual(w, a, `${key}: ${JSON.stringify(body).slice(0, 200)}`);
    if ('refused' in (a as object)) refused++;
  }
  // the cases hold both: answers taken and answers refused
  assert.ok(refused > 20 && refused < cases.length, `${refused} of ${cases.length} refused`);
});
