// Support bundle: the prefix-preserving pseudonymiser (property-tested against the definition),
// canonical CIDRs, the reverse range kept, and redaction of secrets in every form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { makeBundle, makePseudonymizer, pseudonymizeText } from '../../src/facts/bundle.js';
import { factsSchemaProblem } from '../../src/facts/schema.js';
import { containsAddress, ipToNum, numToIp, overlaps } from '../../src/net/cidr.js';
import { makeFacts } from '../helpers/facts.js';

const key = Buffer.alloc(32, 7);
const collection = {
  configFile: 'preflight.yaml',
  flags: { failOn: 'fail' as const, noProbes: false, noWaivers: false },
  waivers: [],
  verdict: { verdict: 'pass' as const, exitCode: 0, summary: { pass: 15, warn: 0, fail: 0, skip: 0, error: 0, waived: 0 }, judgedAt: '2026-11-20T10:00:00.000Z', results: [] },
};
const p = makePseudonymizer(key);
const ip = fc.integer({ min: 0, max: 0xffffffff }).map((n) => numToIp(n >>> 0));
const commonPrefix = (a: number, b: number) => {
  let n = 0;
  while (n < 32 && ((a >>> (31 - n)) & 1) === ((b >>> (31 - n)) & 1)) n++;
  return n;
};

test('pseudonymiser: a permutation that preserves common prefixes exactly', () => {
  fc.assert(
    fc.property(ip, ip, (a, b) => {
      const pa = p(a);
      const pb = p(b);
      assert.equal(commonPrefix(ipToNum(pa), ipToNum(pb)), commonPrefix(ipToNum(a), ipToNum(b)));
      assert.equal(pa === pb, a === b);
    }),
    { numRuns: 2000 },
  );
  assert.equal(makePseudonymizer(key)('192.168.1.10'), p('192.168.1.10'), 'keyed: same key, same mapping');
  assert.notEqual(makePseudonymizer(Buffer.alloc(32, 8))('192.168.1.10'), p('192.168.1.10'));
});

test('pseudonymiser: 100.64.0.0/10 is fixed and nothing else is mapped into it', () => {
  fc.assert(
    fc.property(ip, (a) => {
      const inside = containsAddress('100.64.0.0/10', a);
      assert.equal(containsAddress('100.64.0.0/10', p(a)), inside);
      if (inside) assert.equal(p(a), a);
    }),
    { numRuns: 3000 },
  );
  assert.equal(p('100.104.0.1'), '100.104.0.1');
});

test('pseudonymiser: a private address stays in its private range (permuted inside it), and nothing else enters one', () => {
  const ranges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
  const octet = fc.integer({ min: 0, max: 255 });
  const privateIp = fc.oneof(
    fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
    fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => `172.${b}.${c}.${d}`),
    fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
    fc.tuple(fc.constantFrom(11, 172, 192, 9), octet, octet, octet).map(([a, b, c, d]) => `${a}.${b}.${c}.${d}`), // near misses
  );
  fc.assert(
    fc.property(fc.oneof(ip, privateIp), (a) => {
      for (const r of ranges) assert.equal(containsAddress(r, p(a)), containsAddress(r, a), `${a} → ${p(a)} (${r})`);
    }),
    { numRuns: 3000 },
  );
  const inside = ['192.168.1.10', '192.168.1.11', '10.20.30.40'].map(p);
  assert.ok(inside.every((x, i) => x !== ['192.168.1.10', '192.168.1.11', '10.20.30.40'][i]), `permuted: ${inside}`);
  assert.match(inside[0]!, /^192\.168\./);
});

test('pseudonymised CIDRs stay canonical and keep containment and overlap with 100.104.0.0/16', () => {
  const text = 'vpc 192.168.0.0/16, vsw 192.168.1.0/24, host 192.168.1.10, nic 192.168.1.10/24, idc 100.104.0.0/17, all 0.0.0.0/0';
  const out = pseudonymizeText(text, p);
  const m = /^vpc (\S+), vsw (\S+), host (\S+), nic (\S+), idc (\S+), all (\S+)$/.exec(out)!;
  const [, vpc, vsw, host, nic, idc, all] = m as unknown as string[];
  for (const c of [vpc!, vsw!]) {
    const [addr, len] = c.split('/');
    const mask = (0xffffffff << (32 - Number(len))) >>> 0;
    assert.equal((ipToNum(addr!) & ~mask) >>> 0, 0, `${c} is canonical`);
  }
  assert.ok(containsAddress(vsw!, host!), 'the host stays in its vSwitch');
  assert.ok(containsAddress(vpc!, host!));
  assert.equal(nic, `${host}/24`, 'an interface address keeps its host part');
  assert.equal(idc, '100.104.0.0/17');
  assert.equal(all, '0.0.0.0/0');
  assert.equal(overlaps(vpc!, '100.104.0.0/16'), false);
});

test('makeBundle: known secrets and secret-named parameters are scrubbed, and counted', () => {
  const facts = makeFacts();
  const token = 'glpat-SECRET-in-an-error-message';
  (facts.gitlab as any).probeLocal = { state: 'unavailable', reason: 'error', message: `echoed ${token} and "${token}"`, source: 'gitlab:local', at: facts.collectedAt };
  const b = makeBundle(facts, [{ product: 'ecs', action: 'DescribeInstances', params: { VpcId: 'vpc-1', Signature: 'abc', SecurityToken: 'sts-x' }, ok: true, ms: 1 }], {
    secrets: { 'gitlab token': token, 'AccessKey secret': undefined },
    collection,
  });
  const text = JSON.stringify(b);
  assert.ok(!text.includes(token));
  assert.ok(!text.includes('sts-x') && !text.includes('"abc"'));
  assert.equal(b.calls[0]!.params.VpcId, 'vpc-1');
  assert.equal(b.redaction.occurrences, 4);
  assert.ok(b.redaction.secretsScrubbed.includes('gitlab token'));
  assert.equal(b.redaction.pseudonymized, false);
  const pb = makeBundle(facts, [], { secrets: {}, pseudonymize: true, key, collection });
  assert.equal(pb.redaction.pseudonymized, true);
  assert.match(pb.redaction.note, /prefix-preserving/);
  assert.equal(pb.bundleVersion, 2);
  assert.ok(!JSON.stringify(pb.facts).includes('192.168.1.10'));
});

test('the fact schema takes IPv6 where the APIs may give it (prefix lists, routes, ACL entries)', async () => {
  const good = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'facts', 'healthy-ecs.json'), 'utf8'));
  assert.equal(factsSchemaProblem(good), undefined);
  good.cloud.prefixLists = { state: 'ok', source: 'x', at: 'y', value: [{ prefixListId: 'pl-6', addressFamily: 'IPv6', entries: ['2001:db8::/32', 'fe80::1'] }] };
  assert.equal(factsSchemaProblem(good), undefined);
});
