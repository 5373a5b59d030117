import type { Prng } from './prng.ts';
import type { DemoTraitSpec } from './demo-traits.ts';
import { WeightedPicker } from './sampling.ts';
import { PLACES } from './geo-table.ts';

/**
 * A segment of the demo tenant, ready for `POST /v1/segments`.
 * Example: `{ code: "recent_buyers", name: "Bought in the last 30 days", rule: "trait:purchaser[within 30d]" }`
 */
export interface DemoSegmentSpec {
  code: string;
  name: string;
  rule: string;
}

/** The seed scenario (README, "A first segment"), exactly. */
export const SEED_SEGMENT: DemoSegmentSpec = {
  code: 'london_pricing',
  name: 'Returning visitors in London who visited the pricing page in the last 30 days',
  rule: 'trait:pricing_visitor[within 30d] and geo.city == "London" and visits >= 2',
};

/**
 * The hand-written segments, seed scenario first; each refers only to segments before it.
 * Example: `baseSegments()[4].rule` -> `segment:london_returning and not segment:recent_buyers`
 */
export function baseSegments(): DemoSegmentSpec[] {
  const s = (code: string, name: string, rule: string): DemoSegmentSpec => ({ code, name, rule });
  return [
    SEED_SEGMENT,
    s('recent_buyers', 'Bought in the last 30 days', 'trait:purchaser[within 30d]'),
    s('london_returning', 'Returning visitors in London', 'geo.city == "London" and visits >= 2'),
    s(
      'mobile_shoe_fans',
      'Shoe and boot browsers on phones and tablets',
      '(trait:shoes_visitor or trait:boots_visitor) and device.type in ("mobile", "tablet")',
    ),
    s(
      'london_returning_non_buyers',
      'Returning Londoners who have not bought lately',
      'segment:london_returning and not segment:recent_buyers',
    ),
    s('pricing_regulars', 'Saw pricing twice in 30 days', 'trait:pricing_visitor[count >= 2, within 30d]'),
    s('new_visitors', 'First seen in the last 14 days', 'first_seen within 14d'),
    s(
      'gb_campaign',
      'Came through a campaign this week, in GB',
      'trait:campaign_visitor[within 7d] and geo.country == "GB"',
    ),
    s(
      'lapsed_buyers',
      'Bought before, but not in the last 30 days',
      'trait:purchaser and not trait:purchaser[within 30d]',
    ),
    s('us_big_spenders', 'Big spenders in the US', 'trait:big_spender and geo.country == "US"'),
  ];
}

const str = (s: string): string => JSON.stringify(s);
const COUNTRIES = [...new Set(PLACES.map((p) => p.country))].slice(0, 15);
const CITIES = ['London', 'New York', 'Manchester', 'Paris', 'Berlin', 'Los Angeles', 'Toronto', 'Sydney'];
const REGIONS = ['GB-ENG', 'GB-SCT', 'US-CA', 'US-NY', 'US-TX', 'DE-BY'];
const OSES = ['iOS', 'Android', 'Windows', 'Mac OS'];
const DAYS = [7, 14, 30, 60, 90];

/** Clause kinds of the grammar and their weights: trait, geography, device, profile, ID, segment. */
const clausePicker = new WeightedPicker([50, 15, 12, 10, 3, 10]);

/**
 * One generated segment rule: 2 to 8 clauses in up to three `or` groups joined by `and`, some groups negated
 * (never the first), windows on the trait references of windowed rules (a third of them).
 * Example: `(trait:shoes_visitor[within 30d] or trait:sale_visitor) and not device.type == "desktop"`
 */
