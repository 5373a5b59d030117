import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Catalog } from '../../../src/catalog/catalog.ts';
import type { OpenStores } from './store-fixture.ts';
import { withStores } from './store-fixture.ts';

/**
 * What `Catalog` adds to its stores: `close()`, after which every method fails, and which may be called
 * twice.
 *
 * Example: `catalogContract('SQLite (file)', open)`.
 */
export function catalogContract(name: string, open: OpenStores<Catalog>): void {
  void describe(`Catalog contract: ${name}`, () => {
    void it('every method fails after close; closing twice is harmless', async () => {
      await withStores(open, async ({ stores }) => {
        const { tenant, apiKey } = await stores.createTenant('acme');
        await stores.close();
        await stores.close();
        await assert.rejects(stores.listTenants());
        await assert.rejects(stores.authenticateApiKey(apiKey));
        await assert.rejects(stores.listTraits(tenant));
        await assert.rejects(stores.appendAudit(tenant, { actor: 'a', action: 'b', target: 'c' }));
      });
    });
  });
}
