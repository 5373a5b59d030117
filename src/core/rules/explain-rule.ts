import type { CollectedEvent } from '../event.ts';
import type { RuleBinder, SegmentContext } from './scope.ts';
import type { Rule } from './ast.ts';
import { eventValue } from './event-paths.ts';
import { evaluateEvent, evaluateProfile } from './evaluate-rule.ts';
import { printRule } from './print-rule.ts';
import { keptHigh, keptLow, planWindows } from './trait-window.ts';

/**
 * Why a rule is true or false, node by node, mirroring the AST.
 * Example: `{ text: 'visits >= 2', result: false, saw: 1 }`; a trait reference sees
 * `{ count: 1, times: [1763632800000], after: ..., atOrBefore: ... }` (the kept realisations).
 */
export interface Explanation {
  /** the node printed */
  text: string;
  result: boolean;
  /** the value(s) the node saw: the path's value; for a trait, the kept count and times */
  saw?: unknown;
  /** e.g. `trait 'x' is not bound` */
  note?: string;
  children?: Explanation[];
}

/**
 * Explains a trait rule on one event. Never throws.
 * Example: `explainEvent(rule, event).children?.[0]` -> `{ text: 'event == "purchase"', result: true, saw: 'purchase' }`.
 */
export function explainEvent(rule: Rule, event: CollectedEvent): Explanation {
  return safely(rule, () =>
    explain(rule, (leaf) => {
      const node: Explanation = { text: printRule(leaf), result: evaluateEvent(leaf, event) };
      if ('path' in leaf) node.saw = eventValue(event, leaf.path);
      else node.note = 'trait: and segment: are not in scope in a trait rule';
      return node;
    }),
  );
}

/**
 * Explains a segment rule on one profile at `ctx.now`. Never throws.
 * Example: `explainProfile(rule, bind, ctx)` -> `{ text: 'trait:a[within 30d] and visits >= 2', result: true, children: [...] }`.
 */
export function explainProfile(rule: Rule, bind: RuleBinder, ctx: SegmentContext): Explanation {
  return safely(rule, () =>
    explain(rule, (leaf) => {
      const node: Explanation = { text: printRule(leaf), result: evaluateProfile(leaf, bind, ctx) };
      if (leaf.type === 'trait') {
        const bound = bind.trait(leaf.code);
        if (!bound) return { ...node, note: `trait '${leaf.code}' is not bound` };
        const plan = planWindows(leaf.windows);
        const lo = keptLow(plan, bound.lifetimeMs, ctx.now);
        const hi = keptHigh(plan, ctx.now);
        const times = ctx.view.realisationTimes(bound.id).filter((t) => t > lo && t <= hi);
        node.saw = { count: times.length, times, after: lo, atOrBefore: hi };
      } else if (leaf.type === 'segment') {
        if (bind.segment(leaf.code) === undefined) node.note = `segment '${leaf.code}' is not bound`;
      } else if ('path' in leaf) {
        node.saw = leaf.path.startsWith('ids.')
          ? ctx.view.hasId(leaf.path.slice(4))
          : ctx.view.attribute(leaf.path);
      }
      return node;
    }),
  );
}

function explain(rule: Rule, leaf: (r: Rule) => Explanation): Explanation {
  if (rule.type === 'and' || rule.type === 'or') {
    const children = rule.args.map((a) => explain(a, leaf));
    const result = rule.type === 'and' ? children.every((c) => c.result) : children.some((c) => c.result);
    return { text: printRule(rule), result, children };
  }
  if (rule.type === 'not') {
    const child = explain(rule.arg, leaf);
    return { text: printRule(rule), result: !child.result, children: [child] };
  }
  return leaf(rule);
}

function safely(rule: Rule, run: () => Explanation): Explanation {
  try {
    return run();
  } catch (e) {
    let text = '';
    try {
      text = printRule(rule);
    } catch {
      text = '(unprintable rule)';
    }
    return { text, result: false, note: `could not explain: ${e instanceof Error ? e.message : String(e)}` };
  }
}
