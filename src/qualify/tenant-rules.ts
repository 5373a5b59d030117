import type { CollectedEvent } from '../core/event.ts';
import type { BoundTrait, RuleBinder, SegmentContext } from '../core/rules/scope.ts';
import type { Rule } from '../core/rules/index.ts';
import { compileSegmentRule, compileTraitRule, traitRuleEventTypes } from '../core/rules/index.ts';
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
 * A tenant's traits and segments, compiled once. Trait versions are indexed by the event types they can
 * match, so an event is tested only against the rules that could match it.
 *
 * Example: `rules.candidates("pageview")` -> versions to test; `rules.segments` -> predicates in order.
 */
export class TenantRules implements RuleBinder {
  readonly traitsByCode = new Map<string, Trait>();
  readonly traitsById = new Map<number, Trait>();
  readonly segments: CompiledSegment[] = [];
  readonly segmentIndex = new Map<number, number>();
  private readonly byType = new Map<string, CompiledTraitVersion[]>();
  private readonly anyType: CompiledTraitVersion[] = [];
  private readonly versionsByTrait = new Map<number, CompiledTraitVersion[]>();
  private readonly segmentsByCode = new Map<string, Segment>();
  /** the longest trait lifetime, ms: older events cannot realise anything */
  readonly longestLifetimeMs: number;

  constructor(traits: readonly Trait[], segments: readonly Segment[], defaultLifetimeDays: number) {
    let longest = defaultLifetimeDays * DAY_MS;
    for (const trait of traits) {
      this.traitsByCode.set(trait.code, trait);
      this.traitsById.set(trait.id, trait);
      longest = Math.max(longest, trait.lifetimeDays * DAY_MS);
      this.indexTrait(trait);
    }
    this.longestLifetimeMs = longest;
    for (const segment of segments) this.segmentsByCode.set(segment.code, segment);
    for (const segment of segments) {
      const predicate = compileSegmentRule(segment.ruleJson as Rule, this);
      this.segmentIndex.set(segment.id, this.segments.length);
      this.segments.push({ id: segment.id, code: segment.code, predicate });
    }
  }

  /** The trait versions that could match an event of this type. */
  candidates(type: string): readonly CompiledTraitVersion[][] {
    const typed = this.byType.get(type);
    return typed === undefined ? [this.anyType] : [typed, this.anyType];
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
      const types = traitRuleEventTypes(version.ruleJson as Rule);
      if (types === undefined) {
        this.anyType.push(compiled);
        return;
      }
      for (const type of types) {
        const list = this.byType.get(type);
        if (list === undefined) this.byType.set(type, [compiled]);
        else list.push(compiled);
      }
    });
  }
}
