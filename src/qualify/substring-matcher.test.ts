import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SubstringMatcher } from './substring-matcher.ts';

test('the substring matcher finds exactly the needles String.includes finds', () => {
  // the dense table, and the trie walk used when the table would be too large
  let maxTable: number | undefined;
  const of = (needles: string[]): SubstringMatcher<string> =>
    new SubstringMatcher(
      needles.map((n) => [n, n]),
      maxTable,
    );
  assert.deepEqual([...of(['shoe', 'sale', 'hoes', 'x']).find('/sale/shoes')].sort(), [
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
      fc.constantFrom(undefined, 0),
      (needles, text, max) => {
        maxTable = max;
        const found = of(needles).find(text);
        const expected = new Set(needles.filter((n) => n !== '' && text.includes(n)));
        assert.deepEqual([...found].sort(), [...expected].sort());
        // every occurrence is reported, overlapping ones too, once per needle entry
        const counts = new Map<string, number>();
        of(needles).collect(text, (n) => counts.set(n, (counts.get(n) ?? 0) + 1));
        for (const n of new Set(needles)) {
          let occurrences = 0;
          for (let at = text.indexOf(n); n !== '' && at >= 0; at = text.indexOf(n, at + 1)) occurrences++;
          const entries = needles.filter((m) => m === n).length;
          assert.equal(counts.get(n) ?? 0, occurrences * entries, n);
        }
      },
    ),
    { numRuns: 2_000 },
  );
});
