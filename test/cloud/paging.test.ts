// Paging reads a list whole or fails: never a silent partial list.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { pageByNumber, pageByToken, PagingLoop, TooManyPages, totalOf } from '../../src/cloud/paging.js';

/** A list of `n` items served `size` per page, with or without a total. */
function server(n: number, size: number, withTotal = true) {
  const pages: number[] = [];
  const fetch = async (page: number) => {
    pages.push(page);
    const items = Array.from({ length: Math.max(0, Math.min(size, n - (page - 1) * size)) }, (_, i) => (page - 1) * size + i);
    return { items, ...(withTotal ? { total: n } : {}) };
  };
  return { fetch, pages };
}

test('reads every page, ending on the total or on a short page', async () => {
  const a = server(250, 100);
  assert.deepEqual(await pageByNumber(a.fetch, { what: 'x', pageSize: 100 }), Array.from({ length: 250 }, (_, i) => i));
  assert.deepEqual(a.pages, [1, 2, 3]);
  const b = server(200, 100);
  assert.equal((await pageByNumber(b.fetch, { what: 'x', pageSize: 100 })).length, 200);
  assert.deepEqual(b.pages, [1, 2], 'the total ends it without an empty third page');
  const c = server(200, 100, false);
  assert.equal((await pageByNumber(c.fetch, { what: 'x', pageSize: 100 })).length, 200);
  assert.deepEqual(c.pages, [1, 2, 3], 'without a total, the empty page ends it');
});

test('a list longer than the page limit is an error, not the first pages', async () => {
  const long = server(5001, 100);
  await assert.rejects(pageByNumber(long.fetch, { what: 'cr:ListRepoBuildRule', pageSize: 100 }), (e: unknown) => {
    assert.ok(e instanceof TooManyPages);
    assert.equal(e.code, 'TooManyPages');
    assert.match(e.message, /^cr:ListRepoBuildRule: more than 50 pages; the list was not read whole/);
    return true;
  });
  assert.equal(long.pages.length, 50);
  await assert.rejects(pageByNumber(server(30, 10).fetch, { what: 'x', pageSize: 10, maxPages: 2 }), TooManyPages);
});

test('firstPagesOnly returns just those pages, as asked', async () => {
  const s = server(5001, 100);
  const items = await pageByNumber(s.fetch, { what: 'x', pageSize: 100, firstPagesOnly: 5 });
  assert.equal(items.length, 500);
  assert.deepEqual(s.pages, [1, 2, 3, 4, 5]);
});

/** A list of `n` items served `size` per page behind opaque NextTokens ("" or absent on the last page). */
function tokenServer(n: number, size: number, last: '' | 'absent' | null = 'absent') {
  const tokens: (string | undefined)[] = [];
  const fetch = async (token: string | undefined) => {
    tokens.push(token);
    const start = token ? Number(token.slice(4)) : 0;
    const items = Array.from({ length: Math.max(0, Math.min(size, n - start)) }, (_, i) => start + i);
    const more = start + size < n;
    return { items, ...(more ? { nextToken: `tok-${start + size}` } : last === 'absent' ? {} : { nextToken: last }) };
  };
  return { fetch, tokens };
}

test('NextToken paging joins every page; the first call has no token; an absent, empty or null token ends it', async () => {
  for (const last of ['absent', '', null] as const) {
    const s = tokenServer(250, 100, last);
    assert.deepEqual(await pageByToken(s.fetch, { what: 'DescribeRouteEntryList' }), Array.from({ length: 250 }, (_, i) => i), String(last));
    assert.deepEqual(s.tokens, [undefined, 'tok-100', 'tok-200']);
  }
  const one = tokenServer(3, 100);
  assert.deepEqual(await pageByToken(one.fetch, { what: 'x' }), [0, 1, 2]);
  assert.equal(one.tokens.length, 1, 'a single page is one call');
});

test('NextToken paging: past the bound is TooManyPages, a token that comes back is a loop; neither returns the pages read', async () => {
  const long = tokenServer(10_000, 10);
  await assert.rejects(pageByToken(long.fetch, { what: 'DescribeSecurityGroupAttribute', maxPages: 7 }), (e: unknown) => {
    assert.ok(e instanceof TooManyPages);
    assert.equal(e.message, 'DescribeSecurityGroupAttribute: more than 7 pages; the list was not read whole, so it cannot be judged');
    return true;
  });
  assert.equal(long.tokens.length, 7, 'stops at the bound');
  let calls = 0;
  await assert.rejects(
    pageByToken(async () => ({ items: [++calls], nextToken: calls > 2 ? 'again' : `t${calls}` }), { what: 'DescribeInstances' }),
    (e: unknown) => {
      assert.ok(e instanceof PagingLoop);
      assert.equal(e.code, 'MalformedResponse');
      assert.match(e.message, /^DescribeInstances: the NextToken again came back twice/);
      return true;
    },
  );
  assert.equal(calls, 4);
});

test('totals as the products send them: a number, a numeric string (VPC, CR), absent or not a number', async () => {
  assert.equal(totalOf(250), 250);
  assert.equal(totalOf('250'), 250);
  assert.equal(totalOf(undefined), undefined);
  assert.equal(totalOf(''), undefined);
  assert.equal(totalOf('many'), undefined);
  // a string total ends the list like a number would; a total that is not a number does not end it early
  const pages: number[] = [];
  const fetch = (total: unknown) => async (page: number) => {
    pages.push(page);
    return { items: page <= 2 ? Array.from({ length: 50 }, (_, i) => (page - 1) * 50 + i) : [], ...(totalOf(total) !== undefined ? { total: totalOf(total)! } : {}) };
  };
  assert.equal((await pageByNumber(fetch('100'), { what: 'DescribeVSwitches', pageSize: 50 })).length, 100);
  assert.deepEqual(pages, [1, 2]);
  pages.length = 0;
  assert.equal((await pageByNumber(fetch('many'), { what: 'DescribeVSwitches', pageSize: 50 })).length, 100);
  assert.deepEqual(pages, [1, 2, 3], 'without a usable total, the short page ends it');
});
