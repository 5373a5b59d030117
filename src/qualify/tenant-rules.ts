import type { CollectedEvent } from '../core/event.ts';
import type { BoundTrait, RuleBinder, SegmentContext } from '../core/rules/scope.ts';
import type { Rule } from '../core/rules/index.ts';
import { compileSegmentRule, compileTraitRule } from '../core/rules/index.ts';
import { accessKey } from './trait-access-key.ts';
import { TraitIndex } from './trait-index.ts';
import type { TimeSensitivity } from './time-sensitivity.ts';
import { timeSensitivityOf } from './time-sensitivity.ts';
import { DAY_MS } from '../core/clock.ts';
import type { Segment, Trait } from '../catalog/catalog.ts';

/** One version of a trait's rule, compiled, with the log positions it applies to: `fromSeq <= seq < untilSeq`. */
export interface CompiledTraitVersion {
  traitId: number;
  fromSeq: number;
  untilSeq: number;
  test: (event: CollectedEvent) => boolean;
}

export interface CompiledSegment {
  id: number;
  code: string;
  predicate: (ctx: SegmentContext) => boolean;
}

/**
 * A tenant's traits and segments, compiled once. Trait versions are indexed by the values they test
 * (event type, URL path prefixes, hosts, UTM fields, ...), so an event is tested only against the rules
 * that could match it.
 *
 * Example: `rules.candidates(event)` -> lists of versions to test; `rules.segments` -> predicates in order.
 */
export class TenantRules implements RuleBinder {
  readonly traitsByCode: Map<string, Trait>;
  readonly traitsById: Map<number, Trait>;
  readonly segments: CompiledSegment[] = [];
  readonly segmentIndex = new Map<number, number>();
  private readonly index: TraitIndex<CompiledTraitVersion>;
  private readonly versionsByTrait: Map<number, CompiledTraitVersion[]>;
  private readonly segmentsByCode = new Map<string, Segment>();
  private sensitivity: TimeSensitivity | undefined;
  /** the longest trait lifetime, ms: older events cannot realise anything */
  readonly longestLifetimeMs: number;

  /**
   * Compiles the traits, or shares the compiled traits of `traits` when it is an earlier `TenantRules`
   * (only the segments changed), then compiles the segments.
   */
  constructor(
    traits: readonly Trait[] | TenantRules,
    segments: readonly Segment[],
    defaultLifetimeDays: number,
  ) {
    if (traits instanceof TenantRules) {
      this.traitsByCode = traits.traitsByCode;
      this.traitsById = traits.traitsById;
      this.index = traits.index;
      this.versionsByTrait = traits.versionsByTrait;
      this.longestLifetimeMs = traits.longestLifetimeMs;
    } else {
      this.traitsByCode = new Map();
      this.traitsById = new Map();
      this.index = new TraitIndex();
      this.versionsByTrait = new Map();
      let longest = defaultLifetimeDays * DAY_MS;
      for (const trait of traits) {
        this.traitsByCode.set(trait.code, trait);
        this.traitsById.set(trait.id, trait);
        longest = Math.max(longest, trait.lifetimeDays * DAY_MS);
        this.indexTrait(trait);
      }
      this.longestLifetimeMs = longest;
    }
    for (const segment of segments) this.segmentsByCode.set(segment.code, segment);
    for (const segment of segments) {
      const predicate = compileSegmentRule(segment.ruleJson as Rule, this);
      this.segmentIndex.set(segment.id, this.segments.length);
      this.segments.push({ id: segment.id, code: segment.code, predicate });
    }
  }

  /** Lists holding every trait version that could match the event (and others; each is tested). */
  candidates(event: CollectedEvent): readonly CompiledTraitVersion[][] {
    return this.index.candidates(event);
  }

  trait(code: string): BoundTrait | undefined {
    const t = this.traitsByCode.get(code);
    return t === undefined ? undefined : { id: t.id, lifetimeMs: t.lifetimeDays * DAY_MS };
  }

  segment(code: string): number | undefined {
    return this.segmentsByCode.get(code)?.id;
  }

  /** The tenant's segments as saved in the catalog. */
  segmentDefinitions(): IterableIterator<Segment> {
    return this.segmentsByCode.values();
  }

  /** The windows the segments use (computed once), for membership caching. */
  timeSensitivity(): TimeSensitivity {
    this.sensitivity ??= timeSensitivityOf([...this.segmentsByCode.values()].map((s) => s.ruleJson as Rule));
    return this.sensitivity;
  }

  segmentByCode(code: string): CompiledSegment | undefined {
    const id = this.segment(code);
    const i = id === undefined ? undefined : this.segmentIndex.get(id);
    return i === undefined ? undefined : this.segments[i];
  }

  /** The compiled versions of one trait, oldest first. */
  versionsOf(traitId: number): readonly CompiledTraitVersion[] {
    return this.versionsByTrait.get(traitId) ?? [];
  }

  lifetimeMs(traitId: number): number | undefined {
    const t = this.traitsById.get(traitId);
    return t === undefined ? undefined : t.lifetimeDays * DAY_MS;
  }

  private indexTrait(trait: Trait): void {
    if (trait.kind !== 'rule') return;
    const compiledVersions: CompiledTraitVersion[] = [];
    this.versionsByTrait.set(trait.id, compiledVersions);
    trait.versions.forEach((version, i) => {
      const compiled: CompiledTraitVersion = {
        traitId: trait.id,
        fromSeq: version.fromSeq,
        untilSeq: trait.versions[i + 1]?.fromSeq ?? Infinity,
        test: compileTraitRule(version.ruleJson as Rule),
      };
      compiledVersions.push(compiled);
      this.index.add(compiled, accessKey(version.ruleJson as Rule));
    });
  }
}
