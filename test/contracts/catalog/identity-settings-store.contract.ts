import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdentitySettingsStore } from '../../../src/catalog/identity-settings-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `IdentitySettingsStore` contract: none until saved, one document per tenant replaced whole (its
 * `null` eids sources kept), `updatedAt` from the clock, kept across a restart, never seen by another
 * tenant, and never changed through an object a caller holds.
 *
 * Example: `identitySettingsStoreContract('memory (fake)', open)`.
 */
export function identitySettingsStoreContract(
  name: string,
  open: OpenStores<TenantStore & IdentitySettingsStore>,
): void {
  void describe(`IdentitySettingsStore contract: ${name}`, () => {
    void it('none until saved; a save replaces the whole document and is kept across a restart', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('alpha');
        assert.equal(await stores.getIdentitySettings('alpha'), undefined);
        const first = await stores.saveIdentitySettings('alpha', {
          eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null },
          idLifetimeDays: { maid: 90, ssp_a: 30 },
          idCaps: { uid: 20 },
        });
        assert.deepEqual(first, {
          eidsSources: { 'liveramp.com': 'ramp_id', 'adserver.org': null },
          idLifetimeDays: { maid: 90, ssp_a: 30 },
          idCaps: { uid: 20 },
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
        clock.advance(5000);
        const second = await stores.saveIdentitySettings('alpha', {
          eidsSources: {},
          idLifetimeDays: { crm: 365 },
          idCaps: {},
        });
        assert.deepEqual(second, {
          eidsSources: {},
          idLifetimeDays: { crm: 365 },
          idCaps: {},
          updatedAt: '2026-01-01T00:00:05.000Z',
        });
        const again = await reopen();
        assert.deepEqual(await again.getIdentitySettings('alpha'), second);
      });
    });

    void it("an unknown tenant is refused, and one tenant never sees another's settings", async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        const settings = { eidsSources: { 'id5-sync.com': null }, idLifetimeDays: {}, idCaps: { maid: 2 } };
        await assert.rejects(stores.saveIdentitySettings('ghost', settings), failsWith('not_found', /ghost/));
        assert.equal(await stores.getIdentitySettings('ghost'), undefined);
        await stores.saveIdentitySettings('alpha', settings);
        assert.equal(await stores.getIdentitySettings('beta'), undefined);
        assert.deepEqual((await stores.getIdentitySettings('alpha'))?.idCaps, { maid: 2 });
      });
    });

    void it('changing an object passed in or handed out changes nothing stored', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        const settings = { eidsSources: { 'liveramp.com': 'ramp_id' }, idLifetimeDays: {}, idCaps: {} };
        const saved = await stores.saveIdentitySettings('alpha', settings);
        settings.eidsSources['liveramp.com'] = 'changed';
        saved.idCaps.uid = 1;
        const read = await stores.getIdentitySettings('alpha');
        assert.ok(read);
        assert.deepEqual(read.eidsSources, { 'liveramp.com': 'ramp_id' });
        read.idLifetimeDays.maid = 1;
        assert.deepEqual(await stores.getIdentitySettings('alpha'), {
          eidsSources: { 'liveramp.com': 'ramp_id' },
          idLifetimeDays: {},
          idCaps: {},
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
      });
    });
  });
}
