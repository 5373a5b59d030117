import type { CollectedEvent } from '../event.ts';
import type { RuleBinder, SegmentContext } from './scope.ts';
import { durationMs, type Rule, type TimeRule, type TraitRef } from './ast.ts';
import { eventGetter } from './event-paths.ts';
import { ruleDateMs } from './rule-date.ts';
import { compileRuleRegex } from './rule-regex.ts';
import { anyString, compareValue, inValues, strOp, type PathValue } from './rule-values.ts';
import { countPasses, keptHigh, keptLow, planWindows, timeKept } from './trait-window.ts';

type Pred<C> = (c: C) => boolean;

/** What differs between the two scopes when compiling: how a leaf reaches its value. */
interface Scope<C> {
  getter(path: string): (c: C) => PathValue;
  exists(path: string): Pred<C>;
  trait(node: TraitRef): Pred<C>;
  segment(code: string): Pred<C>;
  time(node: TimeRule): Pred<C>;
}

const never = (): boolean => false;

/**
 * Compiles a trait rule once into closures for the hot path: paths resolved to getters, regexes compiled,
 * `in` lists turned into sets. The predicate never throws (a malformed event is simply not matched).
 * Example: `const isPricing = compileTraitRule(rule); isPricing(event)` -> `true`.
 */
export function compileTraitRule(rule: Rule): (event: CollectedEvent) => boolean {
  const scope: Scope<CollectedEvent> = {
    getter: eventGetter,
    exists: (path) => {
      const get = eventGetter(path);
      return (e) => get(e) !== undefined;
    },
    trait: () => never,
    segment: () => never,
    time: () => never,
  };
  return guard(compile(rule, scope));
}

/**
 * Compiles a segment rule once against the catalog's IDs (through `bind`) into a per-profile predicate.
 * Unbound codes are false. Windows resolve against `ctx.now` at each call. Never throws.
 * Example: `const inLondonPricing = compileSegmentRule(rule, binder); inLondonPricing({ view, now, inSegment })`.
 */
export function compileSegmentRule(rule: Rule, bind: RuleBinder): (ctx: SegmentContext) => boolean {
  const scope: Scope<SegmentContext> = {
    getter: (path) => (path.startsWith('ids.') ? () => undefined : (c) => c.view.attribute(path)),
    exists: (path) => {
      if (path.startsWith('ids.')) {
        const type = path.slice(4);
        return (c) => c.view.hasId(type);
      }
      return (c) => c.view.attribute(path) !== undefined;
    },
    trait: (node) => {
      const bound = bind.trait(node.code);
      if (!bound) return never;
      const { id, lifetimeMs } = bound;
      const plan = planWindows(node.windows);
      return (c) => {
        const lo = keptLow(plan, lifetimeMs, c.now);
        const hi = keptHigh(plan, c.now);
        return countPasses(plan, lo < hi ? c.view.countRealisations(id, lo, hi) : 0);
      };
    },
    segment: (code) => {
      const id = bind.segment(code);
      return id === undefined ? never : (c) => c.inSegment(id);
    },
    time: (node) => {
      const path = node.path;
      const op = node.op;
      const bound = node.op === 'within' ? durationMs(node.duration) : (ruleDateMs(node.date) ?? NaN);
      return (c) => {
        const t = c.view.attribute(path);
        return typeof t === 'number' && timeKept(t, op, bound, c.now);
      };
    },
  };
  return guard(compile(rule, scope));
}

function guard<C>(pred: Pred<C>): Pred<C> {
  return (c) => {
    try {
      return pred(c);
    } catch {
      return false;
    }
  };
}

function compile<C>(rule: Rule, s: Scope<C>): Pred<C> {
  switch (rule.type) {
    case 'and':
    case 'or':
      return combine(
        rule.type,
        rule.args.map((a) => compile(a, s)),
      );
    case 'not': {
      const arg = compile(rule.arg, s);
      return (c) => !arg(c);
    }
    case 'trait':
      return s.trait(rule);
    case 'segment':
      return s.segment(rule.code);
    case 'cmp': {
      const get = s.getter(rule.path);
      const { op, value } = rule;
      if (op === '==' && typeof value === 'string') {
        return (c) => {
          const v = get(c);
          return typeof v === 'string' ? v === value : compareValue(v, op, value);
        };
      }
      return (c) => compareValue(get(c), op, value);
    }
    case 'in': {
      const get = s.getter(rule.path);
      const { values, negated } = rule;
      const strings = new Set(values.filter((v) => typeof v === 'string'));
      // a number literal also equals a numeric string ("120" in (120)): the fast path is for strings only
      if (strings.size < new Set(values).size) return (c) => inValues(get(c), values, negated);
      return (c) => {
        const v = get(c);
        return typeof v === 'string' ? strings.has(v) !== negated : inValues(v, values, negated);
      };
    }
    case 'str': {
      const get = s.getter(rule.path);
      const test = strOp(rule.op);
      const needle = rule.value;
      const pred = (x: string): boolean => test(x, needle);
      return (c) => {
        const v = get(c);
        return typeof v === 'string' ? test(v, needle) : anyString(v, pred);
      };
    }
    case 'matches': {
      const get = s.getter(rule.path);
      const r = compileRuleRegex(rule.pattern, rule.flags);
      if (!r.ok) return never;
      const pred = (x: string): boolean => r.regex.test(x);
      return (c) => anyString(get(c), pred);
    }
    case 'exists':
      return s.exists(rule.path);
    case 'time':
      return s.time(rule);
  }
}

function combine<C>(type: 'and' | 'or', preds: Pred<C>[]): Pred<C> {
  const [a, b] = preds;
  if (preds.length === 2 && a && b) return type === 'and' ? (c) => a(c) && b(c) : (c) => a(c) || b(c);
  if (type === 'and') {
    return (c) => {
      for (const p of preds) if (!p(c)) return false;
      return true;
    };
  }
  return (c) => {
    for (const p of preds) if (p(c)) return true;
    return false;
  };
}
