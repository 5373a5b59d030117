import fc from 'fast-check';
import type { CmpOp, Duration, Literal, Rule, Window } from '../../src/core/rules/ast.ts';
import { CMP_OPS } from '../../src/core/rules/ast.ts';

/*
 * fast-check arbitraries of canonical rule ASTs, for the property and fuzz tests. Canonical means what
 * the parser can produce: codes and paths of the grammar, finite numbers other than -0, valid RE2 patterns.
 */

function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const path: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      'event',
      'url.path',
      'url.host',
      'geo.city',
      'visits',
      'first_seen',
      'ids.maid',
      'in',
      'count.x',
      'Trait',
    ),
    name.map((k) => `signals.${k}`),
    fc
      .tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,5}$/), fc.array(name, { maxLength: 3 }))
      .map(([h, t]) => [h, ...t].join('.')),
  )
  .filter((p) => !/^(and|or|not)(\.|$)/i.test(p));
const code = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
const anyChar = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const str = fc.string({ unit: anyChar, maxLength: 12 });
const num = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n + 0);
const literal: fc.Arbitrary<Literal> = fc.oneof(str, num, fc.boolean(), fc.integer({ min: -5, max: 500 }));
const op: fc.Arbitrary<CmpOp> = fc.constantFrom(...CMP_OPS);
const duration: fc.Arbitrary<Duration> = rec({
  amount: fc.integer({ min: 0, max: 1_000_000 }),
  unit: fc.constantFrom('m', 'h', 'd'),
});
const date = fc.oneof(
  fc
    .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-11-01T10:00', '2026-11-01T10:00:30+05:30', '2026-11-01T10:00:30.123456-08:00'),
);
const pattern = fc.constantFrom(
  '',
  '^\\/products\\/[0-9]+$',
  'a|b',
  '[\\/]',
  '\\d{2,3}',
  '(?i)caf\u00e9',
  '\\\\',
  '"#',
);
const window: fc.Arbitrary<Window> = fc.oneof(
  rec({ type: fc.constant('count' as const), op, value: fc.nat() }),
  rec({ type: fc.constant('within' as const), duration }),
  rec({ type: fc.constantFrom('before' as const, 'after' as const), date }),
);

const leaf: fc.Arbitrary<Rule> = fc.oneof(
  rec({ type: fc.constant('trait' as const), code, windows: fc.array(window, { maxLength: 3 }) }),
  rec({ type: fc.constant('segment' as const), code }),
  rec({ type: fc.constant('cmp' as const), path, op, value: literal }),
  rec({
    type: fc.constant('in' as const),
    path,
    values: fc.array(literal, { minLength: 1, maxLength: 4 }),
    negated: fc.boolean(),
  }),
  rec({
    type: fc.constant('str' as const),
    path,
    op: fc.constantFrom('contains' as const, 'startsWith' as const, 'endsWith' as const),
    value: str,
  }),
  rec({
    type: fc.constant('matches' as const),
    path,
    pattern,
    flags: fc.constantFrom('' as const, 'i' as const),
  }),
  rec({ type: fc.constant('exists' as const), path }),
  rec({ type: fc.constant('time' as const), path, op: fc.constant('within' as const), duration }),
  rec({
    type: fc.constant('time' as const),
    path,
    op: fc.constantFrom('before' as const, 'after' as const),
    date,
  }),
);

/** Random canonical rules, nested a few levels. Example: `fc.assert(fc.property(ruleArbitrary, (r) => ...))`. */
export const ruleArbitrary: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    rec({
      type: fc.constantFrom('and' as const, 'or' as const),
      args: fc.array(tie('rule'), { minLength: 2, maxLength: 4 }),
    }),
    rec({ type: fc.constant('not' as const), arg: tie('rule') }),
  ),
})).rule;
