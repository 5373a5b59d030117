import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenStores } from './store-fixture.ts';
import { failsWith } from './store-fixture.ts';
import type { Stores } from './trait-store.contract.ts';
import { acmeStores, pricing } from './trait-store.contract.ts';

/**
 * The `TraitStore` contract for changes: rule versions by log position (a new rule from `fromSeq`, backfill,
 * two at the same position), changes of other fields in place, and refusals that change nothing.
 *
 * Example: `traitVersionContract('memory (fake)', open)`.
 */
export function traitVersionContract(name: string, open: OpenStores<Stores>): void {
  const withAcme = acmeStores(open);

  void describe(`TraitStore contract, versions and changes: ${name}`, () => {
    void it('updateTrait with a new rule appends a version from fromSeq; the old one stays in force before it', async () => {
      await withAcme(async ({ stores, clock, reopen }) => {
        await stores.createTrait('acme', pricing, 10);
        clock.advance(60_000);
        const updated = await stores.updateTrait(
          'acme',
          'pricing_visitor',
          { rule: 'r2', ruleJson: { v: 2 } },
          50,
        );
        assert.equal(updated.rule, 'r2');
        assert.deepEqual(updated.ruleJson, { v: 2 });
        assert.deepEqual(updated.versions, [
          { version: 1, rule: pricing.rule, ruleJson: pricing.ruleJson, fromSeq: 10 },
          { version: 2, rule: 'r2', ruleJson: { v: 2 }, fromSeq: 50 },
        ]);
        assert.equal(updated.createdAt, '2026-01-01T00:00:00.000Z');
        assert.equal(updated.updatedAt, '2026-01-01T00:01:00.000Z');
        const third = await stores.updateTrait(
          'acme',
          'pricing_visitor',
          { rule: 'r3', ruleJson: { v: 3 } },
          80,
        );
        assert.deepEqual(
          third.versions.map((v) => [v.version, v.fromSeq]),
          [
            [1, 10],
            [2, 50],
            [3, 80],
          ],
        );
        const again = await reopen();
        assert.deepEqual(await again.getTrait('acme', 'pricing_visitor'), third);
      });
    });

    void it('updateTrait with backfill (fromSeq 0) deletes every earlier version; numbering goes on', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createTrait('acme', pricing, 10);
        await stores.updateTrait('acme', 'pricing_visitor', { rule: 'r2', ruleJson: 2 }, 50);
        const backfilled = await stores.updateTrait(
          'acme',
          'pricing_visitor',
          { rule: 'r3', ruleJson: 3 },
          0,
        );
        assert.deepEqual(backfilled.versions, [{ version: 3, rule: 'r3', ruleJson: 3, fromSeq: 0 }]);
        const after = await stores.updateTrait('acme', 'pricing_visitor', { rule: 'r4', ruleJson: 4 }, 70);
        assert.deepEqual(
          after.versions.map((v) => [v.version, v.rule, v.fromSeq]),
          [
            [3, 'r3', 0],
            [4, 'r4', 70],
          ],
        );
      });
    });

    void it('two new rules at the same log position: only the later stays in force', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createTrait('acme', pricing, 10);
        await stores.updateTrait('acme', 'pricing_visitor', { rule: 'r2', ruleJson: 2 }, 50);
        const again = await stores.updateTrait('acme', 'pricing_visitor', { rule: 'r3', ruleJson: 3 }, 50);
        assert.deepEqual(
          again.versions.map((v) => [v.version, v.rule, v.fromSeq]),
          [
            [1, pricing.rule, 10],
            [3, 'r3', 50],
          ],
        );
      });
    });

    void it('updateTrait changes other fields in place without a new version; an empty text clears it', async () => {
      await withAcme(async ({ stores, clock }) => {
        await stores.createDataSource('acme', { code: 'partner', name: 'Partner', party: 'second' });
        const before = await stores.createTrait('acme', pricing, 10);
        clock.advance(1000);
        const after = await stores.updateTrait(
          'acme',
          'pricing_visitor',
          {
            name: 'Pricing page',
            lifetimeDays: 7,
            folder: 'Intent',
            source: 'partner',
            kind: 'onboarded',
            description: '',
            integrationCode: 'PV-2',
            rule: pricing.rule,
          },
          99,
        );
        const { description: _gone, ...kept } = before;
        assert.deepEqual(after, {
          ...kept,
          name: 'Pricing page',
          lifetimeDays: 7,
          folder: 'Intent',
          source: 'partner',
          kind: 'onboarded',
          integrationCode: 'PV-2',
          updatedAt: '2026-01-01T00:00:01.000Z',
        });
        assert.equal('description' in after, false);
        assert.deepEqual(after.versions, before.versions);
        assert.deepEqual(await stores.getTrait('acme', 'pricing_visitor'), after);
      });
    });

    void it('updateTrait: the same rule with a new ruleJson updates it in place', async () => {
      await withAcme(async ({ stores }) => {
        await stores.createTrait('acme', pricing, 10);
        const after = await stores.updateTrait(
          'acme',
          'pricing_visitor',
          { ruleJson: { reparsed: true } },
          20,
        );
        assert.deepEqual(after.ruleJson, { reparsed: true });
        assert.deepEqual(after.versions, [
          { version: 1, rule: pricing.rule, ruleJson: { reparsed: true }, fromSeq: 10 },
        ]);
        assert.deepEqual(await stores.getTrait('acme', 'pricing_visitor'), after);
      });
    });

    void it('updateTrait errors: missing trait, unknown source, new rule without ruleJson; nothing changes', async () => {
      await withAcme(async ({ stores }) => {
        const before = await stores.createTrait('acme', pricing, 10);
        await assert.rejects(
          stores.updateTrait('acme', 'nope', { name: 'x' }, 0),
          failsWith('not_found', /trait 'nope'/),
        );
        await assert.rejects(
          stores.updateTrait('acme', 'pricing_visitor', { name: 'changed', source: 'nowhere' }, 0),
          failsWith('invalid', /known: first-party/),
        );
        await assert.rejects(
          stores.updateTrait('acme', 'pricing_visitor', { rule: 'other' }, 20),
          failsWith('invalid', /ruleJson/),
        );
        await assert.rejects(
          stores.updateTrait('acme', 'pricing_visitor', { name: 'changed' }, -5),
          failsWith('invalid', /fromSeq/),
        );
        assert.deepEqual(await stores.getTrait('acme', 'pricing_visitor'), before);
      });
    });
  });
}
