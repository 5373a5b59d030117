import type { ExistsRule, Rule } from '../core/rules/index.ts';
import { compileSegmentRule } from '../core/rules/index.ts';
import type { ProfileView, RuleBinder } from '../core/rules/scope.ts';
import { planWindows } from '../core/rules/trait-window.ts';
import type { PlanNode, ScanPath } from './plan-node.ts';
import { fastScanTest, scanRange } from './fast-scan-test.ts';
import { isValuePath } from './value-bitmaps.ts';

const SCAN_PATHS: readonly string[] = ['visits', 'pageviews', 'first_seen', 'last_seen'];
const NO_SEGMENTS = (): boolean => false;

/**
 * Compiles a segment rule (docs/rule-language.md, profile scope) into a bitmap plan: a tree whose leaves are answered
 * by the audience index (trait days, value bitmaps, segment bitmaps) or by scans of the profile
 * columns. A leaf's value test is the per-profile predicate itself (`compileSegmentRule` of that leaf,
 * run on a one-value view), so both evaluators share one meaning of every operator.
 *
 * Example: `compilePlan(parseRule('visits >= 2 and geo.city == "London"').rule, binder)` ->
 * `{ kind: 'and', args: [{ kind: 'scan', path: 'visits', ... }, { kind: 'value', path: 'geo.city', ... }] }`.
 */
export function compilePlan(rule: Rule, bind: RuleBinder): PlanNode {
  switch (rule.type) {
    case 'and':
    case 'or':
      return { kind: rule.type, args: rule.args.map((a) => compilePlan(a, bind)) };
    case 'not':
      return { kind: 'not', arg: compilePlan(rule.arg, bind) };
    case 'trait': {
      const bound = bind.trait(rule.code);
      if (bound === undefined) return { kind: 'none' };
      return {
        kind: 'trait',
        traitId: bound.id,
        lifetimeMs: bound.lifetimeMs,
        windows: planWindows(rule.windows),
      };
    }
    case 'segment': {
      const id = bind.segment(rule.code);
      return id === undefined ? { kind: 'none' } : { kind: 'segment', segmentId: id };
    }
    case 'exists':
      return compileExists(rule);
    default:
      return compileLeaf(rule, bind);
  }
}

function compileExists(rule: ExistsRule): PlanNode {
  const path = rule.path;
  if (path.startsWith('ids.')) return { kind: 'id', type: path.slice(4) };
  if (isValuePath(path)) return { kind: 'value', path, test: (v) => v !== undefined };
  if (SCAN_PATHS.includes(path))
    return { kind: 'scan', path: path as ScanPath, test: (v) => v !== undefined };
  return { kind: 'none' };
}

/** A comparison, `in`, string test, `matches` or time test on one path. */
function compileLeaf(rule: Rule & { path: string }, bind: RuleBinder): PlanNode {
  const one = new OneValueView(rule.path);
  const predicate = compileSegmentRule(rule, bind);
  const ctx = { view: one, now: 0, inSegment: NO_SEGMENTS };
  const test = (v: string | number | undefined, now: number): boolean => {
    one.value = v;
    ctx.now = now;
    return predicate(ctx);
  };
  if (isValuePath(rule.path)) return { kind: 'value', path: rule.path, test: (v) => test(v, 0) };
  if (SCAN_PATHS.includes(rule.path)) {
    const path = rule.path as ScanPath;
    return { kind: 'scan', path, test: fastScanTest(rule) ?? test, range: scanRange(rule) };
  }
  // any other path is absent on every profile (`ids.*` has `exists` only): a constant
  return test(undefined, 0) ? { kind: 'all' } : { kind: 'none' };
}

/** A view of one attribute value, for running a leaf's predicate on one candidate value. */
class OneValueView implements ProfileView {
  value: string | number | undefined = undefined;
  constructor(private readonly path: string) {}
  attribute(path: string): string | number | undefined {
    return path === this.path ? this.value : undefined;
  }
  hasId(): boolean {
    return false;
  }
  countRealisations(): number {
    return 0;
  }
  realisationTimes(): number[] {
    return [];
  }
}
