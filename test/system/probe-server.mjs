// Runs inside the builder namespace for the randomised differential test. Reads one JSON request a
// line on stdin: {"id", "target", "port", "timeoutMs", "tries": [[sourceAddress, sourcePort], ...]}
// and answers one JSON line {"id", "results": ["ok" | "blocked" | "error:CODE", ...]}: whether a TCP
// handshake from that source address and port to target:port completes (the request and the reply
// both got through). An established probe is ended with a reset, so no TIME_WAIT is left behind to
// collide with the next probe of the same address and port. Plain JS so it starts fast.
import net from 'node:net';
import readline from 'node:readline';

const one = (target, port, timeoutMs, [localAddress, localPort]) =>
  new Promise((resolve) => {
    const socket = net.connect({ host: target, port, localAddress, localPort });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('blocked');
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.resetAndDestroy();
      resolve('ok');
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      const blocked = ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'].includes(e.code);
      resolve(blocked ? 'blocked' : `error:${e.code ?? e.message}`);
    });
  });

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const q = JSON.parse(line);
  const results = await Promise.all(q.tries.map((t) => one(q.target, q.port, q.timeoutMs, t)));
  process.stdout.write(`${JSON.stringify({ id: q.id, results })}\n`);
});
rl.on('close', () => process.exit(0));
process.stdout.write('{"ready":true}\n');
