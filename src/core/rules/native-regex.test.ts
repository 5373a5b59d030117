import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { nativeRegex } from './native-regex.ts';

test('native regexes: the subset is recognised, the rest is left to re2js', () => {
  for (const p of [
    '^\\/products\\/[0-9]+$',
    '^\\/jeans\\/item-[0-9]*5$',
    '^/blog',
    '^\\d+$',
    '^[a-zA-Z_\\-]*x',
    '^',
  ])
    assert.ok(nativeRegex(p, '') instanceof RegExp, p);
  for (const p of [
    '/products', // not anchored: n start positions
    '^a*b*$', // two quantifiers: polynomial backtracking
    '^a?b',
    '^(a)',
    '^a|b',
    '^.x',
    '^\\s',
    '^[^a]',
    '^é',
    '^a{2}',
    '^a$b',
    '^[z-a]',
  ])
    assert.equal(nativeRegex(p, ''), undefined, p);
  assert.ok(RE2JS.compile('^/blok', RE2JS.CASE_INSENSITIVE).test('/BLO\u212A'), 'RE2 folds U+212A to k');
  assert.ok(nativeRegex('^/blok', 'i')?.test('/BLO\u212A'), 'and so does the native one');
});

test('native regexes answer exactly as re2js on random subset patterns and inputs', () => {
  const lit = fc.constantFrom(
    'a',
    'b',
    'Z',
    'k',
    'S',
    'i',
    '0',
    '5',
    '/',
    '-',
    '_',
    '\\/',
    '\\.',
    '\\-',
    '\\$',
    '\\\\',
    '\\d',
  );
  const cls = fc.constantFrom(
    '[0-9]',
    '[a-c]',
    '[j-l]',
    '[r-t]',
    '[h-j]',
    '[K]',
    '[a-zA-Z_\\-]',
    '[ab5]',
    '[A-z]',
    '[\\/\\.]',
  );
  const atom = fc.tuple(fc.oneof(lit, cls), fc.constantFrom('', '', '', '*', '+'));
  const pattern = fc.tuple(fc.array(atom, { maxLength: 6 }), fc.boolean()).map(([atoms, end]) => {
    let quantified = false;
    const body = atoms.map(([a, q]) => {
      if (q === '' || quantified) return a;
      quantified = true;
      return a + q;
    });
    return `^${body.join('')}${end ? '$' : ''}`;
  });
  const unit = fc.constantFrom(
    'a',
    'b',
    'Z',
    'z',
    '0',
    '5',
    '9',
    '/',
    '.',
    '-',
    '_',
    '$',
    '\\',
    '\n',
    '\u212A',
    '\u017F',
    '\u0130',
    '\u0131',
    'K',
    'k',
    's',
    'S',
    'i',
    'I',
    '\uD83D',
    '\uDE00',
    '😀',
    'é',
    'A',
    '[',
    '^',
  );
  fc.assert(
    fc.property(
      pattern,
      fc.constantFrom('' as const, 'i' as const),
      fc.array(
        fc.array(unit, { maxLength: 10 }).map((u) => u.join('')),
        { maxLength: 8 },
      ),
      (p, flags, inputs) => {
        const native = nativeRegex(p, flags);
        assert.ok(native !== undefined, p);
        const re2 = RE2JS.compile(p, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
        for (const input of inputs)
          assert.equal(native.test(input), re2.test(input), `${p} on ${JSON.stringify(input)}`);
      },
    ),
    { numRuns: 3_000 },
  );
});
