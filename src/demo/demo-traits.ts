import type { Prng } from './prng.ts';
import { CAMPAIGNS, COMMERCE_SECTIONS, SECTIONS, pageForRank } from './site-map.ts';
import { PLACES } from './geo-table.ts';

/**
 * A rule-based trait of the demo tenant, ready for `POST /v1/traits`.
 * Example: `{ code: "pricing_visitor", name: "Visited pricing", rule: 'url.path startsWith "/pricing"',
 *   folder: "Site/Intent", lifetimeDays: 120 }`
 */
export interface DemoTraitSpec {
  code: string;
  name: string;
  rule: string;
  folder: string;
  lifetimeDays: number;
}

const str = (s: string): string => JSON.stringify(s);

/**
 * The 60 hand-written traits: one per site section (`<section>_visitor`), then purchase, campaign,
 * referrer, signal and device traits.
 * Example: `baseTraits()[1]` -> the `pricing_visitor` trait.
 */
export function baseTraits(): DemoTraitSpec[] {
  const sections = SECTIONS.map((section) => ({
    code: `${section}_visitor`,
    name: `Visited ${section}`,
    rule: `url.path startsWith ${str(`/${section}`)}`,
    folder: section === 'pricing' ? 'Site/Intent' : 'Site/Sections',
    lifetimeDays: 120,
  }));
  const t = (
    code: string,
    name: string,
    rule: string,
    folder: string,
    lifetimeDays = 120,
  ): DemoTraitSpec => ({
    code,
    name,
    rule,
    folder,
    lifetimeDays,
  });
  return [
    ...sections,
    t('purchaser', 'Made a purchase', 'event == "purchase"', 'Commerce', 365),
    t(
      'big_spender',
      'Spent over 100 in one order',
      'event == "purchase" and signals.value > 100',
      'Commerce',
      365,
    ),
    t('campaign_visitor', 'Came through a campaign', 'utm.campaign exists', 'Campaigns', 90),
    t('paid_search', 'Came through paid search', 'utm.medium == "cpc"', 'Campaigns', 90),
    t('email_click', 'Clicked a newsletter', 'utm.medium == "email"', 'Campaigns', 90),
    t(
      'search_referral',
      'Came from Google',
      'referrer.host endsWith ".google.com" or utm.source == "google"',
      'Campaigns',
    ),
    t(
      'shoe_or_boot_shopper',
      'Browsed shoes or boots',
      'signals.category in ("shoes", "boots")',
      'Site/Intent',
    ),
    t(
      'paid_plan_interest',
      'Looked at a paid plan',
      'signals.plan exists and not (signals.plan == "free")',
      'Site/Intent',
    ),
    t('product_viewer', 'Viewed a product page', 'url.path matches /^\\/products\\/[0-9]+$/', 'Site/Intent'),
    t(
      'mobile_browser',
      'Browsed on a phone or tablet',
      'device.type in ("mobile", "tablet")',
      'Technology',
      30,
    ),
  ];
}

const COUNTRIES = [...new Set(PLACES.map((p) => p.country))];
const COMMERCE = [...COMMERCE_SECTIONS];
const DEVICE_TYPES = ['desktop', 'mobile', 'tablet'];
const REFERRER_HOSTS = ['www.google.com', 'www.bing.com', 'www.facebook.com', 't.co', 'news.example.org'];

/** Makes one generated trait of a kind; `n` makes the code unique. */
type TraitMaker = (rng: Prng, n: number) => DemoTraitSpec;

const gen = (code: string, name: string, rule: string, kind: string): DemoTraitSpec => ({
  code,
  name,
  rule,
  folder: `Generated/${kind}`,
  lifetimeDays: 120,
});

