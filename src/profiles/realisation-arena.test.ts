import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RealisationArena } from './realisation-arena.ts';

void describe('RealisationArena', () => {
  void it('reuses the slots that removeWhere and removeAll free before growing', () => {
    const arena = new RealisationArena();
    arena.ensureProfiles(2);
    for (let i = 0; i < 100; i++) arena.add(i % 2, i % 3, i);
    assert.equal(arena.slotsUsed(), 100);
    assert.equal(
      arena.removeWhere(0, (traitId) => traitId === 0),
      17,
    );
    assert.equal(arena.removeAll(1), 50);
    assert.equal(arena.size(), 33);
    for (let i = 0; i < 67; i++) arena.add(1, 5, i);
    assert.equal(arena.slotsUsed(), 100);
    assert.equal(arena.size(), 100);
    arena.add(1, 5, 1000);
    assert.equal(arena.slotsUsed(), 101);
  });

  void it('keeps each profile apart and its times in order whatever the order of arrival', () => {
    const arena = new RealisationArena();
    arena.ensureProfiles(40);
    const times = [5, 1, 9, 3, 3, 7];
    for (const t of times) arena.add(39, 2, t);
    arena.add(38, 2, 4);
    assert.deepEqual(arena.times(39, 2), [1, 3, 3, 5, 7, 9]);
    assert.equal(arena.newest(39), 9);
    assert.equal(arena.count(39, 2, 3, 7), 2);
    assert.deepEqual(arena.times(38, 2), [4]);
    assert.ok(Number.isNaN(arena.newest(0)));
  });
});
