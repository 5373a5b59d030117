import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRule, printRule, ruleFromJson, ruleToJson } from '../../src/core/rules/index.ts';
import { ruleArbitrary } from './rule-arbitrary.ts';

void describe('rule language properties', () => {
  void it('print then parse gives back the same AST', () => {
    fc.assert(
      fc.property(ruleArbitrary, (rule) => {
        const text = printRule(rule);
        const parsed = parseRule(text);
        assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.errors[0]?.message}`);
        assert.deepEqual(parsed.rule, rule);
      }),
      { numRuns: 1500 },
    );
  });

  void it('the JSON form round-trips, as an object and through JSON text', () => {
    fc.assert(
      fc.property(ruleArbitrary, (rule) => {
        const json = ruleToJson(rule);
        assert.notEqual(json, rule);
        const back = ruleFromJson(JSON.parse(JSON.stringify(json)));
        assert.ok(back.ok, JSON.stringify(back.ok ? '' : back.errors));
        assert.deepEqual(back.rule, rule);
      }),
      { numRuns: 1000 },
    );
  });

  void it('print is stable: print(parse(print(r))) === print(r)', () => {
    fc.assert(
      fc.property(ruleArbitrary, (rule) => {
        const text = printRule(rule);
        const parsed = parseRule(text);
        assert.ok(parsed.ok);
        assert.equal(printRule(parsed.rule), text);
      }),
      { numRuns: 1000 },
    );
  });
});
