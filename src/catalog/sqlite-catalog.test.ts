import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteCatalog } from './sqlite-catalog.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-catalog-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fileBytes(file: string): Buffer {
  const parts = [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  return Buffer.concat(parts);
}

void test('the file is in WAL mode with foreign keys enforced', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openSqliteCatalog(file);
    await catalog.close();
    const db = new Database(file);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });
});

void test('the raw API key secret is nowhere in the database file; its sha256 is', async () => {
  await withDir(async (dir) => {
    const file = join(dir, 'catalog.sqlite');
    const catalog = await openSqliteCatalog(file);
    const { apiKey, siteKey } = await catalog.createTenant('acme');
    const secret = apiKey.split('_').slice(2).join('_');
    const bytesOpen = fileBytes(file);
    await catalog.close();
    const bytesClosed = fileBytes(file);
    for (const bytes of [bytesOpen, bytesClosed]) {
      // control: what is stored in clear is found, so the search would find the secret if it were there
      assert.ok(bytes.includes(siteKey), 'site key found in the file');
      assert.ok(bytes.includes(apiKey.split('_')[1] ?? '-'), 'key ID found in the file');
      assert.equal(bytes.includes(secret), false, 'secret absent');
      assert.equal(bytes.includes(secret.slice(0, 16)), false, 'no long piece of the secret');
      assert.equal(bytes.includes(apiKey), false, 'whole key absent');
    }
    const db = new Database(file, { readonly: true });
    const row = db
      .prepare<[], { h: Buffer; l: string; s: string }>(
        'SELECT secret_sha256 AS h, last_four AS l, scopes AS s FROM api_keys',
      )
      .get();
    db.close();
    assert.deepEqual(row?.h, createHash('sha256').update(secret).digest());
    assert.equal(row?.l, secret.slice(-4));
    assert.equal(row?.s, 'admin');
  });
});
