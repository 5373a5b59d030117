import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optOutDigest, optOutHash, visitorDigest, visitorHash } from './opt-out-hash.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

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
