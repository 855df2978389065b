// probe.connectTo: "host:port" -> "host:port". An entry is keyed on host AND port. A host that has
// entries must be dialled through one of them: an endpoint on that host whose port no entry covers
// is a mistake in the config (a tunnel on the wrong port, a typo), never a reason to dial the real
// address behind the user's back.

export interface HostPort {
  host: string;
  port: number;
}

/** "192.168.1.10:443" / "[fd00::1]:443" -> host (brackets stripped, lower case) and port */
export function splitHostPort(s: string): HostPort {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i).replace(/^\[|\]$/g, '').toLowerCase(), port: Number(s.slice(i + 1)) };
}

export type ConnectToLookup =
  | { kind: 'direct' }
  | { kind: 'mapped'; key: string; to: HostPort; label: string }
  | { kind: 'uncovered'; keys: string[] };

/** Where to dial host:port under probe.connectTo. */
export function lookupConnectTo(connectTo: Record<string, string> | undefined, host: string, port: number): ConnectToLookup {
  const want = host.replace(/^\[|\]$/g, '').toLowerCase();
  const sameHost: string[] = [];
  for (const [key, value] of Object.entries(connectTo ?? {})) {
    const k = splitHostPort(key);
    if (k.host !== want) continue;
    if (k.port === port) return { kind: 'mapped', key, to: splitHostPort(value), label: value };
    sameHost.push(key);
  }
  return sameHost.length ? { kind: 'uncovered', keys: sameHost } : { kind: 'direct' };
}

/** The one-line problem for an endpoint that probe.connectTo maps on another port only. */
export function uncoveredProblem(endpoint: string, host: string, port: number, keys: string[]): string {
  const show = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const list = keys.map((k) => `"${k}"`).join(', ');
  return `${endpoint} is dialled as ${show}, but probe.connectTo maps ${host} only on ${list}: add an entry for "${show}" or fix the port, so the probe does not go around the mapping to the real address`;
}
