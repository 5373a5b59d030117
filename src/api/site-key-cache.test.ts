import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SiteKeyInfo } from '../governance/site-key-service.ts';
import { SiteKeyCache } from './site-key-cache.ts';

function fakeSiteKeys(keys: Map<string, SiteKeyInfo>) {
  const asked: string[] = [];
  return {
    asked,
    async info(key: string) {
      asked.push(key);
      return keys.get(key);
    },
  };
}

void test('a known site key is read from the site-key service once, then held for the TTL', async () => {
  const keys = new Map([['site_a', { tenant: 'acme', origins: ['*'] }]]);
  const siteKeys = fakeSiteKeys(keys);
  let now = 0;
  const sites = new SiteKeyCache(siteKeys, () => now, 1_000);
  assert.equal(sites.peek('site_a'), undefined, 'nothing held before the first get');
  assert.deepEqual(await sites.get('site_a'), { tenant: 'acme', origins: ['*'] });
  keys.set('site_a', { tenant: 'acme', origins: ['https://shop.example.com'] });
  now = 999;
  assert.deepEqual(sites.peek('site_a'), { tenant: 'acme', origins: ['*'] });
  assert.deepEqual(await sites.get('site_a'), { tenant: 'acme', origins: ['*'] });
  assert.deepEqual(siteKeys.asked, ['site_a']);
  now = 1_000;
  assert.equal(sites.peek('site_a'), undefined, 'expired');
  assert.deepEqual(await sites.get('site_a'), { tenant: 'acme', origins: ['https://shop.example.com'] });
  assert.deepEqual(siteKeys.asked, ['site_a', 'site_a']);
});

void test('an unknown site key is not held: a key made a moment later works at once', async () => {
  const keys = new Map<string, SiteKeyInfo>();
  const sites = new SiteKeyCache(fakeSiteKeys(keys), () => 0);
  assert.equal(await sites.get('site_new'), undefined);
  keys.set('site_new', { tenant: 'acme', origins: ['*'] });
  assert.deepEqual(await sites.get('site_new'), { tenant: 'acme', origins: ['*'] });
});
