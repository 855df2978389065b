// Live GitLab probes: DNS, TCP, TLS (certificate, chain, hostname, expiry), the REST API with the
// token (version, token self-inspection, user, project) and git smart-HTTP discovery. Outcomes are
// a closed vocabulary decided here; what they mean is the rules' call.
//
// The token is never sent over a TLS connection we could not verify.
// Size: connection handling (one verified set of connections per vantage), the probe sequence and
// the reading of GitLab's answers share the closed outcome vocabulary and the token rule.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type {
  Fact, Facts, GitDiscovery, GitlabProject, GitlabUser, HttpProbe, ProbeOutcome, TlsInfo, TokenInfo,
} from './types.js';
import { assertTargetAllowed } from '../net/guard.js';
import { lookupConnectTo, uncoveredProblem } from '../net/connect-to.js';
import { ConfigError } from '../errors.js';

export interface GitlabProbeInput {
  endpoint: string;
  token: string;
  username: string;
  project: string;
  /** PEM text of gitlab.caFile */
  ca?: string;
  /** probe.connectTo: "host:port" -> "host:port" */
  connectTo?: Record<string, string>;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** the run's deadline and Ctrl-C: every socket and request ends when it fires */
  signal?: AbortSignal;
}

/** Opens a raw byte stream to host:port from the jump host (ssh2 forwardOut). */
export type Tunnel = (host: string, port: number) => Promise<Duplex>;

interface Target {
  url: URL;
  scheme: 'http' | 'https';
  host: string; // as written in the endpoint (brackets stripped)
  port: number;
  basePath: string; // "" or "/gitlab"
}

export function parseTarget(endpoint: string): Target {
  const url = new URL(endpoint);
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  return { url, scheme, host, port, basePath: url.pathname.replace(/\/+$/, '') };
}

const now = () => new Date().toISOString();
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

