// The documented pagination styles. Each action picks its own (docs/alibaba-api.md, "Pagination"):
// NextToken + MaxResults (ECS, SLB listeners), NextToken + MaxResult (DescribeRouteEntryList),
// PageNumber/PageSize (VPC, SLB), Page/PageSize (SLB ACL entries), PageNo/PageSize (cr).
import { InvalidParameter } from './errors.js';
import type { Params } from './params.js';

export interface TokenPage<T> {
  items: T[];
  /** '' when there are no more pages */
  nextToken: string;
  maxResults: number;
  total: number;
}

/** NextToken is opaque to callers; ours encodes the offset. */
function encodeToken(offset: number): string {
  return Buffer.from(`off:${offset}`).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^off:(\d+)$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

export function tokenPage<T>(
  all: T[],
  p: Params,
  opts: { sizeParam?: string; def: number; min: number; max: number },
): TokenPage<T> {
  const sizeParam = opts.sizeParam ?? 'MaxResults';
  const size = p.int(sizeParam, { min: opts.min, max: opts.max }) ?? opts.def;
  const token = p.str('NextToken');
  let offset = 0;
  if (token !== undefined) {
    const o = decodeToken(token);
    if (o === undefined || o > all.length) throw new InvalidParameter('NextToken', 'the token is not valid', 'InvalidNextToken.Malformed');
    offset = o;
  }
  const items = all.slice(offset, offset + size);
  const next = offset + size < all.length ? encodeToken(offset + size) : '';
  return { items, nextToken: next, maxResults: size, total: all.length };
}

export interface NumberPage<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

export function numberPage<T>(
  all: T[],
  p: Params,
  opts: { pageParam: 'PageNumber' | 'PageNo' | 'Page'; def: number; max: number; cap?: boolean },
): NumberPage<T> {
  const page = p.int(opts.pageParam, { min: 1 }) ?? 1;
  let size = p.int('PageSize', { min: 1, max: opts.cap ? undefined : opts.max }) ?? opts.def;
  if (opts.cap) size = Math.min(size, opts.max);
  const items = all.slice((page - 1) * size, page * size);
  return { items, page, size, total: all.length };
}

/** Deprecated PageNumber/PageSize still accepted by ECS Describe* when no token paging is asked for. */
export function usesLegacyPaging(p: Params): boolean {
  return (p.has('PageNumber') || p.has('PageSize')) && !p.has('MaxResults') && !p.has('NextToken');
}
