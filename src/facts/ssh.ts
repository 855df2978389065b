// SSH reads with ssh2 (loaded lazily): the GitLab host's routes, addresses and firewall for
// 100.104.0.0/16, the IDC router's route, and tunnels through a jump host. Host keys are checked
// against known_hosts; an unknown or changed key is refused with its fingerprint — never trusted
// silently.
// Size: each SSH read and the pure parser of its output stay side by side, so a command and the
// reading of what it prints change in one place.
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Client, ConnectConfig } from 'ssh2';
import type { SshTarget } from '../config/types.js';
import { resolveSecret } from '../config/secrets.js';
import { assertTargetAllowed } from '../net/guard.js';
import { sleep } from '../util/sleep.js';
import type { Fact, FirewallToolRead, HostRouteRead, RouterRead } from './types.js';

export interface SshConnectTarget {
  host: string;
  port: number;
  username: string;
  privateKey?: Buffer;
  passphrase?: string;
  /** SSH agent socket, used when no private key is given */
  agent?: string;
  knownHostsFile: string;
  readyTimeoutMs: number;
}

export class SshError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p.startsWith('~/') ? `${env.HOME ?? homedir()}${p.slice(1)}` : p;
}

/** Config target → connection parameters (reads the key file and the passphrase secret). */
export function resolveSshTarget(t: SshTarget, baseDir: string, env: NodeJS.ProcessEnv, timeoutMs = 8000): SshConnectTarget {
  const abs = (p: string) => {
    const e = expandHome(p, env);
    return e.startsWith('/') ? e : `${baseDir}/${e}`;
  };
  const knownHostsFile = abs(t.knownHostsFile ?? '~/.ssh/known_hosts');
  let privateKey: Buffer | undefined;
  if (t.privateKeyFile) {
    const f = abs(t.privateKeyFile);
    if (!existsSync(f)) throw new SshError(`SSH key file ${f} does not exist (set privateKeyFile, or leave it out to use the SSH agent)`, 'ERR_SSH_KEY');
    privateKey = readFileSync(f);
  }
  if (!privateKey && !env.SSH_AUTH_SOCK) {
    // only keys authenticate (no passwords): without a key file or an agent nothing can
    throw new SshError(`no SSH key for ${t.username}@${t.host}: set privateKeyFile, or run an ssh-agent holding the key (SSH_AUTH_SOCK is not set)`, 'ERR_SSH_KEY');
  }
  return {
    host: t.host,
    port: t.port ?? 22,
    username: t.username,
    ...(privateKey ? { privateKey } : {}),
    ...(t.passphrase ? { passphrase: resolveSecret(t.passphrase, baseDir, env, 'SSH key passphrase') } : {}),
    ...(!privateKey && env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {}),
    knownHostsFile,
    readyTimeoutMs: timeoutMs,
  };
}

/** SHA256:base64 fingerprint of a raw public-key blob, as `ssh-keygen -lf` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

/** The keys known_hosts lists for host:port (plain, wildcard and hashed entries); revoked keys apart. */
export function knownKeys(text: string, host: string, port: number): { keys: Buffer[]; revoked: Buffer[] } {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const keys: Buffer[] = [];
  const revoked: Buffer[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]!.startsWith('@')) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    if (fields.length < 3 || marker === '@cert-authority') continue;
    const [hosts, , b64] = fields as [string, string, string];
    let matched = false;
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      const h = createHmac('sha1', Buffer.from(salt ?? '', 'base64')).update(name).digest('base64');
      matched = h === hash;
    } else {
      let negated = false;
      for (const pat of hosts.split(',')) {
        if (pat.startsWith('!')) {
          if (globMatch(pat.slice(1), name)) negated = true;
        } else if (globMatch(pat, name)) matched = true;
      }
      if (negated) matched = false;
    }
    if (!matched) continue;
    (marker === '@revoked' ? revoked : keys).push(Buffer.from(b64, 'base64'));
  }
  return { keys, revoked };
}

