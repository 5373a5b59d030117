import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { openGeo, type GeoLookup } from './geo-lookup.ts';
import { validateEvent } from './validate-event.ts';

// What the shipped DB-IP Lite data says (June 2026 edition); a newer edition may move a city.
let geo: GeoLookup;
before(async () => {
  geo = await openGeo();
});

void test('openGeo finds London for 81.2.69.160, with the ISO 3166-2 region', () => {
  assert.deepEqual({ ...geo.lookup('81.2.69.160') }, { country: 'GB', region: 'GB-ENG', city: 'London' });
});

void test('openGeo finds a US address with its state code', () => {
  const place = geo.lookup('8.8.8.8');
  assert.equal(place.country, 'US');
  assert.equal(place.region, 'US-CA');
});

void test('openGeo keeps the region name where no code is known', () => {
  const place = geo.lookup('185.60.216.35');
  assert.equal(place.country, 'BR');
  assert.equal(place.region, 'Maranhao');
});

void test('openGeo looks up IPv6 and IPv4-mapped IPv6 addresses', () => {
  assert.equal(geo.lookup('2a03:2880:f003:c07:face:b00c::2').country, 'US');
  assert.equal(geo.lookup('::ffff:81.2.69.160').country, 'GB');
});

void test('openGeo gives {} for private, loopback and invalid addresses', () => {
  for (const ip of ['192.168.1.1', '10.0.0.1', '127.0.0.1', '::1', 'fe80::1', 'not an ip', '']) {
    assert.deepEqual({ ...geo.lookup(ip) }, {}, ip);
  }
});

void test('validateEvent looks up geo on the whole address and stores only the truncated one', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  const ctx = {
    now,
    maxAgeMs: 120 * 86_400_000,
    maxFutureMs: 300_000,
    limits: defaultLimits,
    trusted: false,
    ip: '81.2.69.160',
    enrich: createEnricher({ geo }),
  };
  const result = validateEvent({ uid: 'c-1' }, 0, ctx);
  assert.ok(result.ok);
  assert.equal(result.event.geo.country, 'GB');
  assert.equal(result.event.geo.city, 'London');
  assert.equal(result.event.ip, '81.2.69.0');
  assert.ok(!JSON.stringify(result.event).includes('81.2.69.160'));

  const v6 = validateEvent({ uid: 'c-1', ip: '2a03:2880:f003:c07:face:b00c::2' }, 0, ctx);
  assert.ok(v6.ok);
  assert.equal(v6.event.geo.country, 'US');
  assert.equal(v6.event.ip, '2a03:2880:f003::');
});
