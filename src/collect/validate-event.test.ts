import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { createUserAgentParser } from './user-agent-parser.ts';
import type { ValidateContext } from './validate-context.ts';
import { validateEvent } from './validate-event.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const enrich = createEnricher({ userAgent: createUserAgentParser(100) });

function context(overrides: Partial<ValidateContext> = {}): ValidateContext {
  return {
    now: NOW,
    maxAgeMs: 120 * DAY,
    maxFutureMs: 5 * 60_000,
    limits: defaultLimits,
    trusted: false,
    enrich,
    ...overrides,
  };
}

const list = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${i}`);
const keys = (n: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

// [what is wrong, the raw event, trusted sender, what the message must contain]
const bad: [string, unknown, boolean, string][] = [
  ['not an object', 'uid=1', false, 'events[7]: expected an event object'],
  [
    'an array',
    [{ uid: 'a' }],
    false,
    'events[7]: expected an event object like {"uid": "..."}, got an array',
  ],
  ['no uid and no ids', { type: 'click' }, false, 'events[7]: has no visitor ID'],
  ['empty ids and no uid', { ids: {} }, false, 'events[7]: has no visitor ID'],
  [
    'uid a number',
    { uid: 5 },
    false,
    'events[7].uid: expected a string, got a number 5; send IDs as strings',
  ],
  ['uid empty', { uid: '' }, false, 'events[7].uid: is empty'],
  [
    'uid too long',
    { uid: 'x'.repeat(257) },
    false,
    'events[7].uid: is 257 characters long; the limit is 256',
  ],
  ['ids not an object', { ids: 'maid' }, false, 'events[7].ids: expected an object'],
  ['ids type in capitals', { ids: { MAID: 'x' } }, false, 'events[7].ids: ID type "MAID" is not allowed'],
  ['ids type too long', { ids: { ['a'.repeat(33)]: 'x' } }, false, 'events[7].ids: ID type'],
  ['ids value empty', { ids: { maid: '' } }, false, 'events[7].ids.maid: is empty'],
  ['ids value a number', { uid: 'a', ids: { maid: 1 } }, false, 'events[7].ids.maid: expected a string'],
  ['too many ids', { ids: keys(21) }, false, 'events[7].ids: has 21 entries; send at most 20'],
  [
    'type with a space',
    { uid: 'a', type: 'page view' },
    false,
    'events[7].type: "page view" is not an event type',
  ],
  ['type a number', { uid: 'a', type: 3 }, false, 'events[7].type: 3 is not an event type'],
  ['type too long', { uid: 'a', type: 'x'.repeat(65) }, false, 'events[7].type:'],
  [
    'ts a word',
    { uid: 'a', ts: 'yesterday' },
    false,
    'events[7].ts: "yesterday" is not a timestamp; send epoch milliseconds or ISO-8601',
  ],
  ['ts a boolean', { uid: 'a', ts: true }, false, 'events[7].ts: true is not a timestamp'],
  [
    'ts an impossible date',
    { uid: 'a', ts: '2026-13-01' },
    false,
    'events[7].ts: "2026-13-01" is not a timestamp',
  ],
  [
    'ts without a zone',
    { uid: 'a', ts: '2026-11-20T10:00:00' },
    false,
    'events[7].ts: "2026-11-20T10:00:00" has no time zone',
  ],
  [
    'ts in the future',
    { uid: 'a', ts: NOW + 10 * 60_000 },
    false,
    'events[7].ts: 2026-11-20T12:10:00.000Z is in the future',
  ],
  [
    'ts too old',
    { uid: 'a', ts: NOW - 121 * DAY },
    false,
    'events[7].ts: ' + String(NOW - 121 * DAY) + ' is older than',
  ],
  ['ts beyond any date', { uid: 'a', ts: 1e300 }, false, 'events[7].ts: 1e+300 is in the future'],
  ['ts a huge ISO year', { uid: 'a', ts: '+275760-09-13T00:00:01Z' }, false, 'events[7].ts:'],
  ['ts in seconds', { uid: 'a', ts: Math.floor(NOW / 1000) }, false, 'looks like seconds'],
  ['ts negative', { uid: 'a', ts: -1 }, false, 'events[7].ts: -1 is not a timestamp'],
  [
    'url not http',
    { uid: 'a', url: 'ftp://example.com/x' },
    false,
    'events[7].url: "ftp://example.com/x" is not an http(s) URL',
  ],
  ['url relative', { uid: 'a', url: '/pricing' }, false, 'events[7].url: "/pricing" is not an http(s) URL'],
  ['url a number', { uid: 'a', url: 42 }, false, 'events[7].url: expected a URL string, got a number'],
  [
    'url too long',
    { uid: 'a', url: 'https://a.com/' + 'x'.repeat(4096) },
    false,
    'events[7].url: is 4110 characters long',
  ],
  [
    'referrer not a URL',
    { uid: 'a', referrer: 'google' },
    false,
    'events[7].referrer: "google" is not an http(s) URL',
  ],
  ['signals a list', { uid: 'a', signals: ['shoes'] }, false, 'events[7].signals: expected an object'],
  [
    'too many signals',
    { uid: 'a', signals: keys(101) },
    false,
    'events[7].signals: has 101 keys; send at most 100',
  ],
  [
    'signal key with a space',
    { uid: 'a', signals: { 'a b': 1 } },
    false,
    'events[7].signals: key "a b" is not allowed',
  ],
  ['signal key too long', { uid: 'a', signals: { ['k'.repeat(65)]: 1 } }, false, 'events[7].signals: key'],
  ['signal key __proto__', JSON.parse('{"uid":"a","signals":{"__proto__":"x"}}'), false, 'key "__proto__"'],
  [
    'signal value an object',
    { uid: 'a', signals: { x: { y: 1 } } },
    false,
    'events[7].signals.x: expected a string, number or boolean',
  ],
  [
    'signal value null',
    { uid: 'a', signals: { x: null } },
    false,
    'events[7].signals.x: expected a string, number or boolean',
  ],
  [
    'signal value too long',
    { uid: 'a', signals: { x: 'y'.repeat(1025) } },
    false,
    'events[7].signals.x: is 1025 characters long',
  ],
  [
    'signal list too long',
    { uid: 'a', signals: { tags: list(101) } },
    false,
    'events[7].signals.tags: has 101 items',
  ],
  [
    'signal list with an object',
    { uid: 'a', signals: { tags: ['a', {}] } },
    false,
    'events[7].signals.tags[1]: expected',
  ],
  ['consent a string', { uid: 'a', consent: 'CQ' }, false, 'events[7].consent: expected an object'],
  ['consent.gdpr 2', { uid: 'a', consent: { gdpr: 2 } }, false, 'events[7].consent.gdpr: 2 is not 0 or 1'],
  [
    'consent.gdpr a string',
    { uid: 'a', consent: { gdpr: '1' } },
    false,
    'events[7].consent.gdpr: "1" is not 0 or 1',
  ],
  [
    'consent.tcf a number',
    { uid: 'a', consent: { tcf: 1 } },
    false,
    'events[7].consent.tcf: expected a string',
  ],
  [
    'consent.gpp too long',
    { uid: 'a', consent: { gpp: 'D'.repeat(8193) } },
    false,
    'events[7].consent.gpp: is 8193',
  ],
  [
    'consent.gppSid a number',
    { uid: 'a', consent: { gppSid: 2 } },
    false,
    'events[7].consent.gppSid: expected a list',
  ],
  [
    'consent.gppSid with text',
    { uid: 'a', consent: { gppSid: [2, 'x'] } },
    false,
    'events[7].consent.gppSid[1]: "x"',
  ],
  [
    'consent misspelt',
    { uid: 'a', consent: { gdrp: 1 } },
    false,
    'events[7].consent: unknown field "gdrp" (did you mean "gdpr"?)',
  ],
  [
    'ip not an address',
    { uid: 'a', ip: '81.2.69' },
    false,
    'events[7].ip: "81.2.69" is not an IPv4 or IPv6 address',
  ],
  ['ua a number', { uid: 'a', ua: 5 }, false, 'events[7].ua: expected a User-Agent string'],
  ['ua too long', { uid: 'a', ua: 'M'.repeat(1025) }, false, 'events[7].ua: is 1025 characters long'],
  [
    'geo from a site key',
    { uid: 'a', geo: { country: 'GB' } },
    false,
    'events[7].geo: only server-to-server requests',
  ],
  [
    'device from a site key',
    { uid: 'a', device: { type: 'tv' } },
    false,
    'events[7].device: only server-to-server',
  ],
  [
    'geo.country not a code',
    { uid: 'a', geo: { country: 'gb' } },
    true,
    'events[7].geo.country: "gb" is not an ISO 3166-1',
  ],
  ['geo a string', { uid: 'a', geo: 'GB' }, true, 'events[7].geo: expected an object'],
  [
    'geo misspelt',
    { uid: 'a', geo: { cty: 'London' } },
    true,
    'events[7].geo: unknown field "cty" (did you mean "city"?)',
  ],
  [
    'geo.city empty',
    { uid: 'a', geo: { city: '' } },
    true,
    'events[7].geo.city: must be 1 to 128 characters',
  ],
  [
    'device.type unknown',
    { uid: 'a', device: { type: 'phone' } },
    true,
    'events[7].device.type: "phone" is not one of desktop',
  ],
  ['device.os a number', { uid: 'a', device: { os: 1 } }, true, 'events[7].device.os: expected a string'],
  [
    'a misspelt field',
    { uid: 'a', tss: 1 },
    false,
    'events[7]: unknown field "tss" (did you mean "ts"?); allowed fields are uid',
  ],
  [
    'unknown fields',
    { uid: 'a', foo: 1, signal: {} },
    false,
    'events[7]: unknown fields "foo", "signal" (did you mean "signals"?)',
  ],
];

for (const [name, raw, trusted, expected] of bad) {
  void test(`validateEvent rejects ${name}`, () => {
    const result = validateEvent(raw, 7, context({ trusted }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.rejection.index, 7);
    assert.ok(
      result.rejection.error.includes(expected),
      `${result.rejection.error}\n  should contain\n${expected}`,
    );
  });
}

void test('validateEvent accepts the docs/api.md example and enriches it', () => {
  const raw = {
    uid: 'c-123',
    type: 'pageview',
    ts: '2026-11-20T10:00:00Z',
    url: 'https://Shop.example.com/pricing?utm_source=news&utm_campaign=winter',
    referrer: 'https://www.google.com/search?q=x',
    signals: { category: 'shoes', value: 120, tags: ['sale', 'winter'] },
    ip: '81.2.69.160',
    ua: IPHONE,
    ids: { maid: '6d92078a-8246-4ba4-ae5b-76104861e7dc' },
    consent: { gdpr: 1, tcf: 'CQ...', usp: '1YNN', gpp: 'DB...', gppSid: [2] },
  };
  const result = validateEvent(raw, 0, context({ gpc: true, ua: CHROME }));
  assert.ok(result.ok);
  assert.deepEqual(result.event, {
    uid: 'c-123',
    ids: { maid: '6d92078a-8246-4ba4-ae5b-76104861e7dc' },
    type: 'pageview',
    ts: Date.parse('2026-11-20T10:00:00Z'),
    url: {
      href: 'https://shop.example.com/pricing?utm_source=news&utm_campaign=winter',
      host: 'shop.example.com',
      path: '/pricing',
      query: { utm_source: 'news', utm_campaign: 'winter' },
    },
    referrer: { href: 'https://www.google.com/search?q=x', host: 'www.google.com' },
    utm: { source: 'news', campaign: 'winter' },
    signals: { category: 'shoes', value: 120, tags: ['sale', 'winter'] },
    geo: {},
    device: { type: 'mobile', os: 'iOS', browser: 'Mobile Safari' },
    ip: '81.2.69.0',
    consent: { gdpr: 1, tcf: 'CQ...', usp: '1YNN', gpp: 'DB...', gppSid: [2], gpc: true },
  });
});

void test('validateEvent fills defaults from the request: type, ts, ip and ua', () => {
  const result = validateEvent({ uid: 'a' }, 0, context({ ip: '2001:db8:85a3::8a2e:370:7334', ua: CHROME }));
  assert.ok(result.ok);
  const { event } = result;
  assert.equal(event.type, 'pageview');
  assert.equal(event.ts, NOW);
  assert.equal(event.ip, '2001:db8:85a3::');
  assert.equal(event.device.type, 'desktop');
  assert.deepEqual(event.utm, {});
  assert.deepEqual(event.signals, {});
  assert.equal(event.consent, undefined);
});

void test('validateEvent makes uid from the first ids entry by type when uid is absent', () => {
  const maid = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
  const result = validateEvent({ ids: { ppid: 'p1', maid, cookie: 'c1' } }, 0, context());
  assert.ok(result.ok);
  assert.equal(result.event.uid, 'cookie:c1');
  assert.deepEqual(result.event.ids, { ppid: 'p1', maid, cookie: 'c1' });
});

void test('validateEvent accepts epoch ms as a number or digits, ISO with an offset, and treats null as absent', () => {
  const cases: [unknown, number][] = [
    [NOW - 1000.7, NOW - 1001],
    [String(NOW - 5000), NOW - 5000],
    ['2026-11-20T12:00:00+01:00', NOW - 3_600_000],
    ['2026-11-20', Date.parse('2026-11-20T00:00:00Z')],
    [null, NOW],
  ];
  for (const [ts, expected] of cases) {
    const result = validateEvent({ uid: 'a', ts, url: null, signals: null, site: 'pub-key' }, 0, context());
    assert.ok(result.ok, String(ts));
    assert.equal(result.event.ts, expected, String(ts));
  }
});

void test('validateEvent lets a trusted sender override geo and device, and prefers the event ip and ua', () => {
  const trusted = validateEvent(
    {
      uid: 'a',
      geo: { country: 'FR', city: 'Paris' },
      device: { type: 'tv' },
      ua: IPHONE,
      ip: '81.2.69.160',
    },
    0,
    context({ trusted: true, ua: CHROME, ip: '8.8.8.8' }),
  );
  assert.ok(trusted.ok);
  assert.deepEqual(trusted.event.geo, { country: 'FR', city: 'Paris' });
  assert.deepEqual(trusted.event.device, { type: 'tv' });
  assert.equal(trusted.event.ip, '81.2.69.0');

  const eventUa = validateEvent({ uid: 'a', ua: IPHONE }, 0, context({ ua: CHROME }));
  assert.ok(eventUa.ok);
  assert.equal(eventUa.event.device.type, 'mobile');
});

void test('validateEvent ignores an invalid request address rather than rejecting the event', () => {
  const result = validateEvent({ uid: 'a' }, 0, context({ ip: 'unknown' }));
  assert.ok(result.ok);
  assert.equal(result.event.ip, undefined);
});
