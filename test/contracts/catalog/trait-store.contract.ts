import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSourceStore } from '../../../src/catalog/data-source-store.ts';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { TraitInput, TraitStore } from '../../../src/catalog/trait-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

export type Stores = TenantStore & DataSourceStore & TraitStore;

export const pricing: TraitInput = {
  code: 'pricing_visitor',
  name: 'Visited pricing',
  rule: 'url.path startsWith "/pricing"',
  ruleJson: { op: 'startsWith', path: 'url.path', value: '/pricing' },
  lifetimeDays: 30,
  folder: 'Site/Intent',
  source: 'first-party',
  integrationCode: 'PV-1',
  description: 'People who looked at prices',
};

/** Runs `fn` over the stores with the tenant `acme` created. Example: `await acmeStores(open)(async ({ stores }) => ...)` */
export function acmeStores(open: OpenStores<Stores>) {
  return (fn: Parameters<typeof withStores<Stores>>[1]) =>
    withStores(open, async (fixture) => {
      await fixture.stores.createTenant('acme');
      await fn(fixture);
    });
}

/**
 * The `TraitStore` contract: every field kept, defaults, IDs unique across tenants and never reused,
 * deletion, tenant isolation (versions and changes: trait-version.contract.ts).
 *
 * Example: `traitStoreContract('memory (fake)', open)`.
 */
