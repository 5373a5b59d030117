import type { FunnelReport, FunnelStep, FunnelStepReport } from '../../core/activation/index.ts';
import { FUNNEL_STEPS } from '../../core/activation/index.ts';

/**
 * Funnels added step by step: counts, losses, pending and each reason's count. Funnels that add up
 * (previous = count + lost + pending at every step) give a sum that adds up.
 *
 * Example: `sumFunnels([a, b]).steps[0].count` -> `a.steps[0].count + b.steps[0].count`
 */
export function sumFunnels(reports: readonly FunnelReport[]): FunnelReport {
  return {
    steps: FUNNEL_STEPS.map((step): FunnelStepReport => {
      let count = 0;
      let lost = 0;
      let pending = 0;
      const reasons = new Map<string, number>();
      for (const report of reports) {
        const one = report.steps.find((s) => s.step === step);
        if (one === undefined) continue;
        count += one.count;
        lost += one.lost;
        pending += one.pending;
        for (const r of one.reasons) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.count);
      }
      return {
        step,
        count,
        lost,
        pending,
        reasons: [...reasons]
          .map(([reason, n]) => ({ reason, count: n }))
          .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)),
      };
    }),
  };
}

/**
 * The funnel in a batch run's report (`report.funnel`, or the report itself when it is a funnel), or
 * undefined when it holds none in the `Funnel.report()` shape.
 *
 * Example: `funnelOfRun({ rows: 10, funnel: { steps: [...] } })` -> `{ steps: [...] }`
 */
export function funnelOfRun(report: unknown): FunnelReport | undefined {
  if (isFunnel(report)) return report;
  if (typeof report === 'object' && report !== null && 'funnel' in report && isFunnel(report.funnel)) {
    return report.funnel;
  }
  return undefined;
}

function isFunnel(value: unknown): value is FunnelReport {
  if (typeof value !== 'object' || value === null || !('steps' in value) || !Array.isArray(value.steps)) {
    return false;
  }
  return (value.steps as unknown[]).every(isStep);
}

function isStep(value: unknown): value is FunnelStepReport {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    FUNNEL_STEPS.includes(s.step as FunnelStep) &&
    [s.count, s.lost, s.pending].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Array.isArray(s.reasons) &&
    (s.reasons as unknown[]).every(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as Record<string, unknown>).reason === 'string' &&
        typeof (r as Record<string, unknown>).count === 'number',
    )
  );
}
