import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { tenantState } from '../helpers/tenant-state.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;
const UIDS = ['v-0', 'v-1', 'v-2', 'v-3'];
const SEGMENTS = {
  returning: 'visits >= 2',
  loyal: 'visits >= 3 and pageviews >= 4',
  londoners: 'geo.city == "London" and trait:pricing',
  ios_recent: 'trait:pricing[within 6h] and device.os == "iOS"',
  fresh: 'first_seen within 1d',
};

/** Random histories: times on a 10-minute grid over three days, often 1 ms off (gaps of 30 minutes exactly and either side). */
const event = fc.record({
  uid: fc.constantFrom(...UIDS),
  ts: fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 0, 1, -1), fc.integer({ min: 0, max: 2 }))
    .map(([k, off, day]) => NOW - 3 * 1_440 * MIN + day * 1_440 * MIN + k * 10 * MIN + off),
  type: fc.constantFrom('pageview', 'pageview', 'click'),
  url: fc.constantFrom('https://shop.example.com/pricing', 'https://shop.example.com/blog'),
  geo: fc.constantFrom({ country: 'GB', city: 'London' }, { country: 'FR', city: 'Paris' }, undefined),
  device: fc.constantFrom({ type: 'mobile', os: 'iOS' }, { type: 'desktop', os: 'Linux' }, undefined),
});
type Sent = Record<string, unknown>;

/** A history for every visitor, with the plain case first: two events 2 hours apart, sent newest first. */
function history(): Sent[] {
  const random = fc.sample(fc.array(event, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 13 })[0]!;
  const plain = [
    { uid: 'v-plain', type: 'pageview', url: 'https://shop.example.com/pricing', ts: NOW - 60 * MIN },
    { uid: 'v-plain', type: 'pageview', url: 'https://shop.example.com/pricing', ts: NOW - 180 * MIN },
  ];
  return [
    ...plain,
    ...random.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined))),
  ];
}

async function tenantWithRules(h: TestApp): Promise<{ tenant: string; apiKey: string }> {
  const { tenant, apiKey } = await h.app.catalog.createTenant('acme');
  const trait = { code: 'pricing', name: 'Pricing', rule: 'url.path startsWith "/pricing"' };
  assert.equal((await h.call('POST', '/v1/traits', apiKey, trait)).status, 201);
  for (const [code, rule] of Object.entries(SEGMENTS))
    assert.equal((await h.call('POST', '/v1/segments', apiKey, { code, name: code, rule })).status, 201);
  return { tenant, apiKey };
}

async function send(h: TestApp, apiKey: string, events: readonly Sent[]): Promise<void> {
  const r = await h.call('POST', '/v1/events', apiKey, events);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal((r.body as { accepted: number }).accepted, events.length, JSON.stringify(r.body));
}

/** What the API answers: every profile, every segment's size, and the plain visitor's profile over HTTP. */
async function answers(h: TestApp, tenant: string, apiKey: string) {
  const plain = await h.call('GET', '/v1/profiles/v-plain', apiKey);
  return { state: tenantState(h.app, tenant), plain: plain.body };
}

test('profiles and segments are the same whatever the order events arrive in, across batches and restarts', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'opendmp-arrival-'));
  const clock = manualClock(NOW);
  const events = history();
  const inOrder = await startTestApp(clock, join(root, 'in-order'));
  let shuffled = await startTestApp(clock, join(root, 'shuffled'));
  t.after(async () => {
    await inOrder.app.close();
    await shuffled.app.close();
    await rm(root, { recursive: true, force: true });
  });

  const a = await tenantWithRules(inOrder);
  await send(
    inOrder,
    a.apiKey,
    [...events].sort((x, y) => (x.ts as number) - (y.ts as number)),
  );
  const expected = await answers(inOrder, a.tenant, a.apiKey);
  const plain = expected.plain as { attributes: { visits: number } };
  assert.equal(plain.attributes.visits, 2, 'two events 2 hours apart are two visits');

  // the same events newest first, in three batches, with a clean restart (snapshot) between two
  const b = await tenantWithRules(shuffled);
  const arrival = [...events].sort((x, y) => (y.ts as number) - (x.ts as number));
  const third = Math.ceil(arrival.length / 3);
  await send(shuffled, b.apiKey, arrival.slice(0, third));
  await send(shuffled, b.apiKey, arrival.slice(third, 2 * third));
  await shuffled.app.close();
  shuffled = await startTestApp(clock, join(root, 'shuffled'));
  assert.notEqual(shuffled.app.startup.used, undefined, JSON.stringify(shuffled.app.startup));
  await send(shuffled, b.apiKey, arrival.slice(2 * third));
  assert.deepEqual(await answers(shuffled, b.tenant, b.apiKey), expected);

  // a restart from that snapshot and the log after it, and one replaying the whole log
  const crash = join(root, 'crash');
  await cp(join(root, 'shuffled'), crash, { recursive: true });
  const fromSnapshot = await startTestApp(clock, crash);
  assert.ok(fromSnapshot.app.startup.replayed > 0);
  assert.deepEqual(await answers(fromSnapshot, b.tenant, b.apiKey), expected);
  await fromSnapshot.app.close();
  await rm(join(crash, 'snapshots'), { recursive: true });
  const replayed = await startTestApp(clock, crash);
  assert.equal(replayed.app.startup.used, undefined);
  assert.deepEqual(await answers(replayed, b.tenant, b.apiKey), expected);
  await replayed.app.close();
});
