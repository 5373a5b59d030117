import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeRows, encodeRows, filterRows, splitRows } from './onboard-rows.ts';
import type { OnboardRows } from './onboard-rows.ts';
import type { PlainRow } from './onboard-test-context.ts';
import { plainRows, rowsFrom } from './onboard-test-context.ts';

type Row = PlainRow;
const build = rowsFrom;

const row: fc.Arbitrary<Row> = fc
  .record({
    type: fc.constantFrom('uid', 'maid', 'crm'),
    // a few IDs, so that some repeat, some with the characters the compact text must survive
    id: fc.constantFrom('c-1', 'c-2', 'c 3;x', 'é-4', '日5', '😀6', ''),
    time: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
    traits: fc.uniqueArray(
      fc.integer({ min: 1, max: 2_000_000_000 }).chain((n) => fc.constantFrom(n, -n)),
      { maxLength: 6 },
    ),
  })
  .map((r) => ({ ...r })); // a plain object, as plainRows gives (fast-check's have no prototype)

/** Rows, a group count, and each row's group. */
const splitCase = fc
  .record({ rows: fc.array(row, { maxLength: 60 }), parts: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, parts }) =>
    fc
      .array(fc.nat(parts - 1), { minLength: rows.length, maxLength: rows.length })
      .map((groups) => ({ rows, parts, groups })),
  );

/** Checks that `rows` is well formed: its arrays as long as its count says, traits indexed from 0. */
function assertWellFormed(rows: OnboardRows): void {
  assert.equal(rows.types.length, rows.count);
  assert.equal(rows.ids.length, rows.count);
  assert.equal(rows.times.length, rows.count);
  assert.equal(rows.start.length, rows.count + 1);
  assert.equal(rows.start[0], 0);
  assert.equal(rows.start[rows.count], rows.traits.length);
}

test('splitRows: the groups, taken back by original index, give every row once, in order, whole', () => {
  fc.assert(
    fc.property(splitCase, ({ rows, parts, groups }) => {
      const source = build(rows);
      const split = splitRows(source, (i) => groups[i] as number, parts);
      assert.equal(split.length, parts);
      for (const [g, group] of split.entries()) {
        assertWellFormed(group);
        // each group: the rows sent to it, in the rows' order, with their times and traits
        assert.deepEqual(
          plainRows(group),
          rows.filter((_, i) => groups[i] === g),
        );
        // and a valid chunk of its own, as the log keeps it
        assert.deepEqual(plainRows(decodeRows(encodeRows(group))), plainRows(group));
      }
      // walking the original indices, each row is the next one of its group
      const next = new Array<number>(parts).fill(0);
      const merged = plainRows(source).map((_, i) => {
        const g = groups[i] as number;
        const taken = plainRows(split[g] as OnboardRows)[next[g] as number];
        next[g] = (next[g] as number) + 1;
        return taken;
      });
      assert.deepEqual(merged, plainRows(source));
      assert.deepEqual(
        next,
        split.map((group) => group.count),
        'every row of every group taken',
      );
      // the source is left as it was
      assert.deepEqual(plainRows(source), rows);
    }),
    { numRuns: 300 },
  );
});

test('splitRows: more rows and traits than a builder starts with', () => {
  const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({
    type: i % 3 === 0 ? 'maid' : 'uid',
    id: `c-${i}`,
    time: i % 2 === 0 ? null : 1763640000000 + i,
    traits: Array.from({ length: 1 + (i % 7) }, (_, k) => (k % 2 === 0 ? k + 1 : -(k + 1))),
  }));
  const source = build(rows);
  assert.ok(source.count > 1024 && source.traits.length > 8192, 'past the initial sizes');
  const [a, b] = splitRows(source, (i) => (i < 2900 ? 0 : 1), 2);
  assert.ok(a !== undefined && b !== undefined);
  assertWellFormed(a);
  assert.deepEqual(plainRows(a), rows.slice(0, 2900));
  assert.deepEqual(plainRows(b), rows.slice(2900));
});

test('splitRows: no rows give empty groups; a group out of range is an error, naming the row', () => {
  const empty = splitRows(build([]), () => 0, 3);
  assert.deepEqual(
    empty.map((g) => g.count),
    [0, 0, 0],
  );
  for (const g of empty) assertWellFormed(g);
  const rows = build([
    { type: 'uid', id: 'c-1', time: null, traits: [1] },
    { type: 'uid', id: 'c-2', time: null, traits: [2] },
  ]);
  for (const bad of [2, -1, 0.5, NaN])
    assert.throws(
      () => splitRows(rows, (i) => (i === 1 ? bad : 0), 2),
      (e: unknown) => e instanceof RangeError && /row 1/.test(e.message),
      String(bad),
    );
});

test('filterRows: the rows a naive filter keeps, with their traits and times, and the count dropped', () => {
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 60 }),
      fc.subarray(['c-1', 'c-2', 'c 3;x', 'é-4', '日5', '😀6', '']),
      fc.constantFrom('uid', 'maid', 'crm', 'none'),
      (rows, dropIds, dropType) => {
        const keep = (type: string, id: string) => !(dropIds.includes(id) && type !== dropType);
        const asked: [string, string][] = [];
        const filtered = filterRows(build(rows), (type, id) => {
          asked.push([type, id]);
          return keep(type, id);
        });
        const naive = rows.filter((r) => keep(r.type, r.id));
        assert.deepEqual(plainRows(filtered.rows), naive);
        assert.equal(filtered.dropped, rows.length - naive.length);
        assertWellFormed(filtered.rows);
        // asked once about each row, in order
        assert.deepEqual(
          asked,
          rows.map((r) => [r.type, r.id]),
        );
      },
    ),
    { numRuns: 300 },
  );
});
