import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLimits } from './collect-limits.ts';
import { createEnricher } from './enricher.ts';
import { pixelToRawEvent } from './pixel-to-raw-event.ts';
import { validateEvent } from './validate-event.ts';

/** What the collector validates a public (site key) event with, at a fixed time. */
const ctx = {
  now: 1795168800000,
  maxAgeMs: 86_400_000,
  maxFutureMs: 300_000,
  limits: defaultLimits,
  trusted: false,
  enrich: createEnricher({}),
};

void test('pixelToRawEvent maps every GET /px parameter', () => {
  const raw = pixelToRawEvent(
    {
      site: 'pk_123',
      e: 'purchase',
      url: 'https://shop.example.com/cart?utm_source=news',
      ref: 'https://www.google.com/',
      uid: 'c-123',
      's.category': 'shoes',
      's.tag': ['sale', 'winter'],
      's.value': '120',
      ts: '1795168800000',
      gdpr: '1',
      gdpr_consent: 'CQabc',
      us_privacy: '1YNN',
      gpp: 'DBABM',
      gpp_sid: '2,7',
      cb: '12345',
    },
    'https://ignored.example.com/',
  );
  assert.deepEqual(raw, {
    type: 'purchase',
    url: 'https://shop.example.com/cart?utm_source=news',
    referrer: 'https://www.google.com/',
    uid: 'c-123',
    ts: '1795168800000',
    signals: { category: 'shoes', tag: ['sale', 'winter'], value: '120' },
    consent: { gdpr: 1, tcf: 'CQabc', usp: '1YNN', gpp: 'DBABM', gppSid: [2, 7] },
  });
});

void test('pixelToRawEvent takes the url from the Referer header when absent, and drops empty parameters', () => {
  assert.deepEqual(pixelToRawEvent({ site: 'k', uid: 'u', e: '', 's.x': '' }, 'https://page.example.com/a'), {
    url: 'https://page.example.com/a',
    uid: 'u',
    signals: { x: '' },
  });
  assert.deepEqual(pixelToRawEvent({ uid: ['u1', 'u2'] }, undefined), { uid: 'u1' });
});

void test('pixelToRawEvent output goes through the same validator, with the same messages', () => {
  const good = validateEvent(
    pixelToRawEvent({ uid: 'u', 's.tag': ['a', 'b'], ts: '1795168800000', gdpr: '0' }, 'https://x.example/'),
    0,
    ctx,
  );
  assert.ok(good.ok);
  assert.deepEqual(good.event.signals, { tag: ['a', 'b'] });
  assert.equal(good.event.ts, 1795168800000);
  assert.equal(good.event.url?.host, 'x.example');
  assert.deepEqual(good.event.consent, { gdpr: 0 });

  const badSid = validateEvent(pixelToRawEvent({ uid: 'u', gpp_sid: '2,x' }, undefined), 0, ctx);
  assert.ok(!badSid.ok);
  assert.match(badSid.rejection.error, /^events\[0\]\.consent\.gppSid\[1\]: "x"/);
  const badGdpr = validateEvent(pixelToRawEvent({ uid: 'u', gdpr: 'yes' }, undefined), 0, ctx);
  assert.ok(!badGdpr.ok);
  assert.match(badGdpr.rejection.error, /^events\[0\]\.consent\.gdpr: "yes" is not 0 or 1/);
});

void test('pixelToRawEvent maps i.TYPE to ids, which validation normalises and checks like any event', () => {
  const maid = '6D92078A-8246-4BA4-AE5B-76104861E7DC';
  const hash = 'a'.repeat(64);
  const raw = pixelToRawEvent({ site: 'k', e: 'login', 'i.maid': maid, 'i.email_sha256': hash }, undefined);
  assert.deepEqual(raw, { type: 'login', ids: { maid, email_sha256: hash } });
  const checked = validateEvent({ ...(raw as object), uid: 'c-1' }, 0, ctx);
  assert.ok(checked.ok, JSON.stringify(checked));
  assert.deepEqual(checked.event.ids, { maid: maid.toLowerCase(), email_sha256: hash });
  // a clear e-mail address is refused, naming the field
  const clear = validateEvent(
    { ...(pixelToRawEvent({ 'i.email_sha256': 'ann@example.com' }, undefined) as object), uid: 'c-1' },
    0,
    ctx,
  );
  assert.ok(!clear.ok);
  assert.match(clear.rejection.error, /ids\.email_sha256: email_sha256 takes a hash/);
});
