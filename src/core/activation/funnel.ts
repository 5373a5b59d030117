/** The steps of the delivery funnel, in order. Example: `FUNNEL_STEPS[1]` -> `'consented'` */
export const FUNNEL_STEPS = ['eligible', 'consented', 'hasId', 'sent', 'acknowledged'] as const;

/** Example: `const step: FunnelStep = 'hasId';` */
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** The steps a visitor can be lost at (everyone counted was eligible). Example: `'sent'` */
export type LossStep = Exclude<FunnelStep, 'eligible'>;

/**
 * One step of the funnel: how many reached it, how many of the previous step were lost on the way and
 * why, and how many are still on their way (`pending`: sent but not yet answered, for instance). For
 * every step but the first: previous count = count + lost + pending.
 *
 * Example: `{ step: 'consented', count: 80, lost: 20, pending: 0,
 *   reasons: [{ reason: 'GDPR applies and purpose 3 ... has no consent', count: 20 }] }`
 */
export interface FunnelStepReport {
  step: FunnelStep;
  count: number;
  lost: number;
  pending: number;
  /** most frequent first, then by reason */
  reasons: { reason: string; count: number }[];
}

/** Example: `{ steps: [{ step: 'eligible', count: 100, lost: 0, pending: 0, reasons: [] }, ...] }` */
export interface FunnelReport {
  steps: FunnelStepReport[];
}

/**
 * The delivery funnel of one destination and campaign: eligible -> consented -> hasId -> sent ->
 * acknowledged, each loss with a reason. A visitor is passed at each step it reaches, or lost at the
 * step it fails. A pass or loss that would make a step hold more than the step before reached is
 * refused (returns false) and nothing is counted, so the report always adds up.
 *
 * Example:
 * ```ts
 * const funnel = new Funnel();
 * funnel.pass('eligible', 2);
 * funnel.pass('consented');
 * funnel.lose('consented', 'US Privacy string 1YYN: opted out of sale');
 * funnel.report().steps[1]; // { step: 'consented', count: 1, lost: 1, pending: 0, reasons: [...] }
 * ```
 */
export class Funnel {
  private readonly passed = new Map<FunnelStep, number>();
  private readonly losses = new Map<FunnelStep, Map<string, number>>();

  /** Counts `count` visitors reaching `step`; false (nothing counted) if more than the step before left. */
  pass(step: FunnelStep, count = 1): boolean {
    if (!this.room(step, count)) return false;
    this.passed.set(step, (this.passed.get(step) ?? 0) + count);
    return true;
  }

  /** Counts `count` visitors lost at `step` for `reason`; false (nothing counted) if more than left. */
  lose(step: LossStep, reason: string, count = 1): boolean {
    if (!this.room(step, count)) return false;
    const reasons = this.losses.get(step) ?? new Map<string, number>();
    reasons.set(reason, (reasons.get(reason) ?? 0) + count);
    this.losses.set(step, reasons);
    return true;
  }

  /**
   * Adds another funnel's counts, step by step (its passes, then its losses by reason): the funnel of
   * two groups of visitors counted apart. A report that does not add up adds what fits.
   *
   * Example: `const all = new Funnel(); for (const part of parts) all.add(part);`
   */
  add(other: FunnelReport): void {
    for (const step of FUNNEL_STEPS) {
      const one = other.steps.find((s) => s.step === step);
      if (one === undefined) continue;
      this.pass(step, one.count);
      if (step === 'eligible') continue;
      for (const { reason, count } of one.reasons) this.lose(step, reason, count);
    }
  }

  /** Every step with its count, losses by reason and pending. */
  report(): FunnelReport {
    return {
      steps: FUNNEL_STEPS.map((step, i) => {
        const previous = i === 0 ? undefined : FUNNEL_STEPS[i - 1];
        const count = this.passed.get(step) ?? 0;
        const lost = this.lostAt(step);
        const pending = previous === undefined ? 0 : (this.passed.get(previous) ?? 0) - count - lost;
        const reasons = [...(this.losses.get(step) ?? new Map<string, number>())]
          .map(([reason, n]) => ({ reason, count: n }))
          .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
        return { step, count, lost, pending, reasons };
      }),
    };
  }

  private lostAt(step: FunnelStep): number {
    let total = 0;
    for (const n of this.losses.get(step)?.values() ?? []) total += n;
    return total;
  }

  /** Whether `count` more can pass or be lost at `step` without exceeding the step before. */
  private room(step: FunnelStep, count: number): boolean {
    if (!Number.isInteger(count) || count < 1) return false;
    const i = FUNNEL_STEPS.indexOf(step);
    const previous = FUNNEL_STEPS[i - 1];
    if (previous === undefined) return true;
    const left = (this.passed.get(previous) ?? 0) - (this.passed.get(step) ?? 0) - this.lostAt(step);
    return count <= left;
  }
}
