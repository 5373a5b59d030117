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
    // absent: only `!=` is true (DSL.md, Meaning)
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
