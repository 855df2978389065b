// The one pager: reading a list action whole, page by page, under a bound. A list that is not read
// whole is an error, never a silent partial list: a verdict on part of a route table or a rule set
// would be a verdict on the wrong thing. A caller that wants only the first pages (the newest records)
// says so explicitly (`firstPagesOnly`).
//
// The products page in two ways, both served by `readPages` below:
// - by number (PageNumber/PageSize; CR: PageNo; SLB ACL entries: Page): the answer carries a total
//   (TotalCount, TotalAclEntry; sometimes a string), and the list ends on a short page or when the
//   total is reached. Without a total, a full page is followed by the next one.
// - by cursor (NextToken with MaxResults/MaxResult): the list ends when the answer has no NextToken;
//   a cursor that comes back twice would page forever and is a malformed answer.

export class TooManyPages extends Error {
  readonly code = 'TooManyPages';
  constructor(what: string, pages: number) {
    super(`${what}: more than ${pages} pages; the list was not read whole, so it cannot be judged`);
    this.name = 'TooManyPages';
  }
}

export class PagingLoop extends Error {
  readonly code = 'MalformedResponse';
  constructor(what: string, token: string) {
    super(`${what}: the NextToken ${token} came back twice; paging would not end`);
    this.name = 'PagingLoop';
  }
}

export interface PagingOptions {
  /** the action, for the error ("vpc:DescribeRouteEntryList") */
  what: string;
  /** the most pages read before the list counts as too long (default 50) */
  maxPages?: number;
  /** read only this many first pages and return them, whole or not (e.g. the newest records) */
  firstPagesOnly?: number;
}

/**
 * The loop every list goes through: `fetch(cursor)` answers one page and the cursor of the next
 * (undefined: this was the last page). Throws TooManyPages past the bound.
 */
async function readPages<T, C>(first: C, fetch: (cursor: C) => Promise<{ items: T[]; next?: C }>, o: PagingOptions): Promise<T[]> {
  const limit = o.firstPagesOnly ?? o.maxPages ?? 50;
  const out: T[] = [];
  let cursor = first;
  for (let page = 1; page <= limit; page++) {
    const { items, next } = await fetch(cursor);
    out.push(...items);
    if (next === undefined) return out;
    cursor = next;
  }
  if (o.firstPagesOnly !== undefined) return out;
  throw new TooManyPages(o.what, limit);
}

export interface PageByNumberOptions extends PagingOptions {
  pageSize: number;
}

/**
 * PageNumber/PageSize (or PageNo, Page) paging: `fetch(page)` answers one page's items (page 1 first)
 * and, when the API says it, the total. Ends on a short page or when the total is reached.
 */
export async function pageByNumber<T>(fetch: (page: number) => Promise<{ items: T[]; total?: number }>, o: PageByNumberOptions): Promise<T[]> {
  let read = 0;
  return readPages(
    1,
    async (page) => {
      const { items, total } = await fetch(page);
      read += items.length;
      const done = items.length < o.pageSize || (total !== undefined && Number.isFinite(total) && read >= total);
      return done ? { items } : { items, next: page + 1 };
    },
    o,
  );
}

/**
 * NextToken paging: `fetch(token)` answers one page's items and the NextToken of the answer (the
 * first call has none). Ends when an answer has no NextToken (absent or empty).
 */
export async function pageByToken<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; nextToken?: string | null }>, o: PagingOptions): Promise<T[]> {
  const seen = new Set<string>();
  return readPages<T, string | undefined>(
    undefined,
    async (token) => {
      const { items, nextToken } = await fetch(token);
      if (!nextToken) return { items };
      if (seen.has(nextToken)) throw new PagingLoop(o.what, nextToken);
      seen.add(nextToken);
      return { items, next: nextToken };
    },
    o,
  );
}

/** A total as the APIs send it (a number, or a numeric string in a few answers); absent → undefined. */
export function totalOf(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
