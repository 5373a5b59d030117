/**
 * Daily sizes of segments, for trends.
 *
 * Example:
 * ```ts
 * await sizes.recordSegmentSizes('acme', '2026-11-20', [{ segmentId: 3, size: 180 }]);
 * await sizes.segmentSizes('acme', 3, '2026-11-01'); // -> [{ day: '2026-11-20', size: 180 }]
 * ```
 */
export interface SegmentSizeStore {
  /** Keeps the sizes of segments on a UTC day (`YYYY-MM-DD`), replacing those segments' earlier ones of that day. */
  recordSegmentSizes(
    tenant: string,
    day: string,
    sizes: readonly { segmentId: number; size: number }[],
  ): Promise<void>;
  /** A segment's daily sizes from `fromDay` on, oldest first. */
  segmentSizes(tenant: string, segmentId: number, fromDay: string): Promise<{ day: string; size: number }[]>;
  /** The days on which sizes were recorded for the tenant, from `fromDay` on, oldest first. */
  sizeDays(tenant: string, fromDay: string): Promise<string[]>;
  /** Forgets every tenant's sizes before `beforeDay`; resolves how many were forgotten. */
  pruneSegmentSizes(beforeDay: string): Promise<number>;
}
