import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { Audit } from '../governance/audit.ts';
import { PartnerCache } from './partner-cache.ts';
import { PartnerService } from './partner-service.ts';

const SSP_A = {
  code: 'ssp_a',
  name: 'SSP A',
  type: 'redirect',
  syncUrl: 'https://a.example/s?r=${REDIRECT}',
};

void describe('PartnerCache', () => {
  void it('reads the catalog once per tenant, and again after the partner service changes a partner', async (t) => {
    const catalog = await openSqliteCatalog(':memory:');
    t.after(() => catalog.close());
    const { tenant } = await catalog.createTenant('acme');
    let reads = 0;
    const cache = new PartnerCache({
      listPartners: (id) => {
        reads++;
        return catalog.listPartners(id);
      },
    });
    const partners = new PartnerService(catalog, new Audit(catalog), (id) => cache.forget(id));
    assert.deepEqual(await cache.listPartners(tenant), []);
    await partners.create(tenant, SSP_A, 'key:aaaa');
    assert.equal((await cache.getPartner(tenant, 'ssp_a'))?.name, 'SSP A', 'a new partner is seen at once');
    assert.equal(await cache.getPartner(tenant, 'ssp_b'), undefined);
    await cache.listPartners(tenant);
    assert.equal(reads, 2, 'one read before the change, one after');
    await partners.update(tenant, 'ssp_a', { resyncDays: 3 }, 'key:aaaa');
    assert.equal((await cache.getPartner(tenant, 'ssp_a'))?.resyncDays, 3);
    await partners.remove(tenant, 'ssp_a', 'key:aaaa');
    assert.deepEqual(await cache.listPartners(tenant), []);
    // what it hands out is a copy
    await partners.create(tenant, SSP_A, 'key:aaaa');
    (await cache.getPartner(tenant, 'ssp_a'))!.name = 'changed';
    assert.equal((await cache.getPartner(tenant, 'ssp_a'))?.name, 'SSP A');
  });

  void it('does not keep a failed read', async () => {
    let fail = true;
    const cache = new PartnerCache({
      listPartners: () => (fail ? Promise.reject(new Error('catalog down')) : Promise.resolve([])),
    });
    await assert.rejects(cache.listPartners('acme'), /catalog down/);
    fail = false;
    assert.deepEqual(await cache.listPartners('acme'), []);
  });
});
