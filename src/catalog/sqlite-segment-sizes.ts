import type { SegmentSizeStore } from './segment-size-store.ts';
import type { CatalogContext } from './catalog-context.ts';
import { requireTenant } from './catalog-context.ts';

/**
 * Daily segment sizes on SQLite, for trends.
 * Example: `await sizes.recordSegmentSizes('acme', '2026-11-20', [{ segmentId: 3, size: 180 }])`.
 */
export function sqliteSegmentSizes(ctx: CatalogContext): SegmentSizeStore {
  const { db } = ctx;
  const upsert = db.prepare<[string, number, string, number]>(
    'INSERT INTO segment_sizes (tenant, segment_id, day, size) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (tenant, segment_id, day) DO UPDATE SET size = excluded.size',
  );
  const series = db.prepare<[string, number, string], { day: string; size: number }>(
    'SELECT day, size FROM segment_sizes WHERE tenant = ? AND segment_id = ? AND day >= ? ORDER BY day',
  );
  const days = db.prepare<[string, string], { day: string }>(
    'SELECT DISTINCT day FROM segment_sizes WHERE tenant = ? AND day >= ? ORDER BY day',
  );
  const prune = db.prepare<[string]>('DELETE FROM segment_sizes WHERE day < ?');
  const record = db.transaction(
    (tenant: string, day: string, sizes: readonly { segmentId: number; size: number }[]) => {
      for (const { segmentId, size } of sizes) upsert.run(tenant, segmentId, day, size);
    },
  );
  return {
    async recordSegmentSizes(tenant, day, sizes) {
      requireTenant(ctx, tenant);
      record(tenant, day, sizes);
    },
    async segmentSizes(tenant, segmentId, fromDay) {
      return series.all(tenant, segmentId, fromDay);
    },
    async sizeDays(tenant, fromDay) {
      return days.all(tenant, fromDay).map((r) => r.day);
    },
    async pruneSegmentSizes(beforeDay) {
      return prune.run(beforeDay).changes;
    },
  };
}