/** Connects and authenticates; rejects with a one-line SshError (host key, auth, timeout). */
/**
 * Connects and verifies the host key. `signal`: when it aborts (the run failed or was interrupted),
 * the connection is ended at once, whether it is still connecting or already in use.
 */
export async function connectSsh(t: SshConnectTarget, opts: { env?: NodeJS.ProcessEnv; sock?: Duplex; localAddress?: string; signal?: AbortSignal } = {}): Promise<Client> {
  if (!opts.sock) assertTargetAllowed(t.host, opts.env);
  if (opts.signal?.aborted) throw new SshError(`SSH to ${t.host} not started: the run was ended`, 'ABORT_ERR');
  const { Client: SshClient } = await import('ssh2');
  let known: { keys: Buffer[]; revoked: Buffer[] };
  try {
    known = knownKeys(readFileSync(t.knownHostsFile, 'utf8'), t.host, t.port);
  } catch {
    known = { keys: [], revoked: [] };
  }
  const label = t.port === 22 ? t.host : `[${t.host}]:${t.port}`;
  let rejected: SshError | undefined;
  const cfg: ConnectConfig = {
    host: t.host,
    port: t.port,
    username: t.username,
    readyTimeout: t.readyTimeoutMs,
    ...(t.privateKey ? { privateKey: t.privateKey } : {}),
    ...(t.passphrase ? { passphrase: t.passphrase } : {}),
    ...(t.agent ? { agent: t.agent } : {}),
    ...(opts.sock ? { sock: opts.sock as ConnectConfig['sock'] } : {}),
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    hostVerifier: (key: Buffer) => {
      const fp = fingerprint(key);
      if (known.revoked.some((k) => k.equals(key))) {
        rejected = new SshError(`host key of ${label} (${fp}) is marked @revoked in ${t.knownHostsFile}`, 'ERR_SSH_HOSTKEY');
        return false;
      }
      if (known.keys.some((k) => k.equals(key))) return true;
      rejected = new SshError(
        known.keys.length
          ? `host key of ${label} changed: it offers ${fp}, ${t.knownHostsFile} lists another key — verify with its administrator before you update known_hosts`
          : `host key of ${label} (${fp}) is not in ${t.knownHostsFile} — verify the fingerprint, then add it: ssh-keyscan -p ${t.port} ${t.host} >> ${t.knownHostsFile}`,
        'ERR_SSH_HOSTKEY',
      );
      return false;
    },
  };
  const client = new SshClient();
  return await new Promise<Client>((resolve, reject) => {
    let settled = false;
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return; // later errors of a connection we already gave up on
      settled = true;
      client.end();
      if (rejected) return reject(rejected);
      if (err.level === 'client-authentication') return reject(new SshError(`SSH authentication as ${t.username}@${label} failed (${err.message})`, 'ERR_SSH_AUTH'));
      if (/timed out/i.test(err.message)) return reject(new SshError(`SSH to ${label} timed out during the handshake after ${t.readyTimeoutMs} ms`, 'ETIMEDOUT'));
      reject(new SshError(`SSH to ${label} failed: ${err.message}`, (err as { code?: string }).code ?? 'ERR_SSH'));
    });
    const { signal } = opts;
    if (signal) {
      const onAbort = () => {
        client.end();
        if (!settled) {
          settled = true;
          reject(new SshError(`SSH to ${label} stopped: the run was ended`, 'ABORT_ERR'));
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      client.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    client.connect(cfg);
  });
}

/** Runs a command with a time limit; returns stdout, stderr and the exit code. On timeout the channel is closed. */
export function exec(client: Client, command: string, timeoutMs = 8000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let channel: { close(): void } | undefined;
    const timer = setTimeout(() => {
      try {
        channel?.close();
      } catch {
        // already closed
      }
      reject(new SshError(`command timed out after ${timeoutMs} ms: ${command}`, 'ETIMEDOUT'));
    }, timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(new SshError(`exec failed: ${err.message}`, 'ERR_SSH_EXEC'));
    };
    try {
      client.exec(command, (err, stream) => {
        if (err) return fail(err);
        channel = stream;
        let stdout = '';
        let stderr = '';
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    } catch (err) {
      // ssh2 throws "Not connected" synchronously once the connection has gone
      fail(err as Error);
    }
  });
}

/** Opens a TCP stream to host:port from the SSH server (direct-tcpip). */
export function forward(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(new SshError(`jump host could not open ${host}:${port}: ${err.message}`, 'ERR_SSH_FORWARD')) : resolve(stream)));
  });
}

