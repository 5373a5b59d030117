import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { manualClock } from '../../src/core/clock.ts';
import type { TrustProxySetting } from '../../src/config/trust-proxy-setting.ts';
import { LONDON_IP, MOUNTAIN_VIEW_IP } from '../helpers/addresses.ts';
import { startTestApp } from '../helpers/test-app.ts';
import type { TestAppOptions } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const UID = 'visitor-uid-5c1e';
const COOKIE_UID = 'cookie-uid-77ad';
const CONSENT = 'CQAbCdEQAbCdEAHABBENBOFgAP_gAAAAAAAAAAAAAAAA';
const LOOPBACK: TrustProxySetting = { addresses: ['loopback'] };

/** A stream that keeps every log line written to it. */
function logLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

async function start(options: TestAppOptions) {
  return startTestApp(manualClock(NOW), undefined, options);
}

test('request logs hold no visitor ID, consent string, site key, key, cookie, query string or whole address', async (t) => {
  const { stream, lines } = logLines();
  const h = await start({ config: { logLevel: 'info', trustProxy: LOOPBACK }, app: { logStream: stream } });
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');
  const url = encodeURIComponent('https://shop.example.com/pricing?email=someone%40example.com');
  const query = `site=${siteKey}&uid=${UID}&gdpr=1&gdpr_consent=${CONSENT}&url=${url}`;
  const headers = { 'x-forwarded-for': LONDON_IP, cookie: `dmp_uid=${COOKIE_UID}` };
  await h.call('GET', `/px?${query}`, undefined, undefined, headers);
  await h.call('GET', `/px?site=${siteKey}&url=${url}`, undefined, undefined, headers);
  await h.call('POST', '/v1/events', apiKey, [{ uid: UID }], { 'x-forwarded-for': LONDON_IP });
  await h.call('GET', `/v1/profiles/${UID}`, apiKey, undefined, { 'x-forwarded-for': LONDON_IP });
  await h.call('GET', `/no/such/${UID}?uid=${UID}`, undefined, undefined, headers);
  // errors too: an unknown visitor (its ID in the problem's detail), a bad event, a wrong key
  await h.call('GET', `/v1/profiles/${COOKIE_UID}`, apiKey);
  await h.call('POST', '/v1/events', apiKey, [{ uid: UID, ts: 'not-a-time', consent: { tcf: CONSENT } }]);
  await h.call('GET', '/v1/traits', `${apiKey}x`);

  const requests = lines.filter((line) => line.includes('"req"'));
  assert.ok(
    requests.some((line) => line.includes('"/px"')),
    'the pixel requests are logged, by route',
  );
  assert.ok(requests.some((line) => line.includes('"/v1/profiles/:uid"')));
  assert.ok(
    requests.some((line) => line.includes('81.2.69.0')),
    'the client address, truncated',
  );
  const text = lines.join('\n');
  for (const secret of [UID, COOKIE_UID, CONSENT, siteKey, apiKey, LONDON_IP, 'someone', 'gdpr_consent'])
    assert.ok(!text.includes(secret), `the log holds ${secret}`);
});

test('X-Forwarded-For counts only from a configured proxy: for the rate limit and for geography', async (t) => {
  const rateLimits = { apiPerKey: 0, collectPerIp: 3 };
  const statuses = async (trustProxy: TrustProxySetting, forwardedFor: (i: number) => string) => {
    const h = await start({ config: { rateLimits, trustProxy } });
    t.after(() => h.close());
    const { siteKey } = await h.app.catalog.createTenant('acme');
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) {
      const headers = { 'x-forwarded-for': forwardedFor(i) };
      answers.push(
        (await h.call('GET', `/px?site=${siteKey}&uid=u-${i}`, undefined, undefined, headers)).status,
      );
    }
    return answers;
  };
  // a client sets any X-Forwarded-For it likes: not trusted, they are all one client (the socket's)
  assert.deepEqual(await statuses(false, (i) => `198.51.100.${i + 1}`), [200, 200, 200, 429]);
  // the proxy on this machine is trusted: four clients, then one client four times
  assert.deepEqual(await statuses(LOOPBACK, (i) => `198.51.100.${i + 1}`), [200, 200, 200, 200]);
  assert.deepEqual(await statuses(LOOPBACK, () => '198.51.100.9'), [200, 200, 200, 429]);

  const city = async (trustProxy: TrustProxySetting) => {
    const h = await start({ config: { trustProxy } });
    t.after(() => h.close());
    const { tenant, siteKey } = await h.app.catalog.createTenant('acme');
    const headers = { 'x-forwarded-for': `${MOUNTAIN_VIEW_IP}, ${LONDON_IP}` };
    assert.equal(
      (await h.call('GET', `/px?site=${siteKey}&uid=geo`, undefined, undefined, headers)).status,
      200,
    );
    const profile = h.app.profileService.get(tenant, { uid: 'geo' }) as {
      attributes: { geo: { city?: string } };
    };
    return profile.attributes.geo.city;
  };
  assert.equal(await city(false), undefined, 'the spoofed address is not used');
  assert.equal(await city(LOOPBACK), 'London', "the address the trusted proxy saw (the last entry's)");
});

test('21 wrong API keys from one address: 429 with Retry-After, even for the right key, other addresses unaffected', async (t) => {
  const h = await start({ config: { trustProxy: LOOPBACK } });
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  for (let i = 0; i < 20; i++) {
    const answer = await h.call('GET', '/v1/traits', `dmp_guess_${i}`, undefined, from('203.0.113.50'));
    assert.equal(answer.status, 401, `attempt ${i + 1}`);
  }
  const over = await h.call('GET', '/v1/traits', 'dmp_guess_20', undefined, from('203.0.113.50'));
  assert.equal(over.status, 429);
  assert.equal((over.body as { code: string }).code, 'rate_limited');
  assert.ok(Number(over.headers.get('retry-after')) >= 1);
  assert.equal((await h.call('GET', '/v1/traits', apiKey, undefined, from('203.0.113.50'))).status, 429);
  assert.equal((await h.call('GET', '/v1/traits', apiKey, undefined, from('203.0.113.51'))).status, 200);
});

test('/metrics: off without a token, 401 without the right one, and no tenant ID in what it shows', async (t) => {
  const off = await start({});
  t.after(() => off.close());
  assert.equal((await off.call('GET', '/metrics')).status, 404);

  const h = await start({ config: { metricsToken: 'operator-secret-token' } });
  t.after(() => h.close());
  const tenants = [];
  for (const name of ['acme-corp', 'globex-industries']) {
    const { tenant, apiKey } = await h.app.catalog.createTenant(name);
    tenants.push(tenant);
    await h.call('POST', '/v1/events', apiKey, [{ uid: 'a' }, { type: 'x' }]);
    await h.call('GET', '/v1/traits', apiKey);
  }
  assert.equal((await h.call('GET', '/metrics')).status, 401);
  assert.equal((await h.call('GET', '/metrics', 'operator-secret-tokem')).status, 401);
  const shown = await h.call('GET', '/metrics', 'operator-secret-token');
  assert.equal(shown.status, 200);
  const text = shown.body as string;
  assert.match(text, /dmp_events_accepted_total 2/);
  for (const tenant of tenants) assert.ok(!text.includes(tenant), `metrics name tenant ${tenant}`);
  assert.ok(!/tenant=/.test(text));
});
