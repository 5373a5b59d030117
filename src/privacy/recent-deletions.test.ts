import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECENT_DELETION_MS, RecentDeletions } from './recent-deletions.ts';

test('RecentDeletions: a deletion at or after a job start counts for it, per tenant, forgotten after a week', () => {
  const d = new RecentDeletions();
  assert.equal(d.version, 0);
  d.mark(
    'acme',
    [
      ['uid', 'c-1'],
      ['maid', 'm-1'],
    ],
    1_000,
  );
  assert.equal(d.version, 1);
  assert.equal(d.deletedSince('acme', 'maid', 'm-1', 1_000), true);
  assert.equal(d.deletedSince('acme', 'maid', 'm-1', 1_001), false, 'a job started after the deletion');
  assert.equal(d.deletedSince('other', 'maid', 'm-1', 0), false, 'another tenant');
  assert.equal(d.deletedSince('acme', 'uid', 'm-1', 0), false, 'the ID under another type');
  d.mark('acme', [['uid', 'c-2']], 1_000 + RECENT_DELETION_MS + 1);
  assert.equal(d.deletedSince('acme', 'uid', 'c-1', 0), false, 'forgotten after a week');
  assert.equal(d.deletedSince('acme', 'uid', 'c-2', 0), true);
});
