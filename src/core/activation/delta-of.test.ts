import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deltaOf } from './delta-of.ts';

void describe('deltaOf', () => {
  void it('lists who was added and who was removed', () => {
    const cases: [string[], string[], { added: string[]; removed: string[] }][] = [
      [[], [], { added: [], removed: [] }],
      [[], ['a', 'b'], { added: ['a', 'b'], removed: [] }],
      [['a', 'b'], [], { added: [], removed: ['a', 'b'] }],
      [['a', 'b'], ['b', 'c'], { added: ['c'], removed: ['a'] }],
      [['a', 'c', 'e'], ['b', 'c', 'd', 'f'], { added: ['b', 'd', 'f'], removed: ['a', 'e'] }],
      [['B', 'a'], ['a', 'b'], { added: ['b'], removed: ['B'] }],
      [['x'], ['x'], { added: [], removed: [] }],
    ];
    for (const [previous, current, expected] of cases) assert.deepEqual(deltaOf(previous, current), expected);
  });

  void it('agrees with set difference on any sorted lists', () => {
    const sortedSet = fc.uniqueArray(fc.string({ maxLength: 4 }), { maxLength: 40 }).map((a) => a.sort());
    fc.assert(
      fc.property(sortedSet, sortedSet, (previous, current) => {
        const before = new Set(previous);
        const now = new Set(current);
        assert.deepEqual(deltaOf(previous, current), {
          added: current.filter((id) => !before.has(id)),
          removed: previous.filter((id) => !now.has(id)),
        });
      }),
    );
  });
});
