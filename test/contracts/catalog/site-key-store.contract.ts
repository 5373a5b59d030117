import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SiteKeyStore } from '../../../src/catalog/site-key-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `SiteKeyStore` contract: keys made with normalised origins, looked up without a tenant, changed
 * only by their own tenant.
 *
 * Example: `siteKeyStoreContract('memory (fake)', open)`.
 */
export function siteKeyStoreContract(name: string, open: OpenStores<TenantStore & SiteKeyStore>): void {
  void describe(`SiteKeyStore contract: ${name}`, () => {
    void it('createSiteKey stores normalised origins; listSiteKeys and siteKeyInfo read them after a reopen', async () => {
      await withStores(open, async ({ stores, reopen, clock }) => {
        const { siteKey: first } = await stores.createTenant('acme');
        assert.deepEqual(await stores.siteKeyInfo(first), { tenant: 'acme', origins: ['*'] });
        clock.advance(1000);
        const key = await stores.createSiteKey('acme', [
          'HTTPS://Shop.Example.com/',
          'http://localhost:8080',
        ]);
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
      });
    });

    void it('updateSiteKey replaces the origins; an invalid origin changes nothing', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        const { siteKey } = await stores.createTenant('acme');
        const updated = await stores.updateSiteKey('acme', siteKey, [
          'https://a.example',
          'https://a.example:443',
        ]);
        assert.deepEqual(updated, {
          key: siteKey,
          origins: ['https://a.example'],
          createdAt: updated.createdAt,
        });
        await assert.rejects(
          stores.updateSiteKey('acme', siteKey, ['https://b.example/path']),
          failsWith('invalid', /'https:\/\/b\.example\/path'/),
        );
        await assert.rejects(
          stores.updateSiteKey('acme', siteKey, ['*', 'https://b.example']),
          failsWith('invalid', /only one/),
        );
        await assert.rejects(
          stores.updateSiteKey('acme', 'site_nope', ['*']),
          failsWith('not_found', /site key/),
        );
        const again = await reopen();
        assert.deepEqual(await again.siteKeyInfo(siteKey), {
          tenant: 'acme',
          origins: ['https://a.example'],
        });
        await again.updateSiteKey('acme', siteKey, ['*']);
        assert.deepEqual(await again.siteKeyInfo(siteKey), { tenant: 'acme', origins: ['*'] });
      });
    });

    void it('createSiteKey refuses invalid origins and unknown tenants without making a key', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        await assert.rejects(
          stores.createSiteKey('acme', ['https://*.example.com']),
          failsWith('invalid', /\*\.example/),
        );
        await assert.rejects(stores.createSiteKey('acme', []), failsWith('invalid', /non-empty/));
        await assert.rejects(stores.createSiteKey('ghost', ['*']), failsWith('not_found', /ghost/));
        assert.equal((await stores.listSiteKeys('acme')).length, 1);
        assert.deepEqual(await stores.listSiteKeys('ghost'), []);
        assert.equal(await stores.siteKeyInfo('site_nope'), undefined);
        assert.equal(await stores.tenantForSiteKey('site_nope'), undefined);
      });
    });

    void it("one tenant's site key calls never read or change another's keys", async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('a');
        const b = await stores.createTenant('b');
        const bKey = await stores.createSiteKey('b', ['https://b.example']);
        const before = { keys: await stores.listSiteKeys('b'), info: await stores.siteKeyInfo(bKey) };
        assert.equal(
          (await stores.listSiteKeys('a')).some((k) => k.key === bKey || k.key === b.siteKey),
          false,
        );
        await assert.rejects(stores.updateSiteKey('a', bKey, ['*']), failsWith('not_found'));
        await assert.rejects(stores.updateSiteKey('a', b.siteKey, ['*']), failsWith('not_found'));
        const aKey = await stores.createSiteKey('a', ['https://a.example']);
        await stores.updateSiteKey('a', aKey, ['https://a2.example']);
        const again = await reopen();
        assert.deepEqual(
          { keys: await again.listSiteKeys('b'), info: await again.siteKeyInfo(bKey) },
          before,
        );
        assert.equal((await again.siteKeyInfo(aKey))?.tenant, 'a');
        assert.equal((await again.siteKeyInfo(b.siteKey))?.tenant, 'b');
      });
    });
  });
}
