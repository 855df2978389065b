// Reading a list action whole, page by page. A list that is not read whole is an error, never a
// silent partial list: a verdict on part of a route table or a rule set would be a verdict on the
// wrong thing. A caller that wants only the first pages (the newest records) says so explicitly.

export class TooManyPages extends Error {
  readonly code = 'TooManyPages';
  constructor(what: string, pages: number) {
    super(`${what}: more than ${pages} pages; the list was not read whole, so it cannot be judged`);
    this.name = 'TooManyPages';
  }
}

export interface PageByNumberOptions {
  /** the action, for the error */
  what: string;
  pageSize: number;
  /** the most pages read before the list counts as too long (default 50) */
  maxPages?: number;
  /** read only this many first pages and return them, whole or not (e.g. the newest records) */
  firstPagesOnly?: number;
}

/**
 * PageNumber/PageSize (or PageNo) paging: `fetch(page)` answers one page's items and, when the API
 * says it, the total. Ends on a short page or when the total is reached.
 */
export async function pageByNumber<T>(fetch: (page: number) => Promise<{ items: T[]; total?: number }>, o: PageByNumberOptions): Promise<T[]> {
  const limit = o.firstPagesOnly ?? o.maxPages ?? 50;
  const out: T[] = [];
  for (let page = 1; page <= limit; page++) {
    const { items, total } = await fetch(page);
    out.push(...items);
    if (items.length < o.pageSize || (total !== undefined && Number.isFinite(total) && out.length >= total)) return out;
  }
  if (o.firstPagesOnly !== undefined) return out;
  throw new TooManyPages(o.what, limit);
}
