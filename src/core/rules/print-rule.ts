import type { Duration, Literal, Rule, Window } from './ast.ts';

/**
 * The normalised text of a rule: lowercase keywords, single spaces, JSON string escaping, and only the
 * parentheses needed to give back the same AST (`parseRule(printRule(r))` deep-equals `r`).
 * Example: `printRule({ type: 'not', arg: { type: 'segment', code: 'buyers' } })` -> `'not segment:buyers'`.
 */
export function printRule(rule: Rule): string {
  switch (rule.type) {
    case 'or':
      return rule.args.map((a) => (a.type === 'or' ? `(${printRule(a)})` : printRule(a))).join(' or ');
    case 'and':
      return rule.args
        .map((a) => (a.type === 'or' || a.type === 'and' ? `(${printRule(a)})` : printRule(a)))
        .join(' and ');
    case 'not':
      return rule.arg.type === 'or' || rule.arg.type === 'and'
        ? `not (${printRule(rule.arg)})`
        : `not ${printRule(rule.arg)}`;
    case 'trait':
      return rule.windows.length === 0
        ? `trait:${rule.code}`
        : `trait:${rule.code}[${rule.windows.map(printWindow).join(', ')}]`;
    case 'segment':
      return `segment:${rule.code}`;
    case 'cmp':
      return `${rule.path} ${rule.op} ${printLiteral(rule.value)}`;
    case 'in':
      return `${rule.path} ${rule.negated ? 'not in' : 'in'} (${rule.values.map(printLiteral).join(', ')})`;
    case 'str':
      return `${rule.path} ${rule.op} ${JSON.stringify(rule.value)}`;
    case 'matches':
      return `${rule.path} matches /${rule.pattern}/${rule.flags}`;
    case 'exists':
      return `${rule.path} exists`;
    case 'time':
      return rule.op === 'within'
        ? `${rule.path} within ${printDuration(rule.duration)}`
        : `${rule.path} ${rule.op} ${rule.date}`;
  }
}

/** A window as written in a trait reference. Example: `printWindow({ type: 'count', op: '>=', value: 2 })` -> `'count >= 2'`. */
export function printWindow(w: Window): string {
  switch (w.type) {
    case 'count':
      return `count ${w.op} ${w.value}`;
    case 'within':
      return `within ${printDuration(w.duration)}`;
    case 'before':
    case 'after':
      return `${w.type} ${w.date}`;
  }
}

/** Example: `printDuration({ amount: 30, unit: 'd' })` -> `'30d'`. */
export function printDuration(d: Duration): string {
  return `${d.amount}${d.unit}`;
}

/** Example: `printLiteral('a"b')` -> `'"a\\"b"'`, `printLiteral(true)` -> `'true'`. */
export function printLiteral(v: Literal): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return v ? 'true' : 'false';
}
