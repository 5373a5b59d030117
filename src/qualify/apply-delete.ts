import type { LogRecord } from '../log/event-log.ts';
import type { ApplyShared, ApplyTarget } from './record-appliers.ts';

/**
 * Applies a `delete` record: the profile holding the primary ID goes from the audience index (first, as
 * the index asks), then from the profiles, with its cached memberships. Counted even when no profile
 * held the ID (deleted before, or never known), since snapshots compare it with the deletions erased.
 *
 * Example: `applyDeleteRecord({ kind: 'delete', tenant: 't1', uid: 'c-1' }, seq, target, shared)`.
 */
export function applyDeleteRecord(
  record: Extract<LogRecord, { kind: 'delete' }>,
  _seq: number,
  target: ApplyTarget,
  shared: ApplyShared,
): void {
  const { profiles, audience } = target;
  const p = profiles.find('uid', record.uid);
  if (p !== undefined) {
    audience?.index.removeProfile(p);
    profiles.remove(p);
    audience?.changed();
    shared.memberships.changed(target.tenant, p);
  }
  shared.stats.deletions++;
}
