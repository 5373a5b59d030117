import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateApiKey, generateSiteKey, parseApiKey, secretMatches } from './api-key.ts';

void test('generateApiKey makes dmp_<16 hex>_<43 base64url> and stores only the sha256 of the secret', () => {
  const made = generateApiKey();
  assert.match(made.key, /^dmp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  const parts = parseApiKey(made.key);
  assert.ok(parts);
  assert.equal(parts.id, made.id);
  assert.deepEqual(made.secretSha256, createHash('sha256').update(parts.secret).digest());
  assert.equal(made.lastFour, parts.secret.slice(-4));
});

void test('generateApiKey and generateSiteKey never repeat', () => {
  const keys = new Set(Array.from({ length: 500 }, () => generateApiKey().key));
  const sites = new Set(Array.from({ length: 500 }, () => generateSiteKey()));
  assert.equal(keys.size, 500);
  assert.equal(sites.size, 500);
  for (const site of sites) assert.match(site, /^site_[A-Za-z0-9_-]{24}$/);
});

void test('parseApiKey keeps an underscore inside the secret', () => {
  const key = `dmp_0123456789abcdef_${'_'.repeat(43)}`;
  assert.deepEqual(parseApiKey(key), { id: '0123456789abcdef', secret: '_'.repeat(43) });
});

void test('parseApiKey returns undefined for malformed keys without throwing', () => {
  const good = generateApiKey().key;
  const bad: unknown[] = [
    '',
    'dmp_',
    'nonsense',
    good.slice(0, -1),
    `${good}x`,
    good.replace('dmp_', 'dmq_'),
    good.toUpperCase(),
    `dmp_0123456789ABCDEF_${'a'.repeat(43)}`,
    `dmp_0123456789abcde_${'a'.repeat(43)}`,
    `dmp_0123456789abcdef_${'a'.repeat(42)}=`,
    ` ${good}`,
    undefined,
    null,
    42,
    { key: good },
  ];
  for (const key of bad) assert.equal(parseApiKey(key), undefined, String(key));
});

void test('secretMatches accepts only the secret that was hashed', () => {
  const made = generateApiKey();
  const parts = parseApiKey(made.key);
  assert.ok(parts);
  assert.equal(secretMatches(parts.secret, made.secretSha256), true);
  const other = `${parts.secret.slice(0, -1)}${parts.secret.endsWith('A') ? 'B' : 'A'}`;
  assert.equal(secretMatches(other, made.secretSha256), false);
  assert.equal(secretMatches(parts.secret, Buffer.alloc(32)), false);
  assert.equal(secretMatches(parts.secret, Buffer.alloc(16)), false);
});
