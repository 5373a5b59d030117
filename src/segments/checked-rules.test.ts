import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Trait } from '../catalog/catalog.ts';
import { ServiceError } from '../core/service-error.ts';
import { createMemoryProfileStore } from '../profiles/memory-profile-store.ts';
import { testQualify } from '../qualify/testing/test-qualify.ts';
import { CheckedRules } from './checked-rules.ts';

/** An onboarded trait (no rule to compile): enough for segment rules to name it. */
function trait(id: number, code: string): Trait {
  const at = '2026-11-01T00:00:00.000Z';
  return {
    ...{ id, code, name: code, kind: 'onboarded', rule: '', ruleJson: null, lifetimeDays: 30 },
    ...{ folder: '', source: 'crm', versions: [], createdAt: at, updatedAt: at },
  };
}

void it('a rule sized again reuses its checked plan, and new rules (a trait added) check it afresh', () => {
  const qualify = testQualify(createMemoryProfileStore());
  const checked = new CheckedRules();
  const rules = qualify.setRules('t', [trait(1, 'vip')], []);
  const audience = qualify.audience('t');
  const first = checked.of(rules, audience, 'trait:vip and visits >= 2');
  assert.equal(
    checked.of(rules, audience, 'trait:vip and visits >= 2'),
    first,
    'the same text: the same plan',
  );
  const json = { type: 'trait', code: 'vip', windows: [] };
  assert.equal(checked.of(rules, audience, json).text, 'trait:vip');
  assert.equal(checked.of(rules, audience, { ...json }), checked.of(rules, audience, json), 'equal JSON');
  // unknown now, known once the rules change
  const unknown = (): unknown => checked.of(rules, audience, 'trait:churn');
  assert.throws(unknown, ServiceError);
  assert.throws(unknown, ServiceError, 'an error is never remembered as an answer');
  const next = qualify.setRules('t', [trait(1, 'vip'), trait(2, 'churn')], []);
  assert.equal(checked.of(next, audience, 'trait:churn').text, 'trait:churn');
  assert.notEqual(
    checked.of(next, audience, 'trait:vip and visits >= 2'),
    first,
    'new rules: compiled again',
  );
});