// ---------------------------------------------------------------------------------------------
// Parsers (pure; exported for tests)

export function parseRouteGet(line: string): { dev?: string; via?: string; src?: string; type?: string } {
  const out: { dev?: string; via?: string; src?: string; type?: string } = {};
  const first = line.trim().split(/\s+/)[0];
  if (first && /^(unreachable|blackhole|prohibit|throw|local|broadcast)$/.test(first)) out.type = first;
  const m = (k: string) => new RegExp(`\\b${k}\\s+(\\S+)`).exec(line)?.[1];
  const dev = m('dev');
  const via = m('via');
  const src = m('src');
  if (dev) out.dev = dev;
  if (via) out.via = via;
  if (src) out.src = src;
  return out;
}

/** `ip -o -4 addr show` → interfaces with their IPv4 CIDRs. */
export function parseAddrShow(text: string): { name: string; addresses: string[] }[] {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet\s+(\d+\.\d+\.\d+\.\d+\/\d+)/.exec(line.trim());
    if (!m) continue;
    const list = map.get(m[1]!) ?? [];
    list.push(m[2]!);
    map.set(m[1]!, list);
  }
  return [...map].map(([name, addresses]) => ({ name, addresses }));
}

const REVERSE_MENTION = /100\.104\.|100\.64\.0\.0\/10|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.0\.0\/(1[0-5]|\d)\b/;

/** Firewall lines (iptables-save / nft list ruleset) that drop or reject traffic touching 100.104.0.0/16. */
export function firewallLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => REVERSE_MENTION.test(l) && /\b(DROP|REJECT|drop|reject)\b/.test(l));
}

/** Addresses spread over 100.104.0.0/16 whose routes we read. */
export const ROUTE_PROBES = ['100.104.0.1', '100.104.128.1', '100.104.255.254'];

// Firewall reads. Each tool runs in its own exec, so its exit status and stderr are its own (a
// pipeline with 2>/dev/null hid "Permission denied (you must be root)" behind exit 0). The script
// is POSIX sh passed to `sh -c '…'` (the login shell may be anything) and holds no single quote.
// Non-root users often lack the sbin directories on PATH, so they are appended: a tool that is
// merely off PATH is not reported as "not installed".

export const FIREWALL_TOOLS = [
  { tool: 'iptables-save', args: '' },
  { tool: 'nft', args: ' list ruleset' },
] as const satisfies readonly { tool: FirewallToolRead['tool']; args: string }[];

const SBIN = '/usr/local/sbin:/usr/sbin:/sbin';
const PATH_MARK = '@acrp-path';
const MISSING_MARK = '@acrp-missing';

/** The remote command that reads one firewall tool, optionally through `sudo -n` (never prompts: -n, stdin /dev/null). */
export function firewallCommand(tool: FirewallToolRead['tool'], args: string, viaSudo = false): string {
  const find = `PATH="$PATH:${SBIN}"; export PATH; p=$(command -v ${tool} 2>/dev/null) || { echo "${MISSING_MARK} ${tool}" >&2; exit 127; }; echo "${PATH_MARK} $p"`;
  const run = viaSudo
    ? `command -v sudo >/dev/null 2>&1 || { echo "${MISSING_MARK} sudo" >&2; exit 127; }; exec sudo -n "$p"${args} </dev/null`
    : `exec "$p"${args} </dev/null`;
  return `sh -c '${find}; ${run}'`;
}

