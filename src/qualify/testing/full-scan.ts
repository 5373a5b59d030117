import type { ProfileSegments } from '../profile-segments.ts';
import type { ProfileReader } from '../ports.ts';

/** What a full scan reads: the tenant's profiles and a reusable segment context over its rules. */
export interface ScanSource extends ProfileReader {
  context(tenant: string): ProfileSegments;
}

/**
 * Counts the tenant's profiles for which `predicate` holds at `now`, by evaluating it on every profile:
 * the reference that the bitmap audience index's sizes are checked against (tests only).
 *
 * Example: `scanCount(qualify, 't1', (ctx) => ctx.isMember(0), now)` -> `1234`.
 */
export function scanCount(
  qualify: ScanSource,
  tenant: string,
  predicate: (ctx: ProfileSegments) => boolean,
  now: number,
): number {
  const profiles = qualify.profilesOf(tenant);
  const ctx = qualify.context(tenant);
  let n = 0;
  profiles.forEach((p) => {
    if (predicate(ctx.reset(profiles.view(p), now))) n++;
  });
  return n;
}

/**
 * Sizes of the segments at these positions (of `rules.segments`) and the number of profiles in each
 * pair, by evaluating every profile: the reference for the index's overlaps (tests only).
 *
 * Example: `scanOverlap(qualify, 't1', [0, 3], now)` -> `{ sizes: [10, 4], overlap: [[10, 2], [2, 4]] }`.
 */
export function scanOverlap(
  qualify: ScanSource,
  tenant: string,
  positions: readonly number[],
  now: number,
): { sizes: number[]; overlap: number[][] } {
  const k = positions.length;
  const sizes = new Array<number>(k).fill(0);
  const overlap = positions.map(() => new Array<number>(k).fill(0));
  const member = new Uint8Array(k);
  const profiles = qualify.profilesOf(tenant);
  const ctx = qualify.context(tenant);
  profiles.forEach((p) => {
    ctx.reset(profiles.view(p), now);
    for (let i = 0; i < k; i++) member[i] = ctx.isMember(positions[i]!) ? 1 : 0;
    for (let i = 0; i < k; i++) {
      if (member[i] === 0) continue;
      sizes[i]!++;
      const row = overlap[i]!;
      for (let j = 0; j < k; j++) if (member[j] === 1) row[j]!++;
    }
  });
  return { sizes, overlap };
}
