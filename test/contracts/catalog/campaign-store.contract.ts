import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CampaignStore } from '../../../src/catalog/campaign-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `CampaignStore` contract: one campaign per tenant and code, saved whole (created time kept),
 * deleted by code, never seen by another tenant.
 *
 * Example: `campaignStoreContract('memory (fake)', open)`.
 */
export function campaignStoreContract(name: string, open: OpenStores<TenantStore & CampaignStore>): void {
  void describe(`CampaignStore contract: ${name}`, () => {
    void it('saveCampaign creates, then replaces the definition keeping createdAt; list is oldest first', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('alpha');
        await stores.saveCampaign('alpha', 'xmas', { code: 'xmas', v: 1 });
        clock.advance(1000);
        await stores.saveCampaign('alpha', 'easter', { code: 'easter' });
        clock.advance(1000);
        const saved = await stores.saveCampaign('alpha', 'xmas', { code: 'xmas', v: 2 });
        assert.deepEqual(saved, {
          code: 'xmas',
          definition: { code: 'xmas', v: 2 },
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:02.000Z',
        });
        const again = await reopen();
        assert.deepEqual(await again.getCampaign('alpha', 'xmas'), saved);
        assert.deepEqual(
          (await again.listCampaigns('alpha')).map((c) => c.code),
          ['xmas', 'easter'],
        );
        await again.deleteCampaign('alpha', 'xmas');
        assert.equal(await again.getCampaign('alpha', 'xmas'), undefined);
        await assert.rejects(
          again.deleteCampaign('alpha', 'xmas'),
          failsWith('not_found', /no campaign 'xmas'/),
        );
      });
    });

    void it("an unknown tenant is refused, and one tenant never sees or deletes another's campaign", async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        await assert.rejects(stores.saveCampaign('ghost', 'xmas', {}), failsWith('not_found', /ghost/));
        await stores.saveCampaign('alpha', 'xmas', { code: 'xmas' });
        assert.deepEqual(await stores.listCampaigns('beta'), []);
        assert.equal(await stores.getCampaign('beta', 'xmas'), undefined);
        await assert.rejects(stores.deleteCampaign('beta', 'xmas'), failsWith('not_found'));
        assert.ok(await stores.getCampaign('alpha', 'xmas'));
      });
    });
  });
}
