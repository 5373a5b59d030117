import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_REPORTED_ERRORS, decodeRows, encodeRows, rowError } from '../core/onboard/index.ts';
import type { ChunkStats, OnboardRecord, RowError } from '../core/onboard/index.ts';
import type { PlainRow } from '../core/onboard/onboard-test-context.ts';
import { plainRows, rowsFrom } from '../core/onboard/onboard-test-context.ts';
import { partitionOfVisitor } from '../log/nats/partition.ts';
import type { JobProgress } from '../onboard/onboard-jobs.ts';
import { placeChunk, sumProgress } from './onboard-placement.ts';
import type { HoldersOf } from './onboard-placement.ts';

const JOB = '5f0c7a52-3c1e-4c55-9a0e-6f1d2b3c4d5e';
const ZERO: ChunkStats = { read: 0, accepted: 0, rejected: 0, optedOut: 0, reasons: {} };

type Row = PlainRow;

function encode(rows: readonly Row[]): string {
  return encodeRows(rowsFrom(rows));
}

/** A holders function over a map `TYPE:VALUE` -> partition, recording what it was asked. */
function holders(held: ReadonlyMap<string, number>) {
  const calls: { tenant: string; ids: [string, string][] }[] = [];
  const holdersOf: HoldersOf = async (tenant, ids) => {
    calls.push({ tenant, ids: ids.map(([type, id]) => [type, id]) });
    return ids.map(([type, id]) => held.get(`${type}:${id}`) ?? -1);
  };
  return { holdersOf, calls };
}

// IDs from small pools, so that some repeat (as a file naming a visitor twice), a few with the
// characters the compact text must survive; a maid that is also a uid's value
const UIDS = ['c-1', 'c-2', 'c-3', 'c 4;x', 'é-5', '日6', 'c-7', 'c-8'];
const MAIDS = [
  '6d1f2e3a-0000-4000-8000-000000000001',
  '6d1f2e3a-0000-4000-8000-000000000002',
  '6d1f2e3a-0000-4000-8000-000000000003',
  '6d1f2e3a-0000-4000-8000-000000000004',
  'c-1',
];
/** The IDs a holders map may hold: every maid, and a uid (placeChunk must not ask about it, nor use it). */
const HOLDABLE = [...MAIDS.map((id) => `maid:${id}`), 'uid:c-1'];
const signedTrait = fc.integer({ min: 1, max: 2_000_000_000 }).chain((n) => fc.constantFrom(n, -n));
const row: fc.Arbitrary<Row> = fc
  .record({
    type: fc.constantFrom('uid', 'maid'),
    time: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: null }),
    traits: fc.uniqueArray(signedTrait, { maxLength: 6 }),
  })
  .chain(({ type, time, traits }) =>
    fc.constantFrom(...(type === 'uid' ? UIDS : MAIDS)).map((id) => ({ type, id, time, traits })),
  );
const stats: fc.Arbitrary<ChunkStats> = fc.record({
  read: fc.nat(50_000),
  accepted: fc.nat(50_000),
  rejected: fc.nat(100),
  optedOut: fc.nat(100),
  reasons: fc.dictionary(fc.constantFrom('unknown_trait', 'bad_id', 'empty_id'), fc.nat(100)),
});
const errors: fc.Arbitrary<RowError[] | undefined> = fc.option(
  fc.array(
    fc.nat(100_000).map((n) => rowError(n + 2, 'traits', 'unknown_trait', `t${n}`)),
    { minLength: 1, maxLength: 4 },
  ),
  { nil: undefined },
);
const record = (rows: readonly Row[]): fc.Arbitrary<OnboardRecord> =>
  fc
    .record({
      tenant: fc.constantFrom('acme', 'globex'),
      chunk: fc.integer({ min: 1, max: 1000 }),
      mode: fc.constantFrom('full' as const, 'delta' as const),
      ts: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      end: fc.nat(1 << 30),
      rowEnd: fc.nat(1 << 20),
      stats,
      errors,
      sourceTraits: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { maxLength: 5 }), {
        nil: undefined,
      }),
      last: fc.boolean(),
    })
    .map(({ errors: errs, sourceTraits, last, ...rest }) => {
      const r: OnboardRecord = {
        kind: 'onboard',
        source: 'iab-provider',
        job: JOB,
        ...rest,
        rows: encode(rows),
      };
      if (errs !== undefined) r.errors = errs;
      if (sourceTraits !== undefined) r.sourceTraits = sourceTraits;
      if (last) r.last = true;
      // plain objects, as JSON gives (fast-check's have no prototype)
      return structuredClone(r);
    });

