import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { whileWaiting } from '../../src/util/while-waiting.js';

// a server that answers after `delay` ms, logging when each request arrived in full
let server: Server;
let port = 0;
const arrivals: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(req.url ?? '');
      const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
      setTimeout(() => res.end('ok'), delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** requests whose last byte has been handed to the OS */
const sent = new Set<string>();

function get(path: string, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent: false }, (res) => {
      let s = '';
      res.on('data', (d) => (s += d));
      res.on('end', () => resolve(s));
    });
    req.on('error', reject);
    req.on('finish', () => sent.add(path));
    req.end(body);
  });
}

const turn = () => new Promise((r) => setImmediate(r));

test('tasks wait for a request, run only once every request is sent, one per turn of the event loop', async () => {
  const log: string[] = [];
  const w = whileWaiting([() => log.push(`a: sent ${[...sent].sort().join(' ')}`), () => log.push('b'), () => log.push('c')]);
  // no request yet: nothing runs however long the loop turns
  for (let i = 0; i < 5; i++) await turn();
  assert.deepEqual(log, []);
  arrivals.length = 0;
  const answers = Promise.all([get('/1?delay=150', 'x'.repeat(200_000)), get('/2?delay=150')]);
  // one task per turn: after the first ran, the others have not yet
  const t0 = Date.now();
  while (!log.length && Date.now() - t0 < 5000) await turn();
  assert.equal(log.length, 1, log.join());
  // the whole of both requests (the big body too) was handed over before the first task ran
  assert.equal(log[0], 'a: sent /1?delay=150 /2?delay=150');
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(log.slice(1), ['b', 'c']);
  assert.deepEqual([...arrivals].sort(), ['/1?delay=150', '/2?delay=150'], 'both arrived while the answers were pending');
  assert.deepEqual(await answers, ['ok', 'ok']);
  w.cancel();
});

test('a request created while the tasks run holds the rest until it is sent; cancel drops what is left', async () => {
  const log: string[] = [];
  let pending: Promise<string> | undefined;
  const w = whileWaiting([
    () => {
      log.push('first');
      pending = get('/3?delay=100', 'y'.repeat(100_000));
    },
    () => log.push(`second: /3 sent ${sent.has('/3?delay=100')}`),
    () => log.push('third'),
  ]);
  const a = get('/4?delay=300');
  const t0 = Date.now();
  while (log.length < 2 && Date.now() - t0 < 5000) await turn();
  // the request the first task made was sent in full before the second task ran
  assert.deepEqual(log, ['first', 'second: /3 sent true']);
  w.cancel();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(log.length, 2, 'cancelled: the third never runs');
  assert.equal(await pending, 'ok');
  assert.equal(await a, 'ok');
});

test('a task that throws or rejects does not stop the ones after it', async () => {
  const log: string[] = [];
  const w = whileWaiting([
    () => {
      throw new Error('boom');
    },
    () => Promise.reject(new Error('later boom')),
    () => log.push('ran'),
  ]);
  const a = get('/5?delay=100');
  const t0 = Date.now();
  while (!log.length && Date.now() - t0 < 5000) await turn();
  assert.deepEqual(log, ['ran']);
  assert.equal(await a, 'ok');
  w.cancel();
});

test('afterSent: starts once the requests made so far are sent, or once the ones ahead settle without a request', async () => {
  const { afterSent } = await import('../../src/util/while-waiting.js');
  const log: string[] = [];
  const ahead = get('/6?delay=200', 'z'.repeat(100_000));
  let answered = false;
  void ahead.then(() => (answered = true));
  const started = afterSent([ahead], () => {
    log.push(`started: /6 sent ${sent.has('/6?delay=200')}, answered ${answered}`);
    return 'rest';
  });
  assert.equal(await started, 'rest');
  // started once /6 was sent in full, long before its answer
  assert.deepEqual(log, ['started: /6 sent true, answered false']);
  assert.equal(await ahead, 'ok');
  // nothing ahead makes a request: it starts when they settle
  assert.equal(await afterSent([Promise.resolve(1), Promise.reject(new Error('x'))], () => 'anyway'), 'anyway');
});
