import { MATCH_AGE_BUCKETS } from '../../identity/match-rate.ts';
import { intOf, objectOf, sumOf, where, withLatest } from './answer-fields.ts';

/**
 * The merge of `GET /v1/partners/:code/match-rate`: profiles, matched and each age bucket add up; the rate
 * is recomputed from the sums as `countMatchRate` (src/identity/match-rate.ts) computes it,
 * `profiles === 0 ? 0 : matched / profiles`, never averaged; `ageFrom` is `lastSeen` when any partition's
 * ages come from last-seen times (they are then lower bounds), `learntAt` otherwise; `at` is the latest.
 *
 * Example: `mergeMatchRate(route, [{ profiles: 3, matched: 1, ... }, { profiles: 1, matched: 1, ... }])` -> `{ profiles: 4, matched: 2, rate: 0.5, ... }`.
 */
export function mergeMatchRate(
  route: string,
  bodies: readonly Record<string, unknown>[],
): Record<string, unknown> {
  const profiles = sumOf(route, bodies, 'profiles');
  const matched = sumOf(route, bodies, 'matched');
  const byAgeDays: Record<string, number> = Object.fromEntries(MATCH_AGE_BUCKETS.map((b) => [b.label, 0]));
  bodies.forEach((body, k) => {
    const at = where(route, k);
    const buckets = objectOf(at, body.byAgeDays, "'byAgeDays'");
    for (const label of Object.keys(buckets)) {
      byAgeDays[label] = (byAgeDays[label] ?? 0) + intOf(at, buckets, label);
    }
  });
  const merged = {
    ...bodies[0],
    profiles,
    matched,
    rate: profiles === 0 ? 0 : matched / profiles,
    byAgeDays,
    ageFrom: bodies.some((b) => b.ageFrom === 'lastSeen') ? 'lastSeen' : 'learntAt',
  };
  return withLatest(merged, bodies, 'at');
}
