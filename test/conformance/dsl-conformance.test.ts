import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkRule,
  compileSegmentRule,
  compileTraitRule,
  evaluateEvent,
  evaluateProfile,
  explainEvent,
  explainProfile,
  printRule,
  parseRule,
  type CheckContext,
  type Rule,
} from '../../src/core/rules/index.ts';
import {
  CASE_CATALOG,
  DSL_EVENT_CASES,
  DSL_PROFILE_CASES,
  NOW,
  caseBinder,
  neutralExplanation,
  segmentContext,
  type NeutralExplanation,
} from './dsl-cases.ts';

const eventScope: CheckContext = { scope: 'event', traits: new Set(), segments: new Map() };
const profileScope: CheckContext = {
  scope: 'profile',
  traits: new Set([...Object.keys(CASE_CATALOG.traits), 'ghost']),
  segments: new Map(Object.entries(CASE_CATALOG.segments).map(([code, s]) => [code, s.refs])),
};

void describe('DSL conformance: trait rules on events', () => {
  for (const { rule: text, cases } of DSL_EVENT_CASES) {
    void describe(text, () => {
      const checked = checkRule(text, eventScope);
      void it('parses and checks in the event scope, and its printed form means the same', () => {
        assert.deepEqual(checked.ok ? [] : checked.errors, []);
        assert.ok(checked.ok);
        const again = parseRule(printRule(checked.rule));
        assert.ok(again.ok);
        assert.deepEqual(again.rule, checked.rule);
      });
      if (!checked.ok) return;
      const compiled = compileTraitRule(checked.rule);
      for (const c of cases) {
        void it(`${c.name} -> ${c.expected}`, () => {
          assert.equal(evaluateEvent(checked.rule, c.event), c.expected, 'interpreter');
          assert.equal(compiled(c.event), c.expected, 'compiled');
          assert.deepEqual(neutralExplanation(explainEvent(checked.rule, c.event)), c.explanation, 'explain');
        });
      }
    });
  }
});

void describe('DSL conformance: segment rules on profiles', () => {
  const bind = caseBinder(CASE_CATALOG);
  for (const { rule: text, cases } of DSL_PROFILE_CASES) {
    void describe(text, () => {
      const checked = checkRule(text, profileScope);
      void it('parses and checks in the profile scope', () => {
        assert.deepEqual(checked.ok ? [] : checked.errors, []);
      });
      if (!checked.ok) return;
      const compiled = compileSegmentRule(checked.rule, bind);
      for (const c of cases) {
        void it(`${c.name} -> ${c.expected}`, () => {
          const ctx = segmentContext(c.profile, CASE_CATALOG, c.now ?? NOW);
          assert.equal(evaluateProfile(checked.rule, bind, ctx), c.expected, 'interpreter');
          assert.equal(compiled(ctx), c.expected, 'compiled');
          assert.deepEqual(
            neutralExplanation(explainProfile(checked.rule, bind, ctx)),
            c.explanation,
            'explain',
          );
        });
      }
    });
  }
});

void describe('DSL conformance: the table covers docs/rule-language.md', () => {
  void it('holds all 6 trait examples, all 8 segment examples and the seed scenario', () => {
    assert.equal(DSL_EVENT_CASES.filter((r) => r.source === 'docs').length, 6);
    assert.equal(DSL_PROFILE_CASES.filter((r) => r.source === 'docs').length, 8);
    assert.equal(DSL_PROFILE_CASES.filter((r) => r.source === 'seed').length, 1);
    for (const r of [...DSL_EVENT_CASES, ...DSL_PROFILE_CASES].filter((x) => x.source !== 'semantics')) {
      assert.ok(
        r.cases.some((c) => c.expected) && r.cases.some((c) => !c.expected),
        `${r.rule}: positives and negatives`,
      );
    }
  });
});

/**
 * Checks that an explanation mirrors the rule's tree: `and`/`or`/`not` nodes hold one child per argument
 * and combine their results; a leaf has no children; a bound trait's kept count is the number of its kept
 * times (ascending), each in (after, atOrBefore].
 */
function checkTree(rule: Rule, x: NeutralExplanation, where: string): void {
  const at = `${where}: ${x.text}`;
  if (rule.type === 'and' || rule.type === 'or' || rule.type === 'not') {
    const args = rule.type === 'not' ? [rule.arg] : rule.args;
    const kids = x.children ?? [];
    assert.equal(kids.length, args.length, at);
    args.forEach((a, i) => checkTree(a, kids[i] as NeutralExplanation, where));
    const results = kids.map((k) => k.result);
    const expected =
      rule.type === 'and' ? results.every(Boolean) : rule.type === 'or' ? results.some(Boolean) : !results[0];
    assert.equal(x.result, expected, at);
    return;
  }
  assert.equal(x.children, undefined, at);
  if (rule.type === 'trait' && x.note === undefined) {
    const saw = x.saw as { count: number; times: number[]; after: number; atOrBefore: number | null };
    assert.equal(saw.count, saw.times.length, at);
    assert.deepEqual(
      saw.times,
      [...saw.times].sort((a, b) => a - b),
      `${at}: times ascending`,
    );
    for (const t of saw.times) {
      assert.ok(t > saw.after, at);
      assert.ok(saw.atOrBefore === null || t <= saw.atOrBefore, at);
    }
  }
}

void describe('DSL conformance: the expected explanations agree with the expected answers', () => {
  void it('every case has an explanation mirroring its rule, whose root result is the expected answer', () => {
    for (const { rule: text, cases } of [...DSL_EVENT_CASES, ...DSL_PROFILE_CASES]) {
      const parsed = parseRule(text);
      assert.ok(parsed.ok, text);
      for (const c of cases) {
        assert.equal(c.explanation.result, c.expected, `${text}: ${c.name}`);
        assert.equal(c.explanation.text, printRule(parsed.rule), `${text}: ${c.name}`);
        checkTree(parsed.rule, c.explanation, `${text}: ${c.name}`);
      }
    }
  });
});
