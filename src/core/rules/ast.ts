/**
 * The rule language's AST: the canonical JSON form of a rule (docs/rule-language.md). Every node is a plain JSON object
 * with a `type` field; positions are kept beside the tree (see `RulePositions`), never in it, so that
 * `parseRule(printRule(rule))` deep-equals `rule`.
 *
 * Example: `trait:pricing_visitor[within 30d] and visits >= 2` is
 * `{ type: 'and', args: [
 *    { type: 'trait', code: 'pricing_visitor', windows: [{ type: 'within', duration: { amount: 30, unit: 'd' } }] },
 *    { type: 'cmp', path: 'visits', op: '>=', value: 2 } ] }`
 */

/** A comparison operator, e.g. `>=` in `visits >= 2`. */
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A literal value, e.g. `"London"`, `100`, `true`. */
export type Literal = string | number | boolean;

/** A duration that keeps its unit so it prints back as written, e.g. `{ amount: 30, unit: 'd' }` for `30d`. */
export interface Duration {
  amount: number;
  unit: 'm' | 'h' | 'd';
}

/** A window of a trait reference, e.g. `count >= 2`, `within 30d`, `before 2026-11-01`. */
export type Window =
  | { type: 'count'; op: CmpOp; value: number }
  | { type: 'within'; duration: Duration }
  /** `date` keeps its text form, e.g. `2026-11-01` or `2026-11-01T10:00:00Z` */
  | { type: 'before' | 'after'; date: string };

/** `a and b and c`: true when every arg is. At least two args. */
export interface AndRule {
  type: 'and';
  args: Rule[];
}

/** `a or b`: true when any arg is. At least two args. */
export interface OrRule {
  type: 'or';
  args: Rule[];
}

/** `not a`. */
export interface NotRule {
  type: 'not';
  arg: Rule;
}

/** `trait:pricing_visitor[count >= 2, within 30d]` (profile scope). */
export interface TraitRef {
  type: 'trait';
  code: string;
  windows: Window[];
}

/** `segment:london_returning` (profile scope). */
export interface SegmentRef {
  type: 'segment';
  code: string;
}

/** `signals.value > 100`. */
export interface CmpRule {
  type: 'cmp';
  path: string;
  op: CmpOp;
  value: Literal;
}

/** `device.type in ("mobile", "tablet")`, or with `negated: true`, `... not in (...)`. */
export interface InRule {
  type: 'in';
  path: string;
  values: Literal[];
  negated: boolean;
}

/** `url.path startsWith "/pricing"`. */
export interface StrRule {
  type: 'str';
  path: string;
  op: 'contains' | 'startsWith' | 'endsWith';
  value: string;
}

/** `url.path matches /^\/products\/[0-9]+$/` (RE2 syntax; `flags` is `''` or `'i'`). */
export interface MatchesRule {
  type: 'matches';
  path: string;
  pattern: string;
  flags: '' | 'i';
}

/** `signals.plan exists`. */
export interface ExistsRule {
  type: 'exists';
  path: string;
}

/** `first_seen within 14d`, `last_seen before 2026-11-01`, `last_seen after 2026-01-01T12:00:00Z`. */
export type TimeRule =
  | { type: 'time'; path: string; op: 'within'; duration: Duration }
  | { type: 'time'; path: string; op: 'before' | 'after'; date: string };

/** A rule: the whole AST or any node of it. */
export type Rule =
  | AndRule
  | OrRule
  | NotRule
  | TraitRef
  | SegmentRef
  | CmpRule
  | InRule
  | StrRule
  | MatchesRule
  | ExistsRule
  | TimeRule;

/** A position in the rule text, 1-based. Example: `{ line: 1, column: 5, offset: 4 }`. */
export interface Pos {
  line: number;
  column: number;
  offset: number;
}

/**
 * Where each node (and each window) of a parsed rule starts, kept beside the AST.
 * Example: `positions.get(rule)` -> `{ line: 1, column: 1, offset: 0 }`.
 */
export type RulePositions = WeakMap<object, Pos>;

/** The comparison operators, in a table. */
export const CMP_OPS: readonly CmpOp[] = ['==', '!=', '<', '<=', '>', '>='];

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration in milliseconds. Example: `durationMs({ amount: 30, unit: 'd' })` -> `2_592_000_000`. */
export function durationMs(d: Duration): number {
  return d.amount * UNIT_MS[d.unit];
}
