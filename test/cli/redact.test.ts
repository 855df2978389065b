// Pseudonymised bundles hold no original of the world: no host name, URL host, IP address (other
// than loopback and 100.64.0.0/10) or certificate fingerprint, whether written by
// `collect --pseudonymize` or by `redact --pseudonymize` afterwards; their verdicts equal the
// original's. `redact` never overwrites its input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli.js';
import { prepareConfig, startTestEmulator, worldPath } from '../helpers/emulator.js';
import { COLLECT_TIMEOUT_MS, ENV, statuses } from '../helpers/reproduce.js';
import { containsAddress } from '../../src/net/cidr.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-redact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const IP = /(?<![\d.])((?:\d{1,3}\.){3}\d{1,3})(?:\/(\d{1,2}))?(?![\d])/g;
/** the prefix length a range keeps as is (its structure): a CIDR no longer than it names no one */
const STRUCTURE = [['10.0.0.0/8', 8], ['172.16.0.0/12', 12], ['192.168.0.0/16', 16], ['169.254.0.0/16', 16]] as const;
function identifying(ip: string, len?: string): boolean {
  if (containsAddress('127.0.0.0/8', ip) || containsAddress('100.64.0.0/10', ip)) return false;
  if (len === undefined) return true;
  const kept = STRUCTURE.find(([r]) => containsAddress(r, ip))?.[1] ?? 0;
  return Number(len) > kept;
}

/** every string in a JSON value, with its path */
function strings(v: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  if (typeof v === 'string') out.set(at, v);
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, `${at}.${k}`, out);
  return out;
}

/** what of the world a bundle could leak: host names, URL hosts, addresses, fingerprints */
function originals(worldText: string, plain: any): { names: Set<string>; ips: Set<string>; fingerprints: Set<string> } {
  const names = new Set<string>();
  const ips = new Set<string>();
  const fingerprints = new Set<string>();
  for (const s of [worldText, ...strings(plain).values()]) {
    for (const m of s.matchAll(/[a-z]+:\/\/(?:[^\s/@]*@)?([A-Za-z0-9.-]+)/g)) if (/[a-z]/i.test(m[1]!) && m[1] !== 'localhost') names.add(m[1]!.toLowerCase());
    for (const m of s.matchAll(/DNS:([A-Za-z0-9.-]+)/g)) if (m[1] !== 'localhost') names.add(m[1]!.toLowerCase());
    for (const m of s.matchAll(IP)) if (identifying(m[1]!, m[2])) ips.add(m[2] ? `${m[1]}/${m[2]}` : m[1]!);
  }
  const tls = plain.facts.gitlab.tls;
  if (tls.state === 'ok' && tls.value?.fingerprint256) fingerprints.add(tls.value.fingerprint256);
  return { names, ips, fingerprints };
}

/** asserts that no original survives in the pseudonymised bundle */
function assertNoOriginals(world: string, plain: any, pseudo: any): void {
  const text = JSON.stringify(pseudo).toLowerCase();
  const o = originals(readFileSync(worldPath(world), 'utf8'), plain);
  for (const n of o.names) assert.ok(!text.includes(n), `${world}: host name ${n} is in the pseudonymised bundle`);
  for (const f of o.fingerprints) assert.ok(!text.includes(f.toLowerCase()), `${world}: certificate fingerprint ${f} is in the pseudonymised bundle`);
  // an address may equal the pseudonym of another one (a permutation): compare where the same string
  // sits in both bundles, and grep for the rest. A keyed permutation also has fixed points: with a
  // fresh key each run, a /24 inside 192.168.0.0/16 keeps its own value 1 time in 256 (8 permuted
  // bits), which tells a reader nothing (the key is not stored). So an address may map to itself by
  // chance, but not the many that a missing permutation would leave.
  const p = strings(pseudo);
  const images = new Set<string>();
  const kept: string[] = [];
  let compared = 0;
  for (const [at, s] of strings(plain)) {
    const t = p.get(at);
    if (t === undefined) continue;
    const a = [...s.matchAll(IP)].map((m) => m[0]);
    const b = [...t.matchAll(IP)].map((m) => m[0]);
    a.forEach((x, i) => {
      const m = /^([\d.]+)(?:\/(\d+))?$/.exec(x)!;
      if (!identifying(m[1]!, m[2])) return;
      compared++;
      if (b[i] === x) kept.push(`${at} keeps ${x}`);
    });
    for (const y of b) images.add(y);
  }
  assert.ok(kept.length <= Math.max(1, compared / 8), `${world}: ${kept.length} of ${compared} addresses kept: ${kept.join('; ')}`);
  for (const ip of o.ips) {
    if (images.has(ip)) continue; // it is some other address's pseudonym
    assert.ok(!new RegExp(`(?<![\\d.])${ip.replace(/[./]/g, '\\$&')}(?![\\d])`).test(text), `${world}: ${ip} is in the pseudonymised bundle`);
  }
}

