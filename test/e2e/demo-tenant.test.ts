import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { seedDemoTenant } from '../../src/cli/demo-tenant.ts';
import { startTestApp } from '../helpers/test-app.ts';

test('the demo tenant: the seed scenario segment is filled, sizes agree with lookups, created once', async (t) => {
  const h = await startTestApp(manualClock(Date.parse('2026-11-20T12:00:00Z')));
  t.after(() => h.close());
  const keys = await seedDemoTenant(h.app, h.dataDir, { profiles: 3_000, days: 30, seed: 7 });
  const segment = (await h.call('GET', '/v1/segments/london_pricing', keys.apiKey)).body as { rule: string };
  assert.equal(segment.rule, 'trait:pricing_visitor[within 30d] and geo.city == "London" and visits >= 2');
  const size = (
    (await h.call('GET', '/v1/segments/london_pricing/size', keys.apiKey)).body as { size: number }
  ).size;
  assert.ok(size > 0, 'some demo visitors are returning London pricing visitors');

  let members = 0;
  let cursor: string | null = null;
  do {
    const page: { profiles: { segments: string[] }[]; nextCursor: string | null } = (
      await h.call('GET', `/v1/profiles?limit=1000${cursor === null ? '' : `&cursor=${cursor}`}`, keys.apiKey)
    ).body as never;
    members += page.profiles.filter((p) => p.segments.includes('london_pricing')).length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  assert.equal(members, size);

  const again = await seedDemoTenant(h.app, h.dataDir, { profiles: 3_000, days: 30, seed: 7 });
  assert.deepEqual(again, keys);
  assert.equal((await h.app.catalog.listTenants()).length, 1);
});
