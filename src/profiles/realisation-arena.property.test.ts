import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RealisationArena } from './realisation-arena.ts';
import { SnapshotReader } from './snapshot-parts.ts';
import { timeRange } from '../core/time-range.ts';

const PROFILES = 5;
const MAX_TS = 2 ** 50;
const TRAITS = [0, 1, 63, 64, 8191, 8192, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];

/** One realisation of the model; `seq` is its order of arrival (ties in time keep it). */
interface Row {
  p: number;
  trait: number;
  ts: number;
  seq: number;
}

/** The arena's answers recomputed from a plain array of every realisation. */
class Model {
  rows: Row[] = [];
  private seq = 0;

  add(p: number, trait: number, ts: number): void {
    this.rows.push({ p, trait, ts, seq: this.seq++ });
  }

  /** The profile's rows ascending in time, ties in order of arrival. */
  of(p: number): Row[] {
    return this.rows.filter((r) => r.p === p).sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  }

  newest(p: number): number {
    const mine = this.of(p);
    return mine.length === 0 ? NaN : (mine[mine.length - 1]?.ts ?? NaN);
  }

  removeWhere(p: number, drop: (trait: number, ts: number) => boolean): number {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => r.p !== p || !drop(r.trait, r.ts));
    return before - this.rows.length;
  }
}

const trait = fc.oneof(fc.constantFrom(...TRAITS), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(70));
/** a time or a gap: tiny, around the 2^31 and 2^32 edges, huge, or anything up to 2^50 */
const amount = fc.oneof(
  fc.nat(3),
  fc.nat(100_000),
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 49, MAX_TS),
  fc.integer({ min: 0, max: MAX_TS }),
);
const profile = fc.nat(PROFILES - 1);
const predicate = fc.oneof(
  fc.record({ kind: fc.constant('trait' as const), trait }),
  fc.record({ kind: fc.constant('upTo' as const), ts: amount }),
  fc.record({ kind: fc.constant('parity' as const), odd: fc.boolean() }),
);

const op = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      p: profile,
      trait,
      // same: at the profile's newest time; after: newest + amount; any: amount itself (often out of order)
      when: fc.constantFrom('same', 'same', 'after', 'after', 'any'),
      amount,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bulk' as const),
      p: profile,
      n: fc.integer({ min: 1, max: 1500 }),
      step: amount,
      traits: fc.array(trait, { minLength: 1, maxLength: 5 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('removeWhere' as const), p: profile, predicate }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeAll' as const), p: profile }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const) }) },
);

type Predicate = typeof predicate extends fc.Arbitrary<infer T> ? T : never;

function dropOf(pr: Predicate): (trait: number, ts: number) => boolean {
  if (pr.kind === 'trait') return (t) => t === pr.trait;
  if (pr.kind === 'upTo') return (_t, ts) => ts <= pr.ts;
  return (t, ts) => (t + ts) % 2 === (pr.odd ? 1 : 0);
}

/** Compares every answer of the arena with the model's, for every profile. */
function check(arena: RealisationArena, model: Model, windows: readonly [number, number][]): void {
  assert.equal(arena.size(), model.rows.length, 'size');
  const lists = arena.lists();
  const reader = arena.reader();
  for (let p = 0; p < PROFILES; p++) {
    const mine = model.of(p);
    const expectedNewest = model.newest(p);
    if (Number.isNaN(expectedNewest)) assert.ok(Number.isNaN(arena.newest(p)), `newest p${p}`);
    else assert.equal(arena.newest(p), expectedNewest, `newest p${p}`);
    // the readers: newest first, equal times the later arrival first
    const newestFirst = [...mine].reverse();
    for (const r of [lists, reader]) {
      const n = r.load(p);
      assert.equal(n, mine.length, `load p${p}`);
      assert.deepEqual(
        Array.from(r.trait.subarray(0, n)),
        newestFirst.map((x) => x.trait),
        `load traits p${p}`,
      );
      assert.deepEqual(
        Array.from(r.ts.subarray(0, n)),
        newestFirst.map((x) => x.ts),
        `load times p${p}`,
      );
    }
    const traits = [...new Set(mine.map((r) => r.trait)), 12345];
    for (const t of traits) {
      const times = mine.filter((r) => r.trait === t).map((r) => r.ts);
      assert.deepEqual(arena.times(p, t), times, `times p${p} trait ${t}`);
      for (const [lo, hi] of windows) {
        const expected = times.filter((ts) => ts > lo && ts <= hi).length;
        assert.equal(arena.count(p, t, lo, hi), expected, `count p${p} trait ${t} (${lo}, ${hi}]`);
        const reader = arena.reader();
        for (const enough of [1, 2, Infinity])
          assert.equal(
            reader.countIn(p, t, timeRange(lo, hi), enough),
            Math.min(expected, enough),
            `countIn p${p} trait ${t} (${lo}, ${hi}] up to ${enough}`,
          );
      }
    }
    const summaries = [...new Set(mine.map((r) => r.trait))]
      .sort((a, b) => a - b)
      .map((traitId) => {
        const times = mine.filter((r) => r.trait === traitId).map((r) => r.ts);
        return { traitId, count: times.length, first: times[0], last: times[times.length - 1] };
      });
    assert.deepEqual(arena.summaries(p), summaries, `summaries p${p}`);
  }
}

