import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { checkIds } from './event-checks.ts';

void test('checkIds keeps each ID in its kept form, and the object sent when none changes', () => {
  const kept = { crm: 'Cust-42', maid: '6d92078a-8246-4ba4-ae5b-76104861e7dc' };
  const same = checkIds(kept, 'events[0].ids', defaultLimits);
  assert.ok(same.ok);
  assert.equal(same.value.ids, kept, 'not copied');
  assert.equal(same.value.least, 'crm');
  const sent = { crm: 'Cust-42', maid: '6D92078A82464BA4AE5B76104861E7DC', ssp_a: ' A-1 ' };
  const changed = checkIds(sent, 'events[0].ids', defaultLimits);
  assert.ok(changed.ok);
  assert.deepEqual(changed.value.ids, { ...kept, ssp_a: ' A-1 ' }, 'a partner ID is kept as sent');
  assert.equal(sent.maid, '6D92078A82464BA4AE5B76104861E7DC', 'the object sent is not changed');
});
