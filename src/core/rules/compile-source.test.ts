import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CollectedEvent } from '../event.ts';
import type { CmpOp, Literal, Rule, Window } from './ast.ts';
import { CMP_OPS } from './ast.ts';
import { compileTraitRule } from './compile-rule.ts';
import { compileEventReader, compileTraitRuleSource, traitRuleSource } from './compile-source.ts';
import { eventGetter } from './event-paths.ts';
import type { PathValue } from './rule-values.ts';
import { evaluateEvent } from './evaluate-rule.ts';
import { checkRule } from './check-rule.ts';
import { jsNumber, jsString } from './js-literal.ts';
import { DSL_EVENT_CASES } from '../../../test/conformance/dsl-cases.ts';
import { ruleArbitrary } from '../../../test/conformance/rule-arbitrary.ts';

const HOSTILE = [
  '"; globalThis.__pwned = 1; "',
  '\\"; globalThis.__pwned = 1; //',
  "'; globalThis.__pwned = 1; '",
  '\u2028globalThis.__pwned = 1\u2029',
  '`${globalThis.__pwned = 1}`',
  '${globalThis.__pwned = 1}',
  '*/ globalThis.__pwned = 1; /*',
  '</script><script>globalThis.__pwned = 1</script>',
  '\\',
  '\\u0022',
  '\n\r\t\0',
  '\uD800',
  '\uDFFF\uD800',
  '😀',
];

/** Values that rules test and events hold, so that random pairs often meet. */
const STRINGS = ['', 'a', 'A', '/products/1', '/pricing', 'London', '120', '12e1', '-0', 'true', ...HOSTILE];
const KEYS = ['a', 'value', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', ...HOSTILE];
const PATHS = [
  'event',
  'url',
  'url.host',
  'url.path',
  'referrer',
  'referrer.host',
  'utm.source',
  'utm.campaign',
  'geo.country',
  'geo.city',
  'device.type',
  'visits',
  'first_seen',
  'nope.path',
  'url.query.',
  'signals.',
  ...KEYS.map((k) => `signals.${k}`),
  ...KEYS.map((k) => `url.query.${k}`),
];

const str = fc.oneof(fc.constantFrom(...STRINGS), fc.string({ maxLength: 6 }));
const num = fc.oneof(
  fc.constantFrom(0, -0, 1, 120, -5, 0.5, 1e21, 5e-324, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const literal: fc.Arbitrary<Literal> = fc.oneof(str, num, fc.boolean());
const path = fc.constantFrom(...PATHS);
const op: fc.Arbitrary<CmpOp> = fc.constantFrom(...CMP_OPS);
const pattern = fc.constantFrom(
  '^\\/products\\/[0-9]+$',
  '^/pric',
  'on$',
  'a|b',
  '(?i)london',
  '^\\/Products',
  '\\d',
  '(a',
);

const leaf: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({ type: fc.constant('cmp' as const), path, op, value: literal }),
  fc.record({
    type: fc.constant('in' as const),
    path,
    values: fc.array(literal, { minLength: 1, maxLength: 10 }),
    negated: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('in' as const),
    path,
    values: fc.array(str, { minLength: 1, maxLength: 10 }),
    negated: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('str' as const),
    path,
    op: fc.constantFrom('contains' as const, 'startsWith' as const, 'endsWith' as const),
    value: str,
  }),
  fc.record({
    type: fc.constant('matches' as const),
    path,
    pattern,
    flags: fc.constantFrom('' as const, 'i' as const),
  }),
  fc.record({ type: fc.constant('exists' as const), path }),
  fc.record({
    type: fc.constant('trait' as const),
    code: fc.constant('x'),
    windows: fc.constant<Window[]>([]),
  }),
  fc.record({
    type: fc.constant('time' as const),
    path: fc.constant('first_seen'),
    op: fc.constant('within' as const),
    duration: fc.constant({ amount: 1, unit: 'd' as const }),
  }),
);

const rule: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      args: fc.array(tie('rule'), { minLength: 2, maxLength: 4 }),
    }),
    fc.record({ type: fc.constant('not' as const), arg: tie('rule') }),
  ),
})).rule;

