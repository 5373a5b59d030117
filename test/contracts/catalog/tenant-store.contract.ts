import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSourceStore } from '../../../src/catalog/data-source-store.ts';
import type { OptOutStore } from '../../../src/catalog/opt-out-store.ts';
import type { SiteKeyStore } from '../../../src/catalog/site-key-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/** What `createTenant` writes to: the tenant store and the stores its new tenant starts with rows in. */
export type TenantStores = TenantStore & SiteKeyStore & DataSourceStore & OptOutStore;

/**
 * The `TenantStore` contract: tenant IDs, API keys (made, hashed, checked), creation order, and what
 * a new tenant starts with in the other stores.
 *
 * Example: `tenantStoreContract('SQLite (file)', open)`.
 */
export function tenantStoreContract(name: string, open: OpenStores<TenantStores>): void {
  void describe(`TenantStore contract: ${name}`, () => {
    void it('createTenant uses a slug name as the ID and gives a working API key and site key, kept across a reopen', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        const created = await stores.createTenant('acme');
        assert.equal(created.tenant, 'acme');
        assert.match(created.apiKey, /^dmp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
        assert.match(created.siteKey, /^site_[A-Za-z0-9_-]{24}$/);
        const again = await reopen();
        assert.deepEqual(await again.getTenant('acme'), {
          id: 'acme',
          name: 'acme',
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        assert.equal(await again.authenticateApiKey(created.apiKey), 'acme');
        assert.equal(await again.tenantForSiteKey(created.siteKey), 'acme');
      });
    });

    void it('createTenant derives slug-plus-suffix IDs for other names and for a taken slug; a blank name is invalid', async () => {
      await withStores(open, async ({ stores }) => {
        const first = await stores.createTenant('acme');
        const second = await stores.createTenant('acme');
        const named = await stores.createTenant('  Acme Ltd ');
        assert.equal(first.tenant, 'acme');
        assert.match(second.tenant, /^acme-[a-z2-9]{6}$/);
        assert.match(named.tenant, /^acme-ltd-[a-z2-9]{6}$/);
        assert.equal((await stores.getTenant(named.tenant))?.name, 'Acme Ltd');
        const ids = (await stores.listTenants()).map((t) => t.id);
        assert.deepEqual(ids.sort(), [first.tenant, second.tenant, named.tenant].sort());
        assert.equal(await stores.authenticateApiKey(second.apiKey), second.tenant);
        await assert.rejects(stores.createTenant('   '), failsWith('invalid', /name/));
        assert.equal((await stores.listTenants()).length, 3);
      });
    });

    void it('listTenants is in creation order; getTenant of an unknown ID is undefined', async () => {
      await withStores(open, async ({ stores, clock }) => {
        await stores.createTenant('zeta');
        clock.advance(1000);
        await stores.createTenant('alpha');
        assert.deepEqual(
          (await stores.listTenants()).map((t) => [t.id, t.createdAt]),
          [
            ['zeta', '2026-01-01T00:00:00.000Z'],
            ['alpha', '2026-01-01T00:00:01.000Z'],
          ],
        );
        assert.equal(await stores.getTenant('nobody'), undefined);
      });
    });

    void it('authenticateApiKey refuses a wrong secret with the right key ID, and malformed keys', async () => {
      await withStores(open, async ({ stores }) => {
        const { apiKey, siteKey } = await stores.createTenant('acme');
        const last = apiKey.at(-1) === 'A' ? 'B' : 'A';
        assert.equal(await stores.authenticateApiKey(`${apiKey.slice(0, -1)}${last}`), undefined);
        const unknownId = apiKey.replace(/^dmp_[0-9a-f]{16}/, 'dmp_0000000000000000');
        assert.equal(await stores.authenticateApiKey(unknownId), undefined);
        for (const bad of ['', 'dmp_', apiKey.slice(0, 30), `${apiKey} `, siteKey, 'Bearer x']) {
          assert.equal(await stores.authenticateApiKey(bad), undefined, bad);
        }
        assert.equal(await stores.tenantForSiteKey('site_nope'), undefined);
        assert.equal(await stores.tenantForSiteKey(apiKey), undefined);
      });
    });

    void it('authenticateApiKeyId gives the tenant and the public key ID, and refuses what authenticateApiKey refuses', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        const a = await stores.createTenant('a');
        const b = await stores.createTenant('b');
        const again = await reopen();
        const aId = a.apiKey.split('_')[1] ?? '';
        const bSecret = b.apiKey.split('_').slice(2).join('_');
        assert.deepEqual(await again.authenticateApiKeyId(a.apiKey), { tenant: 'a', keyId: aId });
        assert.equal((await again.authenticateApiKeyId(b.apiKey))?.tenant, 'b');
        // A's key ID with B's secret is neither tenant
        for (const wrong of [`dmp_${aId}_${bSecret}`, `dmp_ffffffffffffffff_${bSecret}`, 'nonsense', '']) {
          assert.equal(await again.authenticateApiKeyId(wrong), undefined, wrong);
          assert.equal(await again.authenticateApiKey(wrong), undefined, wrong);
        }
      });
    });

    void it('a new tenant starts with the three party data sources, a site key for any origin and its own visitor key', async () => {
      await withStores(open, async ({ stores }) => {
        const { siteKey } = await stores.createTenant('a');
        await stores.createTenant('b');
        assert.deepEqual(
          (await stores.listDataSources('a')).map((s) => [s.code, s.name, s.party, s.labels, s.createdAt]),
          [
            ['first-party', 'First party', 'first', [], '2026-01-01T00:00:00.000Z'],
            ['second-party', 'Second party', 'second', [], '2026-01-01T00:00:00.000Z'],
            ['third-party', 'Third party', 'third', [], '2026-01-01T00:00:00.000Z'],
          ],
        );
        assert.deepEqual(await stores.listSiteKeys('a'), [
          { key: siteKey, origins: ['*'], createdAt: '2026-01-01T00:00:00.000Z' },
        ]);
        const keyA = await stores.visitorKey('a');
        const keyB = await stores.visitorKey('b');
        assert.equal(keyA?.length, 32);
        assert.equal(keyB?.length, 32);
        assert.notDeepEqual(keyA, keyB);
        assert.deepEqual(await stores.visitorKey('a'), keyA, 'the key is kept, not drawn again');
        assert.equal(await stores.visitorKey('ghost'), undefined);
        const shown = JSON.stringify([await stores.getTenant('a'), await stores.listTenants()]);
        assert.ok(!shown.includes(keyA.toString('hex')) && !shown.includes(keyA.toString('base64')));
      });
    });
  });
}
