import type { CollectedEvent } from '../event.ts';
import type { RuleBinder, SegmentContext } from './scope.ts';
import { durationMs, type Rule } from './ast.ts';
import { eventValue } from './event-paths.ts';
import { ruleDateMs } from './rule-date.ts';
import { cachedRegex } from './regex-cache.ts';
import { anyString, compareValue, inValues, strOp, type PathValue } from './rule-values.ts';
import { countPasses, keptHigh, keptLow, planWindows, timeKept } from './trait-window.ts';

/** How a leaf reads values: from an event, or from a profile. */
interface Reader {
  value(path: string): PathValue;
  exists(path: string): boolean;
  now: number | undefined;
  trait(rule: Rule & { type: 'trait' }): boolean;
  segment(code: string): boolean;
}

/**
 * Evaluates a trait rule against one event by walking the AST (the reference interpreter; the hot path
 * uses `compileTraitRule`). Profile-only nodes (`trait:`, `segment:`, time paths) are false. Never throws.
 * Example: `evaluateEvent(parsed('url.path startsWith "/pricing"'), { ...event, url: { ..., path: '/pricing' } })` -> `true`.
 */
export function evaluateEvent(rule: Rule, event: CollectedEvent): boolean {
  const reader: Reader = {
    value: (path) => eventValue(event, path),
    exists: (path) => eventValue(event, path) !== undefined,
    now: undefined,
    trait: () => false,
    segment: () => false,
  };
  return safely(() => evaluate(rule, reader));
}

/**
 * Evaluates a segment rule against one profile by walking the AST, binding codes as it goes. An unbound
 * code is false. Never throws.
 * Example: `evaluateProfile(parsed('visits >= 2'), binder, { view, now, inSegment })` -> `true` when the profile has 2 visits.
 */
export function evaluateProfile(rule: Rule, bind: RuleBinder, ctx: SegmentContext): boolean {
  const { view, now } = ctx;
  const reader: Reader = {
    value: (path) => (path.startsWith('ids.') ? undefined : view.attribute(path)),
    exists: (path) =>
      path.startsWith('ids.') ? view.hasId(path.slice(4)) : view.attribute(path) !== undefined,
    now,
    trait: (node) => {
      const bound = bind.trait(node.code);
      if (!bound) return false;
      const plan = planWindows(node.windows);
      const lo = keptLow(plan, bound.lifetimeMs, now);
      const hi = keptHigh(plan, now);
      return countPasses(plan, lo < hi ? view.countRealisations(bound.id, lo, hi) : 0);
    },
    segment: (code) => {
      const id = bind.segment(code);
      return id !== undefined && ctx.inSegment(id);
    },
  };
  return safely(() => evaluate(rule, reader));
}

function safely(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    return false;
  }
}

function evaluate(rule: Rule, r: Reader): boolean {
  switch (rule.type) {
    case 'and':
      return rule.args.every((a) => evaluate(a, r));
    case 'or':
      return rule.args.some((a) => evaluate(a, r));
    case 'not':
      return !evaluate(rule.arg, r);
    case 'trait':
      return r.trait(rule);
    case 'segment':
      return r.segment(rule.code);
    case 'cmp':
      return compareValue(r.value(rule.path), rule.op, rule.value);
    case 'in':
      return inValues(r.value(rule.path), rule.values, rule.negated);
    case 'str': {
      const test = strOp(rule.op);
      return anyString(r.value(rule.path), (s) => test(s, rule.value));
    }
    case 'matches': {
      const re = cachedRegex(rule);
      return re !== undefined && anyString(r.value(rule.path), (s) => re.test(s));
    }
    case 'exists':
      return r.exists(rule.path);
    case 'time': {
      const t = r.value(rule.path);
      if (r.now === undefined || typeof t !== 'number') return false;
      const bound = rule.op === 'within' ? durationMs(rule.duration) : (ruleDateMs(rule.date) ?? NaN);
      return timeKept(t, rule.op, bound, r.now);
    }
  }
}
