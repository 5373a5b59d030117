import type { Destination } from './destination.ts';

/**
 * A visitor's segments under a destination's own IDs, with the taxonomy they belong to.
 *
 * Example: `{ segmentIds: ['483', '512'], segtax: 4 }`
 */
export interface MappedSegments {
  segmentIds: string[];
  segtax?: number;
}

/**
 * The destination's IDs for the segments a visitor is in, in the destination's mapping order, each
 * once; segments the destination does not map are left out.
 *
 * Example: `mapSegments(dsp, new Set(['sports_fans', 'unmapped']))` -> `{ segmentIds: ['483'], segtax: 4 }`
 */
export function mapSegments(
  destination: Pick<Destination, 'segments' | 'segtax'>,
  memberOf: ReadonlySet<string>,
): MappedSegments {
  const segmentIds: string[] = [];
  for (const { segment, id } of destination.segments) {
    if (memberOf.has(segment) && !segmentIds.includes(id)) segmentIds.push(id);
  }
  return destination.segtax === undefined ? { segmentIds } : { segmentIds, segtax: destination.segtax };
}
