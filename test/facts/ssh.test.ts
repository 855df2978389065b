// SSH reads against a real OpenSSH sshd on 127.0.0.1: host-key checking, the GitLab-host read,
// the router read, a jump-host tunnel, and bounded handshakes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  connectSsh, exec, firewallLines, fingerprint, forward, knownKeys, parseAddrShow, parseRouteGet, readGitlabHost, readIdcRouter,
  resolveSshTarget,
} from '../../src/facts/ssh.js';
import { SSHD, startSshd, type Sshd } from '../helpers/sshd.js';

const skip = SSHD ? false : 'sshd is not installed';
let sshd: Sshd;
const target = (extra: Record<string, unknown> = {}) =>
  resolveSshTarget({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKeyFile: sshd.clientKeyFile, knownHostsFile: sshd.knownHostsFile, ...extra }, '/', process.env, 5000);

before(async () => {
  if (!skip) sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
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
  const f = await readGitlabHost(target(), '127.0.0.1');
  assert.equal(f.state, 'ok', JSON.stringify(f));
  const v = (f as any).value;
  assert.equal(v.routes.length, 3);
  assert.ok(v.routes.every((r: any) => r.target.startsWith('100.104.')));
  assert.ok(v.interfaces.some((i: any) => i.name === 'lo'));
  assert.equal(v.vpcInterface, 'lo', 'the interface that holds the GitLab address');
});

test('an unknown host key is refused with its fingerprint', { skip }, async () => {
  const empty = join(sshd.dir, 'empty_known_hosts');
  writeFileSync(empty, '');
  const f = await readGitlabHost(target({ knownHostsFile: empty }), '127.0.0.1');
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
  const f = await readGitlabHost({ host: '127.0.0.1', port: (silent.address() as any).port, username: 'x', knownHostsFile: '/dev/null', readyTimeoutMs: 500 }, undefined);
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
