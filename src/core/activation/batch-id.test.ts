import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batchId, splitBatches } from './batch-id.ts';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

void describe('batchId', () => {
  void it('is the same for the same run and index, and different otherwise', () => {
    const id = batchId({ code: 'ttd' }, 'run-1', 0);
    assert.match(id, UUID_V8);
    assert.equal(batchId({ code: 'ttd' }, 'run-1', 0), id);
    const others = [
      batchId({ code: 'ttd' }, 'run-1', 1),
      batchId({ code: 'ttd' }, 'run-2', 0),
      batchId({ code: 'dv360' }, 'run-1', 0),
      // no ambiguity where the parts meet
      batchId({ code: 'ttd\nrun' }, '-1', 0),
      batchId({ code: 'ttd' }, 'run-1\n0', 0),
    ];
    assert.equal(new Set([id, ...others]).size, 6);
    const many = new Set(Array.from({ length: 10_000 }, (_, i) => batchId({ code: 'ttd' }, 'run-1', i)));
    assert.equal(many.size, 10_000);
    for (const one of [...many].slice(0, 100)) assert.match(one, UUID_V8);
  });
});

void describe('splitBatches', () => {
  void it('cuts items into batches in order', () => {
    const cases: [string[], number, string[][]][] = [
      [[], 3, []],
      [['a', 'b', 'c'], 2, [['a', 'b'], ['c']]],
      [
        ['a', 'b', 'c', 'd'],
        2,
        [
          ['a', 'b'],
          ['c', 'd'],
        ],
      ],
      [['a', 'b'], 5, [['a', 'b']]],
      [['a', 'b'], 0, [['a'], ['b']]],
    ];
    for (const [items, size, expected] of cases) assert.deepEqual(splitBatches(items, size), expected);
  });
});
