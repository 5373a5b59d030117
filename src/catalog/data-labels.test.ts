import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogError, DATA_LABELS } from './catalog.ts';
import { normaliseLabels } from './data-labels.ts';

function failsWith(code: CatalogError['code'], pattern: RegExp) {
  return (e: unknown): boolean => e instanceof CatalogError && e.code === code && pattern.test(e.message);
}

void test('DATA_LABELS are the five export controls', () => {
  assert.deepEqual(
    [...DATA_LABELS],
    [
      'no-onsite-targeting',
      'no-offsite-targeting',
      'no-modeling',
      'no-pii-combination',
      'no-third-party-sharing',
    ],
  );
});

void test('normaliseLabels dedupes into DATA_LABELS order and names the known labels for an unknown one', () => {
  assert.deepEqual(normaliseLabels(['no-third-party-sharing', 'no-modeling', 'no-modeling']), [
    'no-modeling',
    'no-third-party-sharing',
  ]);
  assert.deepEqual(normaliseLabels([]), []);
  assert.throws(
    () => normaliseLabels(['no-modeling', 'no-ads']),
    failsWith('invalid', new RegExp(`unknown label 'no-ads'; known: ${DATA_LABELS.join(', ')}$`)),
  );
  assert.throws(() => normaliseLabels('no-modeling'), failsWith('invalid', /array/));
  assert.throws(() => normaliseLabels([7]), failsWith('invalid', /unknown label '7'/));
});