const chunkCase = fc
  .record({
    rows: fc.array(row, { maxLength: 40 }),
    partitions: fc.integer({ min: 1, max: 8 }),
    // for each ID of the pools, a partition holding it (taken modulo the partition count), or none
    held: fc.array(fc.integer({ min: -3, max: 7 }), {
      minLength: HOLDABLE.length,
      maxLength: HOLDABLE.length,
    }),
  })
  .chain(({ rows, partitions, held }) => record(rows).map((r) => ({ rows, partitions, held, record: r })));

test('placeChunk: every row once, on its visitor’s partition, in order; counts and errors on partition 0', async () => {
  await fc.assert(
    fc.asyncProperty(chunkCase, async ({ rows, partitions, held, record: chunk }) => {
      const map = new Map<string, number>();
      for (const [k, key] of HOLDABLE.entries()) {
        const h = held[k] ?? -1;
        if (h >= 0) map.set(key, h % partitions);
      }
      const { holdersOf, calls } = holders(map);
      const before = structuredClone(chunk);
      const placed = await placeChunk(chunk, partitions, holdersOf);

      const partitionOfRow = (r: Row): number => {
        if (r.type === 'uid') return partitionOfVisitor(chunk.tenant, r.id, partitions);
        const holder = map.get(`${r.type}:${r.id}`);
        return holder ?? partitionOfVisitor(chunk.tenant, `${r.type}:${r.id}`, partitions);
      };
      assert.equal(placed.length, partitions);
      const { rows: _rows, stats: chunkStats, errors: chunkErrors, ...fields } = chunk;
      for (const [p, part] of placed.entries()) {
        assert.equal(part.partition, p);
        // the partition's rows: exactly the chunk's rows placed there, in the chunk's order, whole
        assert.deepEqual(
          plainRows(decodeRows(part.rows)),
          rows.filter((r) => partitionOfRow(r) === p),
          `partition ${p} of ${partitions}`,
        );
        const { rows: _r, stats: s, errors: e, partition: _p, ...rest } = part;
        assert.deepEqual(rest, fields, 'job, chunk, last, mode, sourceTraits, end, rowEnd, ts copied');
        if (p === 0) {
          assert.deepEqual(s, chunkStats);
          assert.deepEqual(e, chunkErrors);
        } else {
          assert.deepEqual(s, ZERO);
          assert.deepEqual(e ?? [], []);
        }
      }
      // every row exactly once across the partitions
      assert.equal(
        placed.reduce((n, part) => n + decodeRows(part.rows).count, 0),
        rows.length,
      );
      // the holders are asked about IDs of other types only, about each such row's, for the tenant
      const others = rows.filter((r) => r.type !== 'uid');
      if (others.length === 0) assert.equal(calls.length, 0);
      for (const call of calls) {
        assert.equal(call.tenant, chunk.tenant);
        for (const [type] of call.ids) assert.notEqual(type, 'uid');
      }
      const asked = new Set(calls.flatMap((c) => c.ids.map(([type, id]) => `${type}:${id}`)));
      for (const r of others) assert.ok(asked.has(`${r.type}:${r.id}`), `${r.type}:${r.id} asked`);
      assert.deepEqual(chunk, before, 'the chunk itself is unchanged');
    }),
    { numRuns: 300 },
  );
});

