// Small helpers shared by the provision steps: CR calls that honour IsSuccess, error codes, bounded
// polling with backoff, abortable sleep.
import type { CloudApi, Product } from '../cloud/api.js';

/** A CR business failure (HTTP 200, IsSuccess:false) or any call error, with its code. */
export class CallFailed extends Error {
  constructor(
    readonly product: Product,
    readonly action: string,
    readonly code: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(`${product}:${action} failed: ${code}: ${message}`);
    this.name = 'CallFailed';
  }
}

/** The API code of an error thrown by a call, or "" when it has none. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; data?: { Code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.data?.Code === 'string') return e.data.Code;
  return '';
}

/**
 * Call an action; an answer with `IsSuccess: false` (how CR reports business failures, api-facts §1.1)
 * is thrown as CallFailed with its Code. Aborts and transport errors pass through unchanged.
 */
export async function call(api: CloudApi, product: Product, action: string, params: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, any>> {
  signal.throwIfAborted();
  const body = await api.call(product, action, params, { signal });
  // only cr answers carry IsSuccess (the other products' models have no such field)
  if (product === 'cr' && body && body.IsSuccess === false) {
    throw new CallFailed(product, action, String(body.Code ?? 'UNKNOWN'), 'IsSuccess is false', 200);
  }
  return body ?? {};
}

export function abortError(signal: AbortSignal): Error {
  const r = signal.reason;
  if (r instanceof Error) return r;
  return Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** setTimeout as a promise that rejects when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Backoff {
  /** first wait (ms) */
  minMs: number;
  /** longest wait (ms) */
  maxMs: number;
  factor?: number;
}

export class Waiter {
  private delay: number;
  constructor(private readonly b: Backoff) {
    this.delay = b.minMs;
  }
  /** the next wait, clipped to what is left before the deadline */
  next(leftMs: number): number {
    const d = Math.max(0, Math.min(this.delay, leftMs));
    this.delay = Math.min(this.b.maxMs, Math.ceil(this.delay * (this.b.factor ?? 1.6)));
    return d;
  }
  reset(): void {
    this.delay = this.b.minMs;
  }
}

/** Upper-case a status value for comparison (the API answers both "success" and "SUCCESS"). */
export function normStatus(s: unknown): string {
  return typeof s === 'string' ? s.trim().toUpperCase() : '';
}

/** Pages of a CR list action (PageNo/PageSize), bounded. */
export async function listAll(api: CloudApi, action: string, params: Record<string, unknown>, field: string, signal: AbortSignal, maxPages = 50): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const body = await call(api, 'cr', action, { ...params, PageNo: page, PageSize: 100 }, signal);
    const items = Array.isArray(body[field]) ? (body[field] as Record<string, any>[]) : [];
    out.push(...items);
    const total = Number(body.TotalCount);
    if (items.length < 100 || (Number.isFinite(total) && out.length >= total)) break;
  }
  return out;
}
