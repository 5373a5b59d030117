import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { Audit } from './audit.ts';
import { AuditReader } from './audit-reader.ts';
import { SiteKeyService } from './site-key-service.ts';

void test('setting a site key origins is audited with the origins before and after; another tenant key is a 404', async (t) => {
  const catalog = await openSqliteCatalog(':memory:');
  t.after(() => catalog.close());
  const { siteKey } = await catalog.createTenant('acme');
  await catalog.createTenant('other');
  const siteKeys = new SiteKeyService(catalog, new Audit(catalog));

  const after = await siteKeys.setOrigins('acme', siteKey, ['HTTPS://Shop.Example.com/'], 'key:k1');
  assert.deepEqual(after.origins, ['https://shop.example.com'], 'normalised by the catalog');
  assert.deepEqual(await siteKeys.info(siteKey), { tenant: 'acme', origins: ['https://shop.example.com'] });
  assert.deepEqual(
    (await siteKeys.list('acme')).map((k) => k.origins),
    [['https://shop.example.com']],
  );
  const { entries } = await new AuditReader(catalog).page('acme', { limit: 10, action: 'sitekey.update' });
  assert.equal(entries.length, 1);
  assert.deepEqual(
    { ...entries[0], id: 0, at: '' },
    {
      id: 0,
      at: '',
      actor: 'key:k1',
      action: 'sitekey.update',
      target: `sitekey:${siteKey.slice(0, 12)}`,
      before: { origins: ['*'] },
      after: { origins: ['https://shop.example.com'] },
    },
  );

  await assert.rejects(siteKeys.setOrigins('other', siteKey, ['*'], 'key:k2'), { status: 404 });
  await assert.rejects(siteKeys.setOrigins('acme', siteKey, ['ftp://x.example'], 'key:k1'), {
    status: 422,
    code: 'invalid',
  });
  assert.equal((await new AuditReader(catalog).page('other', { limit: 10 })).entries.length, 0);
  assert.equal(await siteKeys.info('site_unknown'), undefined);
});
