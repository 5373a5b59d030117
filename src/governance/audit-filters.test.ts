import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../core/service-error.ts';
import { auditQueryOf } from './audit-filters.ts';

/** A predicate for `assert.throws`: a 400 naming the query parameter, with the message matching. */
function refuses(field: string, pattern: RegExp): (e: unknown) => boolean {
  return (e) =>
    e instanceof ServiceError &&
    e.status === 400 &&
    e.extra.field === `querystring.${field}` &&
    e.message.startsWith(`querystring.${field}: `) &&
    pattern.test(e.message);
}

void test('the old parameters keep their meaning; the new ones become the catalog query', () => {
  assert.deepEqual(auditQueryOf({}), { limit: 100 });
  assert.deepEqual(auditQueryOf({ after: 40, limit: 20, action: 'trait.update', target: 'trait:a' }), {
    after: 40,
    limit: 20,
    action: 'trait.update',
    target: 'trait:a',
  });
  assert.deepEqual(
    auditQueryOf({
      before: 61,
      order: 'desc',
      action: 'segment.*',
      object: 'buyers',
      actor: ' Mia@Acme.com ',
    }),
    {
      limit: 100,
      before: 61,
      order: 'desc',
      actionPrefix: 'segment.',
      object: 'buyers',
      actor: 'mia@acme.com',
    },
  );
  assert.deepEqual(auditQueryOf({ action: '*', actor: 'key:AbC' }), { limit: 100, actor: 'key:AbC' });
  assert.deepEqual(auditQueryOf({ order: 'asc' }), { limit: 100, order: 'asc' });
});

void test('from and to take ISO 8601 dates and zoned times, as UTC instants', () => {
  assert.deepEqual(auditQueryOf({ from: '2026-12-07', to: '2026-12-07T10:30:00+01:00' }), {
    limit: 100,
    from: '2026-12-07T00:00:00.000Z',
    to: '2026-12-07T09:30:00.000Z',
  });
  assert.deepEqual(auditQueryOf({ from: '2026-12-07T10:00Z', to: '2026-12-07T10:00:00.5Z' }), {
    limit: 100,
    from: '2026-12-07T10:00:00.000Z',
    to: '2026-12-07T10:00:00.500Z',
  });
});

void test('a bad value is a 400 naming the parameter and how to write it', () => {
  assert.throws(() => auditQueryOf({ order: 'newest' }), refuses('order', /asc .* or desc/));
  assert.throws(() => auditQueryOf({ action: 'seg*ment' }), refuses('action', /only a trailing \*/));
  assert.throws(() => auditQueryOf({ actor: '  ' }), refuses('actor', /must not be empty/));
  assert.throws(() => auditQueryOf({ object: '' }), refuses('object', /must not be empty/));
  assert.throws(() => auditQueryOf({ target: '' }), refuses('target', /must not be empty/));
  assert.throws(() => auditQueryOf({ from: 'yesterday' }), refuses('from', /2026-12-07T10:00:00Z/));
  assert.throws(() => auditQueryOf({ to: '2026-02-30' }), refuses('to', /not an ISO 8601/));
  assert.throws(
    () => auditQueryOf({ to: '2026-12-07T10:00:00' }),
    refuses('to', /not an ISO 8601/),
    'a zone',
  );
  assert.throws(() => auditQueryOf({ from: '7/12/2026' }), refuses('from', /not an ISO 8601/));
  assert.throws(
    () => auditQueryOf({ from: '2026-12-08', to: '2026-12-07' }),
    refuses('from', /is after to .*swap them/),
  );
});