/** The generated trait kinds, used in turn, so that every operator appears. */
export const TRAIT_MAKERS: readonly TraitMaker[] = [
  (rng, n) => {
    const { path } = pageForRank(rng.int(2_000));
    return gen(`page_${n}`, `Viewed ${path}`, `url.path == ${str(path)}`, 'Pages');
  },
  (rng, n) => {
    const { path } = pageForRank(rng.range(500, 4_999)); // pages 10..99: the part matches about 11 of them
    const part = path.slice(path.indexOf('/', 1) + 1, path.length - 1);
    return gen(`path_contains_${n}`, `Path contains ${part}`, `url.path contains ${str(part)}`, 'Pages');
  },
  (rng, n) => {
    if (rng.chance(0.5)) {
      const list = sample(rng, COUNTRIES.slice(0, 20), rng.range(2, 4));
      return gen(
        `countries_${n}`,
        `In ${list.join(', ')}`,
        `geo.country in (${list.map(str).join(', ')})`,
        'Geo',
      );
    }
    const list = sample(rng, COMMERCE, rng.range(2, 3));
    const rule = `signals.category in (${list.map(str).join(', ')})`;
    return gen(`categories_${n}`, `Browsed ${list.join(' or ')}`, rule, 'Categories');
  },
  (rng, n) => {
    const section = rng.pick(SECTIONS.slice(0, 20));
    const { path } = pageForRank(SECTIONS.indexOf(section));
    const stem = path.slice(section.length + 2, path.lastIndexOf('-') + 1);
    const digit = rng.int(10);
    const rule = `url.path matches /^\\/${section}\\/${stem}[0-9]*${digit}$/${rng.chance(0.3) ? 'i' : ''}`;
    return gen(`pattern_${n}`, `Viewed a ${section} page ending in ${digit}`, rule, 'Pages');
  },
  (rng, n) => {
    if (rng.chance(0.7)) {
      const value = rng.range(2, 28) * 10;
      const rule = `event == "purchase" and signals.value >= ${value}`;
      return gen(`order_over_${value}_${n}`, `Ordered ${value} or more`, rule, 'Commerce');
    }
    const items = rng.range(2, 4);
    const rule = `event == "purchase" and signals.items > ${items}`;
    return gen(`basket_over_${items}_${n}`, `Bought more than ${items} items`, rule, 'Commerce');
  },
  (rng, n) => {
    const c = rng.pick(CAMPAIGNS);
    if (rng.chance(0.5))
      return gen(
        `campaign_${n}`,
        `Campaign ${c.campaign}`,
        `utm.campaign == ${str(c.campaign)}`,
        'Campaigns',
      );
    const rule = `utm.source == ${str(c.source)} and utm.medium == ${str(c.medium)}`;
    return gen(`source_${n}`, `From ${c.source} (${c.medium})`, rule, 'Campaigns');
  },
  (rng, n) => {
    const section = rng.pick(SECTIONS.slice(0, 25));
    const type = rng.pick(DEVICE_TYPES);
    const rule = `url.path startsWith ${str(`/${section}`)} and device.type == ${str(type)}`;
    return gen(`${type}_${section}_${n}`, `Visited ${section} on ${type}`, rule, 'Technology');
  },
  (rng, n) => {
    if (rng.chance(0.5)) {
      const host = rng.pick(REFERRER_HOSTS);
      return gen(`referred_${n}`, `Referred by ${host}`, `referrer.host == ${str(host)}`, 'Referrers');
    }
    const section = rng.pick(SECTIONS.slice(0, 25));
    const country = rng.pick(COUNTRIES.slice(0, 10));
    const rule = `url.path startsWith ${str(`/${section}`)} and geo.country == ${str(country)}`;
    return gen(`${section}_${country.toLowerCase()}_${n}`, `Visited ${section} from ${country}`, rule, 'Geo');
  },
];

/**
 * The demo traits: the 60 base traits, then generated ones up to `count` (a count below 60 still gives
 * the 60 base traits, which the demo segments need).
 * Example: `demoTraits(rng, 1_000).length` -> 1000
 */
export function demoTraits(rng: Prng, count: number): DemoTraitSpec[] {
  const traits = baseTraits();
  for (let n = traits.length; n < count; n++) {
    const maker = TRAIT_MAKERS[n % TRAIT_MAKERS.length] as TraitMaker;
    traits.push(maker(rng, n));
  }
  return traits;
}

function sample<T>(rng: Prng, items: readonly T[], k: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < k && pool.length > 0) out.push(pool.splice(rng.int(pool.length), 1)[0] as T);
  return out;
}
