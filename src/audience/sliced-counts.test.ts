import { it } from 'node:test';
import assert from 'node:assert/strict';
import { leastPassingCount } from './sliced-counts.ts';

void it('the least passing count: only when every test is >= or >, so that every larger count passes', () => {
  assert.equal(leastPassingCount([{ op: '>=', value: 2 }]), 2);
  assert.equal(leastPassingCount([{ op: '>', value: 2 }]), 3);
  assert.equal(
    leastPassingCount([
      { op: '>=', value: 2 },
      { op: '>', value: 3 },
    ]),
    4,
  );
  assert.equal(leastPassingCount([{ op: '>=', value: 0 }]), 0, 'zero passes: the caller keeps its own path');
  assert.equal(
    leastPassingCount([
      { op: '>=', value: 2 },
      { op: '<', value: 5 },
    ]),
    undefined,
  );
  assert.equal(leastPassingCount([{ op: '==', value: 2 }]), undefined);
});
