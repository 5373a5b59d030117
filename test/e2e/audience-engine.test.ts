import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock } from '../../src/core/clock.ts';
import { compileSegmentRule } from '../../src/core/rules/index.ts';
import type { Rule } from '../../src/core/rules/index.ts';
import { generateDemo } from '../../src/demo/generate-demo.ts';
import { loadRules } from '../../src/qualify/rules-loader.ts';
import { scanCount, scanOverlap } from '../../src/qualify/testing/full-scan.ts';
import { startTestApp } from '../helpers/test-app.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');

test('bitmap sizes, overlaps and trends agree with the per-profile predicate on the standard data set', async (t) => {
  const clock = manualClock(NOW);
  const h = await startTestApp(clock);
  t.after(() => h.close());
  const { tenant, apiKey } = await h.app.catalog.createTenant('bench');
  await loadRules(h.app.catalog, h.app.qualify, tenant);
  const demo = generateDemo({ profiles: 1_500, days: 60, seed: 9, now: NOW, ruleTraits: 300, segments: 200 });
  await h.app.traits.createMany(tenant, demo.traits);
  for (const segment of demo.segments) await h.app.segments.create(tenant, segment);
  for (const batch of demo.batches(5_000)) await h.app.ingest.ingest(tenant, batch, { trusted: true });

  const check = async (): Promise<number> => {
    const rules = h.app.qualify.rules(tenant);
    let nonEmpty = 0;
    for (const segment of rules.segmentDefinitions()) {
      const predicate = compileSegmentRule(segment.ruleJson as Rule, rules);
      const scanned = scanCount(h.app.qualify, tenant, (ctx) => predicate(ctx), clock.now());
      const sized = (await h.call('GET', `/v1/segments/${segment.code}/size`, apiKey)).body as {
        size: number;
      };
      assert.equal(sized.size, scanned, `${segment.code}: ${segment.rule}`);
      if (scanned > 0) nonEmpty++;
    }
    return nonEmpty;
  };
  assert.ok((await check()) >= 20, 'many segments hold visitors');

  const codes = demo.segments.slice(0, 20).map((s) => s.code);
  const overlap = (await h.call('POST', '/v1/audience/overlap', apiKey, { segments: codes })).body as {
    sizes: number[];
    overlap: number[][];
  };
  const positions = codes.map((c) =>
    h.app.qualify.rules(tenant).segmentIndex.get(h.app.qualify.rules(tenant).segmentByCode(c)!.id)!,
  );
  const scanned = scanOverlap(h.app.qualify, tenant, positions, clock.now());
  assert.deepEqual(overlap, { ...overlap, sizes: scanned.sizes, overlap: scanned.overlap });

  assert.ok(
    ((await h.call('GET', '/v1/segments/london_pricing/size', apiKey)).body as { size: number }).size >= 3,
  );
  const insights = (await h.call('GET', '/v1/segments/london_pricing/insights?minCount=3&limit=1000', apiKey))
    .body as {
    size: number;
    traits: { trait: string; count: number; index: number }[];
  };
  assert.ok(insights.traits.length > 0);
  assert.ok(insights.traits.every((x) => x.count >= 3 && x.count <= insights.size));
  assert.deepEqual(
    [...insights.traits].sort((a, b) => b.index - a.index),
    insights.traits,
  );
  assert.ok(insights.traits.some((x) => x.trait === 'pricing_visitor' && x.count === insights.size));

  // Time passes with no new event: windows expire, the bitmaps still agree.
  clock.advance(20 * DAY);
  await check();
  // Deletions and backfills keep the index current.
  const victim = await firstUid(h.call.bind(h), apiKey);
  assert.equal((await h.call('DELETE', `/v1/profiles/${victim}`, apiKey)).status, 200);
  await h.call('POST', '/v1/traits', apiKey, {
    code: 'late',
    name: 'Late',
    rule: 'url.path startsWith "/pricing"',
    backfill: true,
  });
  await h.call('POST', '/v1/segments', apiKey, {
    code: 'late_fans',
    name: 'L',
    rule: 'trait:late[count >= 2, within 30d]',
  });
  await check();

  // One point a day: the sweep keeps today's sizes, the trend adds the live one.
  await h.app.sweep();
  clock.advance(DAY);
  await h.app.sweep();
  const trend = (await h.call('GET', '/v1/segments/london_pricing/trend?days=7', apiKey)).body as {
    points: { date: string; size: number }[];
  };
  assert.deepEqual(
    trend.points.map((p) => p.date),
    ['2026-12-10', '2026-12-11'],
  );
  const now = (await h.call('GET', '/v1/segments/london_pricing/size', apiKey)).body as { size: number };
  assert.equal(trend.points.at(-1)?.size, now.size);
});

async function firstUid(
  call: (m: string, p: string, k?: string) => Promise<{ body: unknown }>,
  key: string,
): Promise<string> {
  const page = (await call('GET', '/v1/profiles?limit=1', key)).body as { profiles: { uid: string }[] };
  return page.profiles[0]?.uid ?? '';
}
