// Work that can wait for the network: a check spends most of its life waiting for API answers, and
// code it needs only later (the rules, the engine, the report) can be loaded in that wait instead of
// before the first request. Node announces every HTTP client request on a diagnostics channel; once
// at least one request exists and every request so far has been handed to the OS in full, the
// process has nothing to do but wait, and the tasks run, one per turn of the event loop so that an
// answer arriving meanwhile is read between two of them. Best effort: nothing may depend on a task
// having run (the code that needs a module still imports it; a prefetched one is then ready).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

const CHANNEL = 'http.client.request.start';

export interface WhileWaiting {
  /** stop: tasks not yet run are dropped */
  cancel(): void;
}

/** Runs `tasks` in order while the process waits for HTTP answers (see the top of this file). */
export function whileWaiting(tasks: readonly (() => unknown)[]): WhileWaiting {
  const queue = [...tasks];
  const sending = new Set<ClientRequest>();
  let seen = false;
  let scheduled = false;
  let done = false;

  const finish = () => {
    if (done) return;
    done = true;
    queue.length = 0;
    unsubscribe(CHANNEL, onRequest);
  };
  const next = () => {
    scheduled = false;
    if (done) return;
    // a request created meanwhile is sent first; the next one to be sent schedules the rest
    if (sending.size) return;
    const task = queue.shift();
    if (!task) return finish();
    try {
      const r = task();
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      // a prefetch that fails is done again, and reported, by the code that needs it
    }
    schedule();
  };
  const schedule = () => {
    if (scheduled || done || !seen || sending.size) return;
    scheduled = true;
    setImmediate(next);
  };
  function onRequest(message: unknown): void {
    const request = (message as { request?: ClientRequest }).request;
    if (!request || done) return;
    seen = true;
    sending.add(request);
    const sent = () => {
      if (!sending.delete(request)) return;
      schedule();
    };
    request.once('finish', sent);
    request.once('error', sent);
    request.once('close', sent);
  }
  subscribe(CHANNEL, onRequest);
  return { cancel: finish };
}

/**
 * `start()` once the HTTP requests of `ahead` are on their way: when every request made so far has
 * been sent (see whileWaiting), or when `ahead` have all settled (they may make no request at all),
 * whichever comes first. Calls that feed the next round of a chain go first this way; the rest do
 * their CPU work while the first ones are answered, not before the first ones are sent.
 */
export function afterSent<T>(ahead: readonly Promise<unknown>[], start: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let started = false;
    const go = () => {
      if (started) return;
      started = true;
      waiting.cancel();
      try {
        resolve(start());
      } catch (err) {
        reject(err);
      }
    };
    const waiting = whileWaiting([go]);
    void Promise.allSettled(ahead).then(go);
  });
}
