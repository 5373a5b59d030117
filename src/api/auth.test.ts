import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyIdentity } from '../catalog/catalog.ts';
import { requireApiKey } from './auth.ts';

function request(authorization?: string): FastifyRequest {
  return { headers: authorization === undefined ? {} : { authorization } } as unknown as FastifyRequest;
}

void test('a valid API key is checked in the catalog once a TTL; an invalid one every time', async () => {
  const asked: string[] = [];
  const catalog = {
    async authenticateApiKeyId(key: string): Promise<ApiKeyIdentity | undefined> {
      asked.push(key);
      return key === 'dmp_good' ? { tenant: 'acme', keyId: 'k1' } : undefined;
    },
  };
  let now = 0;
  const check = requireApiKey(catalog, () => now, 1_000);
  const first = request('Bearer dmp_good');
  await check(first);
  assert.equal(first.tenant, 'acme');
  assert.equal(first.actor, 'key:k1');
  now = 999;
  const again = request('Bearer dmp_good');
  await check(again);
  assert.equal(again.tenant, 'acme');
  assert.deepEqual(asked, ['dmp_good'], 'held for the TTL');
  now = 1_000;
  await check(request('Bearer dmp_good'));
  assert.deepEqual(asked, ['dmp_good', 'dmp_good'], 'asked again once expired');
  for (let i = 0; i < 2; i++)
    await assert.rejects(check(request('Bearer dmp_bad')), {
      status: 401,
      message: 'the API key is not valid',
    });
  assert.deepEqual(asked.slice(2), ['dmp_bad', 'dmp_bad'], 'an invalid key is never held');
  await assert.rejects(check(request()), { status: 401, code: 'unauthorized' });
});