for (const world of ['demo', 'gitlab-external-url-wrong', 'slb-healthy', 'idc-route-back-to-idc', 'gitlab-tls-wrong-host']) {
  test(`${world}: no original host name, URL host, address or fingerprint in a pseudonymised bundle; same verdicts`, async () => {
    const em = await startTestEmulator(world);
    try {
      const cfg = prepareConfig(world, em, join(dir, world));
      const plainFile = join(dir, `${world}.json`);
      const collected = join(dir, `${world}-collect-p.json`);
      for (const [out, extra] of [[plainFile, []], [collected, ['--pseudonymize']]] as const) {
        const r = await runCli(['collect', '-c', cfg, '--out', out, ...extra], { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
        assert.ok(r.code !== 2 && r.code !== null, r.stderr);
      }
      const redacted = join(dir, `${world}-redact-p.json`);
      const r = await runCli(['redact', plainFile, '--out', redacted, '--pseudonymize']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(statSync(redacted).mode & 0o777, 0o600);
      const plain = JSON.parse(readFileSync(plainFile, 'utf8'));
      assert.throws(() => assertNoOriginals(world, plain, plain), 'the check finds the originals in the plain bundle');
      if (world === 'gitlab-external-url-wrong') assert.ok(originals(readFileSync(worldPath(world), 'utf8'), plain).names.has('gitlab.example.internal'));
      for (const file of [collected, redacted]) {
        const pseudo = JSON.parse(readFileSync(file, 'utf8'));
        assert.equal(pseudo.redaction.pseudonymized, true);
        assert.ok(pseudo.redaction.replaced.some((k: any) => /IPv4/.test(k.kind)));
        assertNoOriginals(world, plain, pseudo);
        // the verdict recorded in a bundle was reached on the original facts: the pseudonymised
        // facts judge the same (collect --pseudonymize: its own original; redact: the plain bundle's)
        const judged = JSON.parse((await runCli(['analyze', file, '--format', 'json'])).stdout);
        assert.deepEqual(statuses(judged.results), statuses(pseudo.verdict.results), `${world}: ${file}`);
        if (file === redacted) assert.deepEqual(statuses(pseudo.verdict.results), statuses(plain.verdict.results));
      }
      const a = JSON.parse((await runCli(['analyze', redacted, '--format', 'json'])).stdout);
      if (world === 'gitlab-external-url-wrong') {
        const text = readFileSync(redacted, 'utf8');
        assert.match(text, /host-\d+\.example/, 'the external_url host became a token');
        assert.equal(a.results.find((x: any) => x.ruleId === 'gitlab-clone-url').status, 'fail');
      }
    } finally {
      await em.stop();
    }
  });
}

test('redact refuses to overwrite its input (also through a symlink) and reads version-1 bundles', async () => {
  const v1 = join(ROOT, 'fixtures', 'bundles', 'v1-sg-partial-drop.json');
  const before = readFileSync(v1, 'utf8');
  const link = join(dir, 'link.json');
  symlinkSync(v1, link);
  for (const out of [v1, link]) {
    const r = await runCli(['redact', v1, '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /is the input bundle itself; it is never overwritten/);
  }
  assert.equal(readFileSync(v1, 'utf8'), before, 'the input is untouched');
  const out = join(dir, 'v1-p.json');
  const r = await runCli(['redact', v1, '--out', out, '--pseudonymize']);
  assert.equal(r.code, 0, r.stderr);
  const b = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(b.bundleVersion, 1);
  assert.equal(b.redaction.pseudonymized, true);
  assert.ok(!JSON.stringify(b.facts).includes('192.168.1.10'));
  const a = await runCli(['analyze', out, '--format', 'json']);
  assert.equal(a.code, 1);
  for (const args of [['redact'], ['redact', v1], ['redact', join(dir, 'nope.json'), '--out', join(dir, 'x.json')]]) {
    const bad = await runCli(args);
    assert.equal(bad.code, 2, args.join(' '));
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  }
});
