// `diff`: a bundle before and after a fix (the missing security-group rule added through the
// emulator's AuthorizeSecurityGroup with the real SDK) names the rule that changed and the
// security-group rule that changed it, in every format (the HTML page too, and all four name the
// same changed rules); the reverse is worse (exit 1); a bundle diffed with itself reports nothing
// (exit 0); two `check --format json` reports give status changes; --output writes a file.
// (--no-probes: the GitLab probes are beside the point here, and a busy machine must not change them.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as $Ecs from '@alicloud/ecs20140526';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { changedRuleIds } from '../helpers/diff.js';
import { ecsClient, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { COLLECT_TIMEOUT_MS, ENV } from '../helpers/reproduce.js';
const WORLD = 'ecs-sg-udp-only';
const dir = mkdtempSync(join(tmpdir(), 'acr-diff-'));
const f = (n: string) => join(dir, n);
let em: EmulatorHandle;

before(async () => {
  em = await startTestEmulator(WORLD);
  const cfg = prepareConfig(WORLD, em, dir);
  for (const args of [['collect', '-c', cfg, '--out', f('before.json'), '--no-probes'], ['check', '-c', cfg, '--format', 'json', '--output', f('check-before.json'), '--no-probes']]) {
    const r = await runCli(args, { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
    assert.ok([0, 1, 3].includes(r.code ?? -1), `${args[0]}: exit ${r.code}: ${r.stderr}`);
  }
  // the fix: TCP 443 from the reverse-access range (the world only admits UDP)
  const ecs = await ecsClient(em);
  await ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: 'cn-hangzhou', securityGroupId: 'sg-bp1gitlab', ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/16', priority: '1', policy: 'accept', description: 'ACR VPC build' }));
  for (const args of [['collect', '-c', cfg, '--out', f('after.json'), '--no-probes'], ['check', '-c', cfg, '--format', 'json', '--output', f('check-after.json'), '--no-probes']]) {
    const r = await runCli(args, { env: ENV, timeoutMs: COLLECT_TIMEOUT_MS });
    assert.ok([0, 1, 3].includes(r.code ?? -1), `${args[0]}: exit ${r.code}: ${r.stderr}`);
  }
});
after(async () => {
  await em?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('diff before → after names sg-ingress and the added security-group rule (text, json, markdown); exit 0', async () => {
  const json = await runCli(['diff', f('before.json'), f('after.json'), '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const d = JSON.parse(json.stdout);
  assert.equal(d.mode, 'bundles');
  assert.equal(d.worse, false);
  const sg = d.ruleChanges.find((r: any) => r.ruleId === 'sg-ingress');
  assert.ok(sg, JSON.stringify(d.ruleChanges));
  assert.deepEqual([sg.before.status, sg.after.status], ['fail', 'pass']);
  const added = sg.explainedBy.find((c: any) => c.fact === 'cloud.gitlabSecurityGroups' && c.kind === 'added');
  assert.ok(added, JSON.stringify(sg.explainedBy));
  assert.match(added.subject, /^sg-bp1gitlab /);
  assert.match(added.after, /ingress accept TCP 443\/443 from 100\.104\.0\.0\/16, priority 1/);
  assert.ok(!d.otherFactChanges.some((c: any) => c.fact === 'cloud.gitlabSecurityGroups'), 'the SG change explains sg-ingress, not listed again');

  const text = await runCli(['diff', f('before.json'), f('after.json')]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /sg-ingress\s+fail → pass/);
  assert.match(text.stdout, /because sg-bp1gitlab rule: added ingress accept TCP 443\/443 from 100\.104\.0\.0\/16, priority 1\s+\[cloud\.gitlabSecurityGroups\]/);
  assert.match(text.stdout, /Nothing got worse \(exit 0\)/);

  const md = await runCli(['diff', f('before.json'), f('after.json'), '--format', 'markdown']);
  assert.equal(md.code, 0);
  assert.match(md.stdout, /\| `sg-ingress` \| fail \| pass \| sg-bp1gitlab rule: added ingress accept TCP 443\/443 from 100\.104\.0\.0\/16, priority 1 \|/);
});

test('diff --format html: the page names sg-ingress (fail → pass, got better) and the added security-group rule; --output writes it', async () => {
  const r = await runCli(['diff', f('before.json'), f('after.json'), '--format', 'html']);
  assert.equal(r.code, 0, r.stderr);
  const html = r.stdout;
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script|<link|<img|\ssrc=/i, 'self-contained: no script, nothing loaded');
  assert.match(html, /<span class="vword">NOT WORSE<\/span> ACR VPC preflight diff<\/h1><p class="gate">Exit code 0: nothing got worse\.<\/p>/);
  assert.match(html, /Verdict <span class="badge b-fail">FAIL<\/span> → <span class="badge b-pass">PASS<\/span>/);
  const article = /<article class="change c-better" id="rule-sg-ingress" data-rule="sg-ingress" data-change="better">[\s\S]*?<\/article>/.exec(html)?.[0];
  assert.ok(article, 'the changed rule, marked as better');
  assert.match(article, /GOT BETTER<\/span><\/h3><p class="transition"><span class="badge b-fail">FAIL<\/span> → <span class="badge b-pass">PASS<\/span><\/p>/);
  assert.match(article, /<tr data-fact="cloud\.gitlabSecurityGroups" data-kind="added"><td class="nw"><span class="kind">ADDED<\/span><\/td><td>sg-bp1gitlab rule<\/td><td>.*?<\/td><td>ingress accept TCP 443\/443 from 100\.104\.0\.0\/16, priority 1<\/td>/);
  // the file names are values too: shown, escaped
  assert.ok(html.includes(`<code>${f('before.json')}</code>`));
  // --output: the format from the extension, nothing on stdout, the same page
  const out = await runCli(['diff', f('before.json'), f('after.json'), '--output', f('diff.html')]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, '');
  assert.match(out.stderr, /^acr-preflight: wrote the html diff to .*diff\.html\n$/);
  assert.equal(readFileSync(f('diff.html'), 'utf8'), html);
});

test('diff: json, markdown, text and html name the same changed rules, both ways', async () => {
  const pairs: [string, string][] = [['before.json', 'after.json'], ['after.json', 'before.json'], ['check-before.json', 'check-after.json']];
  for (const [b, a] of pairs) {
    const json = JSON.parse((await runCli(['diff', f(b), f(a), '--format', 'json'])).stdout);
    const ids = json.ruleChanges.map((r: any) => r.ruleId);
    assert.ok(ids.includes('sg-ingress'), `${b} → ${a}: ${ids}`);
    for (const format of ['text', 'markdown', 'html']) {
      const r = await runCli(['diff', f(b), f(a), '--format', format]);
      assert.equal(r.code, json.exitCode, `${format}: the same exit code`);
      assert.deepEqual(changedRuleIds(format, r.stdout), ids, `${b} → ${a}, ${format}`);
    }
  }
});

test('diff after → before is worse: exit 1, in every format', async () => {
  for (const format of ['text', 'json', 'markdown', 'html']) {
    const r = await runCli(['diff', f('after.json'), f('before.json'), '--format', format]);
    assert.equal(r.code, 1, `${format}: ${r.stderr}`);
    assert.match(r.stdout, /sg-ingress/);
    assert.match(r.stdout, /removed/);
  }
  const d = JSON.parse((await runCli(['diff', f('after.json'), f('before.json'), '--format', 'json'])).stdout);
  assert.equal(d.worse, true);
  assert.equal(d.ruleChanges.find((r: any) => r.ruleId === 'sg-ingress').worse, true);
});

test('a bundle diffed with itself reports nothing and exits 0', async () => {
  for (const format of ['text', 'json', 'markdown', 'html']) {
    const r = await runCli(['diff', f('before.json'), f('before.json'), '--format', format]);
    assert.equal(r.code, 0, r.stderr);
    if (format === 'json') {
      const d = JSON.parse(r.stdout);
      assert.deepEqual([d.ruleChanges, d.otherFactChanges, d.worse], [[], [], false]);
    } else {
      assert.match(r.stdout, /No rule changed status/);
      assert.match(r.stdout, /No differences \(exit 0\)/);
      if (format === 'html') assert.match(r.stdout, /<span class="vword">NO CHANGES<\/span>/);
    }
  }
});

test('two check --format json reports: status changes only', async () => {
  const r = await runCli(['diff', f('check-before.json'), f('check-after.json'), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.mode, 'reports');
  const sg = d.ruleChanges.find((x: any) => x.ruleId === 'sg-ingress');
  assert.deepEqual([sg.before.status, sg.after.status, sg.explainedBy], ['fail', 'pass', []]);
  assert.deepEqual(d.otherFactChanges, []);
  const worse = await runCli(['diff', f('check-after.json'), f('check-before.json')]);
  assert.equal(worse.code, 1);
  assert.match(worse.stdout, /reports: status changes only/);
  const html = await runCli(['diff', f('check-after.json'), f('check-before.json'), '--format', 'html']);
  assert.equal(html.code, 1);
  assert.match(html.stdout, /<article class="change c-worse" id="rule-sg-ingress" data-rule="sg-ingress" data-change="worse">/);
  assert.match(html.stdout, /JSON reports hold no facts/);
});

test('diff: bad input is one line and exit 2', async () => {
  writeFileSync(f('junk.json'), '{"hello": 1}');
  const before = readFileSync(f('before.json'), 'utf8');
  for (const args of [
    ['diff', f('before.json')],
    ['diff', f('before.json'), f('nope.json')],
    ['diff', f('before.json'), f('junk.json')],
    ['diff', f('before.json'), f('after.json'), '--format', 'sarif'],
    ['diff', f('before.json'), f('after.json'), '--format', 'htm'],
    ['diff', f('before.json'), f('after.json'), '--format', 'html', '--output', f('no-such-dir/diff.html')],
    ['diff', f('before.json'), f('after.json'), '--format', 'html', '--output', f('before.json')],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^acr-preflight: /);
    assert.equal(r.stdout, '');
  }
  assert.equal(readFileSync(f('before.json'), 'utf8'), before, 'an input is never overwritten');
  assert.ok(!existsSync(f('no-such-dir')));
  const typo = await runCli(['diff', f('before.json'), f('after.json'), '--format', 'htm']);
  assert.match(typo.stderr, /--format htm: diff writes text, json, markdown, html \(did you mean html\?\)/);
});
