import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteCatalog } from '../sqlite-catalog.ts';
import { catalogMigrations } from './catalog-migrations.ts';
import { migrate } from './migrate.ts';

function versions(db: Database.Database): number[] {
  return db
    .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    .all()
    .map((r) => r.version);
}

void test('migrations are numbered 1, 2, 3, ... without gaps', () => {
  assert.deepEqual(
    catalogMigrations.map((m) => m.version),
    catalogMigrations.map((_, i) => i + 1),
  );
});

void test('migrate applies every step to an empty database, then nothing on the second run', () => {
  const db = new Database(':memory:');
  const all = catalogMigrations.map((m) => m.version);
  assert.deepEqual(migrate(db, catalogMigrations), { from: 0, to: all.length, applied: all });
  assert.deepEqual(versions(db), all);
  assert.deepEqual(migrate(db, catalogMigrations), { from: all.length, to: all.length, applied: [] });
  db.close();
});

void test('a database at migration 1 is upgraded when the catalog opens it, keeping its data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-migrate-'));
  try {
    const file = join(dir, 'catalog.sqlite');
    const old = new Database(file);
    migrate(old, catalogMigrations.slice(0, 1));
    old
      .prepare("INSERT INTO tenants (id, name, created_at) VALUES ('old', 'Old', '2025-01-01T00:00:00.000Z')")
      .run();
    old
      .prepare(
        "INSERT INTO data_sources (tenant, code, name, party, created_at) VALUES ('old', 'first-party', 'First party', 'first', '2025-01-01T00:00:00.000Z')",
      )
      .run();
    assert.deepEqual(versions(old), [1]);
    assert.equal(old.prepare("SELECT name FROM sqlite_master WHERE name = 'traits'").get(), undefined);
    old.close();

    const catalog = await openSqliteCatalog(file);
    assert.deepEqual(await catalog.getTenant('old'), {
      id: 'old',
      name: 'Old',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const trait = await catalog.createTrait('old', { code: 't', name: 'T', rule: 'r', ruleJson: null }, 5);
    assert.equal(trait.source, 'first-party');
    const segment = await catalog.createSegment('old', { code: 's', name: 'S', rule: 'r', ruleJson: null });
    assert.equal(segment.code, 's');
    await catalog.close();

    const reopened = new Database(file, { readonly: true });
    assert.deepEqual(
      versions(reopened),
      catalogMigrations.map((m) => m.version),
    );
    reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('migrate refuses a database newer than the code and leaves it untouched', () => {
  const db = new Database(':memory:');
  migrate(db, catalogMigrations);
  assert.throws(() => migrate(db, catalogMigrations.slice(0, 1)), /newer than this program/);
  assert.deepEqual(
    versions(db),
    catalogMigrations.map((m) => m.version),
  );
  db.close();
});

void test('a failing step rolls back every step of the same run', () => {
  const db = new Database(':memory:');
  const broken = [
    ...catalogMigrations.slice(0, 1),
    { version: 2, name: 'broken', sql: 'CREATE TABLE x (; nonsense' },
  ];
  assert.throws(() => migrate(db, broken));
  assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'tenants'").get(), undefined);
  db.close();
});

void test('the schema itself refuses a trait whose source belongs to another tenant', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, catalogMigrations);
  const at = '2026-01-01T00:00:00.000Z';
  db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run('a', 'A', at);
  db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run('b', 'B', at);
  const source = db.prepare(
    "INSERT INTO data_sources (tenant, code, name, party, created_at) VALUES (?, ?, 'S', 'first', ?)",
  );
  source.run('a', 'mine', at);
  source.run('b', 'theirs', at);
  const trait = db.prepare(
    `INSERT INTO traits (tenant, code, name, kind, rule, rule_json, source, created_at, updated_at)
     VALUES (?, 't', 'T', 'rule', 'r', 'null', ?, ?, ?)`,
  );
  trait.run('a', 'mine', at, at);
  assert.throws(() => trait.run('b', 'mine', at, at), /FOREIGN KEY/);
  db.close();
});
