import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRule, segmentRuleReferences } from '../core/rules/index.ts';
import { generateDemo } from './generate-demo.ts';

test('every generated trait and segment rule of the benchmark set checks with the rule language', () => {
  const demo = generateDemo({
    profiles: 10,
    days: 90,
    seed: 3,
    now: Date.parse('2026-11-20T00:00:00Z'),
    ruleTraits: 1_000,
    segments: 200,
  });
  const traits = new Set<string>();
  for (const trait of demo.traits) {
    const checked = checkRule(trait.rule, { scope: 'event', traits, segments: new Map() });
    assert.ok(
      checked.ok,
      `${trait.code}: ${trait.rule}: ${JSON.stringify(checked.ok ? '' : checked.errors)}`,
    );
    traits.add(trait.code);
  }
  const segments = new Map<string, readonly string[]>();
  for (const segment of demo.segments) {
    const checked = checkRule(segment.rule, { scope: 'profile', traits, segments, selfCode: segment.code });
    assert.ok(
      checked.ok,
      `${segment.code}: ${segment.rule}: ${JSON.stringify(checked.ok ? '' : checked.errors)}`,
    );
    segments.set(segment.code, segmentRuleReferences(checked.rule).segments);
  }
  assert.equal(traits.size, 1_000);
  assert.equal(segments.size, 200);
});
