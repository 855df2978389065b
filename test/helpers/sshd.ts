// A real OpenSSH sshd on 127.0.0.1 for tests: generated host and client keys, a known_hosts file
// that lists the host key, stopped by PID in after().
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p));

export interface Sshd {
  port: number;
  dir: string;
  clientKeyFile: string;
  knownHostsFile: string;
  hostPublicKey: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Starts sshd. `setEnv` goes into sshd_config as SetEnv (applied to every session after sshd's own
 * defaults, so it can replace PATH, e.g. to put stub commands first); `config` lines are appended
 * as they are (e.g. `MaxSessions 1`).
 */
export async function startSshd(opts: { listen?: string; user?: string; setEnv?: Record<string, string>; config?: string[] } = {}): Promise<Sshd> {
  if (!SSHD) throw new Error('sshd is not installed (apt-get install openssh-server)');
  const dir = mkdtempSync(join(tmpdir(), 'acrp-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  mkdirSync('/run/sshd', { recursive: true });
  const port = await freePort();
  const listen = opts.listen ?? '127.0.0.1';
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      `ListenAddress ${listen}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      'StrictModes no',
      'UsePAM no',
      'LogLevel ERROR',
      // HOME is the server's own directory: the sessions' shell does not run the startup files of
      // this machine's root account (a version manager's init there costs ~1 s per command)
      // (one SetEnv line: sshd takes the first line of a keyword and ignores the rest)
      `SetEnv ${Object.entries({ HOME: dir, ...opts.setEnv }).map(([k, v]) => `${k}=${v}`).join(' ')}`,
      ...(opts.config ?? []),
    ].join('\n') + '\n',
  );
  const hostPublicKey = readFileSync(`${hostKey}.pub`, 'utf8').trim();
  const [type, key] = hostPublicKey.split(/\s+/);
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[${listen}]:${port} ${type} ${key}\n`);
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  // wait until it accepts connections (bounded)
  const t0 = Date.now();
  for (;;) {
    const up = await new Promise<boolean>((r) => {
      const s = require_net().connect(port, listen, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() - t0 > 10_000) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    dir,
    clientKeyFile: clientKey,
    knownHostsFile,
    hostPublicKey,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import * as net from 'node:net';
function require_net() {
  return net;
}
