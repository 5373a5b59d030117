import type { CollectedEvent } from '../core/event.ts';
import { linkEvent } from './link-profiles.ts';
import type { ApplyShared, ApplyTarget } from './record-appliers.ts';

/**
 * Applies one collected event: resolves (or makes) the visitor's profile, merging the profiles its
 * linking IDs prove to be one person (`linkEvent`, link-profiles.ts), records the event, adds the
 * realisations of the trait versions it realises (`TenantRules.realisedBy`) to the profile and to the
 * audience index, and drops the visitor's cached memberships.
 *
 * Example: `applyEvent(event, seq, { tenant: 't1', profiles, audience }, shared)`.
 */
export function applyEvent(
  event: CollectedEvent,
  seq: number,
  target: ApplyTarget,
  shared: ApplyShared,
): void {
  const { tenant, profiles, audience } = target;
  const index = audience?.index;
  const p = linkEvent(event, {
    profiles,
    index,
    // a method, not an arrow bound to a name: under tsx (keepNames) a named closure per event costs a
    // defineProperty call, 2-4% of qualification (docs/performance.md)
    changed(q: number): void {
      shared.memberships.changed(tenant, q);
    },
    limits: shared.idLimits.of(tenant),
  });
  if (p === undefined) return;
  profiles.recordEvent(p, event);
  audience?.index.profileChanged(p);
  shared.memberships.changed(tenant, p);
  shared.stats.events++;
  for (const version of shared.rules(tenant).realisedBy(event, seq)) {
    profiles.addRealisation(p, version.traitId, event.ts);
    audience?.index.addRealisation(p, version.traitId, event.ts);
    shared.stats.realisations++;
  }
  audience?.changed();
}