/** The kernel refused the read: iptables "Permission denied (you must be root)", nft "Operation not permitted". */
const DENIED = /permission denied|operation not permitted|you must be root|\bEPERM\b|\bEACCES\b/i;
/** sudo -n declined to run it without a password, a tty or a sudoers entry. */
const SUDO_REFUSED = /password is required|not in the sudoers|may not run sudo|not allowed to (run|execute)|must have a tty|terminal is required|no tty present|askpass/i;

function stderrHead(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith(MISSING_MARK));
  const head = lines.slice(0, 3).join(' / ');
  return head ? (head.length > 300 ? `${head.slice(0, 297)}...` : head) : undefined;
}

/** Splits our path marker off the tool's stdout. */
function splitPath(stdout: string): { path?: string; output: string } {
  const nl = stdout.indexOf('\n');
  const first = nl === -1 ? stdout : stdout.slice(0, nl);
  if (!first.startsWith(`${PATH_MARK} `)) return { output: stdout };
  return { path: first.slice(PATH_MARK.length + 1).trim(), output: nl === -1 ? '' : stdout.slice(nl + 1) };
}

/** Outcome of one direct firewall-tool exec (pure; exported for tests). */
export function classifyFirewallRead(r: { code: number | null; stdout: string; stderr: string }, tool: string): { outcome: FirewallToolRead['outcome']; path?: string; output: string; stderr?: string } {
  const { path, output } = splitPath(r.stdout);
  const stderr = stderrHead(r.stderr);
  const base = { ...(path ? { path } : {}), ...(stderr ? { stderr } : {}) };
  if (r.stderr.includes(`${MISSING_MARK} ${tool}`)) return { outcome: 'not-installed', output: '', ...base };
  // a refusal counts even with exit 0: an empty rule set that was never read must not look clean
  if (DENIED.test(r.stderr)) return { outcome: 'permission-denied', output: '', ...base };
  if (r.code === 0) return { outcome: 'read', output, ...base };
  return { outcome: 'error', output: '', ...base };
}

/** Outcome of the `sudo -n` retry (pure; exported for tests). */
export function classifySudoRead(r: { code: number | null; stdout: string; stderr: string }): { outcome: NonNullable<FirewallToolRead['sudo']>['outcome']; output: string; stderr?: string } {
  const { output } = splitPath(r.stdout);
  const stderr = stderrHead(r.stderr);
  const base = stderr ? { stderr } : {};
  if (r.stderr.includes(`${MISSING_MARK} sudo`)) return { outcome: 'not-installed', output: '', ...base };
  if (r.code === 0) return { outcome: 'read', output, ...base };
  if (SUDO_REFUSED.test(r.stderr)) return { outcome: 'refused', output: '', ...base };
  return { outcome: 'error', output: '', ...base };
}

type ExecResult = { code: number | null; stdout: string; stderr: string };
type TryResult = ExecResult | { timeout: true } | { failed: string };

/** sshd refused a further session channel on this connection (OpenSSH's MaxSessions, default 10). */
const OPEN_REFUSED = /channel open failure|open failed|administratively prohibited/i;

/**
 * Runs commands over one connection, at most `limit` session channels at a time (the reads are
 * independent, so they need not wait for each other's round trips). A server that allows fewer
 * sessions (MaxSessions) refuses a channel: the pool then runs one at a time and retries it
 * (at most three times; a server that refuses even a lone channel fails the command).
 * Each command's time limit starts when its channel is requested.
 */
