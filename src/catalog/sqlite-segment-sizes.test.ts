import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteCatalog } from './sqlite-catalog.ts';

test('daily segment sizes: one per day (the latest wins), per tenant, pruned by day', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  const a = (await catalog.createTenant('alpha')).tenant;
  const b = (await catalog.createTenant('beta')).tenant;
  await catalog.recordSegmentSizes(a, '2026-11-01', [
    { segmentId: 1, size: 10 },
    { segmentId: 2, size: 5 },
  ]);
  await catalog.recordSegmentSizes(a, '2026-11-02', [{ segmentId: 1, size: 12 }]);
  await catalog.recordSegmentSizes(a, '2026-11-02', [{ segmentId: 1, size: 13 }]);
  await catalog.recordSegmentSizes(b, '2026-11-02', [{ segmentId: 1, size: 99 }]);
  assert.deepEqual(await catalog.segmentSizes(a, 1, '2026-11-01'), [
    { day: '2026-11-01', size: 10 },
    { day: '2026-11-02', size: 13 },
  ]);
  assert.deepEqual(await catalog.segmentSizes(a, 1, '2026-11-02'), [{ day: '2026-11-02', size: 13 }]);
  assert.deepEqual(await catalog.sizeDays(b, '2026-01-01'), ['2026-11-02']);
  assert.equal(await catalog.pruneSegmentSizes('2026-11-02'), 2);
  assert.deepEqual(await catalog.sizeDays(a, '2026-01-01'), ['2026-11-02']);
  await catalog.close();
});
