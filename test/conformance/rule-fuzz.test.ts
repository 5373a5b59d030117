import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkRule,
  compileSegmentRule,
  compileTraitRule,
  evaluateEvent,
  evaluateProfile,
  explainEvent,
  parseRule,
  printRule,
  ruleFromJson,
  ruleToJson,
  type CheckContext,
} from '../../src/core/rules/index.ts';
import {
  CASE_CATALOG,
  DSL_EVENT_CASES,
  DSL_PROFILE_CASES,
  NOW,
  caseBinder,
  ev,
  segmentContext,
} from './dsl-cases.ts';
import { ruleArbitrary } from './rule-arbitrary.ts';

const examples = [...DSL_EVENT_CASES, ...DSL_PROFILE_CASES].map((r) => r.rule);
const ctx: CheckContext = {
  scope: 'profile',
  traits: new Set(Object.keys(CASE_CATALOG.traits)),
  segments: new Map([
    ['london_returning', ['recent_buyers']],
    ['recent_buyers', ['london_returning']],
  ]),
  selfCode: 'recent_buyers',
};
const anyChar = fc.oneof(
  fc.constantFrom(
    '(',
    ')',
    '[',
    ']',
    '"',
    '\\',
    '/',
    '#',
    ',',
    ':',
    '.',
    '-',
    ' ',
    '\n',
    '=',
    '!',
    '<',
    '>',
    'not ',
    ' and ',
    ' or ',
  ),
  fc
    .integer({ min: 0, max: 0x10ffff })
    .filter((c) => c < 0xd800 || c > 0xdfff)
    .map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.string({ unit: anyChar, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  return text.slice(0, at) + (text[at + 1] ?? '') + (text[at] ?? '') + text.slice(at + 2);
}

let slowest = 0;
/** Parses and checks one input: never a throw, errors well formed, accepted rules round-trip. */
function survive(text: string): void {
  const start = performance.now();
  const parsed = parseRule(text);
  const checked = checkRule(text, ctx);
  slowest = Math.max(slowest, performance.now() - start);
  for (const r of [parsed, checked]) {
    if (r.ok) {
      const again = parseRule(printRule(r.rule));
      assert.ok(again.ok);
      assert.deepEqual(again.rule, r.rule);
    } else {
      assert.ok(r.errors.length > 0);
      for (const e of r.errors) {
        assert.ok(e.line >= 1 && e.column >= 1 && e.message.length > 0);
        assert.ok(e.snippet.includes('\n') && e.snippet.endsWith('^'));
      }
    }
  }
}

void describe('rule language fuzz', () => {
  void it('mutated DSL examples never throw and finish quickly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (rule, ms) => {
          survive(ms.reduce(mutate, rule));
        },
      ),
      { numRuns: 4000 },
    );
    assert.ok(slowest < 250, `slowest input took ${slowest} ms`);
  });

  void it('random unicode never throws', () => {
    fc.assert(fc.property(fc.string({ unit: anyChar, maxLength: 80 }), survive), { numRuns: 3000 });
  });

  void it('deep nesting and very long rules are rejected quickly', () => {
    const huge = [
      '('.repeat(60_000),
      'not '.repeat(16_000) + 'a exists',
      '('.repeat(30_000) + 'a exists' + ')'.repeat(30_000),
      'trait:a or '.repeat(5_900) + 'trait:b',
      'a matches /' + '(a{100}){100}'.repeat(3) + '/',
      'a matches /((((((((((a*)*)*)*)*)*)*)*)*)*)*b/',
      '"'.repeat(70_000),
    ];
    for (const text of huge) {
      const start = performance.now();
      assert.doesNotThrow(() => survive(text));
      assert.ok(performance.now() - start < 2000, `${text.slice(0, 20)}... took too long`);
    }
  });

  void it('ruleFromJson never throws on random JSON or mutated rules', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (json) => {
        const r = ruleFromJson(json);
        assert.equal(typeof r.ok, 'boolean');
        if (!r.ok) assert.ok(r.errors.length > 0 && r.errors.every((e) => e.path.startsWith('$')));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(ruleArbitrary, fc.jsonValue({ maxDepth: 2 }), fc.nat(), (rule, junk, pick) => {
        const json = ruleToJson(rule) as unknown as Record<string, unknown>;
        const keys = Object.keys(json);
        json[keys[pick % keys.length] ?? 'type'] = junk;
        const r = ruleFromJson(json);
        if (r.ok) assert.equal(parseRule(printRule(r.rule)).ok, true);
        else assert.ok(r.errors.length > 0);
      }),
      { numRuns: 2000 },
    );
    let deep: unknown = { type: 'exists', path: 'a' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'not', arg: deep };
    const r = ruleFromJson(deep);
    assert.equal(r.ok, false);
  });

  void it('evaluation of random rules never throws, and interpreter and compiled agree', () => {
    const bind = caseBinder(CASE_CATALOG);
    const weird = ev({
      signals: { a: ['1', 2, true], value: '12e1', '': 'x' },
      url: { href: 'https://x/', host: 'x', path: '/', query: { page: '2' } },
    });
    const profileCtx = segmentContext(
      {
        attributes: { visits: 3, 'geo.city': 'London', first_seen: NOW - 1 },
        ids: ['maid'],
        realisations: { shoes: [NOW - 5] },
      },
      CASE_CATALOG,
      NOW,
    );
    fc.assert(
      fc.property(ruleArbitrary, (rule) => {
        assert.equal(compileTraitRule(rule)(weird), evaluateEvent(rule, weird));
        assert.equal(explainEvent(rule, weird).result, evaluateEvent(rule, weird));
        assert.equal(compileSegmentRule(rule, bind)(profileCtx), evaluateProfile(rule, bind, profileCtx));
      }),
      { numRuns: 1500 },
    );
  });
});
