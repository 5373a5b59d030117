import type { CollectedEvent, Consent } from '../core/event.ts';
import type { ProfileView } from '../core/rules/scope.ts';
import type { TimeRange } from '../core/time-range.ts';
import type { AttachResult, IdLimits, LinkedId, MergeResult } from './profile-ids.ts';

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
   * profile when none holds them. New IDs of the event are attached to the found profile (not one held
   * by another profile, nor a second ID of a type the profile holds: `attachId` and `merge` do that),
   * learnt at `learntAt` (the event's time, epoch ms); the profile's IDs among them are learnt again.
   */
  resolve(
    uid: string,
    ids: Readonly<Record<string, string>>,
    create: boolean,
    learntAt?: number,
  ): number | undefined;
  /**
   * Attaches an ID to the profile even when it holds others of the type (an identity link), learnt at
   * `learntAt` (epoch ms), then applies `limits` (the IDs dropped are returned). Not attached when
   * empty or held by another profile (that takes a `merge`); when the profile holds it, it is learnt again.
   * Example: `profiles.attachId(p, 'uid', 'c-2', event.ts, { caps: DEFAULT_ID_CAPS })`.
   */
  attachId(p: number, type: string, id: string, learntAt?: number, limits?: IdLimits): AttachResult;
  /**
   * Merges profile `absorbed` into `survivor`, as if every event, realisation and ID of both had come to
   * `survivor`: its IDs (the survivor's first learnt of each type stays first; `limits` then drop the
   * ones learnt longest ago, returned), realisations, visits, first and last seen, page views, latest geo
   * and device and consent (by event time, ties as `recordEvent`'s); then `absorbed` is removed.
   * Throws a RangeError unless both are live and different.
   * Example: `profiles.merge(p, q, { caps: DEFAULT_ID_CAPS, perProfile: 30 }).droppedIds`.
   */
  merge(survivor: number, absorbed: number, limits?: IdLimits): MergeResult;
  /** The profile holding this ID; `type` is `uid` for the primary ID. */
  find(type: string, id: string): number | undefined;
  /**
   * `find`, and the ID, when held, is learnt again at `learntAt` (in place: no decoding, no cap check,
   * which a held ID cannot change). Example: `profiles.findLearning('email_sha256', h, event.ts)`
   */
  findLearning(type: string, id: string, learntAt?: number): number | undefined;
  /**
   * Updates first and last seen, visits (a new visit when more than 30 minutes passed since the last
   * event), page views (`type === "pageview"`), the latest geo and device (by event time), and the latest
   * consent (by event time, from events that carry one).
   */
  recordEvent(p: number, event: CollectedEvent): void;
  /** The consent of the latest event (by event time) that carried one; checked again at every activation. */
  consentOf(p: number): Consent | undefined;
  /**
   * Records a consent signal that came without a stored event (a withdrawal, ADR on consent as state),
   * by the same rule as `recordEvent`'s consent: kept unless the profile holds one from a later time.
   * Nothing else of the profile changes. Example: `profiles.recordConsent(p, { gdpr: 1, tcf: 'CQ...' }, ts)`.
   */
  recordConsent(p: number, consent: Consent, ts: number): void;
  /** Records that the profile realised the trait at time `ts` (epoch ms). */
  addRealisation(p: number, traitId: number, ts: number): void;
  /** Forgets every realisation of the trait on every profile (a trait deleted, or re-applied by backfill). */
  clearTrait(traitId: number): void;
  /**
   * Removes the profile's realisations for which `drop(traitId, ts)` is true (file onboarding: a full
   * file replaces a source's traits, `-CODE` removes one); returns how many.
   * Example: `profiles.removeRealisations(p, (traitId) => traitId === 7)` -> `1`.
   */
  removeRealisations(p: number, drop: (traitId: number, ts: number) => boolean): number;
  /**
   * A view for rule evaluation; valid until the next call to `view` (the object may be reused). With
   * `indexed`, the view groups the profile's realisations by trait on first use: faster when many rules
   * are evaluated on one profile (a lookup), slower for one rule over many profiles (a scan).
   */
  view(p: number, indexed?: boolean): ProfileView;
  uidOf(p: number): string;
  /** one ID of each type of the profile (the first it learnt), the primary one under `uid` */
  idsOf(p: number): Record<string, string>;
  /** every ID of the profile, with its type and learnt time (NaN: none), in the order the profile learnt them */
  allIds(p: number): LinkedId[];
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
  /**
   * Read-only access to the columns for scans over typed arrays (the audience index). The arrays are
   * replaced when the store grows: the view is valid until the next profile or realisation is added.
   */
  columnsView(): ProfileColumnsView;
  /** how many live profiles */
  count(): number;
  /** Live profile indexes in ascending order, from `after` (exclusive, -1 for the start), at most `limit`. */
  page(after: number, limit: number): number[];
  /** Calls `fn` for every live profile index. */
  forEach(fn: (p: number) => void): void;
  /**
   * The tenant's profiles as named parts (typed-array columns as their bytes, tables as UTF-8 JSON).
   * Columns are views of the store's own arrays, not copies (at 10M profiles a copy is gigabytes): use
   * the parts (write them, restore them) before the store next changes, as `Snapshots.take` does
   * synchronously. The adapter that made them restores them (`MemoryTenantProfiles.fromSnapshot`,
   * `ProfileStore.restoreTenant`), copying.
   */
  snapshotParts(): SnapshotPart[];
}

/**
 * One named piece of a tenant's snapshot: a typed-array column's bytes (in the platform's byte order,
 * little-endian everywhere Node runs) or a UTF-8 JSON document. Example: `{ name: 'ids.slots', bytes }`.
 */
