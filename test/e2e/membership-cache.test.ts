import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { loadRules } from '../../src/qualify/rules-loader.ts';
import { startTestApp } from '../helpers/test-app.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');

test('cached segment lookups equal fresh evaluation as time passes, events arrive and rules change', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { tenant } = await h.app.catalog.createTenant('acme');
  await loadRules(h.app.catalog, h.app.qualify, tenant);
  const demo = generateDemo({ profiles: 400, days: 45, seed: 21, now: NOW, ruleTraits: 120, segments: 60 });
  await h.app.traits.createMany(tenant, demo.traits);
  for (const segment of demo.segments) await h.app.segments.create(tenant, segment);
  for (const batch of demo.batches(5_000)) await h.app.ingest.ingest(tenant, batch, { trusted: true });

  const profiles = h.app.qualify.profilesOf(tenant);
  const check = (label: string): number => {
    let members = 0;
    profiles.forEach((p) => {
      const cached = h.app.qualify.segmentsOf(tenant, p, clock.now());
      const fresh = h.app.qualify.context(tenant).reset(profiles.view(p), clock.now()).memberCodes();
      assert.deepEqual(
        cached,
        fresh,
        `${label}: profile ${profiles.uidOf(p)} at ${new Date(clock.now()).toISOString()}`,
      );
      members += fresh.length;
    });
    return members;
  };
  // Steps that land on and around window edges: 1 ms, minutes, hours, days.
  const steps = [1, 59_000, HOUR, 7 * HOUR, 24 * HOUR - 1, 1, 3 * 24 * HOUR, 11 * 24 * HOUR, 30 * 24 * HOUR];
  let total = check('start');
  for (const [i, step] of steps.entries()) {
    total += check(`before step ${i}`);
    clock.advance(step);
    total += check(`after step ${i}`);
    if (i === 3) {
      const uids = demo.segments.length > 0 ? [profiles.uidOf(profiles.page(-1, 1)[0]!)] : [];
      await h.app.ingest.ingest(
        tenant,
        uids.map((uid) => ({ uid, url: 'https://shop.example.com/pricing/x', ts: clock.now() })),
        {
          trusted: true,
        },
      );
    }
    if (i === 5) {
      await h.app.segments.update(tenant, 'london_pricing', {
        rule: 'trait:pricing_visitor[within 7d] and visits >= 1',
      });
    }
  }
  assert.ok(total > 100, `memberships were exercised (${total})`);
});