void describe('RealisationArena (property)', () => {
  void it('answers as a plain array of realisations over random adds, removals and snapshot-restores', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(amount, amount), { minLength: 1, maxLength: 3 }),
        (ops, pairs) => {
          // tiny chunks, so that new chunks, chunk tails and compactions come often
          let arena = new RealisationArena({ firstChunk: 256 });
          arena.ensureProfiles(PROFILES);
          const model = new Model();
          const windows: [number, number][] = [
            [-Infinity, Infinity],
            ...pairs.map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
          ];
          for (const o of ops) {
            if (o.kind === 'add') {
              const newest = model.newest(o.p);
              const base = Number.isNaN(newest) ? 0 : newest;
              let ts = o.when === 'same' ? base : o.when === 'after' ? base + o.amount : o.amount;
              ts = Math.min(ts, MAX_TS);
              arena.add(o.p, o.trait, ts);
              model.add(o.p, o.trait, ts);
            } else if (o.kind === 'bulk') {
              const start = Number.isNaN(model.newest(o.p)) ? 0 : model.newest(o.p);
              for (let i = 0; i < o.n; i++) {
                const t = o.traits[i % o.traits.length] ?? 0;
                // runs of equal times, then a step; past 2^50 the times go back to the start (out of order)
                const ts = (start + Math.floor(i / 3) * o.step) % (MAX_TS + 1);
                arena.add(o.p, t, ts);
                model.add(o.p, t, ts);
              }
            } else if (o.kind === 'removeWhere') {
              const drop = dropOf(o.predicate);
              const asked: number[] = [];
              const removed = arena.removeWhere(o.p, (t, ts) => {
                asked.push(ts);
                return drop(t, ts);
              });
              // asked about every realisation, newest first
              assert.deepEqual(
                asked,
                model
                  .of(o.p)
                  .map((r) => r.ts)
                  .reverse(),
              );
              assert.equal(removed, model.removeWhere(o.p, drop), 'removeWhere');
            } else if (o.kind === 'removeAll') {
              assert.equal(
                arena.removeAll(o.p),
                model.removeWhere(o.p, () => true),
                'removeAll',
              );
            } else {
              const parts = arena.snapshot(PROFILES);
              const restored = RealisationArena.restore(new SnapshotReader(parts), PROFILES);
              // identical: the same parts again, the same memory, and (checked below) the same answers
              assert.deepEqual(restored.snapshot(PROFILES), parts);
              assert.equal(restored.bytes(), arena.bytes());
              assert.equal(restored.bytesUsed(), arena.bytesUsed());
              arena = restored;
            }
            check(arena, model, windows);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  void it('changes a restored arena exactly as the original', () => {
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.array(op, { minLength: 1, maxLength: 40 }),
        (first, then) => {
          const original = new RealisationArena({ firstChunk: 256 });
          original.ensureProfiles(PROFILES);
          const apply = (arena: RealisationArena, o: (typeof first)[number]): void => {
            if (o.kind === 'add') arena.add(o.p, o.trait, Math.min(o.amount, MAX_TS));
            else if (o.kind === 'bulk')
              for (let i = 0; i < o.n; i++) arena.add(o.p, o.traits[i % o.traits.length] ?? 0, i * 1000);
            else if (o.kind === 'removeWhere') arena.removeWhere(o.p, dropOf(o.predicate));
            else if (o.kind === 'removeAll') arena.removeAll(o.p);
          };
          for (const o of first) apply(original, o);
          const copy = RealisationArena.restore(new SnapshotReader(original.snapshot(PROFILES)), PROFILES);
          for (const o of then) {
            apply(original, o);
            apply(copy, o);
          }
          assert.deepEqual(copy.snapshot(PROFILES), original.snapshot(PROFILES));
        },
      ),
      { numRuns: 60 },
    );
  });
});
