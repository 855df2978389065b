// Paging reads a list whole or fails: never a silent partial list.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { pageByNumber, TooManyPages } from '../../src/cloud/paging.js';

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
