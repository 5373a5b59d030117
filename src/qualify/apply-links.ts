import type { IdLinksRecord, LinksOutcome } from '../core/identity/index.ts';
import { type LinkTarget, mergePair } from './link-profiles.ts';
import type { ApplyShared, ApplyTarget } from './record-appliers.ts';

/**
 * What each `links` record applied in this process came to, keyed by the record object itself: the
 * identity service appends a record through ingestion, which applies that same object, and then reads
 * its outcome here. Weak, so the records of a replay (never asked about) cost nothing once applied.
 *
 * Example: `outcomes.get(record)` -> `{ linked: 2, merged: 1, unmatched: 5 }`.
 */
export type LinkOutcomes = WeakMap<IdLinksRecord, LinksOutcome>;

/**
 * Applies one row of an ID-link file: the profiles holding any of its IDs (`find`, in the row's order)
 * are the row's visitor. None: nothing is done (a match table alone makes no visitor). One or more:
 * each held ID is learnt again at `ts` (before a merge caps IDs by their learnt times, as `linkEvent`
 * does), the holders are merged one by one by `mergePair` (the survivor as the identity rules choose),
 * and the row's IDs no profile holds are attached to the survivor at `ts`, capped by the target's limits.
 * Every ID type links here, device IDs too: the operator who uploads the file asserts the rows (unlike an
 * event, where `mayLink` lets a device ID link only beside our cookie). Returns the profiles merged away,
 * or -1 when the row matched none.
 *
 * Example: `linkRow([['crm', 'C-1'], ['maid', M]], ts, target)` -> 1 (the laptop's and the phone's profiles merged).
 */
export function linkRow(ids: readonly (readonly [string, string])[], ts: number, target: LinkTarget): number {
  const { profiles } = target;
  const holders: number[] = [];
  for (const [type, value] of ids) {
    // learnt again now, in place, before any merge caps IDs by their learnt times
    const holder = profiles.findLearning(type, value, ts);
    if (holder === undefined) continue;
    if (!holders.includes(holder)) holders.push(holder);
  }
  if (holders.length === 0) return -1;
  let p = holders[0]!;
  for (let i = 1; i < holders.length; i++) p = mergePair(p, holders[i]!, target);
  for (const [type, value] of ids)
    if (profiles.find(type, value) === undefined) profiles.attachId(p, type, value, ts, target.limits);
  return holders.length - 1;
}

/**
 * Applies a `links` record row by row (`linkRow`) with the tenant's ID limits where the record stands in
 * the log (`shared.idLimits`), keeping the audience index and the membership caches right, and keeps its
 * outcome in `shared.linkOutcomes` for the service that appended it. Deterministic: it reads only the record, the
 * store and the limits, so a replay or a restart builds the same graph.
 *
 * Example: `applyLinks(record, { tenant: 'acme', profiles, audience }, shared)`.
 */
export function applyLinks(record: IdLinksRecord, target: ApplyTarget, shared: ApplyShared): void {
  const { tenant, profiles, audience } = target;
  const changed = (q: number): void => shared.memberships.changed(tenant, q);
  const link: LinkTarget = { profiles, index: audience?.index, changed, limits: shared.idLimits.of(tenant) };
  const outcome: LinksOutcome = { linked: 0, merged: 0, unmatched: 0 };
  // a row none of whose IDs a profile holds may be held after a later row of the same file: the file
  // says its rows' IDs are one visitor whatever the rows' order, so such rows are tried again until no
  // row of them links (each try of an unheld row changes nothing)
  let pending: IdLinksRecord['rows'] = record.rows;
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const unheld: IdLinksRecord['rows'][number][] = [];
    for (const row of pending) {
      const merged = linkRow(row, record.ts, link);
      if (merged < 0) unheld.push(row);
      else {
        progress = true;
        outcome.linked++;
        outcome.merged += merged;
      }
    }
    pending = unheld;
  }
  outcome.unmatched = pending.length;
  if (outcome.merged > 0) audience?.changed();
  shared.linkOutcomes.set(record, outcome);
}
