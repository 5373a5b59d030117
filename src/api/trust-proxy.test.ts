import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { parseTrustProxy } from '../config/trust-proxy-setting.ts';
import type { TrustProxySetting } from '../config/trust-proxy-setting.ts';
import { clientAddress, trustProxy } from './trust-proxy.ts';

// the walk Fastify itself does for request.ip: our pixel fast path must find the same client
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const proxyAddr = fromFastify('@fastify/proxy-addr') as (
  req: IncomingMessage,
  trust: (address: string, hop: number) => boolean,
) => string | undefined;

function request(peer: string, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return { socket: { remoteAddress: peer }, headers, connection: { remoteAddress: peer } } as never;
}

void test('DMP_TRUST_PROXY: unset trusts nobody; a count is hops; a list takes addresses, ranges and names', () => {
  assert.equal(parseTrustProxy(undefined), false);
  assert.equal(parseTrustProxy(' '), false);
  assert.equal(parseTrustProxy('0'), false);
  assert.deepEqual(parseTrustProxy('2'), { hops: 2 });
  assert.deepEqual(parseTrustProxy('10.0.0.0/8, ::1,loopback'), {
    addresses: ['10.0.0.0/8', '::1', 'loopback'],
  });
  for (const bad of ['true', '*', '10.0.0.0/33', '10.0.0', 'proxy.local', '10.0.0.1,,', '-1'])
    assert.throws(() => parseTrustProxy(bad), /DMP_TRUST_PROXY=.*(IP address|CIDR).*unset/, bad);
});

void test('the client address: the socket peer unless it is trusted, then back through X-Forwarded-For', () => {
  const none = trustProxy(false);
  const ours = trustProxy({ addresses: ['10.0.0.0/8', 'loopback'] });
  assert.equal(clientAddress(request('203.0.113.9', '1.2.3.4'), none), '203.0.113.9');
  assert.equal(clientAddress(request('203.0.113.9', '1.2.3.4'), ours), '203.0.113.9', 'untrusted peer');
  assert.equal(clientAddress(request('10.0.0.2', '1.2.3.4'), ours), '1.2.3.4');
  assert.equal(clientAddress(request('::ffff:127.0.0.1', '1.2.3.4'), ours), '1.2.3.4', 'IPv4-mapped peer');
  // a client's own X-Forwarded-For entries before a trusted proxy's stay untrusted
  assert.equal(clientAddress(request('10.0.0.2', '9.9.9.9, 1.2.3.4, 10.0.0.3'), ours), '1.2.3.4');
  assert.equal(clientAddress(request('10.0.0.2', '9.9.9.9, 1.2.3.4'), trustProxy({ hops: 2 })), '9.9.9.9');
});

const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('10.1.2.3', '127.0.0.1', '::1', '::ffff:10.0.0.9', 'fe80::1', '', 'unknown'),
);
const header = fc.array(
  fc.tuple(address, fc.constantFrom('', ' ', '  ', '\t'), fc.constantFrom(',', ', ', ' ,')),
  {
    maxLength: 5,
  },
);
const setting: fc.Arbitrary<TrustProxySetting> = fc.oneof(
  fc.constant(false as const),
  fc.integer({ min: 1, max: 4 }).map((hops) => ({ hops })),
  fc.constantFrom<TrustProxySetting>(
    { addresses: ['10.0.0.0/8'] },
    { addresses: ['loopback', 'uniquelocal'] },
    { addresses: ['linklocal', '2001:db8::/32', '203.0.113.7'] },
  ),
);

void test('property: the same client address as Fastify (proxy-addr) for any header, peer and setting', () => {
  fc.assert(
    fc.property(address, fc.option(header, { nil: undefined }), setting, (peer, parts, s) => {
      const text = parts?.map(([a, pad, sep]) => `${pad}${a}${pad}${sep}`).join('');
      const req = request(peer === '' ? '127.0.0.1' : peer, text);
      const trust = trustProxy(s);
      assert.equal(clientAddress(req, trust), proxyAddr(req, trust));
    }),
    { numRuns: 2000 },
  );
});
