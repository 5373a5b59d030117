import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { LONDON_IP, MOUNTAIN_VIEW_IP, CHROME_UA } from '../helpers/addresses.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const SEED = 'trait:pricing_visitor[within 30d] and geo.city == "London" and visits >= 2';

test('the seed scenario over HTTP: /px and /v1/events, lookups, sizes, and a window expiring', async (t) => {
  const clock = manualClock(NOW);
  // the pixels come through a proxy on this machine that names the visitor's address
  const h = await startTestApp(clock, undefined, { config: { trustProxy: { addresses: ['loopback'] } } });
  t.after(() => h.close());
  const { apiKey, siteKey } = await h.app.catalog.createTenant('acme');

  const trait = await h.call('POST', '/v1/traits', apiKey, {
    code: 'pricing_visitor',
    name: 'Visited pricing',
    rule: 'url.path startsWith "/pricing"',
    lifetimeDays: 120,
    folder: 'Site/Intent',
    source: 'first-party',
  });
  assert.equal(trait.status, 201, JSON.stringify(trait.body));
  const segment = await h.call('POST', '/v1/segments', apiKey, {
    code: 'london_pricing',
    name: 'London pricing',
    rule: SEED,
  });
  assert.equal(segment.status, 201, JSON.stringify(segment.body));

  const page = (uid: string, ip: string, at: number, path: string) => ({
    uid,
    ip,
    ua: CHROME_UA,
    ts: at,
    url: `https://shop.example.com${path}`,
  });
  const events = [
    page('in-events', LONDON_IP, NOW - 10 * DAY, '/pricing/plans'),
    page('in-events', LONDON_IP, NOW - 1 * DAY, '/'),
    page('not-london', MOUNTAIN_VIEW_IP, NOW - 10 * DAY, '/pricing/plans'),
    page('not-london', MOUNTAIN_VIEW_IP, NOW - 1 * DAY, '/'),
    page('one-visit', LONDON_IP, NOW - 2 * DAY, '/pricing/plans'),
    page('one-visit', LONDON_IP, NOW - 2 * DAY + 5 * 60_000, '/'),
    page('too-long-ago', LONDON_IP, NOW - 40 * DAY, '/pricing/plans'),
    page('too-long-ago', LONDON_IP, NOW - 1 * DAY, '/'),
    page('at-the-edge', LONDON_IP, NOW - 30 * DAY + HOUR, '/pricing/enterprise'),
    page('at-the-edge', LONDON_IP, NOW - 1 * DAY, '/'),
  ];
  const ndjson = events.map((e) => JSON.stringify(e)).join('\n');
  const posted = await h.call('POST', '/v1/events', apiKey, ndjson, {
    'content-type': 'application/x-ndjson',
  });
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  assert.deepEqual(posted.body, { accepted: events.length, rejected: [] });

  const pixel = async (uid: string, at: number, path: string, ip: string) => {
    const url = encodeURIComponent(`https://shop.example.com${path}`);
    const response = await fetch(`${h.base}/px?site=${siteKey}&uid=${uid}&ts=${at}&url=${url}`, {
      headers: { 'x-forwarded-for': ip, 'user-agent': CHROME_UA },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/gif');
  };
  await pixel('in-pixel', NOW - 3 * DAY, '/pricing', LONDON_IP);
  await pixel('in-pixel', NOW - 1 * DAY, '/blog/post', LONDON_IP);
  await pixel('pixel-not-london', NOW - 3 * DAY, '/pricing', MOUNTAIN_VIEW_IP);
  await pixel('pixel-not-london', NOW - 1 * DAY, '/', MOUNTAIN_VIEW_IP);

  const members = async (): Promise<string[]> => {
    const uids = [
      'in-events',
      'not-london',
      'one-visit',
      'too-long-ago',
      'at-the-edge',
      'in-pixel',
      'pixel-not-london',
    ];
    const inside: string[] = [];
    for (const uid of uids) {
      const r = await h.call('GET', `/v1/profiles/${uid}/segments`, apiKey);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      if ((r.body as { segments: string[] }).segments.includes('london_pricing')) inside.push(uid);
    }
    return inside;
  };
  const size = async (): Promise<number> => {
    const r = await h.call('GET', '/v1/segments/london_pricing/size', apiKey);
    assert.equal(r.status, 200);
    const body = r.body as { size: number; exact: boolean; asOf: string };
    assert.equal(body.exact, true);
    assert.equal(body.asOf, new Date(clock.now()).toISOString());
    return body.size;
  };

  assert.deepEqual(await members(), ['in-events', 'at-the-edge', 'in-pixel']);
  assert.equal(await size(), 3);
  const adhoc = await h.call('POST', '/v1/audience/size', apiKey, { rule: SEED });
  assert.equal((adhoc.body as { size: number }).size, 3);

  const profile = await h.call('GET', '/v1/profiles/in-pixel', apiKey);
  const p = profile.body as {
    attributes: { visits: number; geo: { city?: string } };
    traits: { code: string; count: number }[];
  };
  assert.equal(p.attributes.visits, 2);
  assert.equal(p.attributes.geo.city, 'London');
  assert.deepEqual(
    p.traits.map((x) => [x.code, x.count]),
    [['pricing_visitor', 1]],
  );

  // Two hours later, with no new event, the edge visitor's pricing visit is older than 30 days.
  clock.advance(2 * HOUR);
  assert.deepEqual(await members(), ['in-events', 'in-pixel']);
  assert.equal(await size(), 2);

  // The profile listing agrees with the lookups and the size.
  const listed = await h.call('GET', '/v1/profiles?limit=3', apiKey);
  let body = listed.body as { profiles: { uid: string; segments: string[] }[]; nextCursor: string | null };
  const all = [...body.profiles];
  while (body.nextCursor !== null) {
    body = (await h.call('GET', `/v1/profiles?limit=3&cursor=${body.nextCursor}`, apiKey))
      .body as typeof body;
    all.push(...body.profiles);
  }
  assert.equal(all.length, 7);
  assert.equal(all.filter((x) => x.segments.includes('london_pricing')).length, await size());

  const explained = await h.call('GET', '/v1/profiles/one-visit/explain?segment=london_pricing', apiKey);
  assert.equal(explained.status, 200);
  assert.equal((explained.body as { explanation: { result: boolean } }).explanation.result, false);
});
