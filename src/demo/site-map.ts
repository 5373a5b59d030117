/**
 * The demo shop's web site: 10,000 URLs in 50 sections under https://shop.example.com, ranked for a Zipf
 * draw. Rank r belongs to section `SECTIONS[r % 50]`, so a section's popularity follows its place in the
 * list: `products` first, `pricing` second.
 *
 * Example: `pageForRank(1)` -> `{ section: "pricing", path: "/pricing/page-0" }`
 */
export const SITE_ORIGIN = 'https://shop.example.com';
export const URL_COUNT = 10_000;

/** The 50 sections, most popular first; none is a prefix of another, so `startsWith "/<section>"` is exact. */
// prettier-ignore
export const SECTIONS: readonly string[] = [
  'products', 'pricing', 'shoes', 'boots', 'sale', 'blog', 'women', 'men', 'kids', 'accessories',
  'bags', 'jackets', 'dresses', 'jeans', 'shirts', 'sneakers', 'sandals', 'socks', 'hats', 'watches',
  'jewellery', 'beauty', 'home', 'gifts', 'arrivals', 'brands', 'outlet', 'sports', 'running', 'hiking',
  'outdoor', 'winter', 'summer', 'help', 'contact', 'about', 'stores', 'delivery', 'returns', 'account',
  'checkout', 'basket', 'wishlist', 'careers', 'press', 'guides', 'reviews', 'compare', 'clearance', 'loyalty',
];

/** Sections whose page views carry `signals.category` (the section's name). */
// prettier-ignore
export const COMMERCE_SECTIONS: ReadonlySet<string> = new Set([
  'products', 'shoes', 'boots', 'sale', 'bags', 'jackets', 'dresses', 'jeans', 'shirts', 'sneakers',
  'sandals', 'socks', 'hats', 'watches', 'jewellery', 'beauty', 'outlet', 'clearance',
]);

/** Plans a pricing page view reports in `signals.plan`. */
export const PLANS: readonly string[] = ['free', 'pro', 'business'];

const SLUGS: Readonly<Record<string, string>> = {
  pricing: 'page',
  blog: 'post',
  help: 'article',
  guides: 'guide',
  reviews: 'review',
  careers: 'job',
  press: 'release',
  stores: 'store',
};

/** One page of the site. */
export interface SitePage {
  section: string;
  /** the page's index within its section, 0..199 */
  page: number;
  /** e.g. `/products/10042` or `/shoes/item-3` */
  path: string;
}

/**
 * The page at a popularity rank (0 = most popular), 0 <= rank < URL_COUNT.
 * Example: `pageForRank(0).path` -> `/products/10000`
 */
export function pageForRank(rank: number): SitePage {
  const section = SECTIONS[rank % SECTIONS.length] as string;
  const page = Math.floor(rank / SECTIONS.length);
  return { section, page, path: pagePath(section, page) };
}

/**
 * The path of a page. Product pages are numeric (`/products/10042`, matching `/^\/products\/[0-9]+$/`);
 * others use a word per section. Example: `pagePath("blog", 3)` -> `/blog/post-3`
 */
export function pagePath(section: string, page: number): string {
  if (section === 'products') return `/products/${10_000 + page}`;
  return `/${section}/${SLUGS[section] ?? 'item'}-${page}`;
}

/** A UTM campaign: the `utm_*` query parameters of a landing page, and the referrer it comes with. */
export interface Campaign {
  source: string;
  medium: string;
  campaign: string;
  referrer?: string;
}

/** The campaigns of 20% of visits, drawn uniformly. */
// prettier-ignore
export const CAMPAIGNS: readonly Campaign[] = [
  { source: 'google', medium: 'cpc', campaign: 'spring_sale', referrer: 'https://www.google.com/' },
  { source: 'google', medium: 'cpc', campaign: 'winter_boots', referrer: 'https://www.google.com/' },
  { source: 'bing', medium: 'cpc', campaign: 'brand_search', referrer: 'https://www.bing.com/' },
  { source: 'newsletter', medium: 'email', campaign: 'weekly_digest' },
  { source: 'newsletter', medium: 'email', campaign: 'black_friday' },
  { source: 'facebook', medium: 'social', campaign: 'summer_launch', referrer: 'https://www.facebook.com/' },
  { source: 'instagram', medium: 'social', campaign: 'new_arrivals', referrer: 'https://www.instagram.com/' },
  { source: 'partner_blog', medium: 'referral', campaign: 'gift_guide', referrer: 'https://blog.partner.example.org/gifts' },
];

/** Referrers of visits without a campaign, with weights; `undefined` is a direct visit. */
export const ORGANIC_REFERRERS: readonly (readonly [string | undefined, number])[] = [
  [undefined, 40],
  ['https://www.google.com/', 35],
  ['https://www.bing.com/', 8],
  ['https://www.facebook.com/', 7],
  ['https://t.co/', 5],
  ['https://news.example.org/shopping', 5],
];
