import type { ConsentRecord } from '../core/consent-record.ts';
import type { CollectedEvent } from '../core/event.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';
import { knownProfile } from '../qualify/apply-consent.ts';

/**
 * The `consent` log records for the events the consent gate refused to store (reason `consent`, not an
 * opt-out), so that a withdrawal reaches the profile even though its event is dropped. Only visitors
 * already known get one: a profile holds one of the event's IDs, or an event of the same batch that is
 * stored names the same uid. A stranger who refuses leaves nothing. A record names the visitor only by
 * IDs the DMP already holds (an ID first seen in the refused event is left out) and carries the event's
 * time and consent, nothing else of it.
 *
 * Example:
 * ```ts
 * consentRecords('t1', [refusedEvent], storedEvents, profiles);
 * // [{ kind: 'consent', tenant: 't1', uid: 'c-1', ts: 1795968000000, consent: { gdpr: 1, tcf: 'CQ...' } }]
 * ```
 */
export function consentRecords(
  tenant: string,
  refused: readonly CollectedEvent[],
  stored: readonly CollectedEvent[],
  profiles: Pick<TenantProfiles, 'find'>,
): ConsentRecord[] {
  if (refused.length === 0) return [];
  const storedUids = new Set(stored.map((e) => e.uid));
  const records: ConsentRecord[] = [];
  for (const event of refused) {
    const uidKnown = storedUids.has(event.uid) || knownProfile(profiles, event.uid, undefined) !== undefined;
    const ids: Record<string, string> = {};
    for (const [type, value] of Object.entries(event.ids)) {
      if (value !== '' && profiles.find(type, value) !== undefined) ids[type] = value;
    }
    const idsKnown = Object.keys(ids).length > 0;
    if (!uidKnown && !idsKnown) continue;
    records.push({
      kind: 'consent',
      tenant,
      uid: uidKnown ? event.uid : '',
      ...(idsKnown ? { ids } : {}),
      ts: event.ts,
      consent: event.consent ?? {},
    });
  }
  return records;
}