export class ChannelPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly client: Client,
    private limit = 4,
  ) {}

  get concurrency(): number {
    return this.limit;
  }

  async run(command: string, timeoutMs: number): Promise<ExecResult> {
    for (let attempt = 0; ; attempt++) {
      await this.acquire();
      try {
        return await exec(this.client, command, timeoutMs);
      } catch (err) {
        const e = err as { code?: string; message?: string };
        // refused while others were open: wait for them, then try alone (a few times, a moment
        // apart: the server may still be counting a session whose close is in flight)
        if (attempt < 3 && e.code === 'ERR_SSH_EXEC' && OPEN_REFUSED.test(e.message ?? '')) {
          this.limit = 1;
          if (attempt > 0) await sleep(50 * attempt);
          continue;
        }
        throw err;
      } finally {
        this.release();
      }
    }
  }

  async try(command: string, timeoutMs: number): Promise<TryResult> {
    try {
      return await this.run(command, timeoutMs);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      return e.code === 'ETIMEDOUT' ? { timeout: true } : { failed: e.message ?? String(err) };
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => (this.active++, resolve())));
  }

  private release(): void {
    this.active--;
    while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()!();
  }
}

/** One firewall tool: the direct read, then (when asked and refused as non-root) one `sudo -n` retry. */
async function readFirewallTool(pool: ChannelPool, tool: FirewallToolRead['tool'], args: string, uid: Promise<number | undefined>, timeoutMs: number, sudo: boolean): Promise<{ read: FirewallToolRead; text: string }> {
  const r = await pool.try(firewallCommand(tool, args), timeoutMs);
  if ('timeout' in r) return { read: { tool, command: `${tool}${args}`, outcome: 'timeout', stderr: `no answer within ${timeoutMs} ms` }, text: '' };
  if ('failed' in r) return { read: { tool, command: `${tool}${args}`, outcome: 'error', stderr: r.failed }, text: '' };
  const c = classifyFirewallRead(r, tool);
  const shown = `${c.path ?? tool}${args}`;
  const read: FirewallToolRead = { tool, command: shown, ...(c.path ? { path: c.path } : {}), outcome: c.outcome, exitCode: r.code, ...(c.outcome !== 'read' && c.stderr ? { stderr: c.stderr } : {}) };
  let text = c.outcome === 'read' ? `${c.output}\n` : '';
  if (c.outcome === 'permission-denied' && sudo && (await uid) !== 0) {
    const s = await pool.try(firewallCommand(tool, args, true), timeoutMs);
    if ('timeout' in s) read.sudo = { outcome: 'timeout', stderr: `no answer within ${timeoutMs} ms` };
    else if ('failed' in s) read.sudo = { outcome: 'error', stderr: s.failed };
    else {
      const sc = classifySudoRead(s);
      read.sudo = { outcome: sc.outcome, exitCode: s.code, ...(sc.outcome !== 'read' && sc.stderr ? { stderr: sc.stderr } : {}) };
      if (sc.outcome === 'read') {
        read.command = `sudo -n ${shown}`;
        text += `${sc.output}\n`;
      }
    }
  }
  return { read, text };
}

/**
 * Reads iptables-save and nft list ruleset, each on its own and both at once, recording per tool
 * whether it could be read and why not. With `sudo` (probe.gitlabHost.sudo: the user asked for it:
 * a refused sudo is logged and may alert on the host), a non-root user whose read is refused gets
 * one `sudo -n` retry per tool. Each exec is bounded by timeoutMs. `uid` may still be in flight: it
 * is awaited only when a refusal makes it matter.
 */
export async function readFirewall(pool: ChannelPool, uid: Promise<number | undefined> | number | undefined, timeoutMs: number, sudo = false): Promise<{ reads: FirewallToolRead[]; text: string }> {
  const uidP = Promise.resolve(uid);
  const results = await Promise.all(FIREWALL_TOOLS.map(({ tool, args }) => readFirewallTool(pool, tool, args, uidP, timeoutMs, sudo)));
  return { reads: results.map((r) => r.read), text: results.map((r) => r.text).join('') };
}

// ---------------------------------------------------------------------------------------------
// Reads

const now = () => new Date().toISOString();

