import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryTenantProfiles } from '../profiles/memory-tenant-profiles.ts';
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
  for (const chunk of [1, 3, 64]) {
    const inRanges = new TraitDays();
    inRanges.build(profiles.columnsView(), chunk);
    assert.deepEqual(inRanges.snapshotParts(), whole.snapshotParts(), `built ${chunk} profiles at a time`);
  }
  assert.ok(
    whole.snapshotParts().some((part) => part.name === 'audience.levels.bitmaps' && part.bytes.length > 0),
  );
});
