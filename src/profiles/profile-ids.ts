/**
 * The types of a profile's IDs as the profile store hands them out and takes them: several IDs of one
 * type per profile (a profile merged from a phone and a laptop holds two `uid`s), each with the time it
 * was last learnt (`LinkedId` of the identity rules, `src/core/identity/merge-rules.ts`), and the limits
 * that bound how many a profile keeps: the rules' caps per type (`IdCaps`, applied by their
 * `applyIdCaps`: the newest of a type kept, the oldest dropped, ties by value), then a cap on the
 * profile's IDs in all.
 */
import type { IdCaps, LinkedId } from '../core/identity/index.ts';

export type { IdCaps, LinkedId };

/**
 * How many IDs a profile keeps, so that a shared device does not swallow a household or a city: per
 * type, `caps` (the identity rules' `applyIdCaps`: newest kept, ties to the smaller value); then at most
 * `perProfile` in all (a positive integer; absent: no limit), newest kept, ties to the smaller type, then
 * value. Which IDs stay depends on the IDs and their learnt times alone, never on the order they came
 * in. Absent limits drop nothing.
 *
 * Example: `{ caps: DEFAULT_ID_CAPS, perProfile: 30 }`
 */
export interface IdLimits {
  caps?: IdCaps;
  perProfile?: number;
}

/**
 * What a merge did: the IDs the limits dropped (no profile holds them any more), oldest first.
 * Example: `{ droppedIds: [{ type: 'uid', value: 'c-9', learntAt: 1_700_000_000_000 }] }`
 */
export interface MergeResult {
  droppedIds: LinkedId[];
}

/**
 * What `attachId` did: whether the ID was attached (false when it is empty or held by another profile;
 * when this profile already held it, its learnt time was refreshed) and the IDs the limits then dropped
 * (the new one among them when it was the oldest).
 */
export interface AttachResult {
  attached: boolean;
  droppedIds: LinkedId[];
}

/** Checks `perProfile`: a positive integer when given; throws a RangeError saying what it is. */
export function checkIdLimits(limits: IdLimits): void {
  const n = limits.perProfile;
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 1))
    throw new RangeError(`ID limit perProfile is ${String(n)}: not a positive integer`);
}