function failed(err: unknown, source: string): Fact<never> {
  const e = err as { message?: string; code?: string };
  return {
    state: 'unavailable',
    reason: e.code === 'ETIMEDOUT' ? 'timeout' : 'probe-failed',
    message: e.message ?? String(err),
    ...(e.code ? { code: e.code } : {}),
    source,
    at: now(),
  };
}

/**
 * Reads routing and firewall state for 100.104.0.0/16 on the GitLab host. Raw evidence only: the
 * routes, the interfaces and their addresses, the default-route device, and per firewall tool
 * whether it could be read. Which interface is the VPC one, and whether this is the GitLab host at
 * all, is the rule's call (it knows GitLab's addresses, including an SLB's backends).
 */
export async function readGitlabHost(t: SshConnectTarget, opts: { env?: NodeJS.ProcessEnv; sock?: Duplex; sudo?: boolean; signal?: AbortSignal } = {}): Promise<Fact<HostRouteRead>> {
  const source = `ssh:${t.username}@${t.host}`;
  let client: Client | undefined;
  try {
    client = await connectSsh(t, opts);
    // every read is independent: they share the connection's round trips (a few channels at a time)
    const pool = new ChannelPool(client);
    const ms = t.readyTimeoutMs;
    const uidP = pool.try('id -u', ms).then((id) => {
      const text = 'code' in id && id.code === 0 ? id.stdout.trim() : '';
      return /^\d+$/.test(text) ? Number(text) : undefined;
    });
    const routesP = Promise.all(
      ROUTE_PROBES.map(async (target) => {
        const r = await pool.run(`ip -o route get ${target}`, ms);
        const output = (r.stdout || r.stderr).trim();
        return { target, output, ...parseRouteGet(output) };
      }),
    );
    const addrsP = pool.run('ip -o -4 addr show', ms);
    const defP = pool.run('ip -o route show default', ms);
    const fwP = readFirewall(pool, uidP, ms, opts.sudo === true);
    // the first failure ends the read (the connection closes in finally; the others then fail, handled)
    const [routes, addrs, def, uid, fw] = await Promise.all([routesP, addrsP, defP, uidP, fwP]);
    const interfaces = parseAddrShow(addrs.stdout);
    const defaultRouteDev = parseRouteGet(def.stdout.split('\n')[0] ?? '').dev;
    return {
      state: 'ok',
      value: {
        host: t.host,
        user: t.username,
        ...(uid !== undefined ? { uid } : {}),
        routes,
        interfaces,
        firewallLines: firewallLines(fw.text),
        firewall: fw.reads,
        ...(defaultRouteDev ? { defaultRouteDev } : {}),
      },
      source,
      at: now(),
    };
  } catch (err) {
    return failed(err, source);
  } finally {
    client?.end();
  }
}

/** Reads the IDC router's route for 100.104.0.0/16. Only Linux routers are parsed. */
export async function readIdcRouter(t: SshConnectTarget, flavor: RouterRead['flavor'] = 'linux', opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<Fact<RouterRead>> {
  const source = `ssh:${t.username}@${t.host}`;
  if (flavor !== 'linux') {
    return {
      state: 'unavailable',
      reason: 'error',
      message: `reading a ${flavor} router is not supported yet (only Linux routers are parsed); use datacenter.attest.returnRoute`,
      source,
      at: now(),
    };
  }
  let client: Client | undefined;
  try {
    client = await connectSsh(t, opts);
    const command = 'ip -o route get 100.104.0.1';
    const r = await exec(client, command, t.readyTimeoutMs);
    const output = (r.stdout || r.stderr).trim();
    const parsed = parseRouteGet(output);
    const route = parsed.type && parsed.type !== 'local' ? undefined : { ...(parsed.dev ? { dev: parsed.dev } : {}), ...(parsed.via ? { via: parsed.via } : {}) };
    return { state: 'ok', value: { host: t.host, flavor, command, output, ...(route && (route.dev || route.via) ? { route } : {}) }, source, at: now() };
  } catch (err) {
    return failed(err, source);
  } finally {
    client?.end();
  }
}
