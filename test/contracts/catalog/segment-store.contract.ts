import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SegmentInput, SegmentStore } from '../../../src/catalog/segment-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

const london: SegmentInput = {
  code: 'london_pricing',
  name: 'London pricing visitors',
  rule: 'trait:pricing_visitor[within 30d] and geo.city == "London"',
  ruleJson: { and: [{ trait: 'pricing_visitor' }, { eq: ['geo.city', 'London'] }] },
  description: 'Warm leads in London',
  integrationCode: 'LDN',
};

/**
 * The `SegmentStore` contract: create, read, update and delete by code, IDs in creation order,
 * refusals, tenant isolation.
 *
 * Example: `segmentStoreContract('SQLite (file)', open)`.
 */
export function segmentStoreContract(name: string, open: OpenStores<TenantStore & SegmentStore>): void {
  void describe(`SegmentStore contract: ${name}`, () => {
    void it('createSegment, getSegment, listSegments, updateSegment and deleteSegment', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('acme');
        const created = await stores.createSegment('acme', london);
        assert.ok(Number.isInteger(created.id));
        assert.deepEqual(created, {
          id: created.id,
          ...london,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
        assert.deepEqual(await stores.getSegment('acme', 'london_pricing'), created);
        const plain = await stores.createSegment('acme', {
          code: 'all',
          name: 'All',
          rule: 'true',
          ruleJson: true,
        });
        assert.equal('description' in plain, false);
        assert.equal('integrationCode' in plain, false);
        assert.ok(plain.id > created.id);
        assert.deepEqual(await stores.listSegments('acme'), [created, plain]);

        clock.advance(5000);
        const updated = await stores.updateSegment('acme', 'london_pricing', {
          rule: 'geo.city == "Paris"',
          ruleJson: { eq: ['geo.city', 'Paris'] },
          description: '',
        });
        assert.deepEqual(updated, {
          id: created.id,
          code: 'london_pricing',
          name: london.name,
          rule: 'geo.city == "Paris"',
          ruleJson: { eq: ['geo.city', 'Paris'] },
          integrationCode: 'LDN',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:05.000Z',
        });
        const renamed = await stores.updateSegment('acme', 'london_pricing', { name: 'Paris' });
        assert.equal(renamed.name, 'Paris');
        assert.equal(renamed.rule, 'geo.city == "Paris"');
        let again = await reopen();
        assert.deepEqual(await again.getSegment('acme', 'london_pricing'), renamed);

        await again.deleteSegment('acme', 'london_pricing');
        again = await reopen();
        assert.equal(await again.getSegment('acme', 'london_pricing'), undefined);
        assert.deepEqual(await again.listSegments('acme'), [plain]);
      });
    });

    void it('segment errors: conflict, not found, unknown tenant, new rule without ruleJson, blank name', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        const before = await stores.createSegment('acme', london);
        await assert.rejects(
          stores.createSegment('acme', { ...london, name: 'Other' }),
          failsWith('conflict', /segment 'london_pricing' already exists in this tenant/),
        );
        await assert.rejects(
          stores.createSegment('nobody', london),
          failsWith('not_found', /tenant 'nobody'/),
        );
        await assert.rejects(
          stores.createSegment('acme', { ...london, code: '' }),
          failsWith('invalid', /code/),
        );
        await assert.rejects(
          stores.updateSegment('acme', 'nope', { name: 'x' }),
          failsWith('not_found', /segment 'nope'/),
        );
        await assert.rejects(stores.deleteSegment('acme', 'nope'), failsWith('not_found', /segment 'nope'/));
        await assert.rejects(
          stores.updateSegment('acme', 'london_pricing', { rule: 'x' }),
          failsWith('invalid', /ruleJson/),
        );
        await assert.rejects(
          stores.updateSegment('acme', 'london_pricing', { name: ' ' }),
          failsWith('invalid', /name/),
        );
        assert.deepEqual(await stores.listSegments('acme'), [before]);
        assert.deepEqual(await stores.listSegments('nobody'), []);
      });
    });

    void it('two tenants with the same codes never see or change each other’s segments', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('a');
        await stores.createTenant('b');
        for (const tenant of ['a', 'b']) {
          await stores.createSegment(tenant, {
            code: 'same',
            name: tenant,
            rule: `rule-${tenant}`,
            ruleJson: tenant,
          });
        }
        await stores.createSegment('b', { code: 'only_b', name: 'B', rule: 'x', ruleJson: null });
        const before = await stores.listSegments('b');
        assert.equal((await stores.getSegment('a', 'same'))?.rule, 'rule-a');
        assert.equal(await stores.getSegment('a', 'only_b'), undefined);
        assert.deepEqual(
          (await stores.listSegments('a')).map((s) => [s.code, s.name]),
          [['same', 'a']],
        );
        await assert.rejects(stores.updateSegment('a', 'only_b', { name: 'hijack' }), failsWith('not_found'));
        await assert.rejects(stores.deleteSegment('a', 'only_b'), failsWith('not_found'));
        await stores.updateSegment('a', 'same', { name: 'A2', rule: 'rule-a2', ruleJson: 'a2' });
        await stores.deleteSegment('a', 'same');
        const again = await reopen();
        assert.deepEqual(await again.listSegments('b'), before);
      });
    });
  });
}
