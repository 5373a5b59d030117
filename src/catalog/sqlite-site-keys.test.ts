import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../core/clock.ts';
import { CatalogError } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';
import { eachCatalogStore } from './testing/catalog-stores.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');

function failsWith(code: CatalogError['code'], pattern: RegExp) {
  return (e: unknown): boolean => e instanceof CatalogError && e.code === code && pattern.test(e.message);
}

void test("createTenant's site key allows any origin and tenantForSiteKey still finds it", async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    const { siteKey } = await catalog.createTenant('acme');
    assert.deepEqual(await catalog.siteKeyInfo(siteKey), { tenant: 'acme', origins: ['*'] });
    const again = await reopen();
    assert.equal(await again.tenantForSiteKey(siteKey), 'acme');
    assert.deepEqual(await again.listSiteKeys('acme'), [
      { key: siteKey, origins: ['*'], createdAt: '2026-01-01T00:00:00.000Z' },
    ]);
  }, manualClock(t0));
});

void test('createSiteKey stores normalised origins; listSiteKeys and siteKeyInfo read them after a reopen', async () => {
  const clock = manualClock(t0);
  await eachCatalogStore(async ({ catalog, reopen }) => {
    clock.set(t0);
    const { siteKey: first } = await catalog.createTenant('acme');
    clock.advance(1000);
    const key = await catalog.createSiteKey('acme', ['HTTPS://Shop.Example.com/', 'http://localhost:8080']);
    assert.match(key, /^site_[A-Za-z0-9_-]{24}$/);
    assert.notEqual(key, first);
    const again = await reopen();
    assert.deepEqual(await again.siteKeyInfo(key), {
      tenant: 'acme',
      origins: ['https://shop.example.com', 'http://localhost:8080'],
    });
    assert.equal(await again.tenantForSiteKey(key), 'acme');
    assert.deepEqual(await again.listSiteKeys('acme'), [
      { key: first, origins: ['*'], createdAt: '2026-01-01T00:00:00.000Z' },
      {
        key,
        origins: ['https://shop.example.com', 'http://localhost:8080'],
        createdAt: '2026-01-01T00:00:01.000Z',
      },
    ]);
  }, clock);
});

void test('updateSiteKey replaces the origins; an invalid origin changes nothing', async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    const { siteKey } = await catalog.createTenant('acme');
    const updated = await catalog.updateSiteKey('acme', siteKey, [
      'https://a.example',
      'https://a.example:443',
    ]);
    assert.deepEqual(updated.origins, ['https://a.example']);
    assert.equal(updated.key, siteKey);
    await assert.rejects(
      catalog.updateSiteKey('acme', siteKey, ['https://b.example/path']),
      failsWith('invalid', /'https:\/\/b\.example\/path'/),
    );
    await assert.rejects(
      catalog.updateSiteKey('acme', siteKey, ['*', 'https://b.example']),
      failsWith('invalid', /only one/),
    );
    await assert.rejects(
      catalog.updateSiteKey('acme', 'site_nope', ['*']),
      failsWith('not_found', /site key/),
    );
    const again = await reopen();
    assert.deepEqual(await again.siteKeyInfo(siteKey), { tenant: 'acme', origins: ['https://a.example'] });
    await again.updateSiteKey('acme', siteKey, ['*']);
    assert.deepEqual(await again.siteKeyInfo(siteKey), { tenant: 'acme', origins: ['*'] });
  });
});

void test('createSiteKey refuses invalid origins and unknown tenants without making a key', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  await catalog.createTenant('acme');
  await assert.rejects(
    catalog.createSiteKey('acme', ['https://*.example.com']),
    failsWith('invalid', /\*\.example/),
  );
  await assert.rejects(catalog.createSiteKey('acme', []), failsWith('invalid', /non-empty/));
  await assert.rejects(catalog.createSiteKey('ghost', ['*']), failsWith('not_found', /ghost/));
  assert.equal((await catalog.listSiteKeys('acme')).length, 1);
  assert.equal(await catalog.siteKeyInfo('site_nope'), undefined);
  assert.equal(await catalog.tenantForSiteKey('site_nope'), undefined);
  await catalog.close();
});

void test('authenticateApiKeyId gives the tenant and the public key ID, and refuses what authenticateApiKey refuses', async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    const a = await catalog.createTenant('a');
    const b = await catalog.createTenant('b');
    const again = await reopen();
    const aId = a.apiKey.split('_')[1] ?? '';
    const bSecret = b.apiKey.split('_').slice(2).join('_');
    assert.deepEqual(await again.authenticateApiKeyId(a.apiKey), { tenant: 'a', keyId: aId });
    assert.equal((await again.authenticateApiKeyId(b.apiKey))?.tenant, 'b');
    for (const wrong of [`dmp_${aId}_${bSecret}`, `dmp_ffffffffffffffff_${bSecret}`, 'nonsense', '']) {
      assert.equal(await again.authenticateApiKeyId(wrong), undefined, wrong);
      assert.equal(await again.authenticateApiKey(wrong), undefined, wrong);
    }
  });
});
