import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ServiceError } from '../core/service-error.ts';
import { decodePageCursor, encodePageCursor, pageAcross } from './profile-pages.ts';
import type { PartitionPage } from './profile-pages.ts';

/** Partitions holding these profiles, paged as an engine pages them (its cursor: an index, opaque). */
function engines(held: readonly (readonly string[])[]) {
  const asked: number[] = [];
  const read = async (p: number, cursor: string | undefined, limit: number): Promise<PartitionPage> => {
    asked.push(p);
    const from = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString());
    const profiles = (held[p] ?? []).slice(from, from + limit);
    const next = profiles.length === limit ? Buffer.from(String(from + limit)).toString('base64url') : null;
    return { profiles, nextCursor: next };
  };
  return { read, asked };
}

async function everyPage(held: readonly (readonly string[])[], limit: number): Promise<unknown[][]> {
  const { read } = engines(held);
  const pages: unknown[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await pageAcross(decodePageCursor(cursor, held.length), limit, held.length, read);
    assert.ok(page !== undefined);
    pages.push(page.profiles);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
}

test('paging across partitions gives every profile once, in full pages but the last', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.nat(12), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 7 }),
      async (counts, limit) => {
        const held = counts.map((n, p) => Array.from({ length: n }, (_, i) => `p${p}-v${i}`));
        const pages = await everyPage(held, limit);
        assert.deepEqual(pages.flat(), held.flat());
        for (const page of pages.slice(0, -1)) assert.equal(page.length, limit);
      },
    ),
  );
});

test('a page that ends inside a partition goes on there; one that ends at its end goes on at the next', async () => {
  const { read, asked } = engines([['a', 'b', 'c'], [], ['d']]);
  const first = await pageAcross(decodePageCursor(undefined, 3), 2, 3, read);
  assert.deepEqual(first?.profiles, ['a', 'b']);
  assert.deepEqual(decodePageCursor(first?.nextCursor ?? undefined, 3).partition, 0);
  const second = await pageAcross(decodePageCursor(first?.nextCursor ?? undefined, 3), 2, 3, read);
  assert.deepEqual(second?.profiles, ['c', 'd']);
  assert.deepEqual(asked, [0, 0, 1, 2]);
  // a full page has a next one, as on the embedded server, even when it is empty
  const third = await pageAcross(decodePageCursor(second?.nextCursor ?? undefined, 3), 2, 3, read);
  assert.deepEqual(third, { profiles: [], nextCursor: null });
});

test('a partition that refuses ends the page with nothing', async () => {
  const page = await pageAcross({ partition: 0, cursor: undefined }, 5, 2, async (p) =>
    p === 0 ? { profiles: ['a'], nextCursor: null } : undefined,
  );
  assert.equal(page, undefined);
});

test('a cursor the front did not give is a 400 naming the cursor', () => {
  const at = { partition: 3, cursor: 'cDo0Mg' };
  assert.deepEqual(decodePageCursor(encodePageCursor(at), 8), at);
  for (const bad of ['cDo0Mg', 'nonsense', encodePageCursor({ partition: 8, cursor: undefined })]) {
    assert.throws(
      () => decodePageCursor(bad, 8),
      (e: unknown) => e instanceof ServiceError && e.status === 400 && e.code === 'invalid_cursor',
      bad,
    );
  }
});
