import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SubstringMatcher } from './substring-matcher.ts';

test('the substring matcher finds exactly the needles String.includes finds', () => {
  assert.deepEqual([...new SubstringMatcher(['shoe', 'sale', 'hoes', 'x']).find('/sale/shoes')].sort(), [
    'hoes',
    'sale',
    'shoe',
  ]);
  const unit = fc.constantFrom('a', 'b', 'ab', '/', '\uD83D', '\uDE00', '😀');
  fc.assert(
    fc.property(
      fc.array(
        fc.array(unit, { minLength: 1, maxLength: 4 }).map((u) => u.join('')),
        { maxLength: 12 },
      ),
      fc.array(unit, { maxLength: 30 }).map((u) => u.join('')),
      (needles, text) => {
        const found = new SubstringMatcher(needles).find(text);
        const expected = new Set(needles.filter((n) => n !== '' && text.includes(n)));
        assert.deepEqual([...found].sort(), [...expected].sort());
      },
    ),
    { numRuns: 2_000 },
  );
});
