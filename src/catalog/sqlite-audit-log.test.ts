import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Catalog } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

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
