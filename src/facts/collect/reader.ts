// Every API call the collectors make goes through here: the call under the collection's signal,
// the evidence sink (one entry per call), the answer checked against its schema and returned typed
// (src/facts/responses.ts), and whole lists through the one pager (src/cloud/paging.ts).
import type { CloudApi, CloudCallError, Product } from '../../cloud/api.js';
import { pageByNumber, pageByToken, totalOf } from '../../cloud/paging.js';
import { parseResponse, warmResponseSchemas, type ActionKey, type ResponseOf } from '../responses.js';
import { whileWaiting, type WhileWaiting } from '../../util/while-waiting.js';
import type { Fact } from '../types.js';
import { factFromError, okF } from './facts.js';

/** pages read of one list at most (1,000 pages of 100 route entries is far beyond any VBR's quota) */
export const MAX_PAGES = 1000;

export type CallRecord = { product: Product; action: string; params: Record<string, unknown>; ok: boolean; code?: string; ms: number };

export interface TokenPaging {
  /** the page size parameter: MaxResults (most), MaxResult (DescribeRouteEntryList) */
  pageKey?: string;
  pageSize?: number;
}

export interface NumberPaging {
  pageSize?: number;
  /** the page number parameter: PageNumber (most), Page (SLB ACL entries) */
  numberKey?: string;
  /** the total in the answer: TotalCount (most), TotalAclEntry (SLB ACL entries) */
  totalKey?: string;
}

export class CloudReader {
  /** answer schemas to build while the calls that need them are in flight (each is built once) */
  private readonly toWarm = new Set<ActionKey>();
  private warming: WhileWaiting | undefined;

  constructor(
    private readonly api: CloudApi,
    private readonly signal: AbortSignal,
    private readonly onCall?: (e: CallRecord) => void,
  ) {}

  /** One call; its answer typed, or a MalformedResponse naming the field that differs. */
  async read<K extends ActionKey>(key: K, params: Record<string, unknown>): Promise<ResponseOf<K>> {
    const [product, action] = key.split(':') as [Product, string];
    this.warmWhileWaiting(key);
    const t0 = performance.now();
    let body: Record<string, unknown>;
    try {
      body = await this.api.call(product, action, params, { signal: this.signal });
    } catch (err) {
      this.onCall?.({ product, action, params, ok: false, code: (err as CloudCallError).code, ms: performance.now() - t0 });
      throw err;
    }
    try {
      const typed = parseResponse(key, body);
      this.onCall?.({ product, action, params, ok: true, ms: performance.now() - t0 });
      return typed;
    } catch (err) {
      this.onCall?.({ product, action, params, ok: false, code: 'MalformedResponse', ms: performance.now() - t0 });
      throw err;
    }
  }

  /** Every item of a NextToken list (MaxResults pages), or an error: never a partial list. */
  byToken<K extends ActionKey, T>(key: K, params: Record<string, unknown>, pick: (b: ResponseOf<K>) => T[], o: TokenPaging = {}): Promise<T[]> {
    const { pageKey = 'MaxResults', pageSize = 100 } = o;
    return pageByToken(
      async (token) => {
        const b = await this.read(key, { ...params, [pageKey]: pageSize, ...(token ? { NextToken: token } : {}) });
        return { items: pick(b), nextToken: tokenOf(b) };
      },
      { what: key.split(':')[1]!, maxPages: MAX_PAGES },
    );
  }

  /** Every item of a PageNumber/PageSize list, or an error: never a partial list. */
  byNumber<K extends ActionKey, T>(key: K, params: Record<string, unknown>, pick: (b: ResponseOf<K>) => T[], o: NumberPaging = {}): Promise<T[]> {
    const { pageSize = 50, numberKey = 'PageNumber', totalKey = 'TotalCount' } = o;
    return pageByNumber(
      async (page) => {
        const b = await this.read(key, { ...params, [numberKey]: page, PageSize: pageSize });
        const total = totalOf((b as Record<string, unknown>)[totalKey]);
        return { items: pick(b), ...(total !== undefined ? { total } : {}) };
      },
      { what: key.split(':')[1]!, pageSize, maxPages: MAX_PAGES },
    );
  }

  /**
   * The schema of `key`'s answer is built while the round's requests are on their way, not when the
   * answer arrives (then it would add to the round's time); nothing depends on it being built early.
   */
  private warmWhileWaiting(key: ActionKey): void {
    this.toWarm.add(key);
    this.warming ??= whileWaiting([
      () => {
        this.warming = undefined;
        const keys = [...this.toWarm];
        this.toWarm.clear();
        warmResponseSchemas(keys);
      },
    ]);
  }

  /** Stops waiting to build schemas (the collection is over). */
  close(): void {
    this.warming?.cancel();
    this.warming = undefined;
  }

  /** The value `fn` reads as an available fact, or the reason it could not be read. */
  async fact<T>(source: ActionKey, fn: () => Promise<T>): Promise<Fact<T>> {
    try {
      return okF(await fn(), source);
    } catch (err) {
      return factFromError(err, source);
    }
  }
}

function tokenOf(b: unknown): string | undefined {
  const t = (b as { NextToken?: unknown }).NextToken;
  return typeof t === 'string' && t !== '' ? t : undefined;
}
