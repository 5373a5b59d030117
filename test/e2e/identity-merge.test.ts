import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { manualClock } from '../../src/core/clock.ts';
import { seedDeviceRules } from '../helpers/device-rules.ts';
import { restartableApp } from '../helpers/restartable-app.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const MIN = 60_000;
const LAPTOP = 'c-laptop-1';
const PHONE = 'c-phone-1';
const MAID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const EMAIL = createHash('sha256').update('ann@example.com').digest('hex');

interface Profile {
  uid: string;
  ids: Record<string, string>;
  attributes: { visits: number; firstSeen: string };
  traits: { code: string; count: number }[];
  segments: string[];
}

async function size(h: TestApp, key: string, code: string): Promise<number> {
  const res = await h.call('GET', `/v1/segments/${code}/size`, key);
  assert.equal(res.status, 200);
  return (res.body as { size: number }).size;
}

async function profile(h: TestApp, key: string, path: string): Promise<Profile> {
  const res = await h.call('GET', path, key);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body as Profile;
}

test('a login on a laptop and on a phone merges their profiles, exactly, across a restart and a deletion', async (t) => {
  const app = await restartableApp(t, NOW, 'opendmp-merge-');
  let h = app.h;
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await h.call('POST', path, apiKey, body);
    assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await seedDeviceRules(h, apiKey);
  await post('/v1/segments', { code: 'app_users', name: 'M', rule: 'trait:app_user' });

  await post('/v1/events', [
    { uid: LAPTOP, url: 'https://shop.example.com/pricing', ts: NOW - 60 * MIN },
    // the app's SDK sends our cookie with the device ID: one first-party event links them
    { uid: PHONE, ids: { maid: MAID }, type: 'app_open', ts: NOW - 50 * MIN },
    // the phone's browser alone: an event that names only a cookie the merge makes the second of its type
    { uid: PHONE, url: 'https://shop.example.com/phone', ts: NOW - 49 * MIN },
    { uid: 'c-other', url: 'https://shop.example.com/pricing', ts: NOW - 45 * MIN },
  ]);
  assert.equal(await size(h, apiKey, 'everyone'), 3);
  assert.equal(await size(h, apiKey, 'both'), 0);

  // the laptop logs in: nothing to merge yet; then the phone logs in with the same e-mail hash
  await post('/v1/events', [
    { uid: LAPTOP, ids: { email_sha256: EMAIL }, type: 'login', ts: NOW - 40 * MIN },
  ]);
  assert.equal(await size(h, apiKey, 'everyone'), 3);
  await post('/v1/events', [{ uid: PHONE, ids: { email_sha256: EMAIL }, type: 'login', ts: NOW - 30 * MIN }]);

  const check = async (): Promise<void> => {
    const byLaptop = await profile(h, apiKey, `/v1/profiles/${LAPTOP}`);
    const byPhone = await profile(h, apiKey, `/v1/profiles/${PHONE}`);
    const byMaid = await profile(h, apiKey, `/v1/profiles/x?idType=maid&id=${MAID.toUpperCase()}`);
    const byEmail = await profile(h, apiKey, `/v1/profiles/x?idType=email_sha256&id=${EMAIL}`);
    // the laptop was seen first: its profile survives, holding the phone's IDs and history
    for (const p of [byLaptop, byPhone, byMaid, byEmail]) assert.deepEqual(p, byLaptop);
    assert.equal(byLaptop.uid, LAPTOP);
    assert.deepEqual(byLaptop.ids, { uid: LAPTOP, maid: MAID, email_sha256: EMAIL });
    assert.equal(byLaptop.attributes.firstSeen, new Date(NOW - 60 * MIN).toISOString());
    assert.deepEqual(byLaptop.traits.map((x) => [x.code, x.count]).sort(), [
      ['app_user', 1],
      ['pricing', 1],
    ]);
    assert.deepEqual([...byLaptop.segments].sort(), ['app_users', 'both', 'everyone']);
    // counted once: the merged visitor and c-other
    assert.equal(await size(h, apiKey, 'everyone'), 2);
    assert.equal(await size(h, apiKey, 'both'), 1);
    assert.equal(await size(h, apiKey, 'app_users'), 1);
    const listed = (await h.call('GET', '/v1/profiles', apiKey)).body as { profiles: { uid: string }[] };
    assert.deepEqual(listed.profiles.map((p) => p.uid).sort(), [LAPTOP, 'c-other']);
  };
  await check();

  // replayed from the log alone (no snapshot yet): the linking events merge again
  h = await app.restart();
  await check();
  // and from a snapshot plus the log after it
  await h.app.sweep();
  h = await app.restart();
  await check();

  const deleted = await h.call('DELETE', `/v1/profiles/x?idType=maid&id=${MAID}`, apiKey);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  const gone = async (): Promise<void> => {
    for (const path of [
      `/v1/profiles/${LAPTOP}`,
      `/v1/profiles/${PHONE}`,
      `/v1/profiles/x?idType=maid&id=${MAID}`,
      `/v1/profiles/x?idType=email_sha256&id=${EMAIL}`,
    ])
      assert.equal((await h.call('GET', path, apiKey)).status, 404, path);
    assert.equal(await size(h, apiKey, 'everyone'), 1);
    assert.equal(await size(h, apiKey, 'both'), 0);
    assert.equal(await size(h, apiKey, 'app_users'), 0);
  };
  await gone();
  await h.app.sweep();
  // every raw event of the merged visitor is erased, also those that named only the phone's cookie or
  // device (IDs beyond the first of their type), and after the sweep's snapshot the delete record too
  const named: string[] = [];
  await h.app.log.replay(1, (_seq, record) => {
    const text = JSON.stringify(record);
    for (const id of [LAPTOP, PHONE, MAID, EMAIL])
      if (text.includes(id)) named.push(`${record.kind} names ${id}`);
  });
  assert.deepEqual(named, [], 'no record in the log names the deleted visitor');
  h = await app.restart();
  await gone();
});

