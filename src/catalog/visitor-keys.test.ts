import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CollectedEvent } from '../core/event.ts';
import { OptOutRegistry } from '../privacy/opt-out-registry.ts';
import { catalogMigrations } from './migrations/catalog-migrations.ts';
import { migrate } from './migrations/migrate.ts';
import { optOutDigest, optOutHash, visitorHash } from './opt-out-hash.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

const at = '2025-06-01T00:00:00.000Z';

function event(uid: string, ids: Record<string, string> = {}): CollectedEvent {
  return { uid, ids, type: 'page_view', ts: 0, utm: {}, signals: {}, geo: {}, device: {} };
}

void test('a catalog from before visitor keys: tenants get keys, bare SHA-256 opt-outs keep working and are re-keyed when seen again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-visitor-keys-'));
  try {
    const file = join(dir, 'catalog.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(
      old,
      catalogMigrations.filter((m) => m.version <= 11),
    );
    old.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('old', 'Old', ?)").run(at);
    const legacy = old.prepare("INSERT INTO opt_outs (tenant, id_sha256, created_at) VALUES ('old', ?, ?)");
    legacy.run(optOutDigest('uid', 'gone-1'), at);
    legacy.run(optOutDigest('maid', 'm-2'), at);
    old.close();

    const catalog = await openSqliteCatalog(file);
    const key = await catalog.visitorKey('old');
    assert.equal(key?.length, 32, 'the migration gave the existing tenant a key');
    assert.deepEqual(await catalog.listOptOutHashes('old'), {
      keyed: [],
      legacy: [optOutHash('uid', 'gone-1'), optOutHash('maid', 'm-2')].sort(),
    });
    assert.equal(await catalog.isOptedOut('old', 'uid', 'gone-1'), true);
    assert.equal(await catalog.isOptedOut('old', 'uid', 'other'), false);

    const registry = new OptOutRegistry(catalog);
    await registry.load('old');
    assert.equal(registry.covers('old', event('gone-1')), true, 'a legacy uid opt-out still refuses');
    assert.equal(registry.covers('old', event('x', { maid: 'm-2' })), true, 'a legacy maid opt-out too');
    assert.equal(registry.covers('old', event('x', { maid: 'm-3' })), false);

    // the same ID opting out again: the ID is known now, so its row is re-keyed (and it was not new)
    assert.equal(await registry.add('old', 'uid', 'gone-1'), false);
    assert.deepEqual(await catalog.listOptOutHashes('old'), {
      keyed: [visitorHash(key, 'uid', 'gone-1')],
      legacy: [optOutHash('maid', 'm-2')],
    });
    assert.equal(registry.covers('old', event('gone-1')), true);
    assert.equal(await registry.add('old', 'uid', 'new-1'), true);
    await catalog.close();

    const again = await openSqliteCatalog(file);
    assert.deepEqual(await again.visitorKey('old'), key, 'the key is kept, not drawn again');
    const reloaded = new OptOutRegistry(again);
    await reloaded.load('old');
    for (const uid of ['gone-1', 'new-1']) assert.equal(reloaded.covers('old', event(uid)), true, uid);
    assert.equal(reloaded.covers('old', event('x', { maid: 'm-2' })), true);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