export interface SnapshotPart {
  name: string;
  bytes: Uint8Array;
  /**
   * A part read from a file on demand: its length, and a cursor over its bytes read a window at a time
   * into one reused buffer, so that a restore touches each byte's final place once (first touches of
   * fresh memory are the costly part of a restore) and never holds the part whole.
   */
  onDemand?: { byteLength: number; cursor(): PartCursor };
}

/**
 * Reads a snapshot part's bytes in order: `take(n)` gives the next `n` (valid only until the next call);
 * `finish()` checks that every byte was taken and the part is sound (its checksum), throwing otherwise;
 * `close()` lets go of the file (always call it, after `finish` or on an error).
 */
export interface PartCursor {
  take(length: number): Uint8Array;
  finish(): void;
  close(): void;
}

/**
 * A snapshot part written a piece at a time: `pieces()` yields its bytes in order, each valid only until
 * the next is asked for, so that a part of gigabytes (the audience index's bitmaps at 10M profiles) is
 * never held whole beside the structures it copies. `wholeParts` joins the pieces where bytes are needed.
 */
export interface StreamedPart {
  name: string;
  pieces(): Iterable<Uint8Array>;
}

/** What a snapshot writer takes: parts whole or streamed. */
export type PartToWrite = SnapshotPart | StreamedPart;

export interface ProfileAttributes {
  firstSeen: number;
  lastSeen: number;
  visits: number;
  pageviews: number;
  geo: { country?: string; region?: string; city?: string };
  device: { type?: string; os?: string; browser?: string };
}

/**
 * A reader of the realisations of every profile, one profile at a time: `load(p)` decodes profile `p`'s
 * realisations, newest first (equal times: the later added first), into the reusable scratch arrays
 * `trait` (trait ids) and `ts` (epoch ms) from index 0, and returns how many. Read `trait` and `ts`
 * after `load` (they are replaced when a profile needs more room) and before the next `load`; a
 * `load` allocates nothing once the arrays are large enough. Loading the same profile again with no
 * realisation changed since costs nothing.
 *
 * Example:
 * ```ts
 * const n = lists.load(p);
 * for (let i = 0; i < n; i++) visit(lists.trait[i], lists.ts[i]);
 * ```
 */
export interface RealisationLists {
  load(p: number): number;
  readonly trait: Uint32Array;
  readonly ts: Float64Array;
  /**
   * How many realisations of the trait `p` holds in `range`, counting no further than `enough`
   * (default: all), without `load`ing `p` (a scan of its block, cheaper than a decode).
   * Example: `lists.countIn(p, 7, timeRange(now - 30 * DAY_MS, now), 1) > 0` (any in 30 days).
   */
  countIn(p: number, traitId: number, range: TimeRange, enough?: number): number;
  /**
   * Writes the times, less `base`, of `p`'s realisations of the trait in `range` into `out` from
   * `outAt`, ascending, and returns the end; `out` must have room for `held(p)` from `outAt`. Read like
   * `countIn`. Example: the times of day of a trait on day `d`:
   * `lists.timesIn(p, 7, dayRange(d), out, 0, d * DAY_MS)`.
   */
  timesIn(
    p: number,
    traitId: number,
    range: TimeRange,
    out: Uint32Array,
    outAt: number,
    base: number,
  ): number;
  /** How many realisations `p` holds (what `load(p)` would return), without decoding them. */
  held(p: number): number;
}

/**
 * The profile columns of one tenant, read-only, for scans: one slot per dense profile index below
 * `highWater`, live when `live[p] === 1`. Times are epoch ms (NaN: no event yet); geo and device are
 * interned string ids (0: absent), decoded by `string`. Do not write to the arrays.
 *
 * Example:
 * ```ts
 * const c = profiles.columnsView();
 * for (let p = 0; p < c.highWater; p++) if (c.live[p] === 1 && (c.visits[p] ?? 0) >= 2) n++;
 * c.string(c.city[p] ?? 0); // 'London'
 * ```
 */
export interface ProfileColumnsView {
  readonly highWater: number;
  readonly live: Uint8Array;
  readonly firstSeen: Float64Array;
  readonly lastSeen: Float64Array;
  readonly visits: Uint32Array;
  readonly pageviews: Uint32Array;
  readonly country: Uint32Array;
  readonly region: Uint32Array;
  readonly city: Uint32Array;
  readonly deviceType: Uint32Array;
  readonly os: Uint32Array;
  readonly browser: Uint32Array;
  readonly realisations: RealisationLists;
  /** the string of an interned id; `undefined` for 0 */
  string(id: number): string | undefined;
  /** whether profile `p` holds an ID of this type */
  hasId(p: number, type: string): boolean;
}

/**
 * All tenants' profiles.
 *
 * Example (a snapshot and a restore):
 * ```ts
 * const saved = store.tenants().map((t) => [t, store.tenant(t).snapshotParts()] as const);
 * const fresh = createMemoryProfileStore();
 * for (const [t, parts] of saved) fresh.restoreTenant(t, parts);
 * ```
 */
export interface ProfileStore {
  /** The tenant's profiles, created empty on first use. */
  tenant(tenant: string): TenantProfiles;
  /** The tenants that have profiles (every one `tenant` was called for), in the order they came. */
  tenants(): string[];
  /**
   * Creates the tenant's profiles from the parts of `snapshotParts()`. Throws when the tenant is already
   * in use (others may hold its profiles) or the parts are not a snapshot this store can read.
   */
  restoreTenant(tenant: string, parts: readonly SnapshotPart[]): void;
  /** Forgets the tenant's profiles (a snapshot restore that failed half way is undone with it). */
  dropTenant(tenant: string): void;
}
