import type { EventLog } from '../log/event-log.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import type { RealisationWriter, RuleReader } from './ports.ts';

/**
 * What a backfill reads and writes of qualification (`QualifyService`): the trait's versions and lifetime,
 * the profiles to find each event's visitor in, and the realisations it clears and adds.
 */
export interface BackfillTarget extends RuleReader, RealisationWriter {
  profilesOf(tenant: string): Pick<TenantProfiles, 'resolve'>;
}

/**
 * Applies a trait's rule to the stored events of its lifetime (`"backfill": true`): forgets the trait's
 * realisations, then replays the tenant's logged events up to the current end of the log and realises
 * the trait on the profiles that still exist. Events of a visitor deleted after them are skipped, so a
 * backfill never brings back what a deletion removed. Later events are applied by the live path.
 *
 * Example: `await backfillTrait(qualify, log, 't1', trait.id, clock.now())` -> realisations added.
 */
export async function backfillTrait(
  qualify: BackfillTarget,
  log: EventLog,
  tenant: string,
  traitId: number,
  now: number,
): Promise<number> {
  const upTo = log.lastSeq();
  const rules = qualify.rules(tenant);
  const lifetime = rules.lifetimeMs(traitId);
  if (lifetime === undefined) return 0;
  const versions = rules.versionsOf(traitId);
  const profiles = qualify.profilesOf(tenant);
  qualify.clearTrait(tenant, traitId);

  const deletedAt = new Map<string, number>();
  await log.replay(1, (seq, record) => {
    if (seq <= upTo && record.tenant === tenant && record.kind === 'delete') deletedAt.set(record.uid, seq);
  });
  const cutoff = now - lifetime;
  let added = 0;
  await log.replay(1, (seq, record) => {
    if (seq > upTo || record.kind !== 'event' || record.tenant !== tenant) return;
    const event = record.event;
    if (event.ts <= cutoff) return;
    const deleted = deletedAt.get(event.uid);
    if (deleted !== undefined && deleted > seq) return;
    const p = profiles.resolve(event.uid, event.ids, false);
    if (p === undefined) return;
    for (const version of versions) {
      if (seq >= version.fromSeq && seq < version.untilSeq && version.test(event)) {
        qualify.addRealisation(tenant, p, traitId, event.ts);
        added++;
      }
    }
  });
  return added;
}
