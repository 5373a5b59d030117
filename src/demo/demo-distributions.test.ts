import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDemo } from './generate-demo.ts';
import { SECTIONS } from './site-map.ts';
import { placeShare } from './geo-table.ts';

// One standard data set at 10,000 profiles, summarised once, checked by the tests below.
const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 20, 12, 0, 0);
const profiles = 10_000;
const demo = generateDemo({ profiles, days: 90, seed: 7, now });

interface ProfileSummary {
  lastTs: number;
  visits: number;
  cities: Map<string, number>;
  lastCity: string;
  pricingInLast30d: boolean;
}

const byProfile = new Map<string, ProfileSummary>();
const visitDevices = new Map<string, number>();
const countries = new Map<string, number>();
let visits = 0;
let pageviews = 0;
let purchases = 0;
let campaignVisits = 0;
let pricingViews = 0;
let badGaps = 0;
for (const batch of demo.batches(5_000)) {
  for (const e of batch) {
    let p = byProfile.get(e.uid);
    if (!p) {
      p = { lastTs: -Infinity, visits: 0, cities: new Map(), lastCity: '', pricingInLast30d: false };
      byProfile.set(e.uid, p);
      countries.set(e.geo.country, (countries.get(e.geo.country) ?? 0) + 1);
    }
    const gap = e.ts - p.lastTs;
    if (gap > 5 * 60_000 && gap < 60 * 60_000) badGaps++;
    if (gap > 30 * 60_000) {
      // docs/rule-language.md: events more than 30 minutes apart start a new visit
      p.visits++;
      visits++;
      visitDevices.set(e.device.type, (visitDevices.get(e.device.type) ?? 0) + 1);
      if (new URL(e.url).searchParams.has('utm_source')) campaignVisits++;
    }
    p.lastTs = e.ts;
    p.lastCity = e.geo.city;
    p.cities.set(e.geo.city, (p.cities.get(e.geo.city) ?? 0) + 1);
    if (e.type === 'purchase') purchases++;
    if (e.type === 'pageview') {
      pageviews++;
      const path = new URL(e.url).pathname;
      if (path.startsWith('/pricing')) {
        pricingViews++;
        if (e.ts > now - 30 * DAY) p.pricingInLast30d = true;
      }
    }
  }
}

const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual}, expected ${expected} +- ${tolerance}`,
  );

void test('every profile visits; visits per profile average 3, page views per visit 4', () => {
  assert.equal(byProfile.size, profiles);
  near(visits / profiles, 3, 0.15, 'visits per profile');
  near(pageviews / visits, 4, 0.2, 'page views per visit');
});

void test('page views are minutes apart and visits at least an hour apart', () => {
  assert.equal(badGaps, 0);
});

void test('device types: desktop 45%, mobile 45%, tablet 8%, other 2% of visits', () => {
  const share = (type: string): number => (visitDevices.get(type) ?? 0) / visits;
  near(share('desktop'), 0.45, 0.02, 'desktop');
  near(share('mobile'), 0.45, 0.02, 'mobile');
  near(share('tablet'), 0.08, 0.01, 'tablet');
  near(share('other'), 0.02, 0.005, 'other');
});

void test('about 2% of profiles live in London, and profiles keep their city', () => {
  near(placeShare('London'), 0.02, 1e-9, 'London in the table');
  const home = (p: ProfileSummary): string => [...p.cities].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const london = [...byProfile.values()].filter((p) => home(p) === 'London').length;
  near(london / profiles, 0.02, 0.004, 'London share');
  const movers = [...byProfile.values()].filter((p) => p.cities.size > 1).length;
  assert.ok(movers > 0 && movers / profiles < 0.1, `${movers} profiles seen in several cities`);
});

void test('60 countries at most, the US and GB the most common', () => {
  assert.ok(countries.size <= 60 && countries.size >= 50, `${countries.size} countries`);
  const ranked = [...countries].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  assert.deepEqual(ranked.slice(0, 2).sort(), ['GB', 'US']);
});

void test('purchases on 2% of visits, campaigns on 20%', () => {
  near(purchases / visits, 0.02, 0.004, 'purchases per visit');
  near(campaignVisits / visits, 0.2, 0.015, 'campaign visits');
});

void test('pricing is among the most visited sections', () => {
  assert.equal(SECTIONS.indexOf('pricing'), 1);
  assert.ok(pricingViews / pageviews > 0.05, `pricing share ${pricingViews / pageviews}`);
});

void test('some profiles satisfy the seed scenario (London, 2+ visits, pricing in the last 30 days)', () => {
  const matching = [...byProfile.values()].filter(
    (p) => p.lastCity === 'London' && p.visits >= 2 && p.pricingInLast30d,
  ).length;
  assert.ok(matching >= 10, `${matching} profiles in the seed scenario`);
});
