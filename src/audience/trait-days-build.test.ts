import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryTenantProfiles } from '../profiles/memory-tenant-profiles.ts';
import { wholeParts } from '../profiles/snapshot-parts.ts';
import { TraitDays } from './trait-days.ts';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

test('the day bitmaps and count levels built a few profiles at a time equal those built at once', () => {
  const profiles = new MemoryTenantProfiles();
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < 200; i++) {
    const p = profiles.resolve(`c-${i}`, {}, true)!;
    // a few traits on a few days, often many times the same day (beyond the count levels)
    for (let k = next(40); k > 0; k--) profiles.addRealisation(p, 1 + next(4), T0 - next(6) * 10 * HOUR);
  }
  profiles.remove(profiles.find('uid', 'c-17')!);
  const whole = new TraitDays();
  whole.build(profiles.columnsView());
  const expected = contents(whole);
  for (const chunk of [1, 3, 64]) {
    const inRanges = new TraitDays();
    inRanges.build(profiles.columnsView(), chunk);
    assert.deepEqual(contents(inRanges), expected, `built ${chunk} profiles at a time`);
  }
  assert.ok(
    expected.some(([, , levels]) => levels.length > 1),
    'some day has repeats (count levels)',
  );
  // and what the store holds, counted directly: every (trait, day) with its profiles and their counts
  const direct = new Map<string, Map<number, number>>();
  profiles.forEach((p) => {
    for (const { traitId } of profiles.traitSummaries(p))
      for (const ts of profiles.view(p).realisationTimes(traitId)) {
        const key = `${traitId}/${Math.floor(ts / 86_400_000)}`;
        const counts = direct.get(key) ?? new Map<number, number>();
        direct.set(key, counts.set(p, (counts.get(p) ?? 0) + 1));
      }
  });
  for (const [traitId, day, levels] of expected) {
    const counts = direct.get(`${traitId}/${day}`);
    assert.deepEqual(
      levels[0],
      [...(counts?.keys() ?? [])].sort((a, b) => a - b),
    );
    const twice = [...(counts ?? [])].filter(([, n]) => n >= 2).map(([p]) => p);
    assert.deepEqual(
      levels[1] ?? [],
      twice.sort((a, b) => a - b),
      `count >= 2 on ${traitId}/${day}`,
    );
  }
  assert.equal(expected.length, direct.size);
});

/** Every (trait, day) of the index, sorted: its members, then each count level's members. */
function contents(days: TraitDays): [number, number, number[][]][] {
  const out: [number, number, number[][]][] = [];
  for (const traitId of [1, 2, 3, 4]) {
    for (const [day, bitmap] of days.daysOf(traitId) ?? []) {
      const levels = days.levelsOf(traitId)?.get(day) ?? [];
      out.push([traitId, day, [bitmap.toArray(), ...levels.map((l) => l?.toArray() ?? [])]]);
    }
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

test('the latest realisation time is known after additions, a build and a snapshot, unknown after an old snapshot', () => {
  const profiles = new MemoryTenantProfiles();
  const p = profiles.resolve('c-1', {}, true)!;
  const days = new TraitDays();
  assert.equal(days.latestTime(), -Infinity, 'nothing held');
  for (const ts of [T0 - HOUR, T0 + 5 * HOUR, T0]) {
    profiles.addRealisation(p, 1, ts);
    days.add(p, 1, ts);
  }
  assert.equal(days.latestTime(), T0 + 5 * HOUR);
  const built = new TraitDays();
  built.build(profiles.columnsView());
  assert.equal(built.latestTime(), T0 + 5 * HOUR, 'a build finds it in the store');
  const parts = wholeParts(built.snapshotParts());
  const restored = new TraitDays();
  restored.restore(parts);
  assert.equal(restored.latestTime(), T0 + 5 * HOUR, 'a snapshot carries it');
  restored.restore(parts.filter((part) => part.name !== 'audience.latest'));
  assert.equal(restored.latestTime(), Infinity, 'a snapshot without it: every end day is checked');
});
