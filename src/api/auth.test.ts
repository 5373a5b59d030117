import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyIdentity } from '../governance/api-key-service.ts';
import { AuthFailures, clientKey } from './auth-failures.ts';
import { requireApiKey } from './auth.ts';

function request(authorization?: string, ip = '203.0.113.5'): FastifyRequest {
  return { ip, headers: authorization === undefined ? {} : { authorization } } as unknown as FastifyRequest;
}

/** A reply that only keeps the headers set on it. */
function reply(): FastifyReply & { sent: Record<string, string> } {
  const sent: Record<string, string> = {};
  const r = {
    sent,
    header(name: string, value: string) {
      sent[name] = value;
      return r;
    },
  };
  return r as unknown as FastifyReply & { sent: Record<string, string> };
}

void test('a valid API key is checked by the key service once a TTL; an invalid one every time', async () => {
  const asked: string[] = [];
  const apiKeys = {
    async identify(key: string): Promise<ApiKeyIdentity | undefined> {
      asked.push(key);
      return key === 'dmp_good' ? { tenant: 'acme', keyId: 'k1', role: 'admin' } : undefined;
    },
  };
  let now = 0;
  const check = requireApiKey(apiKeys, () => now, 1_000);
  const first = request('Bearer dmp_good');
  await check(first, reply());
  assert.equal(first.tenant, 'acme');
  assert.equal(first.actor, 'key:k1');
  now = 999;
  const again = request('Bearer dmp_good');
  await check(again, reply());
  assert.equal(again.tenant, 'acme');
  assert.deepEqual(asked, ['dmp_good'], 'held for the TTL');
  now = 1_000;
  await check(request('Bearer dmp_good'), reply());
  assert.deepEqual(asked, ['dmp_good', 'dmp_good'], 'asked again once expired');
  for (let i = 0; i < 2; i++)
    await assert.rejects(check(request('Bearer dmp_bad'), reply()), {
      status: 401,
      message: 'the API key is not valid',
    });
  assert.deepEqual(asked.slice(2), ['dmp_bad', 'dmp_bad'], 'an invalid key is never held');
  await assert.rejects(check(request(), reply()), { status: 401, code: 'unauthorized' });
});

void test('after 20 failed keys in a minute a client gets 429 with Retry-After, the right key too, until the minute ends', async () => {
  const apiKeys = {
    async identify(key: string): Promise<ApiKeyIdentity | undefined> {
      return key === 'dmp_good' ? { tenant: 'acme', keyId: 'k1', role: 'admin' } : undefined;
    },
  };
  let now = 1_000_000;
  const check = requireApiKey(apiKeys, () => now, 1_000, new AuthFailures(20, () => now));
  for (let i = 0; i < 20; i++)
    await assert.rejects(check(request(`Bearer dmp_guess${i}`), reply()), { status: 401 });
  const answer = reply();
  await assert.rejects(check(request('Bearer dmp_guess20'), answer), { status: 429, code: 'rate_limited' });
  assert.equal(answer.sent['retry-after'], '60');
  now += 30_000;
  const right = reply();
  await assert.rejects(
    check(request('Bearer dmp_good'), right),
    { status: 429 },
    'no answer tells a right guess',
  );
  assert.equal(right.sent['retry-after'], '30');
  await check(request('Bearer dmp_good', '198.51.100.7'), reply()); // another client is not held back
  await assert.rejects(check(request(), reply()), { status: 429 });
  now += 30_000;
  await check(request('Bearer dmp_good'), reply());
  await assert.rejects(
    check(request('Bearer dmp_bad'), reply()),
    { status: 401 },
    'a new minute, a new count',
  );
});

void test('clients are counted by IPv4 address, IPv4 inside IPv6 as IPv4, IPv6 by its /64', () => {
  assert.equal(clientKey('203.0.113.5'), '203.0.113.5');
  assert.equal(clientKey('::ffff:203.0.113.5'), '203.0.113.5');
  assert.equal(clientKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:DB8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
  assert.equal(clientKey('64:ff9b::1.2.3.4'), '64:ff9b:0:0::/64');
  const failures = new AuthFailures(2, () => 0, 60_000, 3);
  failures.fail('a');
  failures.fail('a');
  assert.equal(failures.blockedForMs('a'), 60_000);
  for (const client of ['b', 'c', 'd']) failures.fail(client);
  assert.equal(failures.blockedForMs('a'), 0, 'at maxClients the windows are dropped');
});
