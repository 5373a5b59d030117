import type { CollectedEvent } from '../core/event.ts';
import type { ProfileView } from '../core/rules/scope.ts';

/** A trait's summary on one profile, for the profile API. */
export interface TraitSummary {
  traitId: number;
  count: number;
  first: number;
  last: number;
}

/** What `forget` removed. */
export interface ForgetResult {
  profilesRemoved: number;
  realisationsForgotten: number;
}

/**
 * The profiles of one tenant, under dense integer indexes (0, 1, 2, ...). A removed profile's index
 * may be reused by a later one.
 *
 * Example:
 * ```ts
 * const p = profiles.resolve(event.uid, event.ids, true)!;
 * profiles.recordEvent(p, event);
 * profiles.addRealisation(p, traitId, event.ts);
 * profiles.view(p).countRealisations(traitId, now - 30 * DAY, now);
 * ```
 */
export interface TenantProfiles {
  /**
   * The profile holding the primary ID `uid` or any of `ids` (`{ maid: "..." }`); with `create`, a new
   * profile when none holds them. New IDs of the event are attached to the found profile.
   */
  resolve(uid: string, ids: Readonly<Record<string, string>>, create: boolean): number | undefined;
  /** The profile holding this ID; `type` is `uid` for the primary ID. */
  find(type: string, id: string): number | undefined;
  /**
   * Updates first and last seen, visits (a new visit when more than 30 minutes passed since the last
   * event), page views (`type === "pageview"`), and the latest geo and device (by event time).
   */
  recordEvent(p: number, event: CollectedEvent): void;
  /** Records that the profile realised the trait at time `ts` (epoch ms). */
  addRealisation(p: number, traitId: number, ts: number): void;
  /** Forgets every realisation of the trait on every profile (a trait deleted, or re-applied by backfill). */
  clearTrait(traitId: number): void;
  /** A view for rule evaluation; valid until the next call to `view` (the object may be reused). */
  view(p: number): ProfileView;
  uidOf(p: number): string;
  /** every ID of the profile, the primary one under `uid` */
  idsOf(p: number): Record<string, string>;
  traitSummaries(p: number): TraitSummary[];
  /** first seen, last seen (epoch ms), visits and page views, latest geo and device */
  attributes(p: number): ProfileAttributes;
  /** Removes the profile and all its IDs and realisations. */
  remove(p: number): void;
  /**
   * Removes realisations older than their trait's lifetime and profiles unseen for `profileLifetimeMs`.
   * `traitLifetimeMs` gives each trait's lifetime (undefined: the trait no longer exists; forget all of it).
   */
  forget(
    now: number,
    traitLifetimeMs: (traitId: number) => number | undefined,
    profileLifetimeMs: number,
  ): ForgetResult;
  /** how many live profiles */
  count(): number;
  /** Live profile indexes in ascending order, from `after` (exclusive, -1 for the start), at most `limit`. */
  page(after: number, limit: number): number[];
  /** Calls `fn` for every live profile index. */
  forEach(fn: (p: number) => void): void;
}

export interface ProfileAttributes {
  firstSeen: number;
  lastSeen: number;
  visits: number;
  pageviews: number;
  geo: { country?: string; region?: string; city?: string };
  device: { type?: string; os?: string; browser?: string };
}

/** All tenants' profiles. */
export interface ProfileStore {
  tenant(tenant: string): TenantProfiles;
}
