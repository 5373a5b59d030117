import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog } from './catalog.ts';
import { CatalogError } from './catalog.ts';
import { eachCatalogStore } from './testing/catalog-stores.ts';

async function snapshot(catalog: Catalog, tenant: string, siteKey: string): Promise<unknown> {
  return {
    sources: await catalog.listDataSources(tenant),
    feed: await catalog.getDataSource(tenant, 'feed'),
    audit: await catalog.listAudit(tenant, { limit: 1000 }),
    optOuts: await catalog.listOptOutHashes(tenant),
    siteKeys: await catalog.listSiteKeys(tenant),
    siteKey: await catalog.siteKeyInfo(siteKey),
  };
}

function notFound(e: unknown): boolean {
  return e instanceof CatalogError && e.code === 'not_found';
}

void test("tenant A's labels, audit, opt-out and site key calls never read or change B's rows", async () => {
  await eachCatalogStore(async ({ catalog, reopen }) => {
    await catalog.createTenant('a');
    const b = await catalog.createTenant('b');
    for (const tenant of ['a', 'b']) {
      await catalog.createDataSource(tenant, { code: 'feed', name: `feed ${tenant}`, party: 'third' });
      await catalog.appendAudit(tenant, { actor: tenant, action: 'source.create', target: 'source:feed' });
    }
    await catalog.createDataSource('b', {
      code: 'only-b',
      name: 'B',
      party: 'second',
      labels: ['no-modeling'],
    });
    await catalog.appendAudit('b', { actor: 'b', action: 'secret.thing', target: 'only-b', after: { s: 1 } });
    await catalog.addOptOut('b', 'cookie', 'b-only');
    const bKey = await catalog.createSiteKey('b', ['https://b.example']);
    const before = await snapshot(catalog, 'b', bKey);

    // reads with B's codes from A find nothing
    assert.equal(await catalog.getDataSource('a', 'only-b'), undefined);
    assert.deepEqual(await catalog.listAudit('a', { limit: 1000, action: 'secret.thing' }), []);
    assert.deepEqual(await catalog.listAudit('a', { limit: 1000, target: 'only-b' }), []);
    assert.equal(await catalog.isOptedOut('a', 'cookie', 'b-only'), false);
    assert.deepEqual(await catalog.listOptOutHashes('a'), { keyed: [], legacy: [] });
    assert.equal(
      (await catalog.listSiteKeys('a')).some((k) => k.key === bKey),
      false,
    );

    // writes from A with B's codes fail; writes to A's own same-named rows touch only A
    await assert.rejects(catalog.updateDataSource('a', 'only-b', { labels: [] }), notFound);
    await assert.rejects(catalog.deleteDataSource('a', 'only-b'), notFound);
    await assert.rejects(catalog.updateSiteKey('a', bKey, ['*']), notFound);
    await catalog.updateDataSource('a', 'feed', { name: 'A feed', labels: ['no-pii-combination'] });
    await catalog.deleteDataSource('a', 'feed');
    await catalog.createDataSource('a', {
      code: 'only-b',
      name: 'A too',
      party: 'first',
      labels: ['no-modeling'],
    });
    const aEntry = await catalog.appendAudit('a', { actor: 'a', action: 'secret.thing', target: 'only-b' });
    assert.equal(aEntry.id, 2, "A's audit IDs count A's entries only");
    assert.equal(await catalog.addOptOut('a', 'cookie', 'b-only'), true);
    await catalog.addOptOut('a', 'cookie', 'a-only');
    const aKey = await catalog.createSiteKey('a', ['https://a.example']);
    await catalog.updateSiteKey('a', aKey, ['https://a2.example']);

    const again = await reopen();
    assert.deepEqual(await snapshot(again, 'b', bKey), before);
    assert.equal(await again.isOptedOut('b', 'cookie', 'a-only'), false);
    assert.equal((await again.siteKeyInfo(aKey))?.tenant, 'a');
    assert.equal((await again.siteKeyInfo(b.siteKey))?.tenant, 'b');
    assert.deepEqual(
      (await again.listAudit('a', { limit: 1000 })).map((e) => [e.id, e.actor, e.action]),
      [
        [1, 'a', 'source.create'],
        [2, 'a', 'secret.thing'],
      ],
    );
  });
});
