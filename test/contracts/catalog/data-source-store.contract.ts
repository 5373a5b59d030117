import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSourceInput, DataSourceStore } from '../../../src/catalog/data-source-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { TraitStore } from '../../../src/catalog/trait-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

/**
 * The `DataSourceStore` contract: codes unique per tenant, labels checked and kept in canonical order,
 * defaults and sources in use never deleted.
 *
 * Example: `dataSourceStoreContract('SQLite (file)', open)`.
 */
export function dataSourceStoreContract(
  name: string,
  open: OpenStores<TenantStore & DataSourceStore & TraitStore>,
): void {
  void describe(`DataSourceStore contract: ${name}`, () => {
    void it('createDataSource adds after the defaults; a taken code, a bad party and an unknown tenant are refused', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        const partner = await stores.createDataSource('acme', {
          code: 'partner-x',
          name: 'Partner X',
          party: 'second',
        });
        assert.deepEqual(partner, {
          id: partner.id,
          code: 'partner-x',
          name: 'Partner X',
          party: 'second',
          labels: [],
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        assert.ok(Number.isInteger(partner.id));
        assert.deepEqual((await stores.listDataSources('acme')).at(-1), partner);
        await assert.rejects(
          stores.createDataSource('acme', { code: 'partner-x', name: 'Again', party: 'second' }),
          failsWith('conflict', /data source 'partner-x' already exists/),
        );
        await assert.rejects(
          stores.createDataSource('nobody', { code: 'x', name: 'X', party: 'first' }),
          failsWith('not_found', /nobody/),
        );
        const badParty = { code: 'y', name: 'Y', party: 'fourth' } as unknown as DataSourceInput;
        await assert.rejects(stores.createDataSource('acme', badParty), failsWith('invalid', /party/));
        await assert.rejects(
          stores.createDataSource('acme', { code: '', name: 'Y', party: 'first' }),
          failsWith('invalid', /code/),
        );
        assert.equal((await stores.listDataSources('acme')).length, 4);
        assert.deepEqual(await stores.listDataSources('nobody'), []);
      });
    });

    void it('a data source keeps its labels in canonical order, also after a reopen', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('acme');
        const created = await stores.createDataSource('acme', {
          code: 'crm',
          name: 'CRM',
          party: 'first',
          labels: ['no-third-party-sharing', 'no-modeling', 'no-modeling'],
        });
        assert.deepEqual(created.labels, ['no-modeling', 'no-third-party-sharing']);
        const plain = await stores.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
        assert.deepEqual(plain.labels, []);
        const again = await reopen();
        assert.deepEqual(await again.getDataSource('acme', 'crm'), created);
        assert.deepEqual(
          (await again.listDataSources('acme')).map((s) => [s.code, s.labels]),
          [
            ['first-party', []],
            ['second-party', []],
            ['third-party', []],
            ['crm', ['no-modeling', 'no-third-party-sharing']],
            ['feed', []],
          ],
        );
        assert.equal(await again.getDataSource('acme', 'nope'), undefined);
      });
    });

    void it('createDataSource refuses an unknown label, naming the known ones, and writes nothing', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('acme');
        await assert.rejects(
          stores.createDataSource('acme', { code: 'crm', name: 'CRM', party: 'first', labels: ['no-ads'] }),
          failsWith('invalid', /unknown label 'no-ads'; known: no-onsite-targeting, /),
        );
        assert.equal(await stores.getDataSource('acme', 'crm'), undefined);
      });
    });

    void it('updateDataSource renames and replaces labels; an unknown label or code changes nothing', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('acme');
        await stores.createDataSource('acme', {
          code: 'crm',
          name: 'CRM',
          party: 'first',
          labels: ['no-modeling'],
        });
        const relabelled = await stores.updateDataSource('acme', 'crm', { labels: ['no-pii-combination'] });
        assert.deepEqual([relabelled.name, relabelled.labels], ['CRM', ['no-pii-combination']]);
        const renamed = await stores.updateDataSource('acme', 'crm', { name: 'Our CRM' });
        assert.deepEqual([renamed.name, renamed.labels], ['Our CRM', ['no-pii-combination']]);
        await assert.rejects(
          stores.updateDataSource('acme', 'crm', { name: 'X', labels: ['bogus'] }),
          failsWith('invalid', /unknown label 'bogus'/),
        );
        await assert.rejects(
          stores.updateDataSource('acme', 'crm', { name: ' ' }),
          failsWith('invalid', /name/),
        );
        await assert.rejects(
          stores.updateDataSource('acme', 'nope', { name: 'X' }),
          failsWith('not_found', /'nope'/),
        );
        assert.deepEqual(await stores.getDataSource('acme', 'crm'), renamed);
        const cleared = await stores.updateDataSource('acme', 'crm', { labels: [] });
        assert.deepEqual(cleared.labels, []);
        const again = await reopen();
        assert.deepEqual(await again.getDataSource('acme', 'crm'), cleared);
      });
    });

    void it('deleteDataSource is refused while traits use it (naming five) and for the defaults, then deletes', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('acme');
        await stores.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
        for (const code of ['t6', 't2', 't4', 't1', 't5', 't3']) {
          await stores.createTrait(
            'acme',
            { code, name: code, rule: 'x', ruleJson: null, source: 'feed' },
            0,
          );
        }
        await assert.rejects(
          stores.deleteDataSource('acme', 'feed'),
          failsWith('conflict', /used by traits t1, t2, t3, t4, t5, \.\.\.$/),
        );
        for (const code of ['t6', 't2', 't4', 't1', 't5']) await stores.deleteTrait('acme', code);
        await assert.rejects(
          stores.deleteDataSource('acme', 'feed'),
          failsWith('conflict', /used by traits t3$/),
        );
        assert.ok(await stores.getDataSource('acme', 'feed'));
        for (const code of ['first-party', 'second-party', 'third-party']) {
          await assert.rejects(
            stores.deleteDataSource('acme', code),
            failsWith('conflict', /default source/),
          );
        }
        await assert.rejects(stores.deleteDataSource('acme', 'nope'), failsWith('not_found', /'nope'/));
        await stores.deleteTrait('acme', 't3');
        await stores.deleteDataSource('acme', 'feed');
        const again = await reopen();
        assert.equal(await again.getDataSource('acme', 'feed'), undefined);
        assert.deepEqual(
          (await again.listDataSources('acme')).map((s) => s.code),
          ['first-party', 'second-party', 'third-party'],
        );
      });
    });

    void it("one tenant's data source calls never read or change another's, even with the same codes", async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('a');
        await stores.createTenant('b');
        for (const tenant of ['a', 'b']) {
          await stores.createDataSource(tenant, { code: 'feed', name: `feed ${tenant}`, party: 'third' });
        }
        await stores.createDataSource('b', {
          code: 'only-b',
          name: 'B',
          party: 'second',
          labels: ['no-modeling'],
        });
        const before = await stores.listDataSources('b');
        assert.equal(await stores.getDataSource('a', 'only-b'), undefined);
        assert.equal((await stores.getDataSource('a', 'feed'))?.name, 'feed a');
        await assert.rejects(stores.updateDataSource('a', 'only-b', { labels: [] }), failsWith('not_found'));
        await assert.rejects(stores.deleteDataSource('a', 'only-b'), failsWith('not_found'));
        await stores.updateDataSource('a', 'feed', { name: 'A feed', labels: ['no-pii-combination'] });
        await stores.deleteDataSource('a', 'feed');
        await stores.createDataSource('a', {
          code: 'only-b',
          name: 'A too',
          party: 'first',
          labels: ['no-modeling'],
        });
        const again = await reopen();
        assert.deepEqual(await again.listDataSources('b'), before);
        assert.deepEqual(
          (await again.listDataSources('a')).map((s) => s.code),
          ['first-party', 'second-party', 'third-party', 'only-b'],
        );
      });
    });
  });
}
