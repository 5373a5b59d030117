import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from './prng.ts';
import { WeightedPicker, geometric, zipfWeights } from './sampling.ts';
import { drawVisitPlan } from './visit-plan.ts';
import { SECTIONS, pageForRank, URL_COUNT } from './site-map.ts';

void test('Prng: the same seed gives the same numbers, another seed others, all in [0, 1)', () => {
  const a = new Prng(5);
  const b = new Prng(5);
  const c = new Prng(6);
  const xs = Array.from({ length: 1_000 }, () => a.next());
  assert.deepEqual(
    Array.from({ length: 1_000 }, () => b.next()),
    xs,
  );
  assert.notDeepEqual(
    Array.from({ length: 1_000 }, () => c.next()),
    xs,
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

void test('geometric counts start at 1 and average the mean', () => {
  const rng = new Prng(1);
  const ks = Array.from({ length: 50_000 }, () => geometric(rng, 3, 1_000));
  assert.ok(ks.every((k) => k >= 1));
  const mean = ks.reduce((s, k) => s + k, 0) / ks.length;
  assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(ks.filter((k) => k === 1).length / ks.length - 1 / 3) < 0.01);
});

void test('Zipf (s = 1.1) over 10,000 URLs: rank shares follow 1/rank^1.1', () => {
  const weights = zipfWeights(URL_COUNT, 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const picker = new WeightedPicker(weights);
  const rng = new Prng(2);
  const counts = new Array<number>(URL_COUNT).fill(0);
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const rank = picker.draw(rng);
    counts[rank] = (counts[rank] ?? 0) + 1;
  }
  for (const rank of [0, 1, 9]) {
    const expected = (weights[rank] as number) / total;
    assert.ok(Math.abs((counts[rank] as number) / n - expected) < 0.01, `rank ${rank}`);
  }
  assert.ok(
    counts.slice(5_000).some((c) => c > 0),
    'the tail is reachable',
  );
});

void test('URLs: 10,000 distinct paths in 50 sections, none a prefix of another section', () => {
  const paths = new Set(Array.from({ length: URL_COUNT }, (_, r) => pageForRank(r).path));
  assert.equal(paths.size, URL_COUNT);
  assert.equal(SECTIONS.length, 50);
  for (const a of SECTIONS)
    for (const b of SECTIONS) if (a !== b) assert.ok(!b.startsWith(a), `${a} prefixes ${b}`);
  assert.equal(pageForRank(1).section, 'pricing');
  assert.equal(pageForRank(0).path, '/products/10000');
});

void test('a visit plan: page views 20 s to 5 min apart, and the same plan from the same seed', () => {
  for (let seed = 0; seed < 500; seed++) {
    const plan = drawVisitPlan(new Prng(seed));
    assert.deepEqual(drawVisitPlan(new Prng(seed)), plan);
    assert.equal(plan.offsets.length, plan.pageviews);
    plan.offsets.slice(1).forEach((t, i) => {
      const gap = t - (plan.offsets[i] as number);
      assert.ok(gap >= 20_000 && gap <= 300_000);
    });
    assert.ok(plan.duration < 6 * 3_600_000);
  }
});
