import type { Rule } from '../core/rules/index.ts';
import { durationMs, ruleDateMs } from '../core/rules/index.ts';
import { compareNumbers, timeKept } from '../core/rules/trait-window.ts';

/** A test on one numeric column value (`undefined`: absent) at `now`. */
export type ScanTest = (v: number | undefined, now: number) => boolean;

/**
 * A direct test for the common numeric leaves (a comparison with a number, a time window), the same
 * meaning as the compiled predicate without its per-call overhead; `undefined` for any other leaf.
 * Example: `fastScanTest(visits >= 2)` -> `(v) => v !== undefined && v >= 2`.
 */
export function fastScanTest(rule: Rule): ScanTest | undefined {
  if (rule.type === 'cmp' && typeof rule.value === 'number') {
    const { op, value } = rule;
    // absent: only `!=` is true (docs/rule-language.md, Meaning)
    if (op === '!=') return (v) => v === undefined || v !== value;
    return (v) => v !== undefined && compareNumbers(v, op, value);
  }
  if (rule.type === 'time') {
    const op = rule.op;
    const bound = rule.op === 'within' ? durationMs(rule.duration) : (ruleDateMs(rule.date) ?? NaN);
    return (v, now) => v !== undefined && timeKept(v, op, bound, now);
  }
  return undefined;
}

/**
 * An interval of a column's values: kept when `low < v` (`low <= v` with `lowIn`) and `v < high`
 * (`v <= high` with `highIn`); NaN (an absent time) is never kept.
 */
export interface ScanRange {
  low: number;
  lowIn: boolean;
  high: number;
  highIn: boolean;
}

/**
 * A numeric leaf's test as an interval at `now`, the same meaning as `fastScanTest`, for a scan with
 * the comparison inlined (no call per profile); `undefined` for `!=` (true on absent) and other leaves.
 * Example: `scanRange(first_seen within 14d)(now)` -> `{ low: now - 14 days, lowIn: false, high: now, highIn: true }`.
 */
export function scanRange(rule: Rule): ((now: number) => ScanRange) | undefined {
  if (rule.type === 'cmp' && typeof rule.value === 'number') {
    const v = rule.value;
    const range = ((): ScanRange | undefined => {
      switch (rule.op) {
        case '==':
          return { low: v, lowIn: true, high: v, highIn: true };
        case '<':
          return { low: -Infinity, lowIn: false, high: v, highIn: false };
        case '<=':
          return { low: -Infinity, lowIn: false, high: v, highIn: true };
        case '>':
          return { low: v, lowIn: false, high: Infinity, highIn: false };
        case '>=':
          return { low: v, lowIn: true, high: Infinity, highIn: false };
        default:
          return undefined;
      }
    })();
    return range === undefined ? undefined : () => range;
  }
  if (rule.type === 'time') {
    if (rule.op === 'within') {
      const ms = durationMs(rule.duration);
      return (now) => ({ low: now - ms, lowIn: false, high: now, highIn: true });
    }
    const bound = ruleDateMs(rule.date) ?? NaN;
    const range: ScanRange =
      rule.op === 'before'
        ? { low: -Infinity, lowIn: false, high: bound, highIn: true }
        : { low: bound, lowIn: false, high: Infinity, highIn: false };
    return () => range;
  }
  return undefined;
}
