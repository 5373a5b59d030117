import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from './catalog.ts';
import { CatalogError } from './catalog.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

async function snapshot(catalog: Catalog, tenant: string): Promise<unknown> {
  return {
    tenant: await catalog.getTenant(tenant),
    sources: await catalog.listDataSources(tenant),
    traits: await catalog.listTraits(tenant),
    segments: await catalog.listSegments(tenant),
  };
}

function notFound(e: unknown): boolean {
  return e instanceof CatalogError && e.code === 'not_found';
}

void test('two tenants with the same codes never see or change each other', async () => {
  const catalog = await openSqliteCatalog(':memory:');
  const a = await catalog.createTenant('a');
  const b = await catalog.createTenant('b');
  for (const [tenant, rule] of [
    ['a', 'rule-a'],
    ['b', 'rule-b'],
  ] as const) {
    await catalog.createDataSource(tenant, { code: 'feed', name: `feed ${tenant}`, party: 'third' });
    await catalog.createTrait(
      tenant,
      { code: 'same', name: tenant, rule, ruleJson: tenant, source: 'feed' },
      1,
    );
    await catalog.createSegment(tenant, { code: 'same', name: tenant, rule, ruleJson: tenant });
  }
  await catalog.createTrait('b', { code: 'only_b', name: 'B', rule: 'x', ruleJson: null }, 1);
  await catalog.createSegment('b', { code: 'only_b', name: 'B', rule: 'x', ruleJson: null });
  await catalog.createDataSource('b', { code: 'only-b', name: 'B', party: 'second' });

  assert.equal((await catalog.getTrait('a', 'same'))?.rule, 'rule-a');
  assert.equal((await catalog.getTrait('b', 'same'))?.rule, 'rule-b');
  assert.notEqual((await catalog.getTrait('a', 'same'))?.id, (await catalog.getTrait('b', 'same'))?.id);
  assert.equal((await catalog.getSegment('a', 'same'))?.rule, 'rule-a');
  assert.equal(await catalog.getTrait('a', 'only_b'), undefined);
  assert.equal(await catalog.getSegment('a', 'only_b'), undefined);
  assert.deepEqual(
    (await catalog.listTraits('a')).map((t) => [t.code, t.name, t.versions.map((v) => v.rule)]),
    [['same', 'a', ['rule-a']]],
  );
  assert.deepEqual(
    (await catalog.listSegments('a')).map((s) => [s.code, s.name]),
    [['same', 'a']],
  );
  assert.deepEqual(
    (await catalog.listDataSources('a')).map((s) => s.code),
    ['first-party', 'second-party', 'third-party', 'feed'],
  );

  const before = await snapshot(catalog, 'b');
  // everything tenant A may do with B's codes fails or touches only A
  await assert.rejects(catalog.updateTrait('a', 'only_b', { name: 'hijack' }, 5), notFound);
  await assert.rejects(catalog.deleteTrait('a', 'only_b'), notFound);
  await assert.rejects(catalog.updateSegment('a', 'only_b', { name: 'hijack' }), notFound);
  await assert.rejects(catalog.deleteSegment('a', 'only_b'), notFound);
  await assert.rejects(
    catalog.createTrait('a', { code: 'x', name: 'x', rule: 'x', ruleJson: null, source: 'only-b' }, 0),
    (e: unknown) =>
      e instanceof CatalogError &&
      e.code === 'invalid' &&
      e.message === "unknown data source 'only-b'; known: first-party, second-party, third-party, feed",
  );
  await catalog.updateTrait('a', 'same', { name: 'A2', rule: 'rule-a2', ruleJson: 'a2' }, 0);
  await catalog.updateSegment('a', 'same', { name: 'A2', rule: 'rule-a2', ruleJson: 'a2' });
  await catalog.deleteTrait('a', 'same');
  await catalog.deleteSegment('a', 'same');
  await catalog.createDataSource('a', { code: 'only-b', name: 'A too', party: 'first' });
  assert.deepEqual(await snapshot(catalog, 'b'), before);

  assert.equal(await catalog.authenticateApiKey(a.apiKey), 'a');
  assert.equal(await catalog.authenticateApiKey(b.apiKey), 'b');
  assert.equal(await catalog.tenantForSiteKey(a.siteKey), 'a');
  assert.equal(await catalog.tenantForSiteKey(b.siteKey), 'b');
  // A's key ID with B's secret is neither tenant
  const aId = a.apiKey.split('_')[1] ?? '';
  const bSecret = b.apiKey.split('_').slice(2).join('_');
  assert.equal(await catalog.authenticateApiKey(`dmp_${aId}_${bSecret}`), undefined);
  await catalog.close();
});

void test("a trait cannot point at another tenant's data source", async () => {
  const catalog = await openSqliteCatalog(':memory:');
  await catalog.createTenant('a');
  await catalog.createTenant('b');
  await catalog.createDataSource('b', { code: 'secret-feed', name: 'B feed', party: 'third' });
  await catalog.createTrait('a', { code: 't', name: 't', rule: 'x', ruleJson: null }, 0);
  await assert.rejects(
    catalog.updateTrait('a', 't', { source: 'secret-feed' }, 0),
    (e: unknown) =>
      e instanceof CatalogError &&
      e.code === 'invalid' &&
      e.message === "unknown data source 'secret-feed'; known: first-party, second-party, third-party",
  );
  assert.equal((await catalog.getTrait('a', 't'))?.source, 'first-party');
  await catalog.close();
});
