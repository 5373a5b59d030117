import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { Audit } from './audit.ts';
import { AuditReader } from './audit-reader.ts';

void test('the audit log is read a page at a time: next is the last id of a full page, null after', async (t) => {
  const catalog = await openSqliteCatalog(':memory:');
  t.after(() => catalog.close());
  await catalog.createTenant('acme');
  const audit = new Audit(catalog);
  for (const code of ['a', 'b', 'c']) await audit.record('acme', 'key:k1', 'trait.create', `trait:${code}`);
  const reader = new AuditReader(catalog);
  const first = await reader.page('acme', { limit: 2 });
  assert.deepEqual(
    first.entries.map((e) => e.target),
    ['trait:a', 'trait:b'],
  );
  assert.equal(first.next, first.entries[1]?.id);
  const second = await reader.page('acme', { after: first.next ?? 0, limit: 2 });
  assert.deepEqual(
    second.entries.map((e) => e.target),
    ['trait:c'],
  );
  assert.equal(second.next, null, 'a page that is not full is the last');
  assert.deepEqual(
    (await reader.page('acme', { limit: 10, target: 'trait:b' })).entries.map((e) => e.target),
    ['trait:b'],
  );
});

void test('newest first, the cursor pages backwards; a query the catalog refuses is a 422', async (t) => {
  const catalog = await openSqliteCatalog(':memory:');
  t.after(() => catalog.close());
  await catalog.createTenant('acme');
  const audit = new Audit(catalog);
  for (const code of ['a', 'b', 'c'])
    await audit.record('acme', 'user:mia@acme.com', 'trait.create', `trait:${code}`);
  await audit.record('acme', 'key:k1', 'segment.create', 'segment:s');
  const reader = new AuditReader(catalog);
  const first = await reader.page('acme', { limit: 2, order: 'desc', actor: 'mia@acme.com' });
  assert.deepEqual(
    first.entries.map((e) => e.target),
    ['trait:c', 'trait:b'],
  );
  assert.equal(first.next, first.entries[1]?.id);
  const second = await reader.page('acme', {
    limit: 2,
    order: 'desc',
    actor: 'mia@acme.com',
    before: first.next ?? 0,
  });
  assert.deepEqual(
    second.entries.map((e) => e.target),
    ['trait:a'],
  );
  assert.equal(second.next, null);
  await assert.rejects(reader.page('acme', { limit: 2, before: 0 }), { status: 422, message: /before/ });
});
