// `acr-preflight what-if`, run as a support engineer would: a customer's bundle, a proposed change,
// and the difference it makes (exit 0 repaired, 1 still failing, 2 a bad change file).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'acrp-whatif-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const BUNDLE = 'fixtures/facts/nacl-reply-blocked.json';

test('a change that repairs the bundle: the rule that changed, the verdict, exit 0', async () => {
  const patch = write('repair.yaml', 'changes:\n  - op: insert-acl-entry\n    networkAclId: nacl-gitlab\n    direction: egress\n    position: 1\n    entry: { policy: accept, protocol: tcp, port: 1024/65535, cidr: 100.104.0.0/16 }\n');
  const r = await runCli(['what-if', BUNDLE, '--patch', patch]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /nacl-ingress\s+fail → pass/);
  // the fact change that explains it
  assert.match(r.stdout, /nacl-gitlab outbound entry: added accept tcp 1024\/65535 100\.104\.0\.0\/16/);
  assert.match(r.stdout, /What if: with the changes the gate passes \(verdict pass, exit 0\)/);
});

test('the fix the check offers, pasted from its JSON report, repairs the bundle', async () => {
  const analyzed = await runCli(['analyze', BUNDLE, '--format', 'json']);
  const report = JSON.parse(analyzed.stdout);
  const fix = report.results.find((r: { ruleId: string }) => r.ruleId === 'nacl-ingress').fixes[0];
  assert.equal(fix.proof.state, 'verified');
  const patch = write('from-report.json', JSON.stringify({ changes: fix.patches }));
  const r = await runCli(['what-if', BUNDLE, '--patch', patch, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.ruleChanges.map((c: { ruleId: string; before: { status: string }; after: { status: string } }) => [c.ruleId, c.before.status, c.after.status]), [['nacl-ingress', 'fail', 'pass']]);
  assert.equal(out.after.verdict, 'pass');
  assert.equal(out.whatIf.exitCode, 0);
});

test('a change that does not repair it: still failing, exit 1; one that breaks a passing rule says so', async () => {
  const wrongWay = write('wrong.yaml', 'changes:\n  - op: insert-acl-entry\n    networkAclId: nacl-gitlab\n    direction: ingress\n    position: 1\n    entry: { policy: accept, protocol: tcp, port: 443/443, cidr: 100.104.0.0/16 }\n');
  const r = await runCli(['what-if', BUNDLE, '--patch', wrongWay]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /No rule changed status/);
  assert.match(r.stdout, /What if: with the changes the gate still fails \(verdict fail, exit 1\)/);
  const breaking = write('break.yaml', 'changes:\n  - op: add-sg-rule\n    securityGroupId: sg-gitlab\n    rule: { policy: drop, priority: 1, ipProtocol: TCP, portRange: 443/443, sourceCidrIp: 100.104.0.0/24 }\n');
  const b = await runCli(['what-if', 'fixtures/facts/healthy-ecs.json', '--patch', breaking, '--format', 'markdown']);
  assert.equal(b.code, 1);
  assert.match(b.stdout, /`sg-ingress` \*\*worse\*\* \| pass \| fail \| sg-gitlab rule: added ingress drop TCP 443\/443 from 100\.104\.0\.0\/24, priority 1/);
});

test('bad change files: one line with the file, line and field, exit 2, nothing on stdout', async () => {
  const cases: [string, RegExp][] = [
    ['changes:\n  - op: teleport\n', /bad1\.yaml:2: changes\[0\]\.op: unknown op/],
    ['changes:\n  - op: add-sg-rule\n    securityGroupId: sg-gitlab\n    rule: { policy: accept, priority: 300, ipProtocol: TCP, portRange: 443/443, sourceCidrIp: 100.104.0.0/16 }\n', /bad2\.yaml:4: changes\[0\]\.rule\.priority/],
    ['changes: [\n', /bad3\.yaml:\d+: not valid YAML or JSON/],
    ['changes:\n  - op: remove-sg-rule\n    securityGroupId: sg-nope\n    ruleId: x\n', /bad4\.yaml: security group sg-nope is not in the facts/],
  ];
  for (const [i, [text, re]] of cases.entries()) {
    const p = write(`bad${i + 1}.yaml`, text);
    const r = await runCli(['what-if', BUNDLE, '--patch', p]);
    assert.equal(r.code, 2, `${text}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const none = await runCli(['what-if', BUNDLE]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--patch/);
});

test('-c: fresh facts are judged as check judges them, with the config\'s waivers', async () => {
  const { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator } = await import('../helpers/emulator.js');
  const { appendFileSync } = await import('node:fs');
  const em = await startTestEmulator('ecs-sg-partial');
  try {
    const env = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret, ACR_PREFLIGHT_LOOPBACK_ONLY: '1' };
    const plain = prepareConfig('ecs-sg-partial', em, join(dir, 'plain'));
    const waived = prepareConfig('ecs-sg-partial', em, join(dir, 'waived'));
    appendFileSync(waived, 'waivers:\n  - { rule: sg-ingress, reason: NET-42 pending, owner: net team, expires: 2999-12-31 }\n');
    // a change that does not touch the failing rule: the verdict is the config's own
    const patch = write('unrelated.yaml', 'changes:\n  - op: add-sg-rule\n    securityGroupId: sg-bp1gitlab\n    rule: { policy: accept, priority: 50, ipProtocol: TCP, portRange: 22/22, sourceCidrIp: 10.0.0.0/8 }\n');
    const check = await runCli(['check', '-c', waived, '--no-probes', '--format', 'json'], { env });
    const a = await runCli(['what-if', '-c', waived, '--no-probes', '--patch', patch, '--format', 'json'], { env });
    assert.equal(a.code, check.code, `what-if with the waiver exits as check does: ${a.stderr}`);
    assert.equal(a.code, 0, a.stderr);
    const b = await runCli(['what-if', '-c', plain, '--no-probes', '--patch', patch], { env });
    assert.equal(b.code, 1, 'without the waiver the failure still blocks');
    assert.match(b.stdout, /What if: with the changes the gate still fails/);
  } finally {
    await em.stop();
  }
});
