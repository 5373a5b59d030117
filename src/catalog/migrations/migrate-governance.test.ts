import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteCatalog } from '../sqlite-catalog.ts';
import { catalogMigrations } from './catalog-migrations.ts';
import { migrate } from './migrate.ts';

const at = '2025-06-01T00:00:00.000Z';

void test('a catalog at schema 3 is upgraded with no labels, site keys open to any origin, and works', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-migrate-gov-'));
  try {
    const file = join(dir, 'catalog.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(
      old,
      catalogMigrations.filter((m) => m.version <= 3),
    );
    old.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('old', 'Old', ?)").run(at);
    old.prepare("INSERT INTO site_keys (key, tenant, created_at) VALUES ('site_old', 'old', ?)").run(at);
    const source = old.prepare(
      "INSERT INTO data_sources (tenant, code, name, party, created_at) VALUES ('old', ?, ?, ?, ?)",
    );
    source.run('first-party', 'First party', 'first', at);
    source.run('feed', 'Feed', 'third', at);
    old
      .prepare(
        `INSERT INTO traits (tenant, code, name, kind, rule, rule_json, source, created_at, updated_at)
         VALUES ('old', 't', 'T', 'rule', 'r', 'null', 'feed', ?, ?)`,
      )
      .run(at, at);
    assert.equal(old.prepare("SELECT name FROM sqlite_master WHERE name = 'audit_log'").get(), undefined);
    old.close();

    const catalog = await openSqliteCatalog(file);
    assert.deepEqual(await catalog.getDataSource('old', 'feed'), {
      id: 2,
      code: 'feed',
      name: 'Feed',
      party: 'third',
      labels: [],
      createdAt: at,
    });
    assert.deepEqual(await catalog.siteKeyInfo('site_old'), { tenant: 'old', origins: ['*'] });
    assert.equal(await catalog.tenantForSiteKey('site_old'), 'old');
    assert.equal(
      (await catalog.updateDataSource('old', 'feed', { labels: ['no-modeling'] })).labels[0],
      'no-modeling',
    );
    await assert.rejects(catalog.deleteDataSource('old', 'feed'), /used by traits t/);
    assert.equal((await catalog.appendAudit('old', { actor: 'x', action: 'y', target: 'z' })).id, 1);
    assert.equal(await catalog.addOptOut('old', 'cookie', 'c'), true);
    await catalog.close();

    const reopened = new Database(file, { readonly: true });
    const versions = reopened
      .prepare<[], { version: number; name: string }>(
        'SELECT version, name FROM schema_migrations ORDER BY version',
      )
      .all();
    assert.deepEqual(
      versions.map((v) => [v.version, v.name]),
      catalogMigrations.map((m) => [m.version, m.name]),
    );
    assert.deepEqual(
      versions.slice(3, 7).map((v) => v.name),
      ['data-source-labels', 'audit-log', 'opt-outs', 'site-key-origins'],
    );
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
