// A TCP proxy on loopback that adds a known round-trip time to every connection through it, so the
// bench can count the round trips a probe needs. Each direction's bytes are held for half the
// round trip, in order. The TCP handshake with the proxy itself is the kernel's and cannot be held,
// so the client's first bytes (a TLS ClientHello or an HTTP request, sent as soon as it connects)
// are held one more round trip: what the client sees is the same as a handshake that took one.
// Loopback only, bounded in connections, closed by the bench.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  port: number;
  /** round trip added to every connection, in ms (0 = none) */
  rttMs: number;
  connections: number;
  close(): Promise<void>;
}

const MAX_CONNECTIONS = 2_000;

/** Forwards `from` to `to`, each chunk delivered `delay(first)` ms after it arrived, order kept. */
function pipeDelayed(from: Socket, to: Socket, delay: (first: boolean) => number): void {
  let due = 0;
  let first = true;
  from.on('data', (chunk: Buffer) => {
    const wait = delay(first);
    first = false;
    due = Math.max(due, performance.now() + wait);
    const at = due;
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, Math.max(0, at - performance.now()));
  });
  from.on('end', () => {
    setTimeout(() => to.end(), Math.max(0, due - performance.now()));
  });
}

export async function startDelayProxy(target: { host: string; port: number }, rttMs: number): Promise<DelayProxy> {
  if (!/^127\.|^::1$|^localhost$/.test(target.host)) throw new Error(`the delay proxy forwards to loopback only, not ${target.host}`);
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((client) => {
    if (++count > MAX_CONNECTIONS) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const half = rttMs / 2;
    pipeDelayed(client, upstream, (first) => (first ? rttMs + half : half));
    pipeDelayed(upstream, client, () => half);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    rttMs,
    get connections() {
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
