import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../core/clock.ts';
import { openSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { EventRate } from '../ingest/event-rate.ts';
import { Audit } from './audit.ts';
import { AuditReader } from './audit-reader.ts';
import { Dashboard, userOf } from './dashboard.ts';

const T = Date.parse('2026-12-07T10:00:00Z');

/** Segments as data: 12 saved (`s00`..`s11`, size = 10 * n, two tied), one size for a deleted segment. */
const SAVED = Array.from({ length: 12 }, (_, n) => ({
  code: `s${String(n).padStart(2, '0')}`,
  name: `Segment ${n}`,
}));
const SIZES = [
  ...SAVED.map((s, n) => ({ code: s.code, size: n === 3 ? 110 : 10 * n })),
  { code: 'gone', size: 10_000 },
];

async function dashboardOn(t: { after(fn: () => Promise<void>): void }) {
  const clock = manualClock(T);
  const catalog = await openSqliteCatalog(':memory:', { clock });
  t.after(() => catalog.close());
  await catalog.createTenant('acme');
  await catalog.createTenant('beta');
  const rate = new EventRate();
  const dashboard = new Dashboard({
    clock,
    rate,
    profileCount: (tenant) => (tenant === 'acme' ? 1204 : 0),
    segments: {
      list: async (tenant) => (tenant === 'acme' ? SAVED : []),
      sizesOfAll: (tenant) => ({ sizes: tenant === 'acme' ? SIZES : [] }),
    },
    audit: new AuditReader(catalog),
  });
  return { clock, rate, dashboard, audit: new Audit(catalog) };
}

void test('events per second over the last minute, profiles, the ten largest segments', async (t) => {
  const { clock, rate, dashboard } = await dashboardOn(t);
  rate.add('acme', 45, T - 30_000);
  rate.add('acme', 45, T);
  rate.add('beta', 7, T);
  rate.add('acme', 1000, T - 60_000); // a minute ago: out of the window
  const answer = await dashboard.of('acme', { sizes: true });
  assert.equal(answer.asOf, '2026-12-07T10:00:00.000Z');
  assert.equal(answer.eventsLastMinute, 90);
  assert.equal(answer.eventsPerSecond, 1.5);
  assert.equal(answer.profiles, 1204);
  assert.equal(answer.topSegments.total, 12);
  assert.equal(answer.topSegments.sized, true);
  assert.deepEqual(
    answer.topSegments.segments.map((s) => [s.code, s.size]),
    [
      ['s11', 110],
      ['s03', 110],
      ['s10', 100],
      ['s09', 90],
      ['s08', 80],
      ['s07', 70],
      ['s06', 60],
      ['s05', 50],
      ['s04', 40],
      ['s02', 20],
    ].sort((a, b) => Number(b[1]) - Number(a[1]) || String(a[0]).localeCompare(String(b[0]))),
  );
  assert.equal(answer.topSegments.segments[0]?.name, 'Segment 3', 'ties by code: s03 before s11');
  clock.advance(31_000);
  const later = await dashboard.of('acme', { sizes: true });
  assert.equal(later.eventsLastMinute, 45, 'the events of T - 30 s have left the window');
  assert.equal(later.eventsPerSecond, 0.75);
  const beta = await dashboard.of('beta', { sizes: true });
  assert.deepEqual([beta.eventsLastMinute, beta.profiles, beta.topSegments.total], [7, 0, 0]);
});

void test('without compute: no sizes, the reason instead', async (t) => {
  const { dashboard } = await dashboardOn(t);
  const answer = await dashboard.of('acme', { sizes: false, refusal: 'sizes need compute; you are viewer' });
  assert.deepEqual(answer.topSegments, {
    total: 12,
    sized: false,
    segments: [],
    detail: 'sizes need compute; you are viewer',
  });
});

void test('recent changes: the latest ten catalog changes, newest first, with the user and the code', async (t) => {
  const { clock, dashboard, audit } = await dashboardOn(t);
  await audit.record('acme', 'user:old@acme.com', 'trait.create', 'trait:first');
  for (let i = 0; i < 3; i++) {
    clock.advance(1000);
    await audit.record('acme', 'user:mia@acme.com', 'segment.update', `segment:s0${i}`, { a: 1 }, { a: 2 });
    await audit.record(
      'acme',
      'user:ann@acme.com/key:00aa11bb22cc33dd',
      'destination.create',
      `destination:d${i}`,
    );
    await audit.record('acme', 'key:0123456789abcdef', 'campaign.delete', `campaign:c${i}`);
    await audit.record('acme', 'key:0123456789abcdef', 'campaign.run', `campaign:c${i}`);
    await audit.record('acme', 'user:ada@acme.com', 'user.create', 'user:vic@acme.com');
    await audit.record('acme', 'cli', 'privacy.delete', 'visitor:x');
  }
  await audit.record('beta', 'user:eve@beta.com', 'segment.create', 'segment:secret');
  const { recentChanges } = await dashboard.of('acme', { sizes: false });
  assert.equal(recentChanges.length, 10, 'the runs, user and privacy lines are not catalog changes');
  assert.deepEqual(recentChanges.slice(0, 4), [
    { at: '2026-12-07T10:00:03.000Z', user: 'key:0123456789abcdef', action: 'campaign.delete', object: 'c2' },
    { at: '2026-12-07T10:00:03.000Z', user: 'ann@acme.com', action: 'destination.create', object: 'd2' },
    { at: '2026-12-07T10:00:03.000Z', user: 'mia@acme.com', action: 'segment.update', object: 's02' },
    { at: '2026-12-07T10:00:02.000Z', user: 'key:0123456789abcdef', action: 'campaign.delete', object: 'c1' },
  ]);
  assert.deepEqual(recentChanges[9], {
    at: '2026-12-07T10:00:00.000Z',
    user: 'old@acme.com',
    action: 'trait.create',
    object: 'first',
  });
  clock.advance(1000);
  await audit.record('acme', 'user:mia@acme.com', 'trait.update', 'trait:first');
  const again = await dashboard.of('acme', { sizes: false });
  assert.equal(again.recentChanges.length, 10);
  assert.deepEqual(again.recentChanges[0], {
    at: '2026-12-07T10:00:04.000Z',
    user: 'mia@acme.com',
    action: 'trait.update',
    object: 'first',
  });
  assert.ok(!again.recentChanges.some((c) => c.action === 'trait.create'), 'the oldest change is pushed out');
  assert.deepEqual(
    (await dashboard.of('beta', { sizes: false })).recentChanges.map((c) => c.object),
    ['secret'],
  );
});

void test('userOf names people by email and keeps other actors as written', () => {
  assert.equal(userOf('user:mia@acme.com'), 'mia@acme.com');
  assert.equal(userOf('user:mia@acme.com/key:3f2a'), 'mia@acme.com');
  assert.equal(userOf('key:3f2a'), 'key:3f2a');
  assert.equal(userOf('cli'), 'cli');
});
