import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { capFor } from '../core/identity/index.ts';
import { IdIndex } from './id-index.ts';
import type { IdLimits } from './profile-ids.ts';
import { SnapshotReader } from './snapshot-parts.ts';

const PROFILES = 24;
const TYPES = ['uid', 'maid', 'idfa', 'ü-type', ''];
/** short, shared-prefix, non-ASCII, astral, lone-surrogate and long values */
const VALUES = [
  '',
  'c-1',
  'c-10',
  'c-100',
  'c-1\u0000',
  'é',
  'e\u0301',
  '日本',
  '😀',
  '\ud800',
  '\udc00x',
  '\ud83d',
  'x'.repeat(300),
  'x'.repeat(301),
  'ß'.repeat(200),
];

/** One ID of the model: its type, value and learnt time as the index keeps it (seconds + 1, 0 = none). */
interface ModelId {
  type: string;
  value: string;
  learnt: number;
}

/** A learnt time in ms as the index keeps it: whole seconds + 1, 0 for none. */
const seconds = (ms: number | undefined): number => (ms === undefined ? 0 : Math.floor(ms / 1000) + 1);

/** The learnt time in ms the caps compare: none counts as 0, the oldest. */
const ms = (learnt: number): number => (learnt === 0 ? 0 : (learnt - 1) * 1000);

/** Whether `a` is kept before `b`: learnt later; on equal times, its type, then its value, sorts first. */
function before(a: ModelId, b: ModelId): boolean {
  if (ms(a.learnt) !== ms(b.learnt)) return ms(a.learnt) > ms(b.learnt);
  if (a.type !== b.type) return a.type < b.type;
  return a.value < b.value;
}

/** The index's answers recomputed from plain maps and lists. */
class Model {
  readonly byKey = new Map<string, number>();
  /** each profile's IDs in the order it learnt them */
  readonly byProfile = new Map<number, ModelId[]>();

  attach(p: number, type: string, value: string, learntAt: number | undefined, several: boolean): boolean {
    const key = `${type}\u0000${value}`;
    const mine = this.byProfile.get(p) ?? [];
    if (value === '') return false;
    if (this.byKey.has(key)) {
      if (this.byKey.get(key) === p) this.learn(p, type, value, learntAt);
      return false;
    }
    if (!several && mine.some((id) => id.type === type)) return false;
    this.byKey.set(key, p);
    mine.push({ type, value, learnt: seconds(learntAt) });
    this.byProfile.set(p, mine);
    return true;
  }

  learn(p: number, type: string, value: string, learntAt: number | undefined): void {
    const id = this.byProfile.get(p)?.find((i) => i.type === type && i.value === value);
    if (id !== undefined) id.learnt = Math.max(id.learnt, seconds(learntAt));
  }

  removeAll(p: number): void {
    for (const { type, value } of this.byProfile.get(p) ?? []) this.byKey.delete(`${type}\u0000${value}`);
    this.byProfile.delete(p);
  }

  moveAll(from: number, to: number): void {
    if (from === to) return;
    const moved = this.byProfile.get(from) ?? [];
    for (const { type, value } of moved) this.byKey.set(`${type}\u0000${value}`, to);
    this.byProfile.delete(from);
    if (moved.length > 0) this.byProfile.set(to, [...(this.byProfile.get(to) ?? []), ...moved]);
  }

  /**
   * Keeps an ID when fewer IDs of its type than its cap (`capFor`) come before it, then when fewer of
   * those kept than `perProfile` come before it; returns the others, oldest first.
   */
  cap(p: number, { caps, perProfile }: IdLimits): ModelId[] {
    const mine = this.byProfile.get(p) ?? [];
    const typeKept = mine.filter(
      (id) =>
        caps === undefined ||
        mine.filter((o) => o.type === id.type && before(o, id)).length < capFor(id.type, caps),
    );
    const kept = typeKept.filter(
      (id) => perProfile === undefined || typeKept.filter((o) => before(o, id)).length < perProfile,
    );
    const dropped = mine.filter((id) => !kept.includes(id));
    for (const { type, value } of dropped) this.byKey.delete(`${type}\u0000${value}`);
    if (kept.length === 0) this.byProfile.delete(p);
    else this.byProfile.set(p, kept);
    return dropped.sort((a, b) => (before(a, b) ? 1 : -1));
  }

  /** The first learnt ID of each type. */
  first(p: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { type, value } of this.byProfile.get(p) ?? []) if (!(type in out)) out[type] = value;
    return out;
  }
}

/** The model's IDs as the index's records. */
const records = (ids: readonly ModelId[]) =>
  ids.map(({ type, value, learnt }) => ({ type, value, learntAt: learnt === 0 ? NaN : (learnt - 1) * 1000 }));