test('one e-mail hash links at most 10 cookies to a profile: the oldest go first', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const cookies = Array.from({ length: 11 }, (_, i) => `c-${String(i).padStart(2, '0')}`);
  // each browser visits on its own first, then logs in with the same e-mail hash
  const events = cookies.flatMap((uid, i) => [
    { uid, url: 'https://shop.example.com/', ts: NOW - (100 - i) * MIN },
    { uid, ids: { email_sha256: EMAIL }, type: 'login', ts: NOW - (50 - i) * MIN },
  ]);
  assert.equal((await h.call('POST', '/v1/events', apiKey, events)).status, 202);
  const listed = (await h.call('GET', '/v1/profiles', apiKey)).body as { profiles: { uid: string }[] };
  assert.equal(listed.profiles.length, 1, 'one profile');
  const merged = await profile(h, apiKey, `/v1/profiles/x?idType=email_sha256&id=${EMAIL}`);
  assert.equal(merged.uid, listed.profiles[0]!.uid);
  // as if every event had come to one profile: the visits of -100..-90 and of -50..-40 minutes
  assert.equal(merged.attributes.visits, 2);
  assert.equal(merged.attributes.firstSeen, new Date(NOW - 100 * MIN).toISOString());
  // c-00 was learnt longest ago (its login came first): the cap of 10 cookies dropped it
  assert.equal((await h.call('GET', '/v1/profiles/c-00', apiKey)).status, 404);
  for (const uid of cookies.slice(1))
    assert.equal((await profile(h, apiKey, `/v1/profiles/${uid}`)).uid, merged.uid, uid);
});

test("the tenant's caps apply from their change on, and a restart with or without a snapshot caps the same", async (t) => {
  const app = await restartableApp(t, NOW, 'opendmp-caps-');
  let h = app.h;
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const login = (i: number, minute: number) => ({
    uid: `c-phone-${i}`,
    ids: { maid: `6d92078a-8246-4ba4-ae5b-7610486100${String(i).padStart(2, '0')}`, email_sha256: EMAIL },
    type: 'login',
    ts: NOW - minute * MIN,
  });
  const post = async (events: unknown[]): Promise<void> => {
    const res = await h.call('POST', '/v1/events', apiKey, events);
    assert.equal(res.status, 202, JSON.stringify(res.body));
  };
  // two phones log in under the default caps (5 device IDs): both are kept
  await post([login(1, 60), login(2, 50)]);
  const put = await h.call('PUT', '/v1/identity/settings', apiKey, { idCaps: { maid: 1 } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const maidsAfterPut = async (): Promise<string[]> => {
    const p = await profile(h, apiKey, `/v1/profiles/x?idType=email_sha256&id=${EMAIL}`);
    const found: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const maid = login(i, 0).ids.maid;
      const res = await h.call('GET', `/v1/profiles/x?idType=maid&id=${maid}`, apiKey);
      if (res.status === 200) {
        assert.equal((res.body as Profile).uid, p.uid, `maid ${i} finds the merged profile`);
        found.push(`maid ${i}`);
      }
    }
    return found;
  };
  // the change alone reshapes no profile: both device IDs still find it
  assert.deepEqual(await maidsAfterPut(), ['maid 1', 'maid 2']);
  // the next link caps by the new settings: one device ID, the newest
  await post([login(3, 40)]);
  assert.deepEqual(await maidsAfterPut(), ['maid 3']);

  // replayed from the log alone, then from a snapshot: the same caps at the same places
  h = await app.restart();
  assert.deepEqual(await maidsAfterPut(), ['maid 3']);
  await h.app.sweep();
  h = await app.restart();
  // after the snapshot, a fourth phone is capped by the restored limits, not the defaults
  await post([login(4, 30)]);
  const p = await profile(h, apiKey, `/v1/profiles/x?idType=email_sha256&id=${EMAIL}`);
  assert.equal(p.ids.maid, login(4, 0).ids.maid);
  assert.deepEqual(await maidsAfterPut(), [], 'maids 1 to 3 were capped away');
});
