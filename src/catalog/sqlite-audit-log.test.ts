import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { manualClock } from '../core/clock.ts';
import type { Catalog } from './catalog.ts';
import { CatalogError } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';
import { eachCatalogStore } from './testing/catalog-stores.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');

function failsWith(code: CatalogError['code'], pattern: RegExp) {
  return (e: unknown): boolean => e instanceof CatalogError && e.code === code && pattern.test(e.message);
}

async function appendSome(catalog: Catalog, tenant: string): Promise<void> {
  const entries = [
    { action: 'trait.create', target: 'trait:a', after: { code: 'a' } },
    { action: 'trait.update', target: 'trait:a', before: { code: 'a' }, after: { code: 'a', name: 'A' } },
    { action: 'segment.create', target: 'segment:s', after: { code: 's' } },
    { action: 'trait.update', target: 'trait:b', before: null, after: [1, 'two'] },
    { action: 'optout.add', target: 'optout' },
  ];
  for (const entry of entries) await catalog.appendAudit(tenant, { actor: 'key:0123456789abcdef', ...entry });
}

void test('appendAudit numbers entries per tenant and keeps before/after as JSON, also after a reopen', async () => {
  const clock = manualClock(t0);
  await eachCatalogStore(async ({ catalog, reopen }) => {
    clock.set(t0);
    await catalog.createTenant('acme');
    const first = await catalog.appendAudit('acme', {
      actor: 'key:0123456789abcdef',
      action: 'trait.update',
      target: 'trait:pricing',
      before: { rule: 'old', lifetimeDays: 30 },
      after: { rule: 'new', lifetimeDays: 60, tags: ['x', null] },
    });
    assert.deepEqual(first, {
      id: 1,
      at: '2026-01-01T00:00:00.000Z',
      actor: 'key:0123456789abcdef',
      action: 'trait.update',
      target: 'trait:pricing',
      before: { rule: 'old', lifetimeDays: 30 },
      after: { rule: 'new', lifetimeDays: 60, tags: ['x', null] },
    });
    clock.advance(1000);
    const second = await catalog.appendAudit('acme', {
      actor: 'cli',
      action: 'tenant.create',
      target: 'tenant:acme',
    });
    assert.deepEqual(second, {
      id: 2,
      at: '2026-01-01T00:00:01.000Z',
      actor: 'cli',
      action: 'tenant.create',
      target: 'tenant:acme',
    });
    const nulls = await catalog.appendAudit('acme', { actor: 'a', action: 'b', target: 'c', before: null });
    assert.equal(nulls.before, null);
    assert.equal('after' in nulls, false);
    const again = await reopen();
    assert.deepEqual(await again.listAudit('acme', { limit: 10 }), [first, second, nulls]);
    const third = await again.appendAudit('acme', { actor: 'a', action: 'b', target: 'c' });
    assert.equal(third.id, 4);
  }, clock);
});

void test('listAudit pages by id cursor and filters by action and target', async () => {
  await eachCatalogStore(async ({ catalog }) => {
    await catalog.createTenant('acme');
    await appendSome(catalog, 'acme');
    const ids = async (query: Parameters<Catalog['listAudit']>[1]): Promise<number[]> =>
      (await catalog.listAudit('acme', query)).map((e) => e.id);
    assert.deepEqual(await ids({ limit: 2 }), [1, 2]);
    assert.deepEqual(await ids({ after: 2, limit: 2 }), [3, 4]);
    assert.deepEqual(await ids({ after: 4, limit: 2 }), [5]);
    assert.deepEqual(await ids({ after: 5, limit: 2 }), []);
    assert.deepEqual(await ids({ limit: 10, action: 'trait.update' }), [2, 4]);
    assert.deepEqual(await ids({ limit: 10, target: 'trait:a' }), [1, 2]);
    assert.deepEqual(await ids({ limit: 10, action: 'trait.update', target: 'trait:a' }), [2]);
    assert.deepEqual(await ids({ after: 2, limit: 10, action: 'trait.update' }), [4]);
    assert.deepEqual(await ids({ limit: 10, action: 'nothing' }), []);
  });
});

void test('appendAudit and listAudit refuse bad input without writing', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  await catalog.createTenant('acme');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  await assert.rejects(
    catalog.appendAudit('acme', { actor: 'a', action: 'x', target: 't', after: cyclic }),
    failsWith('invalid', /after must be JSON-serialisable/),
  );
  await assert.rejects(
    catalog.appendAudit('acme', { actor: 'a', action: 'x', target: 't', before: 10n }),
    failsWith('invalid', /before must be JSON-serialisable/),
  );
  await assert.rejects(
    catalog.appendAudit('acme', { actor: 'a', action: 'x', target: 't', before: () => 1 }),
    failsWith('invalid', /before/),
  );
  await assert.rejects(
    catalog.appendAudit('acme', { actor: '', action: 'x', target: 't' }),
    failsWith('invalid', /actor/),
  );
  await assert.rejects(
    catalog.appendAudit('acme', { actor: 'a', action: ' ', target: 't' }),
    failsWith('invalid', /action/),
  );
  await assert.rejects(
    catalog.appendAudit('acme', { actor: 'a', action: 'x', target: '' }),
    failsWith('invalid', /target/),
  );
  await assert.rejects(
    catalog.appendAudit('ghost', { actor: 'a', action: 'x', target: 't' }),
    failsWith('not_found', /ghost/),
  );
  assert.deepEqual(await catalog.listAudit('acme', { limit: 10 }), []);
  await assert.rejects(catalog.listAudit('acme', { limit: 0 }), failsWith('invalid', /limit/));
  await assert.rejects(catalog.listAudit('acme', { limit: 1001 }), failsWith('invalid', /at most 1000/));
  await assert.rejects(catalog.listAudit('acme', { limit: 1.5 }), failsWith('invalid', /limit/));
  await assert.rejects(catalog.listAudit('acme', { after: -1, limit: 5 }), failsWith('invalid', /after/));
  await catalog.close();
});

void test('the audit table refuses raw UPDATE and DELETE, even from another connection to the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-audit-'));
  try {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openSqliteCatalog(file);
    await catalog.createTenant('acme');
    await appendSome(catalog, 'acme');
    const before = await catalog.listAudit('acme', { limit: 100 });
    const raw = new Database(file);
    const refused = /audit_log is append-only/;
    assert.throws(() => raw.prepare("UPDATE audit_log SET actor = 'someone else'").run(), refused);
    assert.throws(() => raw.prepare('UPDATE audit_log SET after_json = NULL WHERE id = 1').run(), refused);
    assert.throws(() => raw.prepare('DELETE FROM audit_log WHERE id = 2').run(), refused);
    assert.throws(() => raw.prepare('DELETE FROM audit_log').run(), refused);
    assert.throws(
      () =>
        raw
          .prepare(
            "INSERT OR REPLACE INTO audit_log (tenant, id, at, actor, action, target) VALUES ('acme', 1, 'x', 'x', 'x', 'x')",
          )
          .run(),
      refused,
    );
    raw.close();
    assert.deepEqual(await catalog.listAudit('acme', { limit: 100 }), before);
    assert.equal(before.length, 5);
    await catalog.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
