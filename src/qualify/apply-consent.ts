import type { ConsentRecord } from '../core/consent-record.ts';
import type { TenantProfiles } from '../profiles/profile-store.ts';

/**
 * The profile that holds the primary ID `uid` or one of `ids`, looked up only: unlike `resolve`, no ID is
 * attached and no profile made (a visitor who refused storage must leave no new ID behind).
 *
 * Example: `knownProfile(profiles, 'c-123', { maid: '6d92...' })` -> `4` (or undefined: a stranger).
 */
export function knownProfile(
  profiles: Pick<TenantProfiles, 'find'>,
  uid: string,
  ids: Readonly<Record<string, string>> | undefined,
): number | undefined {
  if (uid !== '') {
    const p = profiles.find('uid', uid);
    if (p !== undefined) return p;
  }
  for (const type in ids) {
    const value = ids[type];
    if (value === undefined || value === '') continue;
    const p = profiles.find(type, value);
    if (p !== undefined) return p;
  }
  return undefined;
}

/**
 * Applies a `consent` log record: the consent of the visitor's existing profile is replaced when the
 * record's time is not older than the consent it holds. A record of a visitor with no profile (never
 * known, or deleted since) changes nothing. Returns the profile changed, if any.
 *
 * Example: `applyConsentRecord(profiles, { kind: 'consent', tenant: 't1', uid: 'c-1', ts, consent })` -> `0`.
 */
export function applyConsentRecord(profiles: TenantProfiles, record: ConsentRecord): number | undefined {
  const p = knownProfile(profiles, record.uid, record.ids);
  if (p !== undefined) profiles.recordConsent(p, record.consent, record.ts);
  return p;
}
