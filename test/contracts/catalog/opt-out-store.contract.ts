import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visitorHash } from '../../../src/catalog/opt-out-hash.ts';
import type { OptOutStore } from '../../../src/catalog/opt-out-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `OptOutStore` contract: opt-outs idempotent per ID type, kept as the tenant's keyed hash only,
 * and never shared between tenants.
 *
 * Example: `optOutStoreContract('SQLite (file)', open)`.
 */
export function optOutStoreContract(name: string, open: OpenStores<TenantStore & OptOutStore>): void {
  void describe(`OptOutStore contract: ${name}`, () => {
    void it('addOptOut is idempotent, per ID type, kept as the keyed hash, and survives a reopen', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('acme');
        assert.equal(await stores.isOptedOut('acme', 'cookie', 'c-1'), false);
        assert.equal(await stores.addOptOut('acme', 'cookie', 'c-1'), true);
        assert.equal(await stores.addOptOut('acme', 'cookie', 'c-1'), false);
        assert.equal(await stores.addOptOut('acme', 'email_sha256', 'abc'), true);
        assert.equal(await stores.isOptedOut('acme', 'cookie', 'c-1'), true);
        assert.equal(await stores.isOptedOut('acme', 'maid', 'c-1'), false);
        assert.equal(await stores.isOptedOut('acme', 'cookie', 'c-2'), false);
        const again = await reopen();
        assert.equal(await again.isOptedOut('acme', 'cookie', 'c-1'), true);
        const key = await again.visitorKey('acme');
        assert.ok(key);
        assert.deepEqual(await again.listOptOutHashes('acme'), {
          keyed: [visitorHash(key, 'cookie', 'c-1'), visitorHash(key, 'email_sha256', 'abc')].sort(),
          legacy: [],
        });
        assert.equal(await again.addOptOut('acme', 'cookie', 'c-1'), false);
        assert.equal((await again.listOptOutHashes('acme')).keyed.length, 2);
      });
    });

    void it('opt-outs refuse an empty ID or type and an unknown tenant', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        await assert.rejects(stores.addOptOut('acme', '', 'c-1'), failsWith('invalid', /idType/));
        await assert.rejects(stores.addOptOut('acme', 'cookie', ''), failsWith('invalid', /id/));
        await assert.rejects(stores.isOptedOut('acme', 'cookie', ' '), failsWith('invalid', /id/));
        await assert.rejects(stores.addOptOut('ghost', 'cookie', 'c-1'), failsWith('not_found', /ghost/));
        assert.equal(await stores.isOptedOut('ghost', 'cookie', 'c-1'), false);
        assert.deepEqual(await stores.listOptOutHashes('acme'), { keyed: [], legacy: [] });
        assert.deepEqual(await stores.listOptOutHashes('ghost'), { keyed: [], legacy: [] });
      });
    });

    void it("one tenant's opt-outs never cover another's visitors; the same ID hashes differently in each", async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('a');
        await stores.createTenant('b');
        await stores.addOptOut('b', 'cookie', 'b-only');
        await stores.addOptOut('b', 'uid', 'same');
        const before = await stores.listOptOutHashes('b');
        assert.equal(await stores.isOptedOut('a', 'cookie', 'b-only'), false);
        assert.deepEqual(await stores.listOptOutHashes('a'), { keyed: [], legacy: [] });
        assert.equal(await stores.addOptOut('a', 'cookie', 'b-only'), true, 'new in A although B has it');
        await stores.addOptOut('a', 'uid', 'same');
        await stores.addOptOut('a', 'cookie', 'a-only');
        const again = await reopen();
        assert.deepEqual(await again.listOptOutHashes('b'), before);
        assert.equal(await again.isOptedOut('b', 'cookie', 'a-only'), false);
        const [ha, hb] = [await again.listOptOutHashes('a'), await again.listOptOutHashes('b')];
        assert.equal(
          ha.keyed.some((h) => hb.keyed.includes(h)),
          false,
          'the same ID hashes differently in two tenants',
        );
      });
    });
  });
}
