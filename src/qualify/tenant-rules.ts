import type { CollectedEvent } from '../core/event.ts';
import type { BoundTrait, RuleBinder, SegmentContext } from '../core/rules/scope.ts';
import type { Rule } from '../core/rules/index.ts';
import { compileSegmentRule } from '../core/rules/index.ts';
import { compileTraitRuleSource } from '../core/rules/compile-source.ts';
import { keyedRule } from './trait-access-key.ts';
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
  /** the whole rule */
  test: (event: CollectedEvent) => boolean;
  /** what is left to test once the index found the rule by its access key (`undefined`: nothing) */
  residual: ((event: CollectedEvent) => boolean) | undefined;
}

export interface CompiledSegment {
  id: number;
  code: string;
  predicate: (ctx: SegmentContext) => boolean;
}

/**
 * A tenant's traits and segments, compiled once. Trait rules are compiled to JavaScript source
 * (`compile-source.ts`) and indexed by the values they test (event type, URL path prefixes, hosts, UTM
 * fields, signals, ...), so an event is tested only against the rules that could match it, and only for
 * what the index lookup did not already decide.
 *
 * Example: `rules.realisedBy(event, seq)` -> the trait versions the event realises; `rules.segments` ->
 * predicates in order.
 */
export class TenantRules implements RuleBinder {
  readonly traitsByCode: Map<string, Trait>;
  readonly traitsById: Map<number, Trait>;
  readonly segments: CompiledSegment[] = [];
  readonly segmentIndex = new Map<number, number>();
  private readonly index: TraitIndex<CompiledTraitVersion>;
  private readonly realised: CompiledTraitVersion[] = [];
  private everyRule:
    { version: CompiledTraitVersion; test: (event: CollectedEvent) => boolean }[] | undefined;
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

  /**
   * The trait versions the event realises at log position `seq`, each once. The array is reused by the
   * next call. Example: `for (const v of rules.realisedBy(event, seq)) profiles.addRealisation(p, v.traitId, event.ts)`.
   */
  realisedBy(event: CollectedEvent, seq: number): readonly CompiledTraitVersion[] {
    const every = this.everyRule;
    if (every === undefined) return this.index.matches(event, seq, this.realised);
    const out = this.realised;
    out.length = 0;
    for (const { version, test } of every) {
      if (seq >= version.fromSeq && seq < version.untilSeq && test(event)) out.push(version);
    }
    return out;
  }

  /**
   * Makes `realisedBy` skip the index and test every version on every event, each compiled by `compile`:
   * the naive reference, for the benchmark's peer and for tests. Example: `rules.testEveryRule(compileTraitRule)`.
   */
  testEveryRule(compile: (rule: Rule) => (event: CollectedEvent) => boolean): void {
    this.everyRule = [...this.versionsByTrait.entries()].flatMap(([traitId, versions]) => {
      const rules = this.traitsById.get(traitId)?.versions ?? [];
      return versions.map((version, i) => ({ version, test: compile(rules[i]?.ruleJson as Rule) }));
    });
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
      const rule = version.ruleJson as Rule;
      const test = compileTraitRuleSource(rule);
      const keyed = keyedRule(rule);
      const compiled: CompiledTraitVersion = {
        traitId: trait.id,
        fromSeq: version.fromSeq,
        untilSeq: trait.versions[i + 1]?.fromSeq ?? Infinity,
        test,
        residual: keyed === undefined ? test : keyed.residual && compileTraitRuleSource(keyed.residual),
      };
      compiledVersions.push(compiled);
      this.index.add(compiled, keyed?.key);
    });
  }
}
