import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_FILTERS, auditQuery } from '../../console/src/audit-query.ts';

test('no filter: the newest page, then the page before a cursor', () => {
  assert.equal(auditQuery(NO_FILTERS, 50, null), 'order=desc&limit=50');
  assert.equal(auditQuery(NO_FILTERS, 50, 812), 'order=desc&limit=50&before=812');
});

test('the filters as the API takes them: a kind alone is all its actions, To keeps its whole day', () => {
  const filters = {
    user: ' mia@acme.com ',
    action: 'segment',
    object: 'buyers',
    from: '2026-12-01',
    to: '2026-12-31',
  };
  assert.equal(
    auditQuery(filters, 20, null),
    'order=desc&limit=20&actor=mia%40acme.com&action=segment.*&object=buyers&from=2026-12-01&to=2027-01-01',
  );
  assert.equal(
    auditQuery({ ...NO_FILTERS, action: 'segment.create' }, 5, 3),
    'order=desc&limit=5&action=segment.create&before=3',
  );
  assert.equal(
    auditQuery({ ...NO_FILTERS, action: 'trait.*' }, 5, null),
    'order=desc&limit=5&action=trait.*',
  );
  assert.equal(auditQuery({ ...NO_FILTERS, user: 'a&b=c' }, 5, null), 'order=desc&limit=5&actor=a%26b%3Dc');
});
