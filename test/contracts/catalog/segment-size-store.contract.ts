import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SegmentSizeStore } from '../../../src/catalog/segment-size-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `SegmentSizeStore` contract: one size per segment and day (the latest wins), per tenant, days in
 * order, pruned by day across tenants.
 *
 * Example: `segmentSizeStoreContract('memory (fake)', open)`.
 */
export function segmentSizeStoreContract(
  name: string,
  open: OpenStores<TenantStore & SegmentSizeStore>,
): void {
  void describe(`SegmentSizeStore contract: ${name}`, () => {
    void it('daily segment sizes: one per segment and day (the latest wins), per tenant, pruned by day', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        await stores.recordSegmentSizes('alpha', '2026-11-02', [{ segmentId: 1, size: 12 }]);
        await stores.recordSegmentSizes('alpha', '2026-11-01', [
          { segmentId: 1, size: 10 },
          { segmentId: 2, size: 5 },
        ]);
        await stores.recordSegmentSizes('alpha', '2026-11-02', [{ segmentId: 1, size: 13 }]);
        await stores.recordSegmentSizes('beta', '2026-11-02', [{ segmentId: 1, size: 99 }]);
        const again = await reopen();
        assert.deepEqual(await again.segmentSizes('alpha', 1, '2026-11-01'), [
          { day: '2026-11-01', size: 10 },
          { day: '2026-11-02', size: 13 },
        ]);
        assert.deepEqual(await again.segmentSizes('alpha', 2, '2026-01-01'), [
          { day: '2026-11-01', size: 5 },
        ]);
        assert.deepEqual(await again.segmentSizes('alpha', 1, '2026-11-02'), [
          { day: '2026-11-02', size: 13 },
        ]);
        assert.deepEqual(await again.sizeDays('alpha', '2026-01-01'), ['2026-11-01', '2026-11-02']);
        assert.deepEqual(await again.sizeDays('beta', '2026-01-01'), ['2026-11-02']);
        assert.deepEqual(await again.segmentSizes('beta', 2, '2026-01-01'), []);
        assert.deepEqual(await again.sizeDays('ghost', '2026-01-01'), []);
        assert.equal(await again.pruneSegmentSizes('2026-11-02'), 2);
        assert.deepEqual(await again.sizeDays('alpha', '2026-01-01'), ['2026-11-02']);
        assert.deepEqual(await again.sizeDays('beta', '2026-01-01'), ['2026-11-02']);
        assert.equal(await again.pruneSegmentSizes('2026-11-02'), 0);
      });
    });

    void it('recordSegmentSizes refuses an unknown tenant with not_found and keeps nothing', async () => {
      await withStores(open, async ({ stores }) => {
        await assert.rejects(
          stores.recordSegmentSizes('ghost', '2026-11-01', [{ segmentId: 1, size: 1 }]),
          failsWith('not_found', /ghost/),
        );
        assert.deepEqual(await stores.sizeDays('ghost', '2026-01-01'), []);
      });
    });
  });
}
