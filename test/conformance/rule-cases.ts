import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectedEvent } from '../../src/core/event.ts';
import type { Explanation } from '../../src/core/rules/index.ts';
import type { CaseCatalog, ProfileFixture } from './memory-profile-view.ts';

/**
 * The rule language's conformance cases, read from `rule-cases.json`: a language-neutral file that any
 * implementation of the language (the tag's evaluator, a scale-out worker, another runtime) can prove
 * itself against. Each trait rule comes with events it must (and must not) match, each segment rule with
 * profiles it must (and must not) hold at `now`.
 *
 * Example:
 * ```ts
 * for (const { rule, cases } of PROFILE_RULE_CASES)
 *   for (const c of cases) assert.equal(myEngine(rule, c.profile, c.now ?? NOW), c.expected);
 * ```
 */
export interface EventRuleCases {
  rule: string;
  /** `docs` for the examples of docs/rule-language.md, `semantics` for the rules of its "Meaning" section */
  source: 'docs' | 'semantics';
  cases: { name: string; event: CollectedEvent; expected: boolean; explanation: NeutralExplanation }[];
}

/** One segment rule and the profiles (at `now` unless a case says otherwise) it must (and must not) hold. */
export interface ProfileRuleCases {
  rule: string;
  source: 'docs' | 'seed' | 'semantics';
  cases: {
    name: string;
    profile: ProfileFixture;
    expected: boolean;
    explanation: NeutralExplanation;
    now?: number;
  }[];
}

/**
 * An explanation as the file keeps it (see README.md here): the `Explanation` tree of `explainEvent` /
 * `explainProfile` in plain JSON, where an absent value has no `saw` and an open upper bound of a trait's
 * kept interval (`atOrBefore`) is `null`.
 * Example: `{ text: 'visits >= 2', result: false, saw: 1 }`.
 */
export interface NeutralExplanation {
  text: string;
  result: boolean;
  saw?: unknown;
  note?: string;
  children?: NeutralExplanation[];
}

/**
 * An explanation in the file's form: what `JSON.stringify` keeps of it (undefined values dropped, `Infinity` -> `null`).
 * Example: `neutralExplanation(explainProfile(rule, bind, ctx))` -> `{ text: 'trait:a', result: true, saw: { count: 1, times: [...], after: ..., atOrBefore: null } }`.
 */
export function neutralExplanation(x: Explanation): NeutralExplanation {
  return JSON.parse(JSON.stringify(x)) as NeutralExplanation;
}

interface RuleCasesFile {
  now: number;
  dayMs: number;
  catalog: CaseCatalog;
  eventRules: EventRuleCases[];
  profileRules: ProfileRuleCases[];
}

const file = JSON.parse(readFileSync(join(import.meta.dirname, 'rule-cases.json'), 'utf8')) as RuleCasesFile;

/** A day in ms, as the file counts it. */
export const DAY = file.dayMs;
/** The time of evaluation of every profile case without its own: 2026-10-15T12:00:00Z. */
export const NOW = file.now;
/** The tenant the cases are written against. `ghost` is known to the catalog check but not bound. */
export const CASE_CATALOG: CaseCatalog = file.catalog;
/** Every trait rule of docs/rule-language.md, and the semantics of absent paths, lists, numbers and case. */
export const DSL_EVENT_CASES: EventRuleCases[] = file.eventRules;
/** Every segment rule of docs/rule-language.md, the seed scenario, and the edges of windows. */
export const DSL_PROFILE_CASES: ProfileRuleCases[] = file.profileRules;

/** A pageview with overrides, for tests that build events of their own. Example: `ev({ type: 'purchase' })`. */
export function ev(over: Partial<CollectedEvent> = {}): CollectedEvent {
  return { uid: 'c-1', ids: {}, type: 'pageview', ts: 0, utm: {}, signals: {}, geo: {}, device: {}, ...over };
}

/** A URL's parts. Example: `url('shop.example.com', '/pricing')`. */
export function url(host: string, path: string, query: Record<string, string> = {}): CollectedEvent['url'] {
  const qs = new URLSearchParams(query).toString();
  return { href: `https://${host}${path}${qs ? `?${qs}` : ''}`, host, path, query };
}
