import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DestinationStore } from '../../../src/catalog/destination-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `DestinationStore` contract: one destination per tenant and code, saved whole (created time kept),
 * deleted by code, never seen by another tenant.
 *
 * Example: `destinationStoreContract('SQLite (file)', open)`.
 */
export function destinationStoreContract(
  name: string,
  open: OpenStores<TenantStore & DestinationStore>,
): void {
  void describe(`DestinationStore contract: ${name}`, () => {
    void it('saveDestination creates, then replaces kind and definition keeping createdAt; list is oldest first', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('alpha');
        const definition = { code: 'ttd', v: 1, tags: ['a'] };
        const first = await stores.saveDestination('alpha', 'ttd', 'http', definition);
        definition.tags.push('changed by the caller');
        assert.deepEqual(first, {
          code: 'ttd',
          kind: 'http',
          definition: { code: 'ttd', v: 1, tags: ['a'] },
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
        clock.advance(1000);
        await stores.saveDestination('alpha', 'file', 'file', { code: 'file' });
        clock.advance(1000);
        const second = await stores.saveDestination('alpha', 'ttd', 'sftp', { code: 'ttd', v: 2 });
        assert.deepEqual(second, {
          code: 'ttd',
          kind: 'sftp',
          definition: { code: 'ttd', v: 2 },
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:02.000Z',
        });
        const again = await reopen();
        assert.deepEqual(await again.getDestination('alpha', 'ttd'), second);
        assert.deepEqual(
          (await again.listDestinations('alpha')).map((d) => d.code),
          ['ttd', 'file'],
        );
        await again.deleteDestination('alpha', 'ttd');
        assert.equal(await again.getDestination('alpha', 'ttd'), undefined);
        await assert.rejects(
          again.deleteDestination('alpha', 'ttd'),
          failsWith('not_found', /no destination 'ttd'/),
        );
      });
    });

    void it("an unknown tenant is refused, and one tenant never sees or deletes another's destination", async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        await assert.rejects(
          stores.saveDestination('ghost', 'ttd', 'http', {}),
          failsWith('not_found', /ghost/),
        );
        await stores.saveDestination('alpha', 'ttd', 'http', { code: 'ttd' });
        assert.equal(await stores.getDestination('beta', 'ttd'), undefined);
        assert.deepEqual(await stores.listDestinations('beta'), []);
        await assert.rejects(
          stores.deleteDestination('beta', 'ttd'),
          failsWith('not_found', /no destination/),
        );
        await stores.saveDestination('beta', 'ttd', 'file', { code: 'beta' });
        assert.deepEqual((await stores.getDestination('alpha', 'ttd'))?.definition, { code: 'ttd' });
      });
    });
  });
}
