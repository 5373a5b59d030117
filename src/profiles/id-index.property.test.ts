import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdIndex } from './id-index.ts';
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

/** The index's answers recomputed from plain maps. */
class Model {
  readonly byKey = new Map<string, number>();
  readonly byProfile = new Map<number, Map<string, string>>();

  attach(p: number, type: string, value: string): boolean {
    const key = `${type}\u0000${value}`;
    const mine = this.byProfile.get(p) ?? new Map<string, string>();
    if (value === '' || this.byKey.has(key) || mine.has(type)) return false;
    this.byKey.set(key, p);
    mine.set(type, value);
    this.byProfile.set(p, mine);
    return true;
  }

  removeAll(p: number): void {
    for (const [type, value] of this.byProfile.get(p) ?? []) this.byKey.delete(`${type}\u0000${value}`);
    this.byProfile.delete(p);
  }
}

const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ unit: 'binary', maxLength: 12 }));
const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.constant('attach' as const),
      fc.nat(PROFILES - 1),
      fc.constantFrom(...TYPES),
      value,
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constant('remove' as const), fc.nat(PROFILES - 1)) },
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
    const mine = model.byProfile.get(p) ?? new Map<string, string>();
    assert.deepEqual(ids.all(p), Object.fromEntries(mine));
    for (const type of TYPES) {
      assert.equal(ids.valueOf(p, type), mine.get(type));
      assert.equal(ids.hasType(p, type), mine.has(type));
    }
  }
}

void describe('IdIndex', () => {
  void it('answers as a Map does over random attach, removeAll, find and snapshot-restore, with many collisions', () => {
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
              values.add(o[3]);
              assert.equal(ids.attach(o[1], o[2], o[3]), model.attach(o[1], o[2], o[3]));
            } else if (o[0] === 'remove') {
              ids.removeAll(o[1]);
              model.removeAll(o[1]);
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
