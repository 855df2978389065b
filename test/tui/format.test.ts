// Pure formatting: wrapping, evidence shapes, hops, commands, docs, the provision page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hop } from '../../src/engine/types.js';
import { codeLines, docsLines, extractCommands } from '../../src/tui/detail.js';
import { blockingHop, evidenceLines, hopLines, inline, valueLines, wrap, wrapCommand } from '../../src/tui/format.js';
import { callCommand } from '../../src/report/common.js';
import { provisionLines } from '../../src/tui/provision-view.js';

test('wrap keeps every row within the width and loses no word', () => {
  const text = 'Security group sg-0123456789abcdef does not admit 100.104.128.0/17 on tcp/443 because a drop rule with priority 1 wins over the accept rule';
  for (const width of [20, 40, 80]) {
    const rows = wrap(text, width, '  ', '    ');
    for (const r of rows) assert.ok(r.length <= width, `${width}: ${r}`);
    assert.equal(rows.join('').replace(/\s+/g, ''), text.replace(/\s+/g, ''), 'no character lost');
    if (width >= 40) assert.equal(rows.map((r) => r.trim()).join(' '), text, 'words that fit are never split');
  }
  const long = wrap('x'.repeat(50), 20, '', '');
  assert.deepEqual(long.map((r) => r.length), [20, 20, 10]);
});

test('wrapCommand breaks between flag/value pairs with shell continuations', () => {
  const cmd = 'aliyun vpc CreateRouteEntry --RouteTableId vtb-1234567890 --DestinationCidrBlock 100.104.0.0/16 --NextHopType RouterInterface --NextHopId ri-0987654321';
  const rows = wrapCommand(cmd, 60);
  assert.ok(rows.length > 1);
  for (const r of rows) assert.ok(r.length <= 60, r);
  for (const r of rows.slice(0, -1)) assert.match(r, / \\$/);
  assert.doesNotMatch(rows.join('\n'), /--NextHopType \\\n/, 'a flag is never split from its value');
  assert.equal(rows.map((r) => r.replace(/ \\$/, '').trim()).join(' '), cmd);
  assert.deepEqual(wrapCommand('ip route get 100.104.0.1', 80), ['  ip route get 100.104.0.1']);
});

test('evidence shapes render on one readable line each', () => {
  assert.equal(
    inline({ securityGroupId: 'sg-1', direction: 'ingress', policy: 'drop', priority: 1, ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '100.104.0.0/16', ruleId: 'sgr-9' }),
    'sg-1: ingress DROP prio 1 TCP 443/443 from 100.104.0.0/16 (sgr-9)',
  );
  assert.equal(inline({ policy: 'accept', protocol: 'tcp', port: '443/443', cidr: '100.104.0.0/16', name: 'acr-in' }), 'accept tcp 443/443 100.104.0.0/16 (acr-in)');
  assert.equal(
    inline({ destinationCidrBlock: '100.104.0.0/16', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'RouterInterface', nextHopId: 'ri-1' }] }),
    '100.104.0.0/16 → RouterInterface ri-1  [Available, Custom]',
  );
  assert.equal(inline({ dnsMs: 1, connectMs: 2.4, tlsMs: 10, firstByteMs: 30, totalMs: 1500 }), 'dns 1 ms · connect 2 ms · tls 10 ms · first byte 30 ms · total 1.5 s');
  assert.equal(inline(['100.104.0.0/17', '100.104.128.0/18']), '100.104.0.0/17, 100.104.128.0/18');
  assert.equal(inline(null), 'none');
  const probe = valueLines({ vantage: 'local', url: 'https://gl/api/v4/version', dialed: '127.0.0.1:8443', outcome: 'timeout', error: 'UND_ERR_CONNECT_TIMEOUT', timing: { connectMs: 5000, totalMs: 5000 } }, 80);
  assert.deepEqual(probe, ['    local: timeout (UND_ERR_CONNECT_TIMEOUT)', '    https://gl/api/v4/version via 127.0.0.1:8443', '    connect 5.0 s · total 5.0 s']);
});

