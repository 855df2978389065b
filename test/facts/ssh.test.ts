// SSH reads against a real OpenSSH sshd on 127.0.0.1: host-key checking, the GitLab-host read,
// the non-root firewall read (stub tools first on PATH, sudo -n refused/allowed/hanging), the router
// read, a jump-host tunnel, and bounded handshakes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import {
  ChannelPool,
  classifyFirewallRead, classifySudoRead, connectSsh, exec, firewallCommand, firewallLines, fingerprint, forward, knownKeys, parseAddrShow,
  parseRouteGet, readGitlabHost, readIdcRouter, resolveSshTarget,
} from '../../src/facts/ssh.js';
import type { HostRouteRead } from '../../src/facts/types.js';
import { rule as hostRoute } from '../../rules/host-route.js';
import { makeFacts, ok } from '../helpers/facts.js';
import { evaluateRule } from '../helpers/rule-tester.js';
import { SSHD, startSshd, type Sshd } from '../helpers/sshd.js';

const skip = SSHD ? false : 'sshd is not installed';
let sshd: Sshd;
const target = (extra: Record<string, unknown> = {}) =>
  resolveSshTarget({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKeyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile, ...extra }, '/', process.env, 5000);

// A second sshd whose sessions find stub iptables-save, nft, id and sudo first on PATH: the stubs act
// like the real tools do for a non-root user (uid 1000), so the non-root read runs against a real
// OpenSSH server without creating a user. `mode` (a file the stubs read) picks what sudo does.
let stubSshd: Sshd;
const stubDir = mkdtempSync(join(tmpdir(), 'acrp-fwstub-'));
const STUBS: Record<string, string> = {
  'iptables-save': `if [ "$ACRP_STUB_ROOT" = 1 ]; then printf '*filter\\n-A INPUT -s 100.104.0.0/16 -j DROP\\nCOMMIT\\n'; exit 0; fi
echo 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)' >&2; exit 4`,
  nft: `if [ "$ACRP_STUB_ROOT" = 1 ]; then printf 'table inet f {\\n  chain input {\\n    ip saddr 100.104.0.0/16 tcp dport 443 accept\\n  }\\n}\\n'; exit 0; fi
echo 'Operation not permitted (you must be root)' >&2; echo 'netlink: Error: cache initialization failed: Operation not permitted' >&2; exit 1`,
  id: `if [ "$1" = -u ]; then echo 1000; exit 0; fi; exec /usr/bin/id "$@"`,
  sudo: `if [ -t 0 ]; then tty=yes; else tty=no; fi; echo "$* tty=$tty" >> ${stubDir}/sudo.log
case $(cat ${stubDir}/mode) in
  allowed) [ "$1" = -n ] || { echo 'stub: sudo without -n' >&2; exit 98; }; shift; ACRP_STUB_ROOT=1 exec "$@" ;;
  hang) exec sleep 12 ;;
  *) echo 'sudo: a password is required' >&2; exit 1 ;;
esac`,
};
const stubMode = (m: 'refused' | 'allowed' | 'hang') => {
  writeFileSync(join(stubDir, 'mode'), m);
  rmSync(join(stubDir, 'sudo.log'), { force: true });
};
const stubTarget = (timeoutMs = 5000) =>
  resolveSshTarget({ host: '127.0.0.1', port: stubSshd.port, username: 'root', privateKeyFile: stubSshd.clientKeyFile, knownHostsFile: stubSshd.knownHostsFile }, '/', process.env, timeoutMs);

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(stubDir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(stubDir, name), 0o755);
  }
  stubSshd = await startSshd({ setEnv: { PATH: `${stubDir}:/usr/local/bin:/usr/bin:/bin` } });
});
after(async () => {
  await sshd?.stop();
  await stubSshd?.stop();
  rmSync(stubDir, { recursive: true, force: true });
});

