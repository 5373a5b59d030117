import type { Destination } from '../../core/activation/index.ts';
import type { Campaign } from './campaign.ts';
import { inFlight } from './campaign.ts';

/**
 * The flight gate: which of a destination's mapped segments may be delivered at `now`.
 *
 * A (destination, segment) pair named by at least one campaign (the campaign lists both) is delivered
 * only while one of those campaigns is in flight: before the first flight, between flights and after the
 * last one it is not delivered. A pair named by no campaign is a standing mapping: always delivered.
 * Deleting the campaigns of a pair makes it standing again.
 *
 * Undefined when no campaign names the destination (nothing is gated: every mapped segment goes);
 * otherwise the destination's mapped segments that may go now.
 *
 * Example:
 * ```ts
 * const ssp = { code: 'ssp', segments: [{ segment: 'fans', id: '1' }, { segment: 'all', id: '2' }] };
 * activeSegmentsOf([{ ...xmas, segments: ['fans'], destinations: ['ssp'] }], ssp, beforeXmas);
 * // Set { 'all' }: 'fans' waits for the flight, 'all' is standing
 * ```
 */
export function activeSegmentsOf(
  campaigns: readonly Campaign[],
  destination: Pick<Destination, 'code' | 'segments'>,
  now: number,
): Set<string> | undefined {
  const named = new Set<string>();
  const flying = new Set<string>();
  for (const campaign of campaigns) {
    if (!campaign.destinations.includes(destination.code)) continue;
    const live = inFlight(campaign, now);
    for (const segment of campaign.segments) {
      named.add(segment);
      if (live) flying.add(segment);
    }
  }
  if (named.size === 0) return undefined;
  const active = new Set<string>();
  for (const { segment } of destination.segments) {
    if (!named.has(segment) || flying.has(segment)) active.add(segment);
  }
  return active;
}
