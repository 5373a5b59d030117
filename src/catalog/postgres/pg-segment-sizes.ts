import type { SegmentSizeStore } from '../segment-size-store.ts';
import type { PgContext } from './pg-sql.ts';
import { all, changed, requireTenantPg } from './pg-sql.ts';

/**
 * Daily segment sizes on PostgreSQL, for trends. A prune concerns every tenant: it is announced as `*`.
 *
 * Example: `await pgSegmentSizes(ctx).recordSegmentSizes('acme', '2026-11-20', [{ segmentId: 3, size: 180 }])`.
 */
export function pgSegmentSizes(ctx: PgContext): SegmentSizeStore {
  const { pool } = ctx;
  return {
    async recordSegmentSizes(tenant, day, sizes) {
      await ctx.write(tenant, 'segment-size', async (sql) => {
        await requireTenantPg(sql, tenant);
        for (const { segmentId, size } of sizes) {
          await sql.query(
            `INSERT INTO segment_sizes (tenant, segment_id, day, size) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, segment_id, day) DO UPDATE SET size = excluded.size`,
            [tenant, segmentId, day, size],
          );
        }
      });
    },
    async segmentSizes(tenant, segmentId, fromDay) {
      return all<{ day: string; size: number }>(
        pool,
        'SELECT day, size FROM segment_sizes WHERE tenant = $1 AND segment_id = $2 AND day >= $3 ORDER BY day',
        [tenant, segmentId, fromDay],
      );
    },
    async sizeDays(tenant, fromDay) {
      const rows = await all<{ day: string }>(
        pool,
        'SELECT DISTINCT day FROM segment_sizes WHERE tenant = $1 AND day >= $2 ORDER BY day',
        [tenant, fromDay],
      );
      return rows.map((r) => r.day);
    },
    async pruneSegmentSizes(beforeDay) {
      return ctx.write('*', 'segment-size', (sql) =>
        changed(sql, 'DELETE FROM segment_sizes WHERE day < $1', [beforeDay]),
      );
    },
  };
}
