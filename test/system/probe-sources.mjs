// Runs inside the builder namespace: connect to TARGET:PORT from each source address, HTTP GET /,
// print one JSON line {source: "ok"|"refused"|"timeout"|...}. Plain JS so it starts fast.
import http from 'node:http';

const [target, port, timeoutMs, ...sources] = process.argv.slice(2);
const one = (src) =>
  new Promise((resolve) => {
    const req = http.get({ host: target, port: Number(port), path: '/', localAddress: src, timeout: Number(timeoutMs) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `http-${res.statusCode}`));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve('timeout');
    });
    req.on('error', (e) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' ? 'timeout' : e.code ?? 'error'));
  });
const out = {};
await Promise.all(sources.map(async (s) => (out[s] = await one(s))));
process.stdout.write(`${JSON.stringify(out)}\n`);