test('parsers: ip route get, ip addr, firewall lines', () => {
  assert.deepEqual(parseRouteGet('100.104.0.1 via 192.168.1.253 dev eth0 src 192.168.1.10 uid 0'), { dev: 'eth0', via: '192.168.1.253', src: '192.168.1.10' });
  assert.deepEqual(parseRouteGet('100.104.0.1 dev docker0 src 100.104.0.1 uid 0'), { dev: 'docker0', src: '100.104.0.1' });
  assert.equal(parseRouteGet('blackhole 100.104.0.1 uid 0').type, 'blackhole');
  assert.deepEqual(parseAddrShow('1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\n5: veth1@if4    inet 10.0.0.1/30 scope global veth1'), [
    { name: 'lo', addresses: ['127.0.0.1/8'] },
    { name: 'eth0', addresses: ['192.168.1.10/24'] },
    { name: 'veth1', addresses: ['10.0.0.1/30'] },
  ]);
  assert.deepEqual(firewallLines('-A INPUT -s 100.104.0.0/16 -j DROP\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 100.104.0.0/16 -j ACCEPT\n  ip saddr 100.64.0.0/10 tcp dport 443 drop'), [
    '-A INPUT -s 100.104.0.0/16 -j DROP',
    'ip saddr 100.64.0.0/10 tcp dport 443 drop',
  ]);
});