function classify(err: unknown): { outcome: ProbeOutcome; error: string } {
  const e = err as { code?: unknown; name?: string; message?: string };
  // DOMException (AbortSignal.timeout) carries a numeric legacy code (23): use its name
  const code = typeof e?.code === 'string' && e.code ? e.code : e?.name ?? '';
  if (code === 'ECONNREFUSED') return { outcome: 'refused', error: 'ECONNREFUSED' };
  if (code === 'ETIMEDOUT' || code === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ABORT_ERR' || /timed? ?out/i.test(e?.message ?? ''))
    return { outcome: 'timeout', error: code || 'timeout' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { outcome: 'dns-failed', error: code };
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|EPROTO)/.test(code)) return { outcome: 'tls-failed', error: code };
  if (code === 'ERR_TARGET_REFUSED') return { outcome: 'error', error: e.message ?? code };
  if (/authentication/i.test(e?.message ?? '')) return { outcome: 'auth-failed', error: e.message! };
  return { outcome: 'error', error: code ? `${code}: ${e?.message ?? ''}`.trim() : String(e?.message ?? err) };
}

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error(`stopped: ${String((signal.reason as Error | undefined)?.message ?? 'the run was ended')}`), { code: 'ABORT_ERR' });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  let t: NodeJS.Timeout;
  let onAbort: (() => void) | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, rej) => {
      t = setTimeout(() => rej(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
      if (signal) {
        onAbort = () => rej(abortError(signal));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    }),
  ]).finally(() => {
    clearTimeout(t);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
}

/** Resolves with the socket on `ready`, rejects on its first error or after timeoutMs (socket destroyed). */
function settle<S extends Socket>(s: S, ready: 'connect' | 'secureConnect', timeoutMs: number, what: string, signal?: AbortSignal): Promise<S> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => {
      done();
      s.destroy();
      reject(Object.assign(new Error(`${what} timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    const onAbort = () => {
      done();
      s.destroy();
      reject(abortError(signal!));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    s.once(ready, () => {
      done();
      resolve(s);
    });
    s.once('error', (err) => {
      done();
      reject(err);
    });
  });
}

function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  return settle(netConnect({ host, port }), 'connect', timeoutMs, `connect to ${host}:${port}`, signal);
}

function tlsHandshake(raw: Duplex, host: string, servername: string | undefined, ca: string | undefined, timeoutMs: number, verify: boolean, signal?: AbortSignal): Promise<TLSSocket> {
  const s = tlsConnect({
    socket: raw as Socket,
    ...(servername ? { servername } : {}),
    // over a given socket Node checks the name against options.host, default "localhost": check the
    // endpoint's host (an IP literal against the IP SANs), whatever address was dialled
    checkServerIdentity: (_h, cert) => checkServerIdentity(host, cert),
    ...(ca ? { ca: [...rootCertificates, ca] } : {}),
    rejectUnauthorized: verify,
    ALPNProtocols: ['http/1.1'],
  });
  return settle(s, 'secureConnect', timeoutMs, 'TLS handshake', signal);
}

function tlsInfo(s: TLSSocket, host: string, caUsed: boolean): TlsInfo {
  const c = s.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  const name = (o: Record<string, unknown> | undefined) =>
    o ? Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ') : undefined;
  const identityError = c && Object.keys(c).length ? checkServerIdentity(host, c) : new Error('no certificate');
  const iso = (d?: string) => (d ? new Date(d).toISOString() : undefined);
  return {
    protocol: s.getProtocol() ?? undefined,
    cipher: s.getCipher()?.name,
    subject: name(c?.subject as unknown as Record<string, unknown>),
    issuer: name(c?.issuer as unknown as Record<string, unknown>),
    subjectAltNames: c?.subjectaltname ? c.subjectaltname.split(/,\s*/) : [],
    validFrom: iso(c?.valid_from),
    validTo: iso(c?.valid_to),
    fingerprint256: c?.fingerprint256,
    authorized: s.authorized,
    authorizationError: s.authorizationError ? String((s.authorizationError as unknown as { code?: string }).code ?? s.authorizationError) : undefined,
    hostnameMatches: identityError === undefined,
    caFileUsed: caUsed,
  };
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type Dial = () => Promise<Duplex>;

type UndiciClient = InstanceType<typeof import('undici').Client>;

/**
 * An HTTP/1.1 client over one connection that is already open (and, for https, already verified):
 * requests reuse it (keep-alive); should the server close it, the client dials again with `redial`,
 * which verifies anew.
 */
async function clientOver(first: Promise<Duplex>, redial: Dial, host: string, port: number, scheme: string, timeoutMs: number): Promise<UndiciClient> {
  const { Client } = await import('undici');
  const origin = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let pending: Promise<Duplex> | undefined = first;
  return new Client(origin, {
    connect: (_opts, cb) => {
      const take = pending ? pending.catch(() => redial()) : redial();
      pending = undefined;
      take.then((sock) => cb(null, sock as Socket), (err) => cb(err as Error, null));
    },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
}

async function httpGet(client: UndiciClient, path: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
  const res = await client.request({ method: 'GET', path, headers: { 'user-agent': 'acr-preflight', ...headers }, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) });
  const body = await res.body.text();
  return { status: res.statusCode, headers: res.headers as HttpAnswer['headers'], body: body.slice(0, 256 * 1024) };
}

function parseJson(body: string): Record<string, any> | undefined {
  try {
    const v = JSON.parse(body);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why an answer to /api/v4/version is not GitLab's API, or undefined when it is. GitLab answers
 * 200 with {"version": ...}, 401/403 with a JSON error (token problems, judged by gitlab-token),
 * and a 5xx when it is failing (judged as a server error). Anything else (a 404, an HTML page, a
 * body that is not JSON, JSON without a version) comes from something else at that URL.
 */
export function notGitlabAnswer(r: HttpAnswer, json: Record<string, any> | undefined): string | undefined {
  if (r.status >= 500) return undefined;
  if (r.status === 200 && typeof json?.version === 'string') return undefined;
  if ((r.status === 401 || r.status === 403) && json && !Array.isArray(json)) return undefined;
  const ct = String(r.headers['content-type'] ?? '').split(';')[0]!.trim();
  const snippet = r.body.replace(/\s+/g, ' ').trim().slice(0, 80);
  const what = !json ? (ct ? `${ct}, not JSON` : 'not JSON') : 'JSON without a version';
  return `HTTP ${r.status}, ${what}${snippet ? `: "${snippet}${r.body.trim().length > 80 ? '…' : ''}"` : ', empty body'}`;
}

/** A TLS handshake (verification off) on a fresh connection: does the port speak TLS? */
async function speaksTls(dialRaw: () => Promise<Duplex>, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  let raw: Duplex | undefined;
  try {
    raw = await dialRaw();
    const s = tlsConnect({ socket: raw as Socket, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    await settle(s, 'secureConnect', Math.min(timeoutMs, 3000), 'TLS handshake', signal);
    s.destroy();
    return true;
  } catch {
    return false;
  } finally {
    raw?.destroy();
  }
}

function ok<T>(value: T, source: string): Fact<T> {
  return { state: 'ok', value, source, at: now() };
}
function notSent(source: string, message: string): Fact<never> {
  return { state: 'unavailable', reason: 'probe-failed', message, source, at: now() };
}

function countRefs(body: string): number {
  // pkt-lines after the service header; each ref line holds "<40 hex> <ref>"
  return (body.match(/[0-9a-f]{40} refs\//g) ?? []).length;
}

/** Resolves the endpoint host (IP literals resolve to themselves). */
export async function resolveHost(host: string): Promise<Fact<string[]>> {
  if (isIP(host)) return ok([host], 'config');
  try {
    const answers = await lookup(host, { all: true });
    return ok(answers.map((a) => a.address), 'dns');
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return { state: 'unavailable', reason: 'probe-failed', message: `DNS lookup of ${host} failed: ${e.code ?? e.message}`, code: e.code, source: 'dns', at: now() };
  }
}

/** How the jump-host half goes: a tunnel once SSH is up, or why there is none. */
export type JumpVantage = { tunnel: Tunnel; label: string } | { unavailable: Fact<HttpProbe> };

/**
 * Probes GitLab from this machine and, with `jump`, from the jump host. Both vantages run side by
 * side: the local probe does not wait for the SSH connection to the jump host, nor the other way
 * round. Returns the `gitlab` part of the fact snapshot.
 */
export async function collectGitlab(input: GitlabProbeInput, opts: { jump?: Promise<JumpVantage> } = {}): Promise<Facts['gitlab']> {
  const timeoutMs = input.timeoutMs ?? 5000;
  const t = parseTarget(input.endpoint);
  // config validation refuses this already; a probe never goes around a mapping, whoever calls it
  const m = lookupConnectTo(input.connectTo, t.host, t.port);
  if (m.kind === 'uncovered') throw new ConfigError(`gitlab.endpoint: ${uncoveredProblem(input.endpoint, t.host, t.port, m.keys)}`);
  const mapped = m.kind === 'mapped' ? m.label : undefined;
  const addresses = await resolveHost(t.host);
  let dialHost: string | undefined;
  let dialPort = t.port;
  if (m.kind === 'mapped') {
    dialHost = m.to.host;
    dialPort = m.to.port;
  } else if (addresses.state === 'ok') {
    dialHost = addresses.value[0];
  }
  const servername = isIP(t.host) ? undefined : t.host;
  const url = `${t.url.origin}${t.basePath}/api/v4/version`;
  const common = { url, t, servername, ca: input.ca, timeoutMs, token: input.token, username: input.username, project: input.project, ...(input.signal ? { signal: input.signal } : {}) };

  const local = probeOnce({
    ...common,
    vantage: 'local',
    dialLabel: dialHost ? `${dialHost}:${dialPort}` : undefined,
    dialRaw: dialHost
      ? async () => {
          assertTargetAllowed(dialHost!, input.env);
          return tcpConnect(dialHost!, dialPort, timeoutMs, input.signal);
        }
      : undefined,
    dnsError: addresses.state === 'unavailable' ? addresses.message : undefined,
    resolved: addresses.state === 'ok' ? addresses.value : undefined,
    full: true,
  });

  const jump = (async (): Promise<Fact<HttpProbe>> => {
    if (!opts.jump) {
      return { state: 'unavailable', reason: 'not-configured', message: 'probe.jumpHost is not set', hint: 'set probe.jumpHost to also probe GitLab from inside the VPC', source: 'config', at: now() };
    }
    const v = await opts.jump;
    if ('unavailable' in v) return v.unavailable;
    const r = await probeOnce({
      ...common,
      vantage: v.label,
      dialLabel: `${mapped ?? `${t.host}:${t.port}`} via ${v.label}`,
      dialRaw: () => {
        // the jump host dials on our behalf: the same mapping and the same guard apply
        const host = mapped ? dialHost! : t.host;
        assertTargetAllowed(host, input.env);
        return withTimeout(v.tunnel(host, dialPort), timeoutMs, 'jump-host tunnel', input.signal);
      },
      full: false,
    });
    return r.probe;
  })();

  const [l, probeJump] = await Promise.all([local, jump]);
  return { addresses, probeLocal: l.probe, probeJump, tls: l.tls, token: l.token, user: l.user, project: l.project, gitDiscovery: l.discovery };
}

interface ProbeOnceArgs {
  vantage: string;
  url: string;
  t: Target;
  servername?: string;
  ca?: string;
  timeoutMs: number;
  token: string;
  username: string;
  project: string;
  dialLabel?: string;
  dialRaw?: () => Promise<Duplex>;
  dnsError?: string;
  resolved?: string[];
  /** also inspect token, user, project and git discovery */
  full: boolean;
  signal?: AbortSignal;
}

interface ProbeOnceResult {
  probe: Fact<HttpProbe>;
  tls: Fact<TlsInfo | null>;
  token: Fact<TokenInfo>;
  user: Fact<GitlabUser>;
  project: Fact<GitlabProject>;
  discovery: Fact<GitDiscovery>;
}

async function probeOnce(a: ProbeOnceArgs): Promise<ProbeOnceResult> {
  const source = `gitlab:${a.vantage}`;
  const t0 = performance.now();
  const base: HttpProbe = { vantage: a.vantage, url: a.url, ...(a.dialLabel ? { dialed: a.dialLabel } : {}), ...(a.resolved ? { resolvedAddresses: a.resolved } : {}), outcome: 'error', timing: { totalMs: 0 } };
  const finish = (outcome: ProbeOutcome, extra: Partial<HttpProbe>, why: string): ProbeOnceResult => {
    const probe = ok<HttpProbe>({ ...base, outcome, ...extra, timing: { ...base.timing, ...extra.timing, totalMs: ms(t0) } }, source);
    const skipped = notSent(source, why);
    return { probe, tls: skipped, token: skipped, user: skipped, project: skipped, discovery: skipped };
  };
  if (!a.dialRaw) return finish('dns-failed', { error: a.dnsError ?? 'no address' }, `GitLab was not probed: ${a.dnsError ?? 'no address'}`);

  // The critical path is four round trips: TCP, TLS, the version request, then the token, user,
  // project and git requests side by side. So every connection those need is opened at once:
  // the first with verification off, to inspect the certificate whatever it is (and, once we have
  // verified it ourselves, to carry the version request); the others verifying themselves, so
  // that they fail, unused, when the certificate is not trusted. No request carries the token
  // before the version answer, and none goes over a connection that failed verification.
  const dialVerified: Dial = async () => {
    const raw = await a.dialRaw!();
    return a.t.scheme === 'https' ? tlsHandshake(raw, a.t.host, a.servername, a.ca, a.timeoutMs, true, a.signal) : raw;
  };
  const spares: Promise<Duplex>[] = a.full ? [dialVerified(), dialVerified(), dialVerified()] : [];
  for (const p of spares) p.catch(() => {}); // a spare that fails is replaced by a fresh dial when needed
  const closeSpares = () => {
    for (const p of spares) p.then((sock) => sock.destroy(), () => {});
  };
  let connectMs: number | undefined;
  let tlsMs: number | undefined;
  let tls: Fact<TlsInfo | null> = ok(null, 'config');
  let first: Duplex;
  try {
    const tc = performance.now();
    const raw = await a.dialRaw();
    connectMs = ms(tc);
    first = raw;
    if (a.t.scheme === 'https') {
      const th = performance.now();
      const s = await tlsHandshake(raw, a.t.host, a.servername, a.ca, a.timeoutMs, false, a.signal);
      tlsMs = ms(th);
      tls = ok(tlsInfo(s, a.t.host, Boolean(a.ca)), `tls:${a.vantage}`);
      first = s;
    }
  } catch (err) {
    closeSpares();
    const c = classify(err);
    if (a.signal?.aborted) c.error = `the run's deadline ended the ${connectMs === undefined ? 'connection attempt' : 'TLS handshake'} after ${Math.round(ms(t0))} ms`;
    return finish(c.outcome, { error: c.error, timing: { totalMs: 0, ...(connectMs !== undefined ? { connectMs } : {}) } }, `GitLab was not probed: ${c.error}`);
  }
  const timing = { totalMs: 0, ...(connectMs !== undefined ? { connectMs } : {}), ...(tlsMs !== undefined ? { tlsMs } : {}) };
  const trusted = tls.state === 'ok' && (tls.value === null || (tls.value.authorized && tls.value.hostnameMatches));
  if (!trusted) {
    first.destroy();
    closeSpares();
    const info = tls.state === 'ok' ? tls.value : null;
    const why = info ? info.authorizationError ?? (info.hostnameMatches ? 'untrusted' : 'ERR_TLS_CERT_ALTNAME_INVALID') : 'untrusted';
    const r = finish('tls-failed', { error: why, timing }, `not sent: the TLS certificate is not trusted (${why}), so the token was withheld`);
    return { ...r, tls };
  }

  // 2. HTTP over those connections, kept alive.
  const clients = await Promise.all([Promise.resolve(first), ...spares].map((sock) => clientOver(sock, dialVerified, a.t.host, a.t.port, a.t.scheme, a.timeoutMs)));
  try {
    return await requests(a, clients, tls, timing, t0, base, finish);
  } finally {
    closeSpares();
    await Promise.all(clients.map((c) => c.destroy().catch(() => {})));
  }
}

async function requests(
  a: ProbeOnceArgs,
  clients: UndiciClient[],
  tls: Fact<TlsInfo | null>,
  timing: HttpProbe['timing'],
  t0: number,
  base: HttpProbe,
  finish: (outcome: ProbeOutcome, extra: Partial<HttpProbe>, why: string) => ProbeOnceResult,
): Promise<ProbeOnceResult> {
  const source = `gitlab:${a.vantage}`;
  const auth = { 'private-token': a.token };
  const get = (client: UndiciClient, path: string, headers: Record<string, string> = auth) => httpGet(client, `${a.t.basePath}${path}`, headers, a.timeoutMs, a.signal);
  const on = (i: number) => clients[i % clients.length]!;
  let version: HttpAnswer;
  const tf = performance.now();
  try {
    version = await get(on(0), '/api/v4/version');
  } catch (err) {
    const c = classify(err);
    // a plain request to a TLS port: the server drops it (or answers with a TLS alert). Say so.
    if (a.t.scheme === 'http' && !a.signal?.aborted && c.outcome === 'error' && (await speaksTls(a.dialRaw!, a.timeoutMs, a.signal))) {
      const r = finish('speaks-tls', { error: `the port answers a TLS handshake; the plain HTTP request got ${c.error}`, timing }, `GitLab was not asked: ${a.t.host}:${a.t.port} speaks TLS (use https://)`);
      return { ...r, tls };
    }
    // the connection was accepted: a timeout here is a server that does not answer, not a drop
    const layer = a.t.scheme === 'https' ? 'TLS' : 'TCP';
    if (a.signal?.aborted) c.error = `no HTTP answer in ${Math.round(ms(tf))} ms after the ${layer} connection was accepted, when the run's deadline ended the probe`;
    else if (c.outcome === 'timeout') c.error = `no HTTP answer within ${a.timeoutMs} ms after the ${layer} connection was accepted`;
    const r = finish(c.outcome, { error: c.error, timing }, `GitLab did not answer: ${c.error}`);
    return { ...r, tls };
  }
  const firstByteMs = ms(tf);
  const v = parseJson(version.body);
  const notGitlab = notGitlabAnswer(version, v);
  if (notGitlab) {
    // the token goes no further than the one request that found out: the rest of the API is not here
    const r = finish('not-gitlab', { httpStatus: version.status, error: notGitlab, timing: { ...timing, firstByteMs } }, `not asked: the GitLab API is not at ${a.url.replace(/\/version$/, '')} (${notGitlab})`);
    return { ...r, tls };
  }
  const probe = ok<HttpProbe>(
    {
      ...base,
      outcome: 'connected',
      httpStatus: version.status,
      ...(typeof v?.version === 'string' ? { gitlabVersion: v.version } : {}),
      timing: { ...timing, firstByteMs, totalMs: ms(t0) },
    },
    `gitlab:${a.vantage} GET /api/v4/version`,
  );
  if (!a.full) {
    const skipped = notSent(source, 'not inspected from this vantage');
    return { probe, tls, token: skipped, user: skipped, project: skipped, discovery: skipped };
  }
  const soft = async <T>(what: string, fn: () => Promise<T>): Promise<Fact<T>> => {
    try {
      return ok(await fn(), `gitlab:GET ${what}`);
    } catch (err) {
      const c = classify(err);
      return { state: 'unavailable', reason: c.outcome === 'timeout' ? 'timeout' : 'probe-failed', message: `${what}: ${c.error}`, source: `gitlab:GET ${what}`, at: now() };
    }
  };
  const [token, user, project, discovery] = await Promise.all([
    soft('/api/v4/personal_access_tokens/self', async (): Promise<TokenInfo> => {
      const r = await get(on(0), '/api/v4/personal_access_tokens/self');
      const j = r.status === 200 ? parseJson(r.body) : undefined;
      return {
        httpStatus: r.status,
        scopes: Array.isArray(j?.scopes) ? j!.scopes.map(String) : [],
        ...(j?.name !== undefined ? { name: String(j.name) } : {}),
        ...(typeof j?.active === 'boolean' ? { active: j.active } : {}),
        ...(typeof j?.revoked === 'boolean' ? { revoked: j.revoked } : {}),
        ...(j && 'expires_at' in j ? { expiresAt: j.expires_at === null ? null : String(j.expires_at) } : {}),
        ...(typeof j?.user_id === 'number' ? { userId: j.user_id } : {}),
      };
    }),
    soft('/api/v4/user', async (): Promise<GitlabUser> => {
      const r = await get(on(1), '/api/v4/user');
      const j = r.status === 200 ? parseJson(r.body) : undefined;
      return { httpStatus: r.status, ...(j?.username ? { username: String(j.username) } : {}), ...(typeof j?.id === 'number' ? { id: j.id } : {}), ...(j?.state ? { state: String(j.state) } : {}) };
    }),
    soft('/api/v4/projects/:id', async (): Promise<GitlabProject> => {
      const r = await get(on(2), `/api/v4/projects/${encodeURIComponent(a.project)}`);
      const j = r.status === 200 ? parseJson(r.body) : undefined;
      return {
        httpStatus: r.status,
        ...(j?.path_with_namespace ? { pathWithNamespace: String(j.path_with_namespace) } : {}),
        ...(j?.http_url_to_repo ? { httpUrlToRepo: String(j.http_url_to_repo) } : {}),
        ...(j?.default_branch ? { defaultBranch: String(j.default_branch) } : {}),
        ...(j?.visibility ? { visibility: String(j.visibility) } : {}),
        ...(j && typeof j.permissions === 'object' && j.permissions !== null
          ? { projectAccessLevel: accessLevelOf(j.permissions.project_access), groupAccessLevel: accessLevelOf(j.permissions.group_access) }
          : {}),
      };
    }),
    soft('info/refs?service=git-upload-pack', async (): Promise<GitDiscovery> => {
      const basic = Buffer.from(`${a.username}:${a.token}`).toString('base64');
      const r = await get(on(3), `/${a.project}.git/info/refs?service=git-upload-pack`, { authorization: `Basic ${basic}` });
      const ct = String(r.headers['content-type'] ?? '');
      return { httpStatus: r.status, contentType: ct, smart: ct.startsWith('application/x-git-upload-pack-advertisement'), refs: countRefs(r.body) };
    }),
  ]);
  return { probe, tls, token, user, project, discovery };
}

/** permissions.project_access / group_access → its access_level, or null when GitLab shows none */
function accessLevelOf(v: unknown): number | null {
  const level = v && typeof v === 'object' ? (v as { access_level?: unknown }).access_level : undefined;
  return typeof level === 'number' && Number.isInteger(level) ? level : null;
}