export function generatedSegmentRule(
  rng: Prng,
  traits: readonly DemoTraitSpec[],
  earlier: readonly string[],
): string {
  const windowed = rng.chance(1 / 3);
  const clauses = Array.from({ length: rng.range(2, 8) }, () => clause(rng, traits, earlier, windowed));
  if (windowed && !clauses.some((c) => c.includes('['))) clauses[0] = traitClause(rng, traits, true);
  const groups: string[][] = [];
  for (const c of clauses) {
    const last = groups[groups.length - 1];
    if (last && last.length < 3 && rng.chance(0.4)) last.push(c);
    else groups.push([c]);
  }
  return groups
    .map((g, i) => {
      const text = g.length > 1 ? `(${g.join(' or ')})` : (g[0] as string);
      return i > 0 && rng.chance(0.2) ? `not ${text}` : text;
    })
    .join(' and ');
}

function clause(
  rng: Prng,
  traits: readonly DemoTraitSpec[],
  earlier: readonly string[],
  windowed: boolean,
): string {
  switch (clausePicker.draw(rng)) {
    case 0:
      return traitClause(rng, traits, windowed && rng.chance(0.7));
    case 1:
      return geoClause(rng);
    case 2:
      return deviceClause(rng);
    case 3:
      return profileClause(rng);
    case 4:
      return rng.chance(0.5) ? 'ids.maid exists' : 'ids.partner_ttd exists';
    default:
      return earlier.length > 0 ? `segment:${rng.pick(earlier)}` : geoClause(rng);
  }
}

/** Mostly popular section traits (the first 60 traits are the hand-written ones), sometimes generated ones. */
function traitClause(rng: Prng, traits: readonly DemoTraitSpec[], withWindow: boolean): string {
  const pool = rng.chance(0.8) ? traits.slice(0, Math.min(20, traits.length)) : traits;
  const code = rng.pick(pool).code;
  if (!withWindow) return `trait:${code}`;
  const within = `within ${rng.pick(DAYS)}d`;
  const count = `count >= ${rng.range(2, 4)}`;
  const windows = rng.pick([[within], [count], [count, within]]);
  return `trait:${code}[${windows.join(', ')}]`;
}

function geoClause(rng: Prng): string {
  switch (rng.int(4)) {
    case 0:
      return `geo.country == ${str(rng.pick(COUNTRIES))}`;
    case 1:
      return `geo.country in (${[rng.pick(COUNTRIES.slice(0, 5)), rng.pick(COUNTRIES.slice(5))].map(str).join(', ')})`;
    case 2:
      return `geo.city == ${str(rng.pick(CITIES))}`;
    default:
      return `geo.region == ${str(rng.pick(REGIONS))}`;
  }
}

function deviceClause(rng: Prng): string {
  switch (rng.int(3)) {
    case 0:
      return `device.type == ${str(rng.pick(['desktop', 'mobile', 'tablet']))}`;
    case 1:
      return 'device.type in ("mobile", "tablet")';
    default:
      return `device.os == ${str(rng.pick(OSES))}`;
  }
}

function profileClause(rng: Prng): string {
  switch (rng.int(4)) {
    case 0:
      return `visits >= ${rng.range(2, 5)}`;
    case 1:
      return `pageviews > ${rng.range(5, 20)}`;
    case 2:
      return `first_seen within ${rng.pick(DAYS)}d`;
    default:
      return `last_seen within ${rng.pick(DAYS)}d`;
  }
}

/**
 * The demo segments: the hand-written ones, then generated ones up to `count`, in dependency order.
 * A count below the hand-written ones keeps the first `count` of them (the seed scenario first).
 * Example: `demoSegments(rng, traits, 200).length` -> 200
 */
export function demoSegments(rng: Prng, traits: readonly DemoTraitSpec[], count: number): DemoSegmentSpec[] {
  const segments = baseSegments().slice(0, count);
  for (let n = segments.length + 1; segments.length < count; n++) {
    const earlier = segments.map((s) => s.code);
    segments.push({
      code: `audience_${n}`,
      name: `Generated audience ${n}`,
      rule: generatedSegmentRule(rng, traits, earlier),
    });
  }
  return segments;
}
