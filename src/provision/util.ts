// Small helpers shared by the provision steps: calls that honour the run's signal, error codes,
// bounded polling with backoff, paged CR lists.
import type { CloudApi, Product } from '../cloud/api.js';
import { pageByNumber } from '../cloud/paging.js';

export { sleep } from '../util/sleep.js';

/** The API code of an error thrown by a call, or "" when it has none. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; data?: { Code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.data?.Code === 'string') return e.data.Code;
  return '';
}

/**
 * Call an action unless the run was aborted. A CR business failure (`IsSuccess: false`) is already an
 * error with its Code here: the cloud client decides that, in one place (`assertAnswer`).
 */
export async function call(api: CloudApi, product: Product, action: string, params: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, any>> {
  signal.throwIfAborted();
  return (await api.call(product, action, params, { signal })) ?? {};
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

/**
 * Every item of a CR list action (PageNo/PageSize); more than 50 pages is an error. `firstPagesOnly`
 * reads just that many first pages, for callers that want the newest records only.
 */
export async function listAll(
  api: CloudApi,
  action: string,
  params: Record<string, unknown>,
  field: string,
  signal: AbortSignal,
  o: { firstPagesOnly?: number } = {},
): Promise<Record<string, any>[]> {
  const pageSize = 100;
  return pageByNumber(
    async (page) => {
      const body = await call(api, 'cr', action, { ...params, PageNo: page, PageSize: pageSize }, signal);
      const items = Array.isArray(body[field]) ? (body[field] as Record<string, any>[]) : [];
      const total = body.TotalCount === undefined ? undefined : Number(body.TotalCount);
      return { items, ...(total !== undefined ? { total } : {}) };
    },
    { what: `cr:${action}`, pageSize, ...o },
  );
}
