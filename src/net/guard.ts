// Test-safety guard. The test harness sets ACR_PREFLIGHT_LOOPBACK_ONLY=1; then every probe (HTTP,
// TCP, SSH, jump host) refuses to dial anything but loopback, unless the process runs inside a
// network namespace the test created (the test sets ACR_PREFLIGHT_NETNS=<name> when it launches a
// process with `ip netns exec`). World files use private addresses; they must be mapped to loopback
// with probe.connectTo, never dialled from the root namespace.
import { isIPv4 } from './cidr.js';

export class TargetRefused extends Error {
  readonly code = 'ERR_TARGET_REFUSED';
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIPv4(host) && host.startsWith('127.');
}

export function assertTargetAllowed(host: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.ACR_PREFLIGHT_LOOPBACK_ONLY !== '1') return;
  if (env.ACR_PREFLIGHT_NETNS) return;
  if (isLoopback(host)) return;
  throw new TargetRefused(
    `refusing to connect to ${host}: ACR_PREFLIGHT_LOOPBACK_ONLY=1 allows only loopback outside a test network namespace (map it with probe.connectTo)`,
  );
}
