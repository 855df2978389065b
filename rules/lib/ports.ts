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

/**
 * The ports a TCP client (the ACR builder) picks its source port from, so the ports replies go
 * back to. Alibaba's network-ACL overview: "Clients randomly select an ephemeral port to receive
 * responses. To support all client types, set the ephemeral port range to 1024-65535."
 * (https://www.alibabacloud.com/help/en/vpc/network-acl-overview). Both the network-ACL reply
 * check and security-group rules limited by source port (SourcePortRange) use this one range.
 */
export const EPHEMERAL: [number, number] = [1024, 65535];

/** Does a rule's source-port range (absent = any port) include every port a client may pick? */
export function coversClientPorts(sourcePortRange: string | undefined): boolean {
  if (!sourcePortRange) return true;
  const r = parsePortRange(sourcePortRange);
  return r !== undefined && r[0] <= EPHEMERAL[0] && r[1] >= EPHEMERAL[1];
}

/** Does a rule's source-port range (absent = any port) include any port a client may pick? */
export function touchesClientPorts(sourcePortRange: string | undefined): boolean {
  if (!sourcePortRange) return true;
  const r = parsePortRange(sourcePortRange);
  return r !== undefined && r[0] <= EPHEMERAL[1] && r[1] >= EPHEMERAL[0];
}
