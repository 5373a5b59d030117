/**
 * What the rule language evaluates against. Trait rules see one `CollectedEvent` (src/core/event.ts);
 * segment rules see one profile through a `ProfileView`. These interfaces are the contract between the
 * pure rule language and the stores: the language never imports a store, a store never imports the
 * language.
 */

/** Read access to one profile, as a flyweight: a store may reuse one view object for many profiles. */
export interface ProfileView {
  /**
   * A profile attribute by its rule path: `geo.country`, `geo.region`, `geo.city`, `device.type`,
   * `device.os`, `device.browser` (strings), `visits`, `pageviews` (numbers), `first_seen`, `last_seen`
   * (epoch milliseconds). `undefined` when the profile has no value.
   * Example: `view.attribute("geo.city") === "London"`.
   */
  attribute(path: string): string | number | undefined;
  /** Whether the profile holds an ID of this type, e.g. `view.hasId("maid")`. */
  hasId(type: string): boolean;
  /**
   * The number of realisations of the trait with a time `t` in `afterExclusive < t <= atOrBefore`.
   * Unbounded sides are `-Infinity` / `Infinity`. Example: realised in the last 30 days:
   * `view.countRealisations(id, now - 30 * 86_400_000, now)`.
   */
  countRealisations(traitId: number, afterExclusive: number, atOrBefore: number): number;
  /** All realisation times of the trait (epoch ms, ascending); for explain and the profile API, not hot paths. */
  realisationTimes(traitId: number): number[];
}

/** Everything a segment predicate needs at evaluation time. */
export interface SegmentContext {
  view: ProfileView;
  /** the time of evaluation, epoch ms */
  now: number;
  /** whether the same profile is in another segment (the caller evaluates it, memoised, no cycles) */
  inSegment(segmentId: number): boolean;
}

/** A trait as a segment rule refers to it, bound at compile time. */
export interface BoundTrait {
  id: number;
  /** realisations older than this are forgotten: they never count */
  lifetimeMs: number;
}

/** Binds the codes a segment rule names to the catalog's numeric IDs when it is compiled. */
export interface RuleBinder {
  trait(code: string): BoundTrait | undefined;
  segment(code: string): number | undefined;
}

/** What a rule is checked against when it is saved (docs/rule-language.md, Errors). */
export interface CheckContext {
  /** `event` for trait rules, `profile` for segment rules */
  scope: 'event' | 'profile';
  /** codes of the tenant's traits */
  traits: ReadonlySet<string>;
  /** codes of the tenant's segments, each with the segment codes its own rule refers to (for cycles) */
  segments: ReadonlyMap<string, readonly string[]>;
  /** the code of the segment being saved, when it is one, so that a cycle through it is found */
  selfCode?: string;
}