test('unknown nested evidence becomes an indented outline, not JSON', () => {
  const lines = evidenceLines([{ label: 'listener', value: { listenerPort: 443, acl: { aclId: 'acl-1', entries: ['10.0.0.0/8'] }, backends: [{ serverId: 'i-1', healthStatus: 'abnormal' }] }, source: 'slb' }], 80);
  const text = lines.map((l) => l.text).join('\n');
  assert.doesNotMatch(text, /[{}"]/);
  assert.match(text, /listener {2}\(slb\)/);
  assert.match(text, /listenerPort: 443/);
  assert.match(text, /acl: aclId acl-1|aclId: acl-1/);
  assert.match(text, /serverId i-1, healthStatus abnormal/);
});

test('the path marks the first dropping hop as blocking and groups request/reply', () => {
  const path: Hop[] = [
    { hop: 'security-group', direction: 'request', id: 'sg-1', verdict: 'allow', detail: '', ruleId: 'sg-ingress' },
    { hop: 'network-acl-in', direction: 'request', id: 'nacl-1', verdict: 'allow', detail: '', ruleId: 'nacl-ingress' },
    { hop: 'network-acl-out', direction: 'reply', id: 'nacl-1', verdict: 'drop', detail: 'entry 3 drops 100.104.0.0/16', ruleId: 'nacl-ingress' },
    { hop: 'vbr', direction: 'reply', id: 'vbr-1', verdict: 'drop', detail: '', ruleId: 'vbr-return-route' },
  ];
  assert.equal(blockingHop(path), 2);
  const lines = hopLines(path, 80, 'nacl-ingress');
  const text = lines.map((l) => l.text);
  assert.match(text[0]!, /request/);
  assert.ok(text.some((t) => /reply/.test(t)));
  const blocked = lines.filter((l) => l.highlight);
  assert.equal(blocked.length, 1);
  assert.match(blocked[0]!.text, /network ACL \(out\)\s+nacl-1\s+DROP\s+◀ blocked here/);
  assert.equal(lines.filter((l) => /blocked here/.test(l.text)).length, 1);
  assert.ok(lines.filter((l) => l.bold).every((l) => /nacl-1/.test(l.text)), 'the opened rule\'s hops are emphasised');
});

test('fix actions become aliyun CLI commands; remediation commands are extracted', () => {
  assert.equal(
    callCommand({ product: 'ecs', action: 'AuthorizeSecurityGroup', params: { SecurityGroupId: 'sg-1', Description: 'acr build', Priority: 1 } }),
    "aliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1 --Description 'acr build' --Priority 1",
  );
  assert.deepEqual(
    extractCommands('Add an inbound rule to sg-1:\n  aliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1\nConsole: ECS → Security Groups.'),
    ['aliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1'],
  );
  const rem = 'Remove the Docker bridge route, e.g. `ip route del 100.104.0.0/16 dev docker0`, then set `bip` in daemon.json.\n```\nsystemctl restart docker\n```\n$ ip route get 100.104.0.1';
  assert.deepEqual(extractCommands(rem), ['ip route del 100.104.0.0/16 dev docker0', 'systemctl restart docker', 'ip route get 100.104.0.1']);
});

test('docs markdown becomes plain rows: headings, bullets, code kept', () => {
  const md = '# sg-ingress\n\nWhat it checks: the **union** of the groups.\n\n## Fix\n\n- add a rule\n- or remove the drop\n\n```\naliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1\n```\n';
  const rows = docsLines(md, 80);
  assert.deepEqual(
    rows.map((r) => r.text),
    ['  sg-ingress', '', '  What it checks: the **union** of the groups.', '', '  Fix', '', '  - add a rule', '  - or remove the drop', '', '    aliyun ecs AuthorizeSecurityGroup --SecurityGroupId sg-1'],
  );
  assert.equal(rows[0]!.tone, 'heading');
});

test('the provision page: plan to confirm, then steps, guided values, log by stage, result', () => {
  const confirm = provisionLines(
    { phase: 'confirm', plan: { target: 'cri-1 team/app', notes: ['link and bind are console steps'], steps: [{ id: 'bind', title: 'Bind GitLab', kind: 'guided', detail: ['endpoint https://192.168.1.10, user builder'] }] }, steps: [], log: [] },
    80,
    '*',
  ).map((l) => l.text);
  assert.deepEqual(confirm.slice(1), [
    '  Plan for cri-1 team/app',
    '  link and bind are console steps',
    '  1. Bind GitLab  [you, in the console]',
    '       endpoint https://192.168.1.10, user builder',
    '',
    'Apply this plan?  y = yes   n = no',
  ]);
  const failed = provisionLines(
    {
      phase: 'failed',
      steps: [{ id: 'build', title: 'Build main → latest', state: 'failed', note: 'GIT_CLONE failed' }],
      log: [{ stage: 'GIT_CLONE', lines: ['fatal: unable to access https://192.168.1.10/group/app.git: timeout'] }],
      buildStatus: 'FAILED',
      buildId: 'b-7',
      message: 'build b-7 FAILED in GIT_CLONE',
    },
    80,
    '*',
  ).map((l) => l.text);
  assert.ok(failed.includes('  ✗ Build main → latest — GIT_CLONE failed'));
  assert.ok(failed.includes('Build log b-7   status FAILED'));
  assert.ok(failed.includes('  [GIT_CLONE]'));
  assert.ok(failed.includes('FAILED: build b-7 FAILED in GIT_CLONE'));
});

test('docs: a list item\'s continuation lines stay in the item, wrapped under its text', () => {
  const md = [
    '## What must hold',
    '- only inbound rules for TCP whose `PortRange` contains the',
    '  GitLab port count; UDP rules never admit a Git clone;',
    '- the source is `SourceCidrIp`;',
    'group-to-group rules never match (a lazy continuation);',
    '1. first, on two',
    '   lines',
    '',
    'A paragraph after the list.',
  ].join('\n');
  const rows = docsLines(md, 60).map((r) => r.text);
  assert.deepEqual(rows, [
    '  What must hold',
    '  - only inbound rules for TCP whose `PortRange` contains',
    '    the GitLab port count; UDP rules never admit a Git',
    '    clone;',
    '  - the source is `SourceCidrIp`; group-to-group rules never',
    '    match (a lazy continuation);',
    '  1. first, on two lines',
    '',
    '  A paragraph after the list.',
  ]);
});

test('docs: fenced code wraps, never cut; shell lines keep pasting as one command', () => {
  const cmd1 = 'aliyun ecs AuthorizeSecurityGroup --RegionId cn-hangzhou --SecurityGroupId sg-0123456789 \\';
  const cmd2 = '  --IpProtocol TCP --PortRange 443/443 --SourceCidrIp 100.104.0.0/16 --Policy accept --Priority 1';
  const md = `## How to fix\n\n\`\`\`\n${cmd1}\n${cmd2}\n\`\`\`\n\n\`\`\`yaml\nwaivers: [{ rule: gitlab-tls, reason: "internal CA rollout until the new PKI is live", owner: net }]\n\`\`\`\n`;
  const rows = docsLines(md, 80);
  const code = rows.filter((r) => r.tone === 'code').map((r) => r.text);
  for (const r of code) assert.ok(r.length <= 80, r);
  assert.ok(!code.some((r) => r.endsWith('…')), 'no row is cut');
  // the shell rows, selected and pasted, are the same command
  const yamlAt = code.findIndex((r) => r.includes('waivers'));
  const shell = code.slice(0, yamlAt);
  const pasted = shell.join('\n').replace(/ *\\\n\s*/g, ' ').trim();
  assert.equal(pasted, `${cmd1.slice(0, -2)} ${cmd2.trim()}`);
  // other code breaks at the width, every character kept
  const yaml = code.slice(yamlAt);
  assert.ok(yaml.length > 1);
  assert.equal(yaml.map((r) => r.slice(4)).join(''), 'waivers: [{ rule: gitlab-tls, reason: "internal CA rollout until the new PKI is live", owner: net }]');
  assert.deepEqual(codeLines('ip route get 100.104.0.1', 80, true), ['    ip route get 100.104.0.1']);
});

test('the guided prompt wraps a long value (the token hint) under its value column', () => {
  const hint = 'paste the value of the environment variable GITLAB_TOKEN (env:GITLAB_TOKEN) — not shown here';
  const rows = provisionLines(
    {
      phase: 'applying',
      steps: [{ id: 'bind', title: 'Bind Account', state: 'waiting' }],
      guided: { stepId: 'bind', title: 'Bind the GitLab account', instructions: ['Open the console.'], values: [{ label: 'Username', value: 'builder' }, { label: 'Private token', value: hint }] },
      log: [],
    },
    80,
    '*',
  ).map((l) => l.text);
  for (const r of rows) assert.ok(r.length <= 80, r);
  const at = rows.findIndex((r) => r.startsWith('    Private token  '));
  assert.ok(at > 0, rows.join('\n'));
  assert.equal(rows[at + 1]!.slice(0, 19).trim(), '', 'the continuation sits under the value');
  assert.equal(`${rows[at]!.slice(19)} ${rows[at + 1]!.trim()}`, hint);
  assert.ok(rows.includes('    Username       builder'));
});
