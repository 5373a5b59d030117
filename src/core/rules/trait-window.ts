import { durationMs, type CmpOp, type Window } from './ast.ts';
import { ruleDateMs } from './rule-date.ts';
import { compareOrdered } from './rule-values.ts';

/**
 * The windows of one trait reference, resolved: the bounds that do not depend on `now`, the `within`
 * durations, and the count tests (none means `count >= 1`).
 * Example: `planWindows([{ type: 'within', duration: { amount: 7, unit: 'd' } }])` -> `{ withinMs: 604_800_000, ... }`.
 */
export interface WindowPlan {
  /** the shortest `within` duration, or `Infinity` */
  withinMs: number;
  /** the earliest `before` time (kept: `t <= beforeMs`), or `Infinity` */
  beforeMs: number;
  /** the latest `after` time (kept: `t > afterMs`), or `-Infinity` */
  afterMs: number;
  counts: { op: CmpOp; value: number }[];
}

/** Resolves windows once. Example: `planWindows([])` -> `{ withinMs: Infinity, beforeMs: Infinity, afterMs: -Infinity, counts: [] }`. */
export function planWindows(windows: readonly Window[]): WindowPlan {
  const plan: WindowPlan = { withinMs: Infinity, beforeMs: Infinity, afterMs: -Infinity, counts: [] };
  for (const w of windows) {
    if (w.type === 'count') plan.counts.push({ op: w.op, value: w.value });
    else if (w.type === 'within') plan.withinMs = Math.min(plan.withinMs, durationMs(w.duration));
    else if (w.type === 'before') plan.beforeMs = Math.min(plan.beforeMs, ruleDateMs(w.date) ?? -Infinity);
    else plan.afterMs = Math.max(plan.afterMs, ruleDateMs(w.date) ?? Infinity);
  }
  return plan;
}

/**
 * The kept interval `(lo, hi]` at `now`: within `(now - D, now]`, before `t <= T`, after `t > T`, and never
 * a realisation older than the lifetime (`t <= now - lifetimeMs`). Without `within` or `before` the upper
 * side is open (`Infinity`). Example: `keptLow(plan, 120 * DAY, now)` for `[within 30d]` -> `now - 30 * DAY`.
 */
export function keptLow(plan: WindowPlan, lifetimeMs: number, now: number): number {
  return Math.max(now - lifetimeMs, now - plan.withinMs, plan.afterMs);
}

/** The upper side of the kept interval (see `keptLow`). Example: `[within 30d]` -> `now`. */
export function keptHigh(plan: WindowPlan, now: number): number {
  return plan.withinMs === Infinity ? plan.beforeMs : Math.min(now, plan.beforeMs);
}

/** Whether the count of kept realisations passes every count test. Example: `countPasses(plan, 0)` for no counts -> `false`. */
export function countPasses(plan: WindowPlan, count: number): boolean {
  if (plan.counts.length === 0) return count >= 1;
  for (const c of plan.counts) if (!compareNumbers(count, c.op, c.value)) return false;
  return true;
}

/** Example: `compareNumbers(2, '>=', 2)` -> `true`. */
export function compareNumbers(a: number, op: CmpOp, b: number): boolean {
  return compareOrdered(a, op, b);
}

/** Whether a time is inside a time-path test (`first_seen within 14d` etc.). Example: `timeKept(now, 'within', 14 * DAY, now)` -> `true`. */
export function timeKept(t: number, op: 'within' | 'before' | 'after', bound: number, now: number): boolean {
  if (op === 'within') return t > now - bound && t <= now;
  if (op === 'before') return t <= bound;
  return t > bound;
}
