import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVisual, printVisual } from '../../console/src/visual-rule.ts';
import type { VisualRule } from '../../console/src/visual-rule.ts';

test("the console's visual mode reads the common shapes and writes them back as the code view shows them", () => {
  const seed = 'visits >= 2 and geo.city == "London" and trait:pricing_visitor[within 30d]';
  const visual: VisualRule = {
    join: 'and',
    conditions: [
      { kind: 'visits', least: 2 },
      { kind: 'city', city: 'London' },
      { kind: 'trait', code: 'pricing_visitor', days: 30 },
    ],
  };
  assert.deepEqual(parseVisual(seed), visual);
  assert.equal(printVisual(visual), seed);
  assert.deepEqual(parseVisual('trait:shoes OR trait:boots[WITHIN 7d]'), {
    join: 'or',
    conditions: [
      { kind: 'trait', code: 'shoes', days: undefined },
      { kind: 'trait', code: 'boots', days: 7 },
    ],
  });
  // "and" inside a string is part of the city, and quotes survive the round trip
  const city = 'geo.city == "Stoke and \\"Trent\\""';
  assert.equal(printVisual(parseVisual(city) ?? { join: 'and', conditions: [] }), city);
  assert.deepEqual(parseVisual(''), { join: 'and', conditions: [] });
});

test('a rule with shapes the visual mode does not edit has no visual form (the code view edits it)', () => {
  for (const rule of [
    'not trait:purchaser',
    '(trait:shoes or trait:boots) and visits >= 2',
    'trait:a and trait:b or trait:c',
    'trait:pricing_visitor[count >= 2, within 30d]',
    'device.type in ("mobile", "tablet")',
    'visits > 2',
  ])
    assert.equal(parseVisual(rule), undefined, rule);
});
