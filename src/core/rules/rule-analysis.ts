import type { Rule } from './ast.ts';

/**
 * The event types a trait rule can possibly match, from the `event == "x"` / `event in (...)` conditions
 * every match must satisfy (intersected through `and`, united through `or`); `undefined` when it can match
 * any type. For indexing rules by event type.
 * Example: `traitRuleEventTypes(parsed('event == "purchase" and signals.value > 100'))` -> `Set { 'purchase' }`;
 * `traitRuleEventTypes(parsed('url.path startsWith "/p"'))` -> `undefined`.
 */
export function traitRuleEventTypes(rule: Rule): ReadonlySet<string> | undefined {
  switch (rule.type) {
    case 'cmp':
      return rule.path === 'event' && rule.op === '==' && typeof rule.value === 'string'
        ? new Set([rule.value])
        : undefined;
    case 'in':
      if (rule.path !== 'event' || rule.negated) return undefined;
      return new Set(rule.values.filter((v): v is string => typeof v === 'string'));
    case 'and': {
      let types: Set<string> | undefined;
      for (const a of rule.args) {
        const t = traitRuleEventTypes(a);
        if (t === undefined) continue;
        types = types === undefined ? new Set(t) : new Set([...types].filter((x) => t.has(x)));
      }
      return types;
    }
    case 'or': {
      const types = new Set<string>();
      for (const a of rule.args) {
        const t = traitRuleEventTypes(a);
        if (t === undefined) return undefined;
        for (const x of t) types.add(x);
      }
      return types;
    }
    default:
      return undefined;
  }
}

/**
 * The trait and segment codes a rule names, each once, in order of first appearance.
 * Example: `segmentRuleReferences(parsed('(trait:shoes or trait:boots) and not segment:buyers'))`
 * -> `{ traits: ['shoes', 'boots'], segments: ['buyers'] }`.
 */
export function segmentRuleReferences(rule: Rule): { traits: string[]; segments: string[] } {
  const traits = new Set<string>();
  const segments = new Set<string>();
  const visit = (r: Rule): void => {
    if (r.type === 'trait') traits.add(r.code);
    else if (r.type === 'segment') segments.add(r.code);
    else if (r.type === 'and' || r.type === 'or') r.args.forEach(visit);
    else if (r.type === 'not') visit(r.arg);
  };
  visit(rule);
  return { traits: [...traits], segments: [...segments] };
}