test('firewall read outcomes: read, not installed, permission denied (also with exit 0), error; sudo -n', () => {
  const r = (code: number | null, stdout: string, stderr = '') => ({ code, stdout, stderr });
  assert.deepEqual(classifyFirewallRead(r(0, '@acrp-path /usr/sbin/iptables-save\n*filter\nCOMMIT\n'), 'iptables-save'), { outcome: 'read', path: '/usr/sbin/iptables-save', output: '*filter\nCOMMIT\n' });
  assert.equal(classifyFirewallRead(r(127, '', '@acrp-missing nft\n'), 'nft').outcome, 'not-installed');
  const denied = classifyFirewallRead(r(4, '@acrp-path /usr/sbin/iptables-save\n', 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n'), 'iptables-save');
  assert.equal(denied.outcome, 'permission-denied');
  assert.match(denied.stderr!, /you must be root/);
  assert.equal(classifyFirewallRead(r(1, '@acrp-path /usr/sbin/nft\n', 'Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed: Operation not permitted\n'), 'nft').outcome, 'permission-denied');
  assert.equal(classifyFirewallRead(r(1, '', 'Failed to list table names in /proc/net/ip_tables_names: Permission denied\n'), 'iptables-save').outcome, 'permission-denied');
  // an empty "success" that says it was refused is not a clean rule set
  assert.equal(classifyFirewallRead(r(0, '@acrp-path /usr/sbin/iptables-save\n', 'Permission denied (you must be root)\n'), 'iptables-save').outcome, 'permission-denied');
  assert.equal(classifyFirewallRead(r(2, '', 'iptables-save: unknown option\n'), 'iptables-save').outcome, 'error');
  assert.equal(classifySudoRead(r(0, '@acrp-path /usr/sbin/nft\ntable inet f {}\n')).outcome, 'read');
  assert.equal(classifySudoRead(r(1, '', 'sudo: a password is required\n')).outcome, 'refused');
  assert.equal(classifySudoRead(r(1, '', 'ops is not in the sudoers file.  This incident will be reported.\n')).outcome, 'refused');
  assert.equal(classifySudoRead(r(127, '', '@acrp-missing sudo\n')).outcome, 'not-installed');
  // the commands: one tool each, sbin appended to PATH, sudo only with -n and stdin from /dev/null
  const ipt = firewallCommand('iptables-save', '');
  assert.match(ipt, /^sh -c '.*'$/);
  assert.equal(ipt.slice(7, -1).includes("'"), false, 'no single quote inside the sh -c script');
  assert.match(ipt, /PATH="\$PATH:\/usr\/local\/sbin:\/usr\/sbin:\/sbin"/);
  assert.doesNotMatch(ipt, /sudo|2>\/dev\/null; nft|\| cat/);
  assert.match(firewallCommand('nft', ' list ruleset', true), /exec sudo -n "\$p" list ruleset <\/dev\/null'$/);
});

test('known_hosts: plain, [host]:port, wildcard, hashed and revoked entries', () => {
  const key = Buffer.from('fake-key-blob');
  const b64 = key.toString('base64');
  assert.equal(knownKeys(`10.0.0.1 ssh-ed25519 ${b64}`, '10.0.0.1', 22).keys.length, 1);
  assert.equal(knownKeys(`10.0.0.1 ssh-ed25519 ${b64}`, '10.0.0.1', 2222).keys.length, 0);
  assert.equal(knownKeys(`[10.0.0.1]:2222 ssh-ed25519 ${b64}`, '10.0.0.1', 2222).keys.length, 1);
  assert.equal(knownKeys(`10.0.0.* ssh-ed25519 ${b64}`, '10.0.0.9', 22).keys.length, 1);
  const { createHmac } = require_crypto();
  const salt = Buffer.from('0123456789abcdef0123');
  const hash = createHmac('sha1', salt).update('gitlab.internal').digest('base64');
  assert.equal(knownKeys(`|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64}`, 'gitlab.internal', 22).keys.length, 1);
  assert.equal(knownKeys(`@revoked 10.0.0.1 ssh-ed25519 ${b64}`, '10.0.0.1', 22).revoked.length, 1);
  assert.match(fingerprint(key), /^SHA256:[A-Za-z0-9+/]+$/);
});

test('reads the GitLab host: routes for 100.104.x, interfaces, firewall lines', { skip }, async () => {
  const f = await readGitlabHost(target());
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const v = (f as any).value;
  assert.equal(v.routes.length, 3);
  assert.ok(v.routes.every((r: any) => r.target.startsWith('100.104.')));
  assert.ok(v.interfaces.some((i: any) => i.name === 'lo'));
  assert.ok(v.interfaces.some((i: any) => i.name === 'lo' && i.addresses.includes('127.0.0.1/8')), 'interfaces carry their addresses (the rule finds the VPC one)');
  assert.equal(v.vpcInterface, undefined, 'the reader does not pick the VPC interface');
  // as root each firewall tool is read on its own, its outcome recorded
  assert.equal(v.user, 'root');
  assert.equal(v.uid, 0);
  assert.deepEqual(v.firewall.map((r: any) => r.tool), ['iptables-save', 'nft']);
  for (const r of v.firewall) {
    const installed = ['/usr/sbin', '/sbin', '/usr/local/sbin', '/usr/bin', '/bin'].some((d) => existsSync(join(d, r.tool)));
    assert.equal(r.outcome, installed ? 'read' : 'not-installed', JSON.stringify(r));
    assert.equal(r.sudo, undefined, 'root never tries sudo');
  }
});

test('a server that allows one session per connection (MaxSessions 1): the reads run one at a time and all succeed', { skip }, async (t) => {
  const one = await startSshd({ config: ['MaxSessions 1'] });
  t.after(() => one.stop());
  const f = await readGitlabHost(resolveSshTarget({ host: '127.0.0.1', port: one.port, username: 'root', privateKeyFile: one.clientKeyFile, knownHostsFile: one.knownHostsFile }, '/', process.env, 5000));
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const full = await readGitlabHost(target());
  assert.equal(full.state, 'ok');
  // the same reads as from a server that takes several channels at once
  const shape = (x: typeof f) => {
    const v = (x as any).value;
    return { routes: v.routes.map((r: any) => r.output), interfaces: v.interfaces, firewall: v.firewall.map((r: any) => [r.tool, r.outcome]), uid: v.uid };
  };
  assert.deepEqual(shape(f), shape(full));
});

test('the channel pool: at most `limit` commands at once; a refused channel drops it to one and retries, boundedly', async () => {
  let open = 0;
  let peak = 0;
  let refusals = 0;
  const client = {
    exec(command: string, cb: (err: Error | undefined, stream?: any) => void) {
      if (command === 'refuse-once' && refusals++ === 0) return setImmediate(() => cb(new Error('(SSH) Channel open failure: open failed')));
      open++;
      peak = Math.max(peak, open);
      const stream = new EventEmitter() as any;
      stream.stderr = new EventEmitter();
      stream.close = () => {};
      setImmediate(() => cb(undefined, stream));
      setTimeout(() => {
        open--;
        stream.emit('data', Buffer.from(command));
        stream.emit('close', 0);
      }, 20);
    },
  };
  const pool = new ChannelPool(client as any, 3);
  const outs = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((c) => pool.run(c, 2000)));
  assert.deepEqual(outs.map((o) => o.stdout), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.equal(peak, 3, 'never more than the limit at once');
  peak = 0;
  const again = await Promise.all(['x', 'refuse-once', 'y', 'z'].map((c) => pool.run(c, 2000)));
  assert.deepEqual(again.map((o) => o.stdout), ['x', 'refuse-once', 'y', 'z'], 'the refused command was retried');
  assert.equal(pool.concurrency, 1);
  // a server that refuses even a lone channel: the command fails after its retries, not forever
  let tries = 0;
  const never = new ChannelPool({ exec: (_c: string, cb: (err: Error) => void) => (tries++, setImmediate(() => cb(new Error('(SSH) Channel open failure: open failed')))) } as any, 4);
  await assert.rejects(never.run('x', 2000), /Channel open failure/);
  assert.equal(tries, 4);
});

test('a host that does not hold the GitLab address: no VPC interface is made up from the default route', { skip }, async () => {
  const f = await readGitlabHost(target());
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const r = evaluateRule(hostRoute, makeFacts((x) => {
    x.input.gitlab.host = '192.0.2.10';
    x.hosts.gitlabHost = f;
  }));
  assert.equal(r.status, 'warn', r.message);
  assert.equal(r.messageId, 'notGitlabHost');
  assert.equal(r.data.host, '127.0.0.1');
  assert.equal(r.data.gitlab, '192.0.2.10');
  assert.doesNotMatch(r.message, /the VPC interface/);
});

test('non-root read (stub tools on a real sshd): refusals are recorded per tool, sudo -n refused, rule undecided', { skip }, async () => {
  stubMode('refused');
  // without probe.gitlabHost.sudo, sudo is never tried
  const plain = await readGitlabHost(stubTarget());
  assert.equal(plain.state, 'ok', JSON.stringify(plain));
  assert.deepEqual((plain as any).value.firewall.map((r: any) => [r.outcome, r.sudo]), [['permission-denied', undefined], ['permission-denied', undefined]]);
  assert.ok(!existsSync(join(stubDir, 'sudo.log')), 'sudo was not run');
  const pr = evaluateRule(hostRoute, makeFacts((x) => {
    x.input.gitlab.host = '127.0.0.1';
    x.hosts.gitlabHost = ok({ ...(plain as any).value, routes: (plain as any).value.routes.map((r: any) => ({ target: r.target, dev: 'lo', output: `${r.target} dev lo` })) });
  }));
  assert.equal(pr.messageId, 'firewallUnread');
  assert.match(JSON.stringify(pr.evidence), /probe\.gitlabHost\.sudo is not set/);
  assert.match(pr.remediation, /probe\.gitlabHost\.sudo: true/);
  const f = await readGitlabHost(stubTarget(), { sudo: true });
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const v = (f as any).value as HostRouteRead;
  assert.equal(v.uid, 1000);
  assert.equal(v.routes.length, 3, 'the route reads still ran');
  const [ipt, nft] = v.firewall!;
  assert.deepEqual(
    { outcome: ipt!.outcome, exitCode: ipt!.exitCode, path: ipt!.path, sudo: ipt!.sudo?.outcome },
    { outcome: 'permission-denied', exitCode: 4, path: join(stubDir, 'iptables-save'), sudo: 'refused' },
  );
  assert.match(ipt!.stderr!, /Permission denied \(you must be root\)/);
  assert.match(ipt!.sudo!.stderr!, /a password is required/);
  assert.deepEqual({ outcome: nft!.outcome, exitCode: nft!.exitCode, sudo: nft!.sudo?.outcome }, { outcome: 'permission-denied', exitCode: 1, sudo: 'refused' });
  assert.match(nft!.stderr!, /Operation not permitted/);
  assert.deepEqual(v.firewallLines, []);
  // the two tools are read at once, so their sudo lines may come in either order
  const log = readFileSync(join(stubDir, 'sudo.log'), 'utf8').trim().split('\n').sort();
  assert.deepEqual(log, [`-n ${join(stubDir, 'iptables-save')} tty=no`, `-n ${join(stubDir, 'nft')} list ruleset tty=no`], 'sudo only ever with -n, stdin not a terminal');
  // the rule: the firewall part is undecided, not "no firewall rule drops it". Routes are made to
  // leave via lo (the interface holding 127.0.0.1) so the firewall part is what decides.
  const facts = makeFacts((x) => {
    x.input.gitlab.host = '127.0.0.1';
    x.hosts.gitlabHost = ok({ ...v, routes: v.routes.map((r) => ({ target: r.target, dev: 'lo', output: `${r.target} dev lo` })) });
  });
  const r = evaluateRule(hostRoute, facts);
  assert.equal(r.status, 'error', r.message);
  assert.equal(r.messageId, 'firewallUnread');
  assert.equal(r.data.cause, 'permission-denied');
  assert.equal(r.data.tools, 'iptables-save, nft');
  assert.match(r.remediation, /sudo -n/);
});

test('non-root read (stub tools): sudo -n allowed reads the rule sets', { skip }, async () => {
  stubMode('allowed');
  const f = await readGitlabHost(stubTarget(), { sudo: true });
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const v = (f as any).value as HostRouteRead;
  assert.deepEqual(v.firewall!.map((r) => [r.outcome, r.sudo?.outcome, r.command]), [
    ['permission-denied', 'read', `sudo -n ${join(stubDir, 'iptables-save')}`],
    ['permission-denied', 'read', `sudo -n ${join(stubDir, 'nft')} list ruleset`],
  ]);
  assert.deepEqual(v.firewallLines, ['-A INPUT -s 100.104.0.0/16 -j DROP']);
});

test('non-root read (stub tools): a sudo that hangs is bounded by the timeout and recorded', { skip }, async () => {
  // the same reads with a sudo that answers at once: what the session costs on this machine (a login
  // shell's startup files may take a second per command), so the bound below is about the hang alone
  stubMode('refused');
  let t0 = Date.now();
  const ref = await readGitlabHost(stubTarget(4000), { sudo: true });
  const refMs = Date.now() - t0;
  assert.equal(ref.state, 'ok', JSON.stringify(ref));
  stubMode('hang');
  t0 = Date.now();
  // 4 s per command, well under the 12 s the hung sudo takes
  const f = await readGitlabHost(stubTarget(4000), { sudo: true });
  const ms = Date.now() - t0;
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const v = (f as any).value as HostRouteRead;
  assert.deepEqual(v.firewall!.map((r) => [r.outcome, r.sudo?.outcome]), [['permission-denied', 'timeout'], ['permission-denied', 'timeout']]);
  // bounded: the two tools' sudo retries wait at once, so one time limit more than the quick run
  // (one after the other would be 8 s more; unbounded, 12 s more), with 3.5 s for a loaded machine
  assert.ok(ms < refMs + 4000 + 3500, `bounded: ${ms} ms, the same reads without the hang ${refMs} ms`);
});

test('an unknown host key is refused with its fingerprint', { skip }, async () => {
  const empty = join(sshd.dir, 'empty_known_hosts');
  writeFileSync(empty, '');
  const f = await readGitlabHost(target({ knownHostsFile: empty }));
  assert.equal(f.state, 'unavailable');
  assert.match((f as any).message, /host key of \[127\.0\.0\.1\]:\d+ \(SHA256:[A-Za-z0-9+/]+\) is not in .*ssh-keyscan/);
});

test('a changed host key is refused', { skip }, async () => {
  const other = join(sshd.dir, 'other_known_hosts');
  writeFileSync(other, `[127.0.0.1]:${sshd.port} ssh-ed25519 ${Buffer.from('not-the-key').toString('base64')}\n`);
  await assert.rejects(connectSsh(target({ knownHostsFile: other })), /host key of .* changed/);
});

test('a key the server does not accept fails authentication', { skip }, async () => {
  const { execFileSync } = await import('node:child_process');
  const k = join(sshd.dir, 'stranger');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]);
  await assert.rejects(connectSsh(target({ privateKeyFile: k })), /SSH authentication as root@\[127\.0\.0\.1\]:\d+ failed/);
});

test('router read (Linux) and an unsupported flavor', { skip }, async () => {
  const f = await readIdcRouter(target());
  assert.equal(f.state, 'ok');
  assert.match((f as any).value.command, /ip -o route get 100\.104\.0\.1/);
  const cisco = await readIdcRouter(target(), 'cisco');
  assert.equal(cisco.state, 'unavailable');
  assert.match((cisco as any).message, /not supported yet/);
});

test('jump host: forwardOut opens a stream to a loopback service', { skip }, async (t) => {
  const echo: Server = createServer((s) => s.end('hello from behind the jump host\n'));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  t.after(() => echo.close());
  const client = await connectSsh(target());
  t.after(() => client.end());
  const stream = await forward(client, '127.0.0.1', (echo.address() as any).port);
  const text = await new Promise<string>((r) => {
    stream.end();
    let s = '';
    stream.on('data', (d: Buffer) => (s += d));
    stream.on('end', () => r(s));
  });
  assert.equal(text, 'hello from behind the jump host\n');
  const r = await exec(client, 'echo ok');
  assert.equal(r.stdout.trim(), 'ok');
});

test('an SSH server that never finishes the handshake is bounded by the timeout', async (t) => {
  const sockets = new Set<Socket>();
  const silent: Server = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const t0 = Date.now();
  const f = await readGitlabHost({ host: '127.0.0.1', port: (silent.address() as any).port, username: 'x', knownHostsFile: '/dev/null', readyTimeoutMs: 500 });
  assert.equal(f.state, 'unavailable');
  assert.equal((f as any).reason, 'timeout');
  assert.ok(Date.now() - t0 < 4000);
});

test('the loopback guard refuses a private SSH target', async () => {
  await assert.rejects(
    connectSsh({ host: '192.168.1.20', port: 22, username: 'x', knownHostsFile: '/dev/null', readyTimeoutMs: 500 }, { env: { ACR_PREFLIGHT_LOOPBACK_ONLY: '1' } }),
    /refusing to connect to 192\.168\.1\.20/,
  );
});

import * as crypto from 'node:crypto';
function require_crypto() {
  return crypto;
}

test('no key file and no agent: one clear error before any connection', () => {
  assert.throws(
    () => resolveSshTarget({ host: '127.0.0.1', username: 'ops' }, '/', { HOME: '/nonexistent' }),
    (e: any) => e.code === 'ERR_SSH_KEY' && /no SSH key for ops@127\.0\.0\.1: set privateKeyFile, or run an ssh-agent/.test(e.message),
  );
  // with an agent socket named, the agent is used
  const t = resolveSshTarget({ host: '127.0.0.1', username: 'ops' }, '/', { HOME: '/nonexistent', SSH_AUTH_SOCK: '/tmp/agent.sock' });
  assert.equal(t.agent, '/tmp/agent.sock');
});
