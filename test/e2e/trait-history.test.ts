import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../src/core/clock.ts';
import { startTestApp } from '../helpers/test-app.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');

test('traits apply from their creation on, to history only with backfill, and the same after a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'opendmp-history-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock = manualClock(NOW);
  let h = await startTestApp(clock, dir);
  const { apiKey } = await h.app.catalog.createTenant('acme');
  const send = async (uid: string, path: string, at: number) => {
    const r = await h.call('POST', '/v1/events', apiKey, {
      uid,
      url: `https://shop.example.com${path}`,
      ts: at,
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
  };
  const traitsOf = async (uid: string) => {
    const r = await h.call('GET', `/v1/profiles/${uid}`, apiKey);
    return Object.fromEntries(
      (r.body as { traits: { code: string; count: number }[] }).traits.map((x) => [x.code, x.count]),
    );
  };

  await send('early', '/shoes/red', NOW - 10 * DAY);
  await send('early', '/boots/black', NOW - 9 * DAY);
  await send('ancient', '/shoes/old', NOW - 100 * DAY);

  const create = async (code: string, rule: string, extra: Record<string, unknown> = {}) => {
    const r = await h.call('POST', '/v1/traits', apiKey, { code, name: code, rule, ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  await create('shoes', 'url.path startsWith "/shoes"');
  await create('boots', 'url.path startsWith "/boots"', { backfill: true, lifetimeDays: 30 });
  await create('shoes_backfilled', 'url.path startsWith "/shoes"', { backfill: true, lifetimeDays: 60 });
  assert.deepEqual(
    await traitsOf('early'),
    { boots: 1, shoes_backfilled: 1 },
    'no backfill: history is not rewritten',
  );
  assert.deepEqual(await traitsOf('ancient'), {}, 'backfill stays within the lifetime');

  await send('early', '/shoes/blue', NOW - 1000);
  assert.deepEqual(await traitsOf('early'), { boots: 1, shoes: 1, shoes_backfilled: 2 });

  // A changed rule applies from now on; earlier realisations stay.
  const patched = await h.call('PATCH', '/v1/traits/shoes', apiKey, { rule: 'url.path startsWith "/boots"' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await send('early', '/boots/brown', NOW - 500);
  await send('early', '/shoes/green', NOW - 400);
  const expected = { boots: 2, shoes: 2, shoes_backfilled: 3 };
  assert.deepEqual(await traitsOf('early'), expected);

  // A deleted visitor stays deleted, and a backfill does not bring it back.
  await send('gone', '/shoes/x', NOW - DAY);
  assert.equal((await h.call('DELETE', '/v1/profiles/gone', apiKey)).status, 200);
  await create('shoes_again', 'url.path startsWith "/shoes"', { backfill: true });
  assert.equal((await h.call('GET', '/v1/profiles/gone', apiKey)).status, 404);

  // After a restart, replaying the log with the trait versions gives exactly the same profiles.
  await h.close();
  h = await startTestApp(clock, dir);
  t.after(() => h.close());
  assert.deepEqual(await traitsOf('early'), { ...expected, shoes_again: 3 });
  assert.equal((await h.call('GET', '/v1/profiles/gone', apiKey)).status, 404);
  const listed = (await h.call('GET', '/v1/profiles', apiKey)).body as { profiles: { uid: string }[] };
  assert.deepEqual(listed.profiles.map((p) => p.uid).sort(), ['ancient', 'early']);

  // A profile unseen for its lifetime (120 days) is removed by the retention sweep.
  clock.advance(21 * DAY);
  await h.app.sweep();
  assert.equal((await h.call('GET', '/v1/profiles/ancient', apiKey)).status, 404);
  assert.equal((await h.call('GET', '/v1/profiles/early', apiKey)).status, 200);
  // boots lives 30 days: its realisation of 9 days ago is now exactly 30 days old, and forgotten.
  assert.deepEqual(await traitsOf('early'), { boots: 1, shoes: 2, shoes_backfilled: 3, shoes_again: 3 });
});
