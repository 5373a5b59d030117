/**
 * The conformance table of the rule language: every example of docs/rule-language.md (trait rules with events, segment
 * rules with profiles, the seed scenario) and the edges of its "Meaning", with expected answers. Every
 * evaluator (interpreter, compiled closures, the bitmap engine) must agree with it.
 *
 * Example:
 * ```ts
 * for (const { rule, cases } of DSL_PROFILE_CASES)
 *   for (const c of cases) assert.equal(myEngine(rule, c.profile, c.now ?? NOW), c.expected);
 * ```
 */
export { DSL_EVENT_CASES, ev, url, type EventRuleCases } from './dsl-event-cases.ts';
export { CASE_CATALOG, DAY, DSL_PROFILE_CASES, NOW, type ProfileRuleCases } from './dsl-profile-cases.ts';
export {
  caseBinder,
  memoryProfileView,
  segmentContext,
  type CaseCatalog,
  type ProfileFixture,
} from './memory-profile-view.ts';
