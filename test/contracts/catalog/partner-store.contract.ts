import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PartnerStore } from '../../../src/catalog/partner-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { SyncPartner } from '../../../src/core/identity/index.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

const SSP_A: SyncPartner = {
  code: 'ssp_a',
  name: 'SSP A',
  syncUrl: 'https://ssp-a.example/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&redir=${REDIRECT}',
  type: 'redirect',
  vendorId: 755,
  resyncDays: 14,
  idLifetimeDays: 90,
  uidMacro: '$UID',
};
const SSP_B: SyncPartner = {
  code: 'ssp_b',
  name: 'SSP B',
  syncUrl: 'https://ssp-b.example/sync?r=${REDIRECT}',
  type: 'iframe',
  resyncDays: 7,
  idLifetimeDays: 30,
  uidMacro: '[UID]',
};
const T0_ISO = '2026-01-01T00:00:00.000Z';

/**
 * The `PartnerStore` contract: one ID-sync partner per tenant and code, every field kept as given
 * (`vendorId` absent stays absent), replaced whole keeping its code and created time, listed by code,
 * deleted by code; rows it cannot keep are refused alike by every adapter; no tenant sees, changes or
 * deletes another's partner.
 *
 * Example: `partnerStoreContract('SQLite (file)', open)`.
 */
export function partnerStoreContract(name: string, open: OpenStores<TenantStore & PartnerStore>): void {
  void describe(`PartnerStore contract: ${name}`, () => {
    void it('createPartner keeps every field; list is by code; it survives a reopen', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('alpha');
        const input = { ...SSP_B };
        const b = await stores.createPartner('alpha', input);
        input.name = 'changed by the caller';
        assert.deepEqual(b, { ...SSP_B, createdAt: T0_ISO, updatedAt: T0_ISO });
        assert.equal('vendorId' in b, false, 'no vendorId stays no vendorId');
        clock.advance(1000);
        const a = await stores.createPartner('alpha', SSP_A);
        assert.deepEqual(a, {
          ...SSP_A,
          createdAt: '2026-01-01T00:00:01.000Z',
          updatedAt: '2026-01-01T00:00:01.000Z',
        });
        const again = await reopen();
        assert.deepEqual(await again.listPartners('alpha'), [a, b]);
        assert.deepEqual(await again.getPartner('alpha', 'ssp_b'), b);
        assert.equal(await again.getPartner('alpha', 'ssp_c'), undefined);
      });
    });

    void it('a second partner with the same code is a conflict', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createPartner('alpha', SSP_A);
        await assert.rejects(
          stores.createPartner('alpha', { ...SSP_A, name: 'again' }),
          failsWith('conflict', /partner 'ssp_a' already exists/),
        );
        assert.equal((await stores.getPartner('alpha', 'ssp_a'))?.name, 'SSP A');
      });
    });

    void it('updatePartner replaces every field, keeps createdAt, and may drop the vendor', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('alpha');
        await stores.createPartner('alpha', SSP_A);
        clock.advance(5000);
        const { vendorId: _vendorId, ...withoutVendor } = SSP_A;
        const changed: SyncPartner = {
          ...withoutVendor,
          name: 'SSP A (new)',
          syncUrl: 'https://ssp-a.example/v2?r=${REDIRECT}',
          type: 'iframe',
          resyncDays: 3,
          idLifetimeDays: 60,
          uidMacro: '{uid}',
        };
        const updated = await stores.updatePartner('alpha', 'ssp_a', changed);
        const expected = { ...changed, createdAt: T0_ISO, updatedAt: '2026-01-01T00:00:05.000Z' };
        assert.deepEqual(updated, expected);
        assert.equal('vendorId' in updated, false);
        assert.deepEqual(await (await reopen()).getPartner('alpha', 'ssp_a'), expected);
      });
    });

    void it('updatePartner keeps the code and refuses an unknown partner', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createPartner('alpha', SSP_A);
        await assert.rejects(
          stores.updatePartner('alpha', 'ssp_a', { ...SSP_A, code: 'ssp_z' }),
          failsWith('invalid', /keeps its code \('ssp_a'\)/),
        );
        await assert.rejects(
          stores.updatePartner('alpha', 'ssp_b', SSP_B),
          failsWith('not_found', /no partner 'ssp_b'/),
        );
        assert.deepEqual(
          (await stores.listPartners('alpha')).map((p) => p.code),
          ['ssp_a'],
        );
      });
    });

    void it('deletePartner removes it, and a second delete is not_found', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('alpha');
        await stores.createPartner('alpha', SSP_A);
        await stores.createPartner('alpha', SSP_B);
        await stores.deletePartner('alpha', 'ssp_a');
        const again = await reopen();
        assert.deepEqual(
          (await again.listPartners('alpha')).map((p) => p.code),
          ['ssp_b'],
        );
        await assert.rejects(
          again.deletePartner('alpha', 'ssp_a'),
          failsWith('not_found', /no partner 'ssp_a'/),
        );
      });
    });

    void it('rows the store cannot keep are refused as invalid, and nothing is written', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        const bad: [Partial<SyncPartner>, RegExp][] = [
          [{ name: ' ' }, /name must not be empty/],
          [{ syncUrl: '' }, /syncUrl must not be empty/],
          [{ type: 'popup' as 'iframe' }, /type must be 'redirect' or 'iframe'/],
          [{ resyncDays: 0 }, /resyncDays must be an integer >= 1/],
          [{ idLifetimeDays: 1.5 }, /idLifetimeDays must be an integer >= 1/],
          [{ vendorId: -1 }, /vendorId must be an integer >= 1/],
        ];
        for (const [change, message] of bad) {
          await assert.rejects(
            stores.createPartner('alpha', { ...SSP_A, ...change }),
            failsWith('invalid', message),
          );
        }
        assert.deepEqual(await stores.listPartners('alpha'), []);
        await stores.createPartner('alpha', SSP_A);
        await assert.rejects(
          stores.updatePartner('alpha', 'ssp_a', { ...SSP_A, uidMacro: '' }),
          failsWith('invalid', /uidMacro must not be empty/),
        );
        assert.equal((await stores.getPartner('alpha', 'ssp_a'))?.uidMacro, '$UID');
      });
    });

    void it("an unknown tenant is refused, and one tenant never sees, changes or deletes another's partner", async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        await assert.rejects(stores.createPartner('ghost', SSP_A), failsWith('not_found', /ghost/));
        await stores.createPartner('alpha', SSP_A);
        assert.deepEqual(await stores.listPartners('beta'), []);
        assert.equal(await stores.getPartner('beta', 'ssp_a'), undefined);
        await assert.rejects(stores.updatePartner('beta', 'ssp_a', SSP_A), failsWith('not_found'));
        await assert.rejects(stores.deletePartner('beta', 'ssp_a'), failsWith('not_found'));
        const own = await stores.createPartner('beta', { ...SSP_A, name: 'beta own' });
        assert.equal(own.name, 'beta own');
        assert.equal((await stores.getPartner('alpha', 'ssp_a'))?.name, 'SSP A');
        await stores.deletePartner('beta', 'ssp_a');
        assert.ok(await stores.getPartner('alpha', 'ssp_a'), "beta's delete left alpha's partner");
      });
    });
  });
}