test('placeChunk: a maid goes to its holder, else to the partition of maid:VALUE; a uid never asks', async () => {
  const tenant = 'acme';
  const P = 8;
  // a maid held by a partition other than the one of its uid-to-be, so the two cannot be confused
  const heldMaid = '6d1f2e3a-0000-4000-8000-00000000000a';
  const holder = (partitionOfVisitor(tenant, `maid:${heldMaid}`, P) + 3) % P;
  const freeMaid = '6d1f2e3a-0000-4000-8000-00000000000b';
  const rows: Row[] = [
    { type: 'uid', id: 'c-1', time: null, traits: [12, -57] },
    { type: 'maid', id: heldMaid, time: 1763640000000, traits: [3] },
    { type: 'maid', id: freeMaid, time: null, traits: [] },
  ];
  const chunk: OnboardRecord = {
    kind: 'onboard',
    tenant,
    source: 'iab-provider',
    job: JOB,
    chunk: 1,
    mode: 'delta',
    ts: 1763640000000,
    end: 100,
    rowEnd: 4,
    rows: encode(rows),
    stats: { read: 3, accepted: 3, rejected: 0, optedOut: 0, reasons: {} },
  };
  const { holdersOf, calls } = holders(new Map([[`maid:${heldMaid}`, holder]]));
  const placed = await placeChunk(chunk, P, holdersOf);
  const where = (id: string) => placed.findIndex((part) => decodeRows(part.rows).ids.includes(id));
  assert.equal(where('c-1'), partitionOfVisitor(tenant, 'c-1', P));
  assert.equal(where(heldMaid), holder);
  assert.equal(where(freeMaid), partitionOfVisitor(tenant, `maid:${freeMaid}`, P));
  assert.notEqual(where(freeMaid), partitionOfVisitor(tenant, freeMaid, P), 'the test tells the two apart');
  assert.deepEqual(calls, [
    {
      tenant,
      ids: [
        ['maid', heldMaid],
        ['maid', freeMaid],
      ],
    },
  ]);
});

test('placeChunk: the empty last chunk of a full job goes to every partition, asking no one', async () => {
  const chunk: OnboardRecord = {
    kind: 'onboard',
    tenant: 'acme',
    source: 'iab-provider',
    job: JOB,
    chunk: 7,
    mode: 'full',
    ts: 1763640000000,
    end: 5000,
    rowEnd: 301,
    rows: '',
    stats: { read: 1, accepted: 0, rejected: 1, optedOut: 0, reasons: { bad_id: 1 } },
    errors: [rowError(301, 'id', 'bad_id')],
    sourceTraits: [12, 13],
    last: true,
  };
  const { holdersOf, calls } = holders(new Map());
  const placed = await placeChunk(chunk, 3, holdersOf);
  assert.equal(calls.length, 0);
  const { errors: _errors, ...withoutErrors } = chunk;
  assert.deepEqual(placed, [
    { ...chunk, partition: 0 },
    { ...withoutErrors, partition: 1, stats: ZERO },
    { ...withoutErrors, partition: 2, stats: ZERO },
  ]);
});

// ---- sumProgress

function progress(over: Partial<JobProgress> = {}): JobProgress {
  return {
    tenant: 'acme',
    source: 'iab-provider',
    job: JOB,
    chunks: 1,
    end: 100,
    rowEnd: 10,
    stats: { read: 0, accepted: 0, rejected: 0, optedOut: 0, reasons: {} },
    errors: [],
    done: false,
    realisations: 0,
    ...over,
  };
}

test('sumProgress: nothing until every partition has applied a chunk, nor for no partitions', () => {
  assert.equal(sumProgress([]), undefined);
  assert.equal(sumProgress([undefined]), undefined);
  assert.equal(sumProgress([progress(), undefined]), undefined);
  assert.equal(sumProgress([null, progress()]), undefined);
  assert.equal(sumProgress([progress(), progress(), null]), undefined);
  assert.notEqual(sumProgress([progress()]), undefined);
});

