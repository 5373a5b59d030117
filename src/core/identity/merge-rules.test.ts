import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyIdCaps, capFor, DEFAULT_ID_CAPS, mayLink, mergeProfiles } from './merge-rules.ts';
import type { IdCaps, LinkedId, ProfileIds } from './merge-rules.ts';

const id = (type: string, value: string, learntAt: number): LinkedId => ({ type, value, learntAt });

void describe('mayLink', () => {
  void it('lets first-party deterministic IDs merge profiles', () => {
    for (const type of ['uid', 'email_sha256', 'phone_sha256', 'crm'])
      assert.equal(mayLink(type).allowed, true, type);
  });
  void it('lets a device ID merge only when seen with our cookie', () => {
    assert.equal(mayLink('maid').allowed, false);
    assert.match(mayLink('maid').reason, /may only attach/);
    assert.equal(mayLink('maid', { withCookie: true }).allowed, true);
    assert.equal(mayLink('idfa', { withCookie: true }).allowed, true);
  });
  void it('never lets partner, eids or other hash types merge', () => {
    for (const type of ['ssp_a', 'id5', 'tdid', 'uid2', 'email_md5', 'toString', '__proto__']) {
      const decision = mayLink(type, { withCookie: true });
      assert.equal(decision.allowed, false, type);
      assert.match(decision.reason, /attaches to a profile but never merges two/);
    }
  });
});

void describe('applyIdCaps', () => {
  void it('keeps the newest IDs of a type up to its cap and lists the oldest as dropped', () => {
    const ids = [id('maid', 'a', 1), id('maid', 'b', 3), id('maid', 'c', 2), id('uid', 'u', 5)];
    assert.deepEqual(applyIdCaps(ids, { perType: { maid: 2 }, otherwise: 9 }), {
      ids: [id('maid', 'b', 3), id('maid', 'c', 2), id('uid', 'u', 5)],
      dropped: [id('maid', 'a', 1)],
    });
  });
  void it('merges duplicates, keeping the latest learntAt; ties drop the larger value', () => {
    const ids = [id('crm', 'x', 1), id('crm', 'x', 9), id('crm', 'b', 4), id('crm', 'a', 4)];
    assert.deepEqual(applyIdCaps(ids, { perType: { crm: 2 }, otherwise: 1 }), {
      ids: [id('crm', 'x', 9), id('crm', 'a', 4)],
      dropped: [id('crm', 'b', 4)],
    });
  });
  void it('reads caps: per type, otherwise, at least 1, NaN as 1', () => {
    assert.equal(capFor('maid', DEFAULT_ID_CAPS), 5);
    assert.equal(capFor('uid', DEFAULT_ID_CAPS), 10);
    assert.equal(capFor('ssp_a', DEFAULT_ID_CAPS), 3);
    assert.equal(capFor('toString', DEFAULT_ID_CAPS), 3);
    assert.equal(capFor('x', { perType: { x: 0 }, otherwise: 3 }), 1);
    assert.equal(capFor('x', { perType: { x: Number.NaN }, otherwise: 3 }), 1);
  });
  void it('counts a learntAt that is not finite as 0', () => {
    assert.deepEqual(
      applyIdCaps([id('uid', 'a', Number.NaN), id('uid', 'b', 1)], { perType: {}, otherwise: 1 }),
      {
        ids: [id('uid', 'b', 1)],
        dropped: [id('uid', 'a', 0)],
      },
    );
  });
});

void describe('mergeProfiles', () => {
  void it('keeps the profile first seen earlier, ties by the smaller key', () => {
    const older: ProfileIds = { key: 'p-9', firstSeen: 100, ids: [id('uid', 'c-9', 100)] };
    const newer: ProfileIds = { key: 'p-1', firstSeen: 200, ids: [id('uid', 'c-1', 200)] };
    assert.deepEqual(mergeProfiles(newer, older), {
      survivor: 'p-9',
      absorbed: 'p-1',
      firstSeen: 100,
      ids: [id('uid', 'c-1', 200), id('uid', 'c-9', 100)],
      dropped: [],
    });
    const tie = mergeProfiles({ ...older, firstSeen: 200 }, newer);
    assert.equal(tie.survivor, 'p-1');
    assert.equal(tie.absorbed, 'p-9');
  });
  void it('drops the oldest device IDs over the default cap of 5', () => {
    const a: ProfileIds = { key: 'a', firstSeen: 1, ids: [1, 2, 3].map((t) => id('maid', `m${t}`, t)) };
    const b: ProfileIds = { key: 'b', firstSeen: 2, ids: [4, 5, 6].map((t) => id('maid', `m${t}`, t)) };
    const merged = mergeProfiles(a, b);
    assert.deepEqual(
      merged.ids.map((i) => i.value),
      ['m6', 'm5', 'm4', 'm3', 'm2'],
    );
    assert.deepEqual(merged.dropped, [id('maid', 'm1', 1)]);
  });
});

void describe('mergeProfiles: properties', () => {
  const type = fc.constantFrom('uid', 'maid', 'crm', 'email_sha256', 'ssp_a', 'id5');
  const linked = fc.record({
    type,
    value: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
    learntAt: fc.integer({ min: 0, max: 20 }),
  });
  const profile = fc.record({
    key: fc.constantFrom('p-1', 'p-2', 'p-3'),
    firstSeen: fc.integer({ min: 0, max: 5 }),
    ids: fc.array(linked, { maxLength: 25 }),
  });
  const caps: fc.Arbitrary<IdCaps> = fc.record({
    perType: fc.dictionary(type, fc.integer({ min: 1, max: 4 })),
    otherwise: fc.integer({ min: 1, max: 4 }),
  });
  const pair = (i: LinkedId) => `${i.type}/${i.value}`;

  void it('is commutative: (a, b) and (b, a) give the same outcome', () => {
    fc.assert(
      fc.property(profile, profile, caps, (a, b, c) => {
        fc.pre(a.key !== b.key);
        assert.deepEqual(mergeProfiles(a, b, c), mergeProfiles(b, a, c));
      }),
    );
  });

  void it('keeps every cap, and loses no ID but those listed as dropped', () => {
    fc.assert(
      fc.property(profile, profile, caps, (a, b, c) => {
        const merged = mergeProfiles(a, b, c);
        const perType = new Map<string, number>();
        for (const i of merged.ids) perType.set(i.type, (perType.get(i.type) ?? 0) + 1);
        for (const [t, n] of perType) assert.ok(n <= capFor(t, c), `${t}: ${n} > ${capFor(t, c)}`);
        const before = new Set([...a.ids, ...b.ids].map(pair));
        const kept = merged.ids.map(pair);
        const dropped = merged.dropped.map(pair);
        assert.equal(
          new Set([...kept, ...dropped]).size,
          kept.length + dropped.length,
          'kept and dropped are disjoint',
        );
        assert.deepEqual(new Set([...kept, ...dropped]), before);
        for (const d of merged.dropped) {
          for (const k of merged.ids.filter((i) => i.type === d.type))
            assert.ok(k.learntAt >= d.learntAt, 'the oldest go first');
        }
      }),
    );
  });

  void it('the survivor is a profile first seen earliest', () => {
    fc.assert(
      fc.property(profile, profile, (a, b) => {
        fc.pre(a.key !== b.key);
        const merged = mergeProfiles(a, b);
        const survivor = merged.survivor === a.key ? a : b;
        assert.equal(survivor.firstSeen, Math.min(a.firstSeen, b.firstSeen));
        assert.equal(merged.firstSeen, Math.min(a.firstSeen, b.firstSeen));
      }),
    );
  });
});
