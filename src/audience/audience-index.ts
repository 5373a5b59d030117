import type { Rule } from '../core/rules/index.ts';
import type { RuleBinder } from '../core/rules/scope.ts';
import type { PartToWrite, SnapshotPart, TenantProfiles } from '../profiles/profile-store.ts';
import type { Bitmap, ReadonlyBitmap } from './bitmap.ts';
import type { SegmentResolver } from './evaluate-plan.ts';
import type { PlanNode } from './plan-node.ts';

/** A segment rule compiled for one audience index. Example: `index.compile(rule, binder)`. */
export interface AudiencePlan {
  readonly root: PlanNode;
  readonly segments: SegmentResolver | undefined;
}

/** Sizes of plans and the members of each pair. Example: `{ sizes: [10, 4], overlap: [[10, 3], [3, 4]] }`. */
export interface OverlapMatrix {
  sizes: number[];
  /** `overlap[i][j]`: profiles in both plan i and plan j; the diagonal is the sizes */
  overlap: number[][];
}

/**
 * How over-represented a trait is in a segment. Example: 30% of the segment against 10% of all live
 * profiles: `{ traitId: 4, count: 300, share: 0.3, populationShare: 0.1, index: 300 }`.
 */
export interface TraitInsight {
  traitId: number;
  /** profiles in the segment holding the trait */
  count: number;
  /** count / segment size */
  share: number;
  /** holders of the trait / live profiles */
  populationShare: number;
  /** share / populationShare * 100 (100: as common as in the population) */
  index: number;
  /** live profiles holding the trait (the population's count; a partition's adds up with the others') */
  holders: number;
}

/**
 * The audience index of one tenant: bitmaps over the profile store's dense indexes that answer segment
 * rules for all profiles at once (sizes, overlaps, insights). The store stays the source of truth; the
 * index follows it through the maintenance calls, made right after the store's own.
 *
 * Example:
 * ```ts
 * const index = createAudienceIndex(profiles); // built from the store
 * profiles.addRealisation(p, 7, ts); index.addRealisation(p, 7, ts);
 * index.size(index.compile(rule, binder), Date.now());
 * ```
 */
export interface AudienceIndex {
  /** after `profiles.addRealisation(p, traitId, ts)` */
  addRealisation(p: number, traitId: number, ts: number): void;
  /** after `recordEvent` (or `resolve` created `p`): re-reads geo and device, marks `p` live */
  profileChanged(p: number): void;
  /** BEFORE `profiles.remove(p)` (after it, still correct but a sweep of every bitmap) */
  removeProfile(p: number): void;
  /**
   * BEFORE `profiles.removeRealisations(p, drop)` with a `drop` by trait alone (every realisation of each
   * trait it names goes): takes `p` out of those traits' bitmaps and counts, its other traits untouched.
   * What replacing a profile's onboarded traits costs, instead of taking the profile out and back in.
   */
  removeTraits(p: number, drop: (traitId: number) => boolean): void;
  /** after `profiles.clearTrait(traitId)` */
  clearTrait(traitId: number): void;
  /** right after `profiles.forget(now, traitLifetimeMs, ...)`, with the same arguments */
  forget(now: number, traitLifetimeMs: (traitId: number) => number | undefined): void;
  /** Rebuilds every bitmap from the store (at start, after a replay); `profiles` rebinds the index. */
  rebuild(profiles?: TenantProfiles): void;
  /** The costly part of the index (the trait day bitmaps) as snapshot parts, named `audience.*`. */
  snapshotParts(): PartToWrite[];
  /**
   * Restores from `snapshotParts()` of an index over the same profiles, as a snapshot restored them:
   * the day bitmaps are read back, the value bitmaps and live set rebuilt from the store's columns.
   */
  restore(parts: readonly SnapshotPart[]): void;
  /** Compiles a segment rule; `segment:` references are answered by `segments`. Never throws. */
  compile(rule: Rule, bind: RuleBinder, segments?: SegmentResolver): AudiencePlan;
  /** The live profiles the plan holds at `now`: a new bitmap the caller owns. */
  evaluate(plan: AudiencePlan, now: number): Bitmap;
  size(plan: AudiencePlan, now: number): number;
  overlap(plans: readonly AudiencePlan[], now: number): OverlapMatrix;
  /** Per trait: its holders among `segment` against the population; cells under `minCount` left out; by index, highest first. */
  insights(segment: ReadonlyBitmap, traitIds: readonly number[], minCount: number): TraitInsight[];
  /** The live profiles. */
  live(): ReadonlyBitmap;
}
