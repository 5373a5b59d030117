/**
 * The rule language (docs/rule-language.md): parse, check, print, JSON form, evaluate, compile, explain, analyse.
 *
 * Example:
 * ```ts
 * const checked = checkRule('trait:pricing_visitor[within 30d] and geo.city == "London"', ctx);
 * if (checked.ok) {
 *   const inSegment = compileSegmentRule(checked.rule, binder);
 *   inSegment({ view, now: Date.now(), inSegment: (id) => memo(id) });
 * }
 * ```
 */
export type {
  AndRule,
  CmpOp,
  CmpRule,
  Duration,
  ExistsRule,
  InRule,
  Literal,
  MatchesRule,
  NotRule,
  OrRule,
  Pos,
  Rule,
  RulePositions,
  SegmentRef,
  StrRule,
  TimeRule,
  TraitRef,
  Window,
} from './ast.ts';
export { durationMs } from './ast.ts';
export type { RuleError } from './rule-error.ts';
export { parseRule, MAX_RULE_DEPTH, MAX_RULE_LENGTH, type ParseResult } from './parse-rule.ts';
export { checkRule, type CheckResult } from './check-rule.ts';
export { printRule } from './print-rule.ts';
export { ruleFromJson, ruleToJson, type RuleJsonError } from './rule-json.ts';
export { evaluateEvent, evaluateProfile } from './evaluate-rule.ts';
export { compileSegmentRule, compileTraitRule } from './compile-rule.ts';
export { explainEvent, explainProfile, type Explanation } from './explain-rule.ts';
export { segmentRuleReferences, traitRuleEventTypes } from './rule-analysis.ts';
export { ruleDateMs } from './rule-date.ts';
export { pathKind, type PathKind } from './rule-paths.ts';
export type { BoundTrait, CheckContext, ProfileView, RuleBinder, SegmentContext } from './scope.ts';
