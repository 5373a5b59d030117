import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RealisationArena } from './realisation-arena.ts';

void describe('RealisationArena', () => {
  void it('reuses the blocks that removeWhere and removeAll free before growing', () => {
    const arena = new RealisationArena();
    arena.ensureProfiles(2);
    for (let i = 0; i < 100; i++) arena.add(i % 2, i % 3, i);
    const used = arena.bytesUsed();
    const held = arena.bytes();
    assert.equal(
      arena.removeWhere(0, (traitId) => traitId === 0),
      17,
    );
    assert.equal(arena.removeAll(1), 50);
    assert.equal(arena.size(), 33);
    for (let i = 1; i < 100; i += 2) arena.add(1, i % 3, i);
    assert.equal(arena.size(), 83);
    assert.equal(arena.bytesUsed(), used);
    assert.equal(arena.bytes(), held);
    assert.deepEqual(arena.times(1, 2), [5, 11, 17, 23, 29, 35, 41, 47, 53, 59, 65, 71, 77, 83, 89, 95]);
    assert.equal(arena.times(0, 0).length, 0);
    assert.equal(arena.times(0, 1).length, 16);
    assert.equal(arena.times(0, 2).length, 17);
  });

  void it('moves a full block to a larger class and reuses freed blocks', () => {
    const arena = new RealisationArena();
    arena.ensureProfiles(4);
    // a trait below 64 at the same time is 1 byte: the first entry is 2 bytes (trait, time 100), 14 more fill 16
    arena.add(0, 1, 100);
    for (let i = 0; i < 14; i++) arena.add(0, 2, 100);
    assert.equal(arena.bytesUsed(), 16);
    arena.add(0, 3, 100); // 17 bytes: moves to a 24-byte block, the 16-byte one is freed
    assert.equal(arena.bytesUsed(), 16 + 24);
    arena.add(1, 1, 5); // profile 1 takes the freed 16-byte block
    assert.equal(arena.bytesUsed(), 16 + 24);
    assert.deepEqual(arena.times(0, 2), Array<number>(14).fill(100));
    assert.equal(arena.count(0, 3, 99, 100), 1);
    assert.deepEqual(arena.times(1, 1), [5]);
    // the same number of realisations removed and added again, over and over: no growth
    for (let p = 0; p < 4; p++) for (let i = 0; i < 200; i++) arena.add(p, i % 7, 1_000 * i);
    const held = arena.bytes();
    const used = arena.bytesUsed();
    for (let round = 0; round < 20; round++) {
      for (let p = 0; p < 4; p++) {
        arena.removeAll(p);
        for (let i = 0; i < 200; i++) arena.add(p, i % 7, 1_000 * i + round);
      }
    }
    assert.equal(arena.bytes(), held);
    assert.equal(arena.bytesUsed(), used);
    assert.equal(arena.size(), 800);
  });

  void it('gives back the blocks freed by profiles growing in lockstep', () => {
    const arena = new RealisationArena();
    const profiles = 3000;
    arena.ensureProfiles(profiles);
    // every profile's block moves up a class in turn, as when events arrive across all profiles
    for (let round = 0; round < 60; round++) {
      for (let p = 0; p < profiles; p++) {
        arena.add(p, 1 + (p % 50), round * 60_000);
        arena.add(p, 2 + (p % 50), round * 60_000);
      }
    }
    // 1 (trait) + 3 (delta: 60,000 ms) + 1 = 5 bytes a round: 300 bytes, in a 384-byte block
    assert.equal(arena.size(), profiles * 120);
    assert.ok(
      arena.bytesUsed() - arena.freeBytes() <= profiles * 384 * 1.34,
      `${arena.bytesUsed() - arena.freeBytes()} bytes in blocks`,
    );
    assert.ok(arena.bytes() < profiles * 384 * 3, `${arena.bytes()} bytes held`);
    for (let p = 0; p < profiles; p += 97) {
      assert.equal(arena.count(p, 1 + (p % 50), -1, Infinity), 60);
      assert.equal(arena.newest(p), 59 * 60_000);
    }
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

  void it('refuses times that are not non-negative integers of ms', () => {
    const arena = new RealisationArena();
    arena.ensureProfiles(1);
    assert.throws(() => arena.add(0, 1, -1), RangeError);
    assert.throws(() => arena.add(0, 1, 1.5), RangeError);
    assert.throws(() => arena.add(0, 1, NaN), RangeError);
    assert.equal(arena.size(), 0);
  });
});
