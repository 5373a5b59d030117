import type { MatchesRule } from './ast.ts';
import { compileRuleRegex, type RuleRegex } from './rule-regex.ts';

/**
 * Compiled regexes of `matches` nodes, so that each is compiled once even by the interpreter. This is a
 * pure memo keyed by the (immutable) node: it never changes a result, and entries go with their nodes.
 */
const compiled = new WeakMap<MatchesRule, RuleRegex | null>();

/** The node's compiled regex, or `undefined` when RE2 rejects it. Example: `cachedRegex(node)?.test('/products/1')`. */
export function cachedRegex(node: MatchesRule): RuleRegex | undefined {
  let re = compiled.get(node);
  if (re === undefined) {
    const r = compileRuleRegex(node.pattern, node.flags);
    re = r.ok ? r.regex : null;
    compiled.set(node, re);
  }
  return re ?? undefined;
}