export function traitStoreContract(name: string, open: OpenStores<Stores>): void {
  const withAcme = acmeStores(open);

  void describe(`TraitStore contract: ${name}`, () => {
    void it('createTrait stores every field and version 1 from fromSeq; getTrait and listTraits read it back after a reopen', async () => {
      await withAcme(async ({ stores, reopen }) => {
        const trait = await stores.createTrait('acme', pricing, 42);
        assert.ok(Number.isInteger(trait.id));
        assert.deepEqual(trait, {
          id: trait.id,
          code: 'pricing_visitor',
          name: 'Visited pricing',
          kind: 'rule',
          rule: pricing.rule,
          ruleJson: pricing.ruleJson,
          lifetimeDays: 30,
          folder: 'Site/Intent',
          source: 'first-party',
          integrationCode: 'PV-1',
          description: 'People who looked at prices',
          versions: [{ version: 1, rule: pricing.rule, ruleJson: pricing.ruleJson, fromSeq: 42 }],
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
        const again = await reopen();
        assert.deepEqual(await again.getTrait('acme', 'pricing_visitor'), trait);
        assert.deepEqual(await again.listTraits('acme'), [trait]);
        assert.equal(await again.getTrait('acme', 'nope'), undefined);
        assert.deepEqual(await again.listTraits('nobody'), []);
      });
    });

    void it('createTrait defaults: kind rule, 120 days, no folder, first-party source, no optional texts', async () => {
      await withAcme(async ({ stores }) => {
        const trait = await stores.createTrait(
          'acme',
          { code: 'x', name: 'X', rule: 'r', ruleJson: null },
          0,
        );
        assert.equal(trait.kind, 'rule');
        assert.equal(trait.lifetimeDays, 120);
        assert.equal(trait.folder, '');
        assert.equal(trait.source, 'first-party');
        assert.equal('integrationCode' in trait, false);
        assert.equal('description' in trait, false);
        assert.equal(trait.ruleJson, null);
      });
    });

    void it('keeps a copy: changing the input or an answer afterwards changes nothing stored', async () => {
      await withAcme(async ({ stores }) => {
        const ruleJson = { op: 'eq', args: ['a'] };
        const created = await stores.createTrait('acme', { code: 'x', name: 'X', rule: 'r', ruleJson }, 0);
        ruleJson.args.push('changed');
        (created.ruleJson as { args: string[] }).args.push('changed too');
        created.versions.push({ version: 9, rule: 'r9', ruleJson: null, fromSeq: 9 });
        const read = await stores.getTrait('acme', 'x');
        assert.deepEqual(read?.ruleJson, { op: 'eq', args: ['a'] });
        assert.deepEqual(read?.versions, [
          { version: 1, rule: 'r', ruleJson: { op: 'eq', args: ['a'] }, fromSeq: 0 },
        ]);
      });
    });

    void it('trait IDs are integers unique across tenants and never reused after a delete', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createTenant('other');
        const a = await stores.createTrait('acme', { ...pricing, code: 'a' }, 0);
        const b = await stores.createTrait('other', { ...pricing, code: 'a' }, 0);
        await stores.deleteTrait('other', 'a');
        const c = await stores.createTrait('other', { ...pricing, code: 'a' }, 0);
        assert.ok(Number.isInteger(a.id) && Number.isInteger(b.id) && Number.isInteger(c.id));
        assert.equal(new Set([a.id, b.id, c.id]).size, 3);
        assert.ok(c.id > b.id);
      });
    });

    void it('createTrait: a taken code is a conflict, an unknown source is invalid and names the known ones', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createTrait('acme', pricing, 0);
        await assert.rejects(
          stores.createTrait('acme', pricing, 0),
          failsWith('conflict', /trait 'pricing_visitor' already exists in this tenant/),
        );
        await assert.rejects(
          stores.createTrait('acme', { ...pricing, code: 'y', source: 'nowhere' }, 0),
          failsWith(
            'invalid',
            /^unknown data source 'nowhere'; known: first-party, second-party, third-party$/,
          ),
        );
        await assert.rejects(
          stores.createTrait('nobody', pricing, 0),
          failsWith('not_found', /tenant 'nobody'/),
        );
        await assert.rejects(
          stores.createTrait('acme', { ...pricing, code: 'z', lifetimeDays: 0 }, 0),
          failsWith('invalid', /lifetimeDays/),
        );
        await assert.rejects(
          stores.createTrait('acme', { ...pricing, code: 'z' }, -1),
          failsWith('invalid', /fromSeq/),
        );
        await assert.rejects(
          stores.createTrait('acme', { ...pricing, code: '' }, 0),
          failsWith('invalid', /code/),
        );
        await assert.rejects(
          stores.createTrait('acme', { ...pricing, code: 'z', name: ' ' }, 0),
          failsWith('invalid', /name/),
        );
        await assert.rejects(
          stores.createTrait('acme', { ...pricing, code: 'z', kind: 'magic' as TraitInput['kind'] }, 0),
          failsWith('invalid', /kind/),
        );
        assert.equal((await stores.listTraits('acme')).length, 1);
      });
    });

    void it('createTrait accepts a data source the tenant created', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createDataSource('acme', { code: 'feed', name: 'Feed', party: 'third' });
        const trait = await stores.createTrait(
          'acme',
          { ...pricing, kind: 'third-party', source: 'feed' },
          0,
        );
        assert.equal(trait.source, 'feed');
        assert.equal(trait.kind, 'third-party');
      });
    });

    void it('deleteTrait removes the trait and its versions; a second delete is not_found', async () => {
      await withAcme(async ({ stores, reopen }) => {
        await stores.createTrait('acme', pricing, 10);
        await stores.createTrait('acme', { ...pricing, code: 'keep' }, 10);
        await stores.deleteTrait('acme', 'pricing_visitor');
        const again = await reopen();
        assert.equal(await again.getTrait('acme', 'pricing_visitor'), undefined);
        assert.deepEqual(
          (await again.listTraits('acme')).map((t) => t.code),
          ['keep'],
        );
        await assert.rejects(again.deleteTrait('acme', 'pricing_visitor'), failsWith('not_found'));
        const recreated = await again.createTrait('acme', pricing, 30);
        assert.deepEqual(
          recreated.versions.map((v) => [v.version, v.fromSeq]),
          [[1, 30]],
        );
      });
    });

    void it('listTraits gives each trait its own versions, in creation order', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createTrait('acme', { ...pricing, code: 'b' }, 1);
        await stores.createTrait('acme', { ...pricing, code: 'a' }, 2);
        await stores.updateTrait('acme', 'a', { rule: 'a2', ruleJson: 'a2' }, 5);
        const list = await stores.listTraits('acme');
        assert.deepEqual(
          list.map((t) => [t.code, t.versions.map((v) => v.fromSeq)]),
          [
            ['b', [1]],
            ['a', [2, 5]],
          ],
        );
        assert.deepEqual(list[1], await stores.getTrait('acme', 'a'));
      });
    });

    void it('two tenants with the same codes never see or change each other’s traits or data sources', async () => {
      await withStores(open, async ({ stores, reopen }) => {
        await stores.createTenant('a');
        await stores.createTenant('b');
        for (const [tenant, rule] of [
          ['a', 'rule-a'],
          ['b', 'rule-b'],
        ] as const) {
          await stores.createDataSource(tenant, { code: 'feed', name: `feed ${tenant}`, party: 'third' });
          await stores.createTrait(
            tenant,
            { code: 'same', name: tenant, rule, ruleJson: tenant, source: 'feed' },
            1,
          );
        }
        await stores.createTrait('b', { code: 'only_b', name: 'B', rule: 'x', ruleJson: null }, 1);
        await stores.createDataSource('b', { code: 'only-b', name: 'B', party: 'second' });
        assert.equal((await stores.getTrait('a', 'same'))?.rule, 'rule-a');
        assert.equal((await stores.getTrait('b', 'same'))?.rule, 'rule-b');
        assert.notEqual((await stores.getTrait('a', 'same'))?.id, (await stores.getTrait('b', 'same'))?.id);
        assert.equal(await stores.getTrait('a', 'only_b'), undefined);
        assert.deepEqual(
          (await stores.listTraits('a')).map((t) => [t.code, t.name, t.versions.map((v) => v.rule)]),
          [['same', 'a', ['rule-a']]],
        );
        const before = await stores.listTraits('b');
        await assert.rejects(
          stores.updateTrait('a', 'only_b', { name: 'hijack' }, 5),
          failsWith('not_found'),
        );
        await assert.rejects(stores.deleteTrait('a', 'only_b'), failsWith('not_found'));
        await assert.rejects(
          stores.createTrait('a', { code: 'x', name: 'x', rule: 'x', ruleJson: null, source: 'only-b' }, 0),
          failsWith(
            'invalid',
            /^unknown data source 'only-b'; known: first-party, second-party, third-party, feed$/,
          ),
        );
        await stores.createTrait('a', { code: 't', name: 't', rule: 'x', ruleJson: null }, 0);
        await assert.rejects(
          stores.updateTrait('a', 't', { source: 'only-b' }, 0),
          failsWith('invalid', /unknown data source 'only-b'/),
        );
        assert.equal((await stores.getTrait('a', 't'))?.source, 'first-party');
        await stores.updateTrait('a', 'same', { name: 'A2', rule: 'rule-a2', ruleJson: 'a2' }, 0);
        await stores.deleteTrait('a', 'same');
        const again = await reopen();
        assert.deepEqual(await again.listTraits('b'), before);
      });
    });
  });
}