const value = fc.oneof(
  { weight: 4, arbitrary: str },
  { weight: 2, arbitrary: num },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.array(fc.oneof(str, num, fc.boolean()), { maxLength: 3 }) },
);
const record = <T>(v: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> =>
  fc.dictionary(fc.constantFrom(...KEYS, 'value', 'source', 'campaign', 'country', 'city', 'type'), v, {
    maxKeys: 4,
  });
const event: fc.Arbitrary<CollectedEvent> = fc.record({
  uid: fc.constant('c-1'),
  ids: fc.constant({}),
  type: str,
  ts: fc.constant(0),
  url: fc.option(fc.record({ href: str, host: str, path: str, query: record(str) }), { nil: undefined }),
  referrer: fc.option(fc.record({ href: str, host: str }), { nil: undefined }),
  utm: record(str),
  signals: record(value),
  geo: record(str),
  device: record(str),
});

/** What a JS parser makes of an expression (the literals must read back as their values). */
function evalJs(expression: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of the test
  const run = new Function(`return ${expression};`) as () => unknown;
  return run();
}

function agree(r: Rule, e: CollectedEvent): void {
  const expected = evaluateEvent(r, e);
  assert.equal(compileTraitRuleSource(r)(e), expected, 'source vs interpreter');
  assert.equal(compileTraitRule(r)(e), expected, 'closures vs interpreter');
}

void describe('trait rules compiled to source', () => {
  void it('agree with the interpreter and the closure compiler on random rules and events', () => {
    fc.assert(
      fc.property(rule, fc.array(event, { minLength: 1, maxLength: 6 }), (r, events) => {
        assert.ok(traitRuleSource(r) !== undefined, 'every generated node has a source form');
        for (const e of events) agree(r, e);
      }),
      { numRuns: 3_000 },
    );
    assert.equal((globalThis as Record<string, unknown>).__pwned, undefined);
  });

  void it('agree on the rule arbitrary of the conformance suite', () => {
    const events = fc.sample(event, { numRuns: 20, seed: 7 });
    fc.assert(
      fc.property(ruleArbitrary, (r) => {
        for (const e of events) agree(r, e);
      }),
      { numRuns: 1_500 },
    );
  });

  void it('read many paths at once exactly as each getter reads them', () => {
    const read = compileEventReader(PATHS);
    const out: PathValue[] = [];
    fc.assert(
      fc.property(event, (e) => {
        read(e, out);
        assert.deepEqual(
          out,
          PATHS.map((path) => eventGetter(path)(e)),
        );
      }),
      { numRuns: 1_000 },
    );
    const broken = { ...fc.sample(event, 1)[0]!, utm: null } as unknown as CollectedEvent;
    read(broken, out);
    assert.equal(out[PATHS.indexOf('utm.source')], undefined, 'a path that throws reads as absent');
    assert.equal(out[PATHS.indexOf('event')], broken.type, 'and the others are read');
  });

  void it('pass every event case of the conformance table', () => {
    for (const { rule: text, cases } of DSL_EVENT_CASES) {
      const checked = checkRule(text, { scope: 'event', traits: new Set(), segments: new Map() });
      assert.ok(checked.ok, text);
      const compiled = compileTraitRuleSource(checked.rule);
      for (const c of cases) assert.equal(compiled(c.event), c.expected, `${text}: ${c.name}`);
    }
  });

  void it('keep hostile strings as data: literals, signal keys and patterns never become code', () => {
    for (const h of HOSTILE) {
      const rules: Rule[] = [
        { type: 'cmp', path: 'url.path', op: '==', value: h },
        { type: 'cmp', path: `signals.${h}`, op: '==', value: h },
        { type: 'cmp', path: `url.query.${h}`, op: '<', value: h },
        { type: 'in', path: 'signals.a', values: [h, 'x', 1], negated: false },
        {
          type: 'in',
          path: 'signals.a',
          values: Array.from({ length: 12 }, (_, i) => `${h}${i}`),
          negated: true,
        },
        { type: 'str', path: 'url.path', op: 'contains', value: h },
        { type: 'exists', path: `signals.${h}` },
        { type: 'matches', path: 'url.path', pattern: `^${h}`, flags: '' },
      ];
      for (const r of rules) {
        const generated = traitRuleSource(r);
        assert.ok(generated !== undefined);
        for (const raw of ['</script>', '${', '*/', '\u2028', '\u2029', '`'])
          assert.ok(
            !generated.source.includes(raw),
            `${JSON.stringify(raw)} in the source of ${JSON.stringify(h)}`,
          );
        const test = compileTraitRuleSource(r);
        const hit: CollectedEvent = {
          uid: 'c',
          ids: {},
          type: 'pageview',
          ts: 0,
          url: { href: h, host: h, path: h, query: { [h]: '' } },
          utm: {},
          signals: { [h]: h, a: `${h}0` },
          geo: {},
          device: {},
        };
        const miss: CollectedEvent = {
          ...hit,
          url: { href: 'x', host: 'x', path: 'x', query: {} },
          signals: {},
        };
        for (const e of [hit, miss]) assert.equal(test(e), evaluateEvent(r, e), `${JSON.stringify(r)}`);
      }
      assert.equal(
        compileTraitRuleSource({ type: 'cmp', path: 'url.path', op: '==', value: h })({
          uid: 'c',
          ids: {},
          type: 'pageview',
          ts: 0,
          url: { href: h, host: h, path: h, query: {} },
          utm: {},
          signals: {},
          geo: {},
          device: {},
        }),
        true,
      );
    }
    assert.equal((globalThis as Record<string, unknown>).__pwned, undefined);
  });

  void it('emit only literals that read back exactly, and refuse non-finite numbers', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lit = jsString(s);
        assert.equal(JSON.parse(lit), s);
        assert.equal(evalJs(lit), s);
        assert.ok(!/[\u2028\u2029<$*`]/.test(lit));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        assert.ok(Object.is(evalJs(`-${jsNumber(n) ?? ''}`), -n));
      }),
    );
    for (const bad of [NaN, Infinity, -Infinity, '1', null]) assert.equal(jsNumber(bad), undefined);
    const rule: Rule = { type: 'cmp', path: 'signals.value', op: '>', value: Infinity };
    assert.equal(traitRuleSource(rule), undefined, 'no source form');
    const fallback = compileTraitRuleSource(rule);
    const e: CollectedEvent = {
      uid: 'c',
      ids: {},
      type: 'x',
      ts: 0,
      utm: {},
      signals: { value: 1 },
      geo: {},
      device: {},
    };
    assert.equal(fallback(e), evaluateEvent(rule, e), 'the closure compiler answers instead');
  });

  void it('read each fixed path inline, with no call for a plain string comparison', () => {
    const generated = traitRuleSource({ type: 'cmp', path: 'url.path', op: '==', value: '/a' });
    assert.ok(generated?.source.includes('typeof (v = e.url?.path) === "string" ? v === "/a"'));
  });
});