const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ unit: 'binary', maxLength: 12 }));
/** learnt times a few seconds apart, so equal times (in seconds) are frequent; or none */
const learntAt = fc.option(fc.integer({ min: 0, max: 6_000 }), { nil: undefined });
const limits = fc.record(
  {
    caps: fc.record({
      perType: fc.dictionary(fc.constantFrom(...TYPES), fc.integer({ min: 1, max: 3 }), { maxKeys: 3 }),
      otherwise: fc.constantFrom(1, 2, Infinity),
    }),
    perProfile: fc.integer({ min: 1, max: 4 }),
  },
  { requiredKeys: [] },
);
const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('attach' as const),
      fc.nat(PROFILES - 1),
      fc.constantFrom(...TYPES),
      value,
      learntAt,
      fc.boolean(),
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constant('remove' as const), fc.nat(PROFILES - 1)) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constant('move' as const), fc.nat(PROFILES - 1), fc.nat(PROFILES - 1)),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant('cap' as const), fc.nat(PROFILES - 1), limits) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constant('learn' as const), fc.constantFrom(...TYPES), value, learntAt),
  },
  { weight: 1, arbitrary: fc.constant(['restore'] as const) },
);

/** Compares every answer of the index with the model's, for the values seen so far and the pool. */
function check(ids: IdIndex, model: Model, values: Set<string>): void {
  assert.equal(ids.size(), model.byKey.size);
  for (const type of [...TYPES, 'never-seen']) {
    for (const v of values)
      assert.equal(ids.find(type, v), model.byKey.get(`${type}\u0000${v}`), `find ${type} ${v}`);
  }
  for (let p = 0; p < PROFILES; p++) {
    const mine = model.byProfile.get(p) ?? [];
    const first = model.first(p);
    assert.deepEqual(ids.all(p), first);
    assert.deepEqual(ids.records(p), records(mine));
    assert.equal(ids.countOf(p), mine.length);
    for (const type of TYPES) {
      assert.equal(ids.valueOf(p, type), first[type]);
      assert.equal(ids.hasType(p, type), type in first);
    }
  }
}

void describe('IdIndex', () => {
  void it('answers as plain maps do over random attach (one or several of a type), learn, move, cap, removeAll, find and snapshot-restore, with many collisions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x3, 0xff, 0xffffffff),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(op, { minLength: 20, maxLength: 200, size: 'max' }),
        (hashMask, seed, ops) => {
          let ids = new IdIndex({ hashMask, seed });
          ids.ensureProfiles(PROFILES);
          const model = new Model();
          const values = new Set(VALUES);
          for (const o of ops) {
            if (o[0] === 'attach') {
              const [, p, type, v, at, several] = o;
              values.add(v);
              assert.equal(ids.attach(p, type, v, at, several), model.attach(p, type, v, at, several));
            } else if (o[0] === 'remove') {
              ids.removeAll(o[1]);
              model.removeAll(o[1]);
            } else if (o[0] === 'move') {
              ids.moveAll(o[1], o[2]);
              model.moveAll(o[1], o[2]);
            } else if (o[0] === 'cap') {
              const [, p, l] = o;
              const want = model.cap(p, l);
              assert.deepEqual(ids.cap(p, l), records(want));
            } else if (o[0] === 'learn') {
              const [, type, v, at] = o;
              const p = model.byKey.get(`${type}\u0000${v}`);
              if (p !== undefined) model.learn(p, type, v, at);
              assert.equal(ids.findLearning(type, v, at), p);
            } else ids = IdIndex.restore(new SnapshotReader(ids.snapshot(PROFILES)), PROFILES);
            check(ids, model, values);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  void it('reclaims the bytes of removed IDs and reuses their entries', () => {
    const ids = new IdIndex({ seed: 1 });
    ids.ensureProfiles(1000);
    const long = (i: number): string => `${i}-`.padEnd(100, 'v');
    for (let round = 0; round < 5; round++) {
      for (let p = 0; p < 1000; p++) assert.equal(ids.attach(p, 'uid', long(p + round * 1000)), true);
      // removing the even ones leaves more garbage than live bytes: the arena is compacted under the odd ones
      for (let p = 0; p < 1000; p += 2) ids.removeAll(p);
      for (let p = 1; p < 1000; p += 2) {
        assert.equal(ids.find('uid', long(p + round * 1000)), p);
        assert.equal(ids.valueOf(p, 'uid'), long(p + round * 1000));
      }
      for (let p = 1; p < 1000; p += 2) ids.removeAll(p);
      assert.equal(ids.size(), 0);
      assert.equal(ids.find('uid', long(round * 1000)), undefined);
    }
    assert.ok(
      ids.arenaBytes() < 50_000,
      `the arena kept ${ids.arenaBytes()} bytes after every ID was removed`,
    );
    for (let p = 0; p < 1000; p++) ids.attach(p, 'uid', long(p));
    for (let p = 0; p < 1000; p += 7) assert.equal(ids.valueOf(p, 'uid'), long(p));
    // 1,000 keys of 101 bytes, plus less than the 4,096 bytes of garbage that wait for a compaction
    assert.ok(ids.arenaBytes() < 101_000 + 4096, `the arena holds ${ids.arenaBytes()} bytes`);
  });
});
