import { idLifetimeDays } from './id-types.ts';
import type { LinkedId } from './merge-rules.ts';

const DAY_MS = 86_400_000;

/**
 * How long each ID type lives for a tenant, in days: what the tenant set (identity settings'
 * `idLifetimeDays`), then each partner's own `idLifetimeDays` for its code, then the built-in defaults
 * (`idLifetimeDays` of id-types.ts). Made by the identity settings service; read where an ID is used.
 *
 * Example: `{ perType: { maid: 90, ssp_a: 30 } }`
 */
export interface IdLifetimes {
  readonly perType: Readonly<Record<string, number>>;
}

/** No setting and no partner: the defaults for every type. */
export const DEFAULT_ID_LIFETIMES: IdLifetimes = Object.freeze({ perType: Object.freeze({}) });

/**
 * Whether an ID learnt at `learntAt` is still alive at `now` by its type's lifetime: learnt (or learnt
 * again: a new sync, a new event naming it) less than that many days ago. An ID without a learnt time
 * (kept before learnt times were) counts as alive. An expired ID no longer finds its visitor, is not
 * sent to a destination and does not count as matched; the profile keeps it until learnt again (which
 * revives it) or capped away.
 *
 * Example: `isIdLive('maid', Date.parse('2026-01-01'), { perType: { maid: 90 } }, Date.parse('2026-06-01'))` -> false
 */
export function isIdLive(
  type: string,
  learntAt: number | undefined,
  lifetimes: IdLifetimes,
  now: number,
): boolean {
  if (learntAt === undefined || !Number.isFinite(learntAt)) return true;
  return now - learntAt < idLifetimeDays(type, lifetimes.perType) * DAY_MS;
}

/** Whether an ID of `type` learnt at `learntAt` is still alive: `isIdLive` bound to a tenant's lifetimes and a time. */
export type IdLive = (type: string, learntAt: number | undefined) => boolean;

/** What `findLive` and `liveIdsOf` read of a tenant's profiles (the profile store gives both). */
export interface IdHolders {
  find(type: string, value: string): number | undefined;
  allIds(p: number): readonly LinkedId[];
}

/**
 * The profile an ID finds while the ID is alive, else undefined: `find`, then the ID's learnt time
 * against its lifetime. Lookups, deletions and opt-outs use `find` itself, so that an expired ID still
 * reaches the visitor it named.
 *
 * Example: `findLive(profiles, 'ssp_a', 'A-1', (type, at) => isIdLive(type, at, lifetimes, now))`
 */
export function findLive(profiles: IdHolders, type: string, value: string, live: IdLive): number | undefined {
  const p = profiles.find(type, value);
  if (p === undefined) return undefined;
  for (const id of profiles.allIds(p))
    if (id.type === type && id.value === value) return live(type, id.learntAt) ? p : undefined;
  return p;
}

/**
 * The profile's alive IDs, one per type (the first learnt of each that is still alive), as `idsOf`
 * gives them all: what a destination may be sent.
 *
 * Example: `liveIdsOf(profiles, p, live)` -> `{ uid: 'c-1', ssp_a: 'A-7' }` (an expired `maid` left out)
 */
export function liveIdsOf(
  profiles: Pick<IdHolders, 'allIds'>,
  p: number,
  live: IdLive,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of profiles.allIds(p))
    if (!Object.hasOwn(out, id.type) && live(id.type, id.learntAt)) out[id.type] = id.value;
  return out;
}
