import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogError } from './catalog.ts';
import { optOutDigest, optOutHash, visitorDigest, visitorHash } from './opt-out-hash.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';
import { eachCatalogStore } from './testing/catalog-stores.ts';

function invalid(e: unknown): boolean {
  return e instanceof CatalogError && e.code === 'invalid';
}

void test('visitorHash is the HMAC-SHA-256 of idType NUL id under the key; the NUL keeps type and ID apart', () => {
  const key = Buffer.alloc(32, 7);
  const expected = createHmac('sha256', key).update('cookie\u0000c-123').digest('hex');
  assert.equal(visitorHash(key, 'cookie', 'c-123'), expected);
  assert.notEqual(visitorHash(key, 'cookie', 'c-123'), optOutHash('cookie', 'c-123'));
  assert.notEqual(visitorHash(Buffer.alloc(32, 8), 'cookie', 'c-123'), expected);
  assert.notEqual(visitorHash(key, 'ab', 'c'), visitorHash(key, 'a', 'bc'));
  assert.deepEqual(visitorDigest(key, 'maid', 'x'), Buffer.from(visitorHash(key, 'maid', 'x'), 'hex'));
});

void test('optOutHash (the legacy form) is the SHA-256 of idType NUL id, and the NUL keeps type and ID apart', () => {
  assert.equal(optOutHash('cookie', 'c-123'), createHash('sha256').update('cookie\u0000c-123').digest('hex'));
  assert.match(optOutHash('cookie', 'c-123'), /^[0-9a-f]{64}$/);
  assert.notEqual(optOutHash('ab', 'c'), optOutHash('a', 'bc'));
  assert.deepEqual(optOutDigest('maid', 'x'), Buffer.from(optOutHash('maid', 'x'), 'hex'));
});

void test('addOptOut is idempotent, per ID type, and survives a reopen', async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    await catalog.createTenant('acme');
    assert.equal(await catalog.isOptedOut('acme', 'cookie', 'c-1'), false);
    assert.equal(await catalog.addOptOut('acme', 'cookie', 'c-1'), true);
    assert.equal(await catalog.addOptOut('acme', 'cookie', 'c-1'), false);
    assert.equal(await catalog.addOptOut('acme', 'email_sha256', 'abc'), true);
    assert.equal(await catalog.isOptedOut('acme', 'cookie', 'c-1'), true);
    assert.equal(await catalog.isOptedOut('acme', 'maid', 'c-1'), false);
    assert.equal(await catalog.isOptedOut('acme', 'cookie', 'c-2'), false);
    const again = await reopen();
    assert.equal(await again.isOptedOut('acme', 'cookie', 'c-1'), true);
    const key = (await again.visitorKey('acme'))!;
    assert.deepEqual(await again.listOptOutHashes('acme'), {
      keyed: [visitorHash(key, 'cookie', 'c-1'), visitorHash(key, 'email_sha256', 'abc')].sort(),
      legacy: [],
    });
    assert.equal(await again.addOptOut('acme', 'cookie', 'c-1'), false);
    assert.equal((await again.listOptOutHashes('acme')).keyed.length, 2);
  });
});

void test('opt-outs refuse an empty ID or type and an unknown tenant', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  await catalog.createTenant('acme');
  await assert.rejects(catalog.addOptOut('acme', '', 'c-1'), invalid);
  await assert.rejects(catalog.addOptOut('acme', 'cookie', ''), invalid);
  await assert.rejects(catalog.isOptedOut('acme', 'cookie', ' '), invalid);
  await assert.rejects(
    catalog.addOptOut('ghost', 'cookie', 'c-1'),
    (e: unknown) => e instanceof CatalogError && e.code === 'not_found',
  );
  assert.deepEqual(await catalog.listOptOutHashes('acme'), { keyed: [], legacy: [] });
  await catalog.close();
});

void test('the catalog file holds the hash of an opted-out ID, never the ID itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-optout-'));
  try {
    const file = join(dir, 'catalog.sqlite');
    const needle = 'Needle-Cookie-7f3a9c@example.com';
    const catalog = await openSqliteCatalog(file);
    await catalog.createTenant('acme');
    await catalog.addOptOut('acme', 'email', needle);
    const key = (await catalog.visitorKey('acme'))!;
    const bytes = (): Buffer =>
      Buffer.concat(
        [file, `${file}-wal`, `${file}-journal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)),
      );
    const check = (when: string): void => {
      const all = bytes();
      assert.equal(all.includes(Buffer.from(needle, 'utf8')), false, `ID in clear ${when}`);
      assert.equal(all.includes(Buffer.from(needle, 'utf16le')), false, `ID in UTF-16 ${when}`);
      assert.equal(all.includes(visitorDigest(key, 'email', needle)), true, `keyed hash stored ${when}`);
      assert.equal(all.includes(optOutDigest('email', needle)), false, `no bare SHA-256 ${when}`);
    };
    check('while open');
    await catalog.close();
    check('after close');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