test('sumProgress: the partition furthest behind sets where the job is; counts and realisations add up', () => {
  const p0 = progress({
    chunks: 3,
    end: 300,
    rowEnd: 30,
    stats: { read: 51, accepted: 48, rejected: 2, optedOut: 1, reasons: { unknown_trait: 2 } },
    realisations: 90,
  });
  const p1 = progress({
    chunks: 2,
    end: 200,
    rowEnd: 20,
    stats: { read: 0, accepted: 0, rejected: 0, optedOut: 3, reasons: {} },
    realisations: 7,
  });
  const p2 = progress({
    chunks: 4,
    end: 400,
    rowEnd: 40,
    stats: { read: 10, accepted: 9, rejected: 1, optedOut: 0, reasons: { unknown_trait: 1, bad_id: 1 } },
    realisations: 5,
    done: true,
  });
  const inputs = structuredClone([p0, p1, p2]);
  assert.deepEqual(sumProgress([p0, p1, p2]), {
    tenant: 'acme',
    source: 'iab-provider',
    job: JOB,
    chunks: 2,
    end: 200,
    rowEnd: 20,
    stats: { read: 61, accepted: 57, rejected: 3, optedOut: 4, reasons: { unknown_trait: 3, bad_id: 1 } },
    errors: [],
    done: false,
    realisations: 102,
  });
  assert.deepEqual([p0, p1, p2], inputs, 'the parts are unchanged');
  // the order of the parts changes nothing
  assert.deepEqual(sumProgress([p2, p1, p0]), sumProgress([p0, p1, p2]));
});

test('sumProgress: done only once every partition is; errors kept up to the limit', () => {
  const many = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => rowError(from + i, 'traits', 'unknown_trait', `t${i}`));
  const a = progress({ chunks: 5, done: true, errors: many(2, 70) });
  const b = progress({ chunks: 5, done: true, errors: many(1000, 70) });
  const sum = sumProgress([a, b]);
  assert.equal(sum?.done, true);
  assert.equal(sum?.errors.length, MAX_REPORTED_ERRORS);
  assert.deepEqual(sum?.errors, [...a.errors, ...b.errors].slice(0, MAX_REPORTED_ERRORS));
  assert.equal(sumProgress([a, { ...b, done: false }])?.done, false);
  assert.equal(sumProgress([{ ...a, done: false }, b])?.done, false);
  assert.deepEqual(sumProgress([progress({ errors: many(2, 3) }), progress()])?.errors, many(2, 3));
});

test('sumProgress: over any parts, the least chunks, every count added, done when all are', () => {
  const part = fc.record({
    chunks: fc.integer({ min: 1, max: 50 }),
    stats,
    realisations: fc.nat(1_000_000),
    done: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), (parts) => {
      const all = parts.map((p) => progress({ ...p, end: p.chunks * 100, rowEnd: p.chunks * 10 }));
      const sum = sumProgress(all);
      assert.ok(sum !== undefined);
      const least = Math.min(...parts.map((p) => p.chunks));
      assert.equal(sum.chunks, least);
      assert.equal(sum.end, least * 100);
      assert.equal(sum.rowEnd, least * 10);
      assert.equal(
        sum.realisations,
        parts.reduce((n, p) => n + p.realisations, 0),
      );
      for (const key of ['read', 'accepted', 'rejected', 'optedOut'] as const)
        assert.equal(
          sum.stats[key],
          parts.reduce((n, p) => n + p.stats[key], 0),
        );
      const reasons: Record<string, number> = {};
      for (const p of parts)
        for (const [r, n] of Object.entries(p.stats.reasons)) reasons[r] = (reasons[r] ?? 0) + n;
      assert.deepEqual(sum.stats.reasons, reasons);
      assert.equal(
        sum.done,
        parts.every((p) => p.done),
      );
    }),
  );
});
