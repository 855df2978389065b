import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cidrOverlapsRange, cidrToRange, cidrsToRanges, containsAddress, intersect, ipToNum, isCanonicalCidr, isCidr, isIPv4, normalize, numToIp,
  overlaps, rangeToCidrs, rangesToCidrs, size, subtract, union, type Range,
} from '../../src/net/cidr.js';

test('parses and prints addresses', () => {
  assert.equal(ipToNum('100.104.0.0'), 0x64680000);
  assert.equal(numToIp(0x64680000), '100.104.0.0');
  assert.equal(numToIp(ipToNum('255.255.255.255')), '255.255.255.255');
  assert.ok(isIPv4('10.0.0.1'));
  for (const bad of ['10.0.0', '256.0.0.1', '01.2.3.4', '1.2.3.4.5', '', 'a.b.c.d']) assert.ok(!isIPv4(bad), bad);
});

test('validates CIDR notation', () => {
  for (const good of ['0.0.0.0/0', '100.104.0.0/16', '10.1.2.3/32', '10.1.2.3']) assert.ok(isCidr(good), good);
  for (const bad of ['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/16/2', 'x/8', '10.0.0.0/08x']) assert.ok(!isCidr(bad), bad);
  assert.ok(isCanonicalCidr('100.104.0.0/16'));
  assert.ok(!isCanonicalCidr('100.104.1.0/16'));
});

test('hand-computed ranges and set operations', () => {
  assert.deepEqual(cidrToRange('100.104.0.0/16'), { start: 0x64680000, end: 0x6468ffff });
  assert.deepEqual(cidrToRange('100.104.7.9/24'), cidrToRange('100.104.7.0/24'));
  const r16 = cidrsToRanges(['100.104.0.0/16']);
  assert.deepEqual(rangesToCidrs(subtract(r16, cidrsToRanges(['100.104.0.0/17']))), ['100.104.128.0/17']);
  assert.deepEqual(rangesToCidrs(subtract(r16, cidrsToRanges(['100.104.0.0/24']))), [
    '100.104.1.0/24', '100.104.2.0/23', '100.104.4.0/22', '100.104.8.0/21', '100.104.16.0/20', '100.104.32.0/19', '100.104.64.0/18', '100.104.128.0/17',
  ]);
  assert.deepEqual(rangesToCidrs(union(cidrsToRanges(['100.104.0.0/17']), cidrsToRanges(['100.104.128.0/17']))), ['100.104.0.0/16']);
  assert.deepEqual(rangesToCidrs(intersect(r16, cidrsToRanges(['100.64.0.0/10']))), ['100.104.0.0/16']);
  assert.deepEqual(intersect(r16, cidrsToRanges(['10.0.0.0/8'])), []);
  assert.ok(overlaps('100.64.0.0/10', '100.104.0.0/16'));
  assert.ok(!overlaps('100.105.0.0/16', '100.104.0.0/16'));
  assert.ok(containsAddress('100.104.0.0/16', '100.104.255.255'));
  assert.ok(!containsAddress('100.104.0.0/16', '100.105.0.0'));
  assert.deepEqual(rangeToCidrs({ start: ipToNum('10.0.0.1'), end: ipToNum('10.0.0.6') }), ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
  assert.deepEqual(rangeToCidrs({ start: 0, end: 0xffffffff }), ['0.0.0.0/0']);
  assert.equal(size(r16), 65536);
});

// Property tests against a brute-force model over a small universe (addresses 0..255).
const small = fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }).map((pairs) =>
  pairs.map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })),
);
function members(rs: Range[]): Set<number> {
  const s = new Set<number>();
  for (const r of rs) for (let i = r.start; i <= r.end; i++) s.add(i);
  return s;
}
function asSorted(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}
function wellFormed(rs: Range[]): boolean {
  return rs.every((r, i) => r.start <= r.end && (i === 0 || rs[i - 1]!.end + 1 < r.start));
}

test('property: union, subtract and intersect agree with sets and stay normalized', () => {
  fc.assert(
    fc.property(small, small, (a, b) => {
      const A = members(a);
      const B = members(b);
      const u = union(a, b);
      const d = subtract(a, b);
      const i = intersect(a, b);
      assert.ok(wellFormed(u) && wellFormed(d) && wellFormed(i));
      assert.deepEqual(asSorted(members(u)), asSorted(new Set([...A, ...B])));
      assert.deepEqual(asSorted(members(d)), asSorted(new Set([...A].filter((x) => !B.has(x)))));
      assert.deepEqual(asSorted(members(i)), asSorted(new Set([...A].filter((x) => B.has(x)))));
      assert.equal(size(normalize(a)), A.size);
    }),
    { numRuns: 500 },
  );
});

test('property: rangeToCidrs is an exact, aligned cover', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffff }), (start, len) => {
      const end = Math.min(0xffffffff, start + len);
      const cidrs = rangeToCidrs({ start, end });
      const ranges = cidrs.map(cidrToRange);
      assert.ok(cidrs.every((c) => isCanonicalCidr(c)));
      assert.deepEqual(normalize(ranges), [{ start, end }]);
      assert.equal(size(ranges), end - start + 1, 'no overlap between the blocks');
      assert.ok(cidrs.length <= 64);
    }),
    { numRuns: 500 },
  );
});

// The parser is hand-written for speed; the notation it must accept is this regex, kept here as
// the oracle. Random strings over the characters that matter (digits, dots, slashes, a few others)
// and near-misses of valid CIDRs must be judged alike, and valid ones must parse to the same range.
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ORACLE_IP = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const ORACLE_CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}(/(3[0-2]|[12]?\\d))?$`);
function oracleRange(cidr: string): Range {
  const [ip, len] = cidr.split('/');
  const n = ip!.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const block = 2 ** (32 - (len === undefined ? 32 : Number(len)));
  const start = Math.floor(n / block) * block;
  return { start, end: start + block - 1 };
}

test('property: the CIDR parser accepts exactly the documented notation', () => {
  const noise = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '5', '9', '.', '/', ' ', '-', 'a', '+'), maxLength: 22 });
  const nearMiss = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 5 }), fc.option(fc.integer({ min: -1, max: 40 })), fc.boolean())
    .map(([octets, len, pad]) => `${octets.map((o) => (pad && o < 10 ? `0${o}` : String(o))).join('.')}${len === null ? '' : `/${len}`}`);
  fc.assert(
    fc.property(fc.oneof(noise, nearMiss), (s) => {
      assert.equal(isIPv4(s), ORACLE_IP.test(s), `isIPv4(${JSON.stringify(s)})`);
      assert.equal(isCidr(s), ORACLE_CIDR.test(s), `isCidr(${JSON.stringify(s)})`);
      if (ORACLE_CIDR.test(s)) {
        assert.deepEqual(cidrToRange(s), oracleRange(s), s);
        const r = oracleRange(s);
        assert.ok(containsAddress(s, numToIp(r.start)) && containsAddress(s, numToIp(r.end)), s);
        const reverse = { start: 0x64680000, end: 0x6468ffff };
        assert.equal(cidrOverlapsRange(s, reverse), r.start <= reverse.end && reverse.start <= r.end, s);
      } else {
        assert.equal(cidrOverlapsRange(s, { start: 0, end: 0xffffffff }), false);
        assert.throws(() => cidrToRange(s), /not an IPv4 CIDR/);
        assert.equal(containsAddress(s, '10.0.0.1'), false);
      }
    }),
    { numRuns: 20_000 },
  );
});
