// Protocol and port matching shared by security-group and network-ACL evaluation.

/** Does an ECS IpProtocol (TCP, ALL, a number) cover TCP? */
export function protocolCoversTcp(p: string): boolean {
  const v = p.trim().toUpperCase();
  return v === 'TCP' || v === 'ALL' || v === '6' || v === '-1';
}

/** "start/end" -> [start, end]; "-1/-1" (all) -> [1, 65535]; unparsable -> undefined. */
export function parsePortRange(range: string): [number, number] | undefined {
  const m = /^\s*(-?\d+)\s*\/\s*(-?\d+)\s*$/.exec(range);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a === -1 && b === -1) return [1, 65535];
  if (a < 1 || b > 65535 || a > b) return undefined;
  return [a, b];
}

export function portInRange(port: number, range: string): boolean {
  const r = parsePortRange(range);
  return r !== undefined && port >= r[0] && port <= r[1];
}

/** Ephemeral ports a TCP client picks; replies to the builder go to one of these. */
export const EPHEMERAL: [number, number] = [1024, 65535];
