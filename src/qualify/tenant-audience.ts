import type { AudienceIndex, AudiencePlan } from '../audience/audience-index.ts';
import type { ReadonlyBitmap } from '../audience/bitmap.ts';
import { SegmentPlans } from '../audience/segment-resolver.ts';
import type { Rule } from '../core/rules/index.ts';
import type { TenantRules } from './tenant-rules.ts';

/**
 * A tenant's bitmap audience index with the compiled plans of its saved segments, recompiled when the
 * rules change. Example: `audience.plansFor(rules).get(segmentId)` -> the plan to size.
 */
export class TenantAudience {
  private rules: TenantRules | undefined;
  private readonly planById = new Map<number, AudiencePlan>();
  private segmentPlans: SegmentPlans;

  constructor(readonly index: AudienceIndex) {
    this.segmentPlans = new SegmentPlans(index);
  }

  /** The plans of the saved segments, by segment id, for these rules. */
  plansFor(rules: TenantRules): ReadonlyMap<number, AudiencePlan> {
    if (this.rules !== rules) {
      this.rules = rules;
      this.planById.clear();
      this.segmentPlans = new SegmentPlans(this.index);
      for (const segment of rules.segmentDefinitions()) {
        const plan = this.index.compile(segment.ruleJson as Rule, rules, this.segmentPlans.resolve);
        this.segmentPlans.define(segment.id, plan);
        this.planById.set(segment.id, plan);
      }
    }
    return this.planById;
  }

  /** Compiles any rule against these rules, `segment:` references answered by the saved segments. */
  compile(rule: Rule, rules: TenantRules): AudiencePlan {
    this.plansFor(rules);
    return this.index.compile(rule, rules, this.segmentPlans.resolve);
  }

  /**
   * What `use` makes of the members of these saved segments at `now`: each evaluated once, nested
   * `segment:` references included (re-segmentation, overlaps). Example:
   * `audience.withMembers(rules, [10, 11], now, (m) => m.map((b) => b.size))`.
   */
  withMembers<T>(
    rules: TenantRules,
    segmentIds: readonly number[],
    now: number,
    use: (members: ReadonlyBitmap[]) => T,
  ): T {
    this.plansFor(rules);
    return this.segmentPlans.batch(segmentIds, now, use);
  }

  /** Memoised segment answers are stale once the index changes. */
  changed(): void {
    this.segmentPlans.invalidate();
  }
}
