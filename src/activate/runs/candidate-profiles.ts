import { toArrayAndDispose, unionOf } from '../../audience/bitmap.ts';
import type { AudienceReader, RuleReader } from '../../qualify/ports.ts';

/**
 * The profiles in any of these saved segments at `now`, ascending: the union of the segments' members in
 * the tenant's bitmap audience index (each segment evaluated once, as segment sizes are), so a run visits
 * these profiles only instead of every profile of the tenant. A code with no saved segment has no members.
 *
 * Example: `candidateProfiles(qualify, 't1', ['sports_fans', 'auto_intent'], now)` -> `Uint32Array [4, 97, 1203]`
 */
export function candidateProfiles(
  qualify: RuleReader & AudienceReader,
  tenant: string,
  codes: Iterable<string>,
  now: number,
): Uint32Array {
  const rules = qualify.rules(tenant);
  const ids: number[] = [];
  for (const code of new Set(codes)) {
    const segment = rules.segmentByCode(code);
    if (segment !== undefined) ids.push(segment.id);
  }
  if (ids.length === 0) return new Uint32Array(0);
  return qualify
    .audience(tenant)
    .withMembers(rules, ids, now, (members) => toArrayAndDispose(unionOf(members)));
}
