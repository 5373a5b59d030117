import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from './ast.ts';
import { parseRule } from './parse-rule.ts';
import { segmentRuleReferences, traitRuleEventTypes } from './rule-analysis.ts';

function rule(text: string): Rule {
  const r = parseRule(text);
  assert.ok(r.ok, text);
  return r.rule;
}

void describe('traitRuleEventTypes', () => {
  const types = (text: string) => {
    const t = traitRuleEventTypes(rule(text));
    return t && [...t].sort();
  };
  void it('reads event == and event in, through and (intersection) and or (union)', () => {
    assert.deepEqual(types('event == "purchase" and signals.value > 100'), ['purchase']);
    assert.deepEqual(types('event in ("a", "b") and event in ("b", "c")'), ['b']);
    assert.deepEqual(types('event == "a" or event in ("b", "c")'), ['a', 'b', 'c']);
    assert.deepEqual(types('(event == "a" or event == "b") and url.path exists'), ['a', 'b']);
  });
  void it('is undefined when any type can match', () => {
    assert.equal(types('url.path startsWith "/pricing"'), undefined);
    assert.equal(types('event == "a" or url.path exists'), undefined);
    assert.equal(types('not event == "a"'), undefined);
    assert.equal(types('event != "a"'), undefined);
    assert.equal(types('event not in ("a")'), undefined);
  });
});

void describe('segmentRuleReferences', () => {
  void it('lists each trait and segment code once, in order', () => {
    const refs = segmentRuleReferences(
      rule('(trait:shoes or trait:boots[within 7d]) and not segment:buyers and trait:shoes or segment:x'),
    );
    assert.deepEqual(refs, { traits: ['shoes', 'boots'], segments: ['buyers', 'x'] });
    assert.deepEqual(segmentRuleReferences(rule('visits > 1')), { traits: [], segments: [] });
  });
});
