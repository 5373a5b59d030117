/**
 * The conformance table of the rule language (kept in rule-cases.json, language-neutral): every example of docs/rule-language.md (trait rules with events, segment
 * rules with profiles, the seed scenario) and the edges of its "Meaning", with expected answers. Every
 * evaluator (interpreter, compiled closures, the bitmap engine) must agree with it.
 *
 * Example:
 * ```ts
 * for (const { rule, cases } of DSL_PROFILE_CASES)
 *   for (const c of cases) assert.equal(myEngine(rule, c.profile, c.now ?? NOW), c.expected);
 * ```
 */
export {
  CASE_CATALOG,
  DAY,
  DSL_EVENT_CASES,
  DSL_PROFILE_CASES,
  NOW,
  ev,
  neutralExplanation,
  url,
  type EventRuleCases,
  type NeutralExplanation,
  type ProfileRuleCases,
} from './rule-cases.ts';
export {
  caseBinder,
  memoryProfileView,
  segmentContext,
  type CaseCatalog,
  type ProfileFixture,
} from './memory-profile-view.ts';
