// The answer schemas: what the collectors read of each answer is checked, typed and stripped of the
// rest; a wrong type or a missing list is refused with the action and the field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedResponse, parseResponse, RESPONSES, type ActionKey } from '../../src/facts/responses.js';
import { actionModel, type Product } from '../contract/model.js';

function refusal(key: ActionKey, body: unknown): string {
  try {
    parseResponse(key, body);
  } catch (e) {
    assert.ok(e instanceof MalformedResponse);
    assert.equal(e.code, 'MalformedResponse');
    return e.message;
  }
  assert.fail(`${key}: accepted ${JSON.stringify(body)}`);
}

const perm = { Direction: 'ingress', Policy: 'Accept', IpProtocol: 'TCP', Priority: '1', PortRange: '443/443', SourceCidrIp: '100.104.0.0/16' };

test('a wrong type on a field that is read is refused, naming the action and the field path', () => {
  assert.equal(
    refusal('ecs:DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-1', Permissions: { Permission: [perm, { ...perm, Direction: 7 }] } }),
    'ecs:DescribeSecurityGroupAttribute: malformed answer: Permissions.Permission[1].Direction: expected string, got a number',
  );
  assert.equal(
    refusal('ecs:DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-1', Permissions: { Permission: [{ ...perm, SourceCidrIp: ['10.0.0.0/8'] }] } }),
    'ecs:DescribeSecurityGroupAttribute: malformed answer: Permissions.Permission[0].SourceCidrIp: expected string, got a list',
  );
  assert.equal(refusal('cr:GetInstance', { InstanceId: 'cri-1', InstanceStatus: 1 }), 'cr:GetInstance: malformed answer: InstanceStatus: expected string, got a number');
  assert.equal(
    refusal('slb:DescribeLoadBalancerListeners', { Listeners: [{ ListenerPort: true, ListenerProtocol: 'tcp' }] }),
    'slb:DescribeLoadBalancerListeners: malformed answer: Listeners[0].ListenerPort: expected number or string, got a boolean',
  );
  assert.equal(
    refusal('ecs:DescribeInstances', { Instances: { Instance: [{ InstanceId: 'i-1', VpcAttributes: { PrivateIpAddress: { IpAddress: '192.168.1.10' } } }] } }),
    'ecs:DescribeInstances: malformed answer: Instances.Instance[0].VpcAttributes.PrivateIpAddress.IpAddress: expected a list, got a string',
  );
});

test('a lost list, or a lost field a verdict is made of, is refused (never read as "no rules" or "UNKNOWN")', () => {
  assert.equal(refusal('ecs:DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-1' }), 'ecs:DescribeSecurityGroupAttribute: malformed answer: Permissions: expected an object, got nothing');
  assert.equal(refusal('vpc:DescribeVSwitches', { VSwitches: {} }), 'vpc:DescribeVSwitches: malformed answer: VSwitches.VSwitch: expected a list, got nothing');
  assert.equal(refusal('cr:GetInstance', { InstanceId: 'cri-1' }), 'cr:GetInstance: malformed answer: InstanceStatus: expected string, got nothing');
  assert.equal(
    refusal('vpc:DescribeNetworkAclAttributes', { NetworkAclAttribute: { IngressAclEntries: { IngressAclEntry: [] }, EgressAclEntries: 'none' } }),
    'vpc:DescribeNetworkAclAttributes: malformed answer: NetworkAclAttribute.EgressAclEntries: expected an object, got a string',
  );
  assert.match(refusal('vpc:DescribeVpcs', 'not an object'), /^vpc:DescribeVpcs: malformed answer: expected an object, got a string$/);
});

test('an empty answer is "no such VPC / vSwitch"; one that names the resource needs its fields', () => {
  assert.deepEqual(parseResponse('vpc:DescribeVpcAttribute', { RequestId: 'r' }), {});
  assert.deepEqual(parseResponse('vpc:DescribeVSwitchAttributes', { RequestId: 'r' }), {});
  assert.equal(refusal('vpc:DescribeVpcAttribute', { VpcId: 'vpc-1' }), 'vpc:DescribeVpcAttribute: malformed answer: CidrBlock: expected string, got nothing');
  assert.equal(refusal('vpc:DescribeVSwitchAttributes', { VSwitchId: 'vsw-1', CidrBlock: '192.168.0.0/24' }), 'vpc:DescribeVSwitchAttributes: malformed answer: ZoneId: expected string, got nothing');
});

test('accepted answers are typed and keep only what is read; optional fields may be absent or null; numbers may be strings', () => {
  const b = parseResponse('ecs:DescribeSecurityGroupAttribute', {
    RequestId: 'r-1',
    SecurityGroupId: 'sg-1',
    Description: 'not read',
    InnerAccessPolicy: null,
    Permissions: { Permission: [{ ...perm, CreateTime: '2026-01-01', Priority: 1 }] },
  });
  assert.deepEqual(Object.keys(b).sort(), ['InnerAccessPolicy', 'Permissions', 'SecurityGroupId']);
  assert.equal(b.Permissions.Permission[0]!.Priority, 1);
  assert.equal('CreateTime' in b.Permissions.Permission[0]!, false);
  // the listener's ACL ids: a plain list in the model, wrapped in older answers
  assert.deepEqual(parseResponse('slb:DescribeLoadBalancerListeners', { Listeners: [{ ListenerPort: '443', ListenerProtocol: 'tcp', AclIds: { AclId: ['acl-1'] } }] }).Listeners[0]!.AclIds, { AclId: ['acl-1'] });
});

test('every field a schema reads is in the official SDK response model of its action', () => {
  const missing: string[] = [];
  const seen = new Set<string>();
  const walk = (key: string, schema: unknown, path: string): void => {
    const s = schema as { def?: { type?: string; innerType?: unknown; element?: unknown; shape?: Record<string, unknown>; options?: unknown[]; in?: unknown } };
    const def = s.def;
    if (!def) return;
    if (def.type === 'optional' || def.type === 'nullable') return walk(key, def.innerType, path);
    if (def.type === 'pipe') return walk(key, def.in, path);
    if (def.type === 'array') return walk(key, def.element, `${path}[]`);
    if (def.type === 'union') {
      // scalar unions (number or string) read one field; the ACL-id union reads the model's plain list first
      const first = def.options?.[0];
      return walk(key, first, path);
    }
    if (def.type === 'object' && def.shape) {
      for (const [k, v] of Object.entries(def.shape)) {
        const p = path ? `${path}.${k}` : k;
        const [product, action] = key.split(':') as [Product, string];
        const model = actionModel(product, action)?.response ?? {};
        seen.add(`${key} ${p}`);
        if (!(p in model)) missing.push(`${key} ${p}`);
        walk(key, v, p);
      }
    }
  };
  for (const [key, schema] of Object.entries(RESPONSES)) walk(key, schema, '');
  assert.deepEqual(missing, []);
  // the walk reaches into wrapped lists and nested objects (not just the top level)
  for (const p of ['ecs:DescribeSecurityGroupAttribute Permissions.Permission[].Direction', 'ecs:DescribeInstances Instances.Instance[].VpcAttributes.PrivateIpAddress.IpAddress', 'slb:DescribeLoadBalancerListeners Listeners[].AclIds', 'vpc:DescribeNetworkAclAttributes NetworkAclAttribute.EgressAclEntries.EgressAclEntry[].DestinationCidrIp']) assert.ok(seen.has(p), p);
  assert.ok(seen.size > 100, `${seen.size} fields`);
});
