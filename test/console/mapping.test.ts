import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hidesSecrets, withMapping } from '../../console/src/mapping.ts';

test("'Send to destination' adds the segment to the mapping, or changes its ID in place", () => {
  const segments = [
    { segment: 'readers', id: '12' },
    { segment: 'pricing_fans', id: '607' },
  ];
  assert.deepEqual(withMapping(segments, 'london', '9'), [...segments, { segment: 'london', id: '9' }]);
  assert.deepEqual(withMapping(segments, 'readers', '13'), [
    { segment: 'readers', id: '13' },
    { segment: 'pricing_fans', id: '607' },
  ]);
  assert.deepEqual(withMapping([], 'london', '9'), [{ segment: 'london', id: '9' }]);
  assert.deepEqual(segments[0], { segment: 'readers', id: '12' }, 'the list read is not changed');
});

test('a destination whose credentials the API masks is not written back by the console', () => {
  assert.equal(hidesSecrets({ settings: { url: 'https://p.example', authorization: '***' } }), true);
  assert.equal(hidesSecrets({ settings: { url: 'https://p.example', headers: { 'x-key': '***' } } }), true);
  assert.equal(hidesSecrets({ settings: { url: 'https://p.example', headers: {} } }), false);
  assert.equal(hidesSecrets({ settings: { format: 'csv', columns: [] } }), false);
  assert.equal(hidesSecrets({}), false);
});
